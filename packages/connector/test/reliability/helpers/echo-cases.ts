/**
 * Servers that repeat the request back (its Authorization header, its form body with the code):
 * whatever the connector copies from an answer into its error must come out redacted.
 *
 * @module
 */
import type { ServerResponse } from 'node:http';

import { ConnectorErrorCodes } from '@logto/connector-kit';

import { type Behaviour, type Exchange, type RecordedRequest, behaviours } from './fault-server.js';
import { authModes, code } from './secrets.js';

export type EchoCase = {
  name: string;
  behaviour: Behaviour;
  code: ConnectorErrorCodes;
};

/** A page of `pad` filler characters then the Authorization header: a secret cut by a truncation. */
const paddedEcho =
  (status: number, pad: number, json: 'message' | 'more_info' | false): Behaviour =>
  ({ response, recorded }) => {
    const echo = `${'x'.repeat(pad)}${recorded.headers.authorization ?? ''}`;
    const text = json
      ? JSON.stringify({
          code: 21_211,
          message: json === 'message' ? echo : 'x',
          more_info: json === 'more_info' ? echo : 'x',
          status,
        })
      : echo;
    response.writeHead(status, {
      'content-type': json ? 'application/json' : 'text/plain',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  };

export const echoCases: EchoCase[] = [
  {
    name: 'Twilio JSON error whose message repeats the request',
    behaviour: ({ response, recorded, ...rest }) => {
      const echo = `authorization=${recorded.headers.authorization ?? ''} body=${recorded.body} decoded=${recorded.form.get('Body') ?? ''}`;
      const text = JSON.stringify({
        code: 21_211,
        message: echo,
        more_info: 'https://www.twilio.com/docs/errors/21211',
        status: 400,
      });
      response.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text);
      void rest;
    },
    code: ConnectorErrorCodes.InvalidRequestParameters,
  },
  {
    name: 'HTML 502 page that repeats the request',
    behaviour: behaviours.echoHtml(502),
    code: ConnectorErrorCodes.InvalidResponse,
  },
  {
    name: '429 JSON error that repeats the request (retried, then given up)',
    behaviour: ({ response, recorded }) => {
      const echo = `authorization=${recorded.headers.authorization ?? ''} body=${recorded.body}`;
      const text = JSON.stringify({ code: 20_429, message: echo, status: 429 });
      response.writeHead(429, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    },
    code: ConnectorErrorCodes.RateLimitExceeded,
  },
  {
    name: 'Twilio JSON error whose more_info repeats the request',
    behaviour: behaviours.echoError(400),
    code: ConnectorErrorCodes.InvalidRequestParameters,
  },
  {
    name: 'non-JSON error whose Content-Type repeats the Authorization header',
    behaviour: ({ response, recorded }) => {
      response.writeHead(502, {
        'content-type': `text/html; echo="${recorded.headers.authorization ?? ''}"`,
        'content-length': '2',
      });
      response.end('no');
    },
    code: ConnectorErrorCodes.InvalidResponse,
  },
  {
    name: 'non-JSON page where the 120-character preview cuts the credentials in two',
    behaviour: paddedEcho(502, 44, false),
    code: ConnectorErrorCodes.InvalidResponse,
  },
  {
    name: 'Twilio JSON error where the 500-character message cut the credentials in two',
    behaviour: paddedEcho(400, 424, 'message'),
    code: ConnectorErrorCodes.InvalidRequestParameters,
  },
];

/** What an echo repeats: the request's Authorization header, credentials, secret or body, in some form. */
export type EchoForm = { name: string; echo: (recorded: RecordedRequest) => string };

const authorizationOf = (recorded: RecordedRequest) => recorded.headers.authorization ?? '';
const credentialsOf = (recorded: RecordedRequest) => authorizationOf(recorded).replace(/^Basic /, '');
/** `SID:secret`, as the server decodes the header. */
const decodedOf = (recorded: RecordedRequest) => Buffer.from(credentialsOf(recorded), 'base64').toString('utf8');
const secretOf = (recorded: RecordedRequest) => decodedOf(recorded).split(':')[1] ?? '';
const charCodes = (text: string) => [...text].map((character) => character.charCodeAt(0));

/** Encodings, case changes, wraps and cuts a proxy or a debugging server can apply to what it repeats. */
export const echoForms: EchoForm[] = [
  { name: 'the Authorization header URL-encoded (Basic%20…%3D)', echo: (r) => encodeURIComponent(authorizationOf(r)) },
  { name: 'the Authorization header URL-encoded twice', echo: (r) => encodeURIComponent(encodeURIComponent(authorizationOf(r))) },
  { name: 'the decoded SID:secret URL-encoded', echo: (r) => encodeURIComponent(decodedOf(r)) },
  { name: 'the credentials without base64 padding', echo: (r) => credentialsOf(r).replace(/=+$/, '') },
  { name: 'the Authorization header upper-cased', echo: (r) => authorizationOf(r).toUpperCase() },
  { name: 'the Authorization header lower-cased', echo: (r) => authorizationOf(r).toLowerCase() },
  {
    name: 'the credentials wrapped every 16 characters',
    echo: (r) =>
      credentialsOf(r)
        .match(/.{1,16}/g)!
        .join('\r\n'),
  },
  {
    name: 'the credentials JSON-escaped (\\u00XX)',
    echo: (r) =>
      charCodes(credentialsOf(r))
        .map((c) => `\\u${c.toString(16).padStart(4, '0')}`)
        .join(''),
  },
  {
    name: 'the credentials as HTML character references',
    echo: (r) =>
      charCodes(credentialsOf(r))
        .map((c) => `&#${c};`)
        .join(''),
  },
  { name: 'the credentials cut to 12 characters of the secret part', echo: (r) => credentialsOf(r).slice(-24, -12) },
  { name: 'the secret cut to 9 characters', echo: (r) => secretOf(r).slice(7, 16) },
  { name: 'the secret as upper-case hex', echo: (r) => Buffer.from(secretOf(r)).toString('hex').toUpperCase() },
  { name: 'the secret in base64 at the second alignment', echo: (r) => Buffer.from(`x${secretOf(r)}`).toString('base64') },
  {
    name: 'the secret in base64 at the third alignment, lower-cased',
    echo: (r) =>
      Buffer.from(`xy${secretOf(r)}`)
        .toString('base64')
        .toLowerCase(),
  },
  { name: 'the Authorization header base64-encoded again', echo: (r) => Buffer.from(authorizationOf(r)).toString('base64') },
  { name: 'the decoded SID:secret in base64url', echo: (r) => Buffer.from(decodedOf(r)).toString('base64url') },
  { name: 'the decoded SID:secret in UTF-16 base64', echo: (r) => Buffer.from(decodedOf(r), 'utf16le').toString('base64') },
  {
    name: 'the secret quoted-printable',
    echo: (r) =>
      charCodes(secretOf(r))
        .map((c) => `=${c.toString(16).toUpperCase().padStart(2, '0')}`)
        .join(''),
  },
  {
    name: 'the secret in full-width letters',
    echo: (r) => String.fromCharCode(...charCodes(secretOf(r)).map((c) => c + 0xfe_e0)),
  },
  { name: 'the secret with a space between characters', echo: (r) => [...secretOf(r)].join(' ') },
  { name: 'the form body (with the code)', echo: (r) => r.body },
  { name: 'the form body base64-encoded', echo: (r) => Buffer.from(r.body).toString('base64') },
  { name: 'the form body as JSON', echo: (r) => JSON.stringify(Object.fromEntries(r.form)) },
];

/** Where a server puts what it repeats. */
export type EchoPlacement = { name: string; respond: (exchange: Exchange, echo: string) => void; code: ConnectorErrorCodes };

const send = (response: Exchange['response'], status: number, contentType: string, text: string) => {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  response.end(text);
};
const twilioJson = (fields: Record<string, unknown>) =>
  JSON.stringify({ code: 21_211, message: 'x', more_info: 'https://www.twilio.com/docs/errors/21211', status: 400, ...fields });

export const echoPlacements: EchoPlacement[] = [
  {
    name: "Twilio JSON's message",
    respond: ({ response }, echo) => send(response, 400, 'application/json', twilioJson({ message: `Echo: ${echo}` })),
    code: ConnectorErrorCodes.InvalidRequestParameters,
  },
  {
    name: "Twilio JSON's more_info",
    respond: ({ response }, echo) =>
      send(response, 400, 'application/json', twilioJson({ more_info: `https://www.twilio.com/docs/errors/${echo}` })),
    code: ConnectorErrorCodes.InvalidRequestParameters,
  },
  {
    name: 'a plain-text 502 page',
    respond: ({ response }, echo) => send(response, 502, 'text/plain', `Bad gateway. Request: ${echo}`),
    code: ConnectorErrorCodes.InvalidResponse,
  },
  {
    name: 'the Content-Type of a 502',
    // Only what a header can carry: a wrapped or non-Latin form goes in the body instead.
    respond: ({ response }, echo) =>
      /^[\u0020-\u007E]*$/.test(echo)
        ? send(response, 502, `text/${echo.replaceAll(/[^\w%+.=-]/g, '') || 'x'}; echo="${echo.replaceAll('"', '')}"`, 'no')
        : send(response, 502, 'text/plain', echo),
    code: ConnectorErrorCodes.InvalidResponse,
  },
];

/**
 * The auth modes the echo forms run under: the auth token and the API key (the third mode's unused
 * token never reaches the wire, so nothing of it can be echoed).
 */
export const echoAuthModes = authModes.slice(0, 2);

/** Numbers that spell the code, sent back where a connector might show a number. */
export const echoedNumbers: Array<{ name: string; respond: (response: ServerResponse) => void }> = [
  {
    name: 'the code as Twilio’s error code',
    respond: (response) => {
      const text = JSON.stringify({ code: Number(code), message: 'x', status: 400 });
      response.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    },
  },
  {
    name: 'the code as Retry-After',
    respond: (response) => {
      response.writeHead(429, { 'content-type': 'text/plain', 'retry-after': code });
      response.end('slow down');
    },
  },
];

/** How a server repeats a status callback URL's user:password: given the URL and its userinfo. */
export const callbackEchoes: Array<{ name: string; echo: (url: string, userinfo: string) => string }> = [
  { name: 'as written', echo: (url) => url },
  { name: 'URL-encoded', echo: (url) => encodeURIComponent(url) },
  { name: 'base64 of user:password', echo: (_url, userinfo) => Buffer.from(userinfo).toString('base64') },
];
