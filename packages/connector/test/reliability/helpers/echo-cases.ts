/**
 * Servers that repeat the request back (its Authorization header, its form body with the code):
 * whatever the connector copies from an answer into its error must come out redacted.
 *
 * @module
 */
import { ConnectorErrorCodes } from '@logto/connector-kit';

import { type Behaviour, behaviours } from './fault-server.js';

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
    const text = json ? JSON.stringify({ code: 21_211, message: json === 'message' ? echo : 'x', more_info: json === 'more_info' ? echo : 'x', status }) : echo;
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
      const text = JSON.stringify({ code: 21_211, message: echo, more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 });
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
