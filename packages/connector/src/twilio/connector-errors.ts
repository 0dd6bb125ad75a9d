/**
 * The one place where what went wrong talking to Twilio (errors.ts) becomes Logto's
 * ConnectorError: a code Logto maps to an HTTP status, a message that says what to do, and only
 * the server text that repeats no secret in any form (see secret-detector.ts).
 *
 * @module
 */
import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';

import { type ErrorAudience, endUserSentences, presentError } from '../error-audience.js';
import { TwilioApiError, TwilioNetworkError, TwilioResponseError, TwilioTimeoutError } from './errors.js';
import type { RevealsSecret } from './secret-detector.js';

const configCodes = new Set([
  20003, 20008, 20404, 21212, 21601, 21602, 21603, 21606, 21619, 21659, 21660, 21701, 21703, 21704, 21705, 21707, 21710,
]);
const recipientCodes = new Set([21211, 21214, 21217, 21401, 21407, 21408, 21421, 21608, 21610, 21612, 21614, 21617, 21635]);
const rateLimitCodes = new Set([20429, 14107, 21611]);

const endUserSentenceOf: Record<number, string> = {
  ...Object.fromEntries(
    [21211, 21214, 21217, 21401, 21407, 21421, 21612, 21614, 21635].map((code) => [code, endUserSentences.badNumber])
  ),
  21408: endUserSentences.country,
  21610: endUserSentences.optedOut,
};

/** What is wrong and what to do, for the admin: the start of the message. */
const hints: Record<number, string> = {
  20003:
    'Twilio did not accept the credentials: check accountSID with authToken (or apiKeySID with apiKeySecret) as shown in the Twilio Console, and that they belong to the region set',
  20008: 'These are test credentials, which cannot send messages: use the live Account SID and Auth Token',
  20404: 'Twilio found no such resource: check accountSID (and that it belongs to the region set)',
  21212:
    'The From value is not a valid phone number, short code or alphanumeric sender ID: set from to a number of this Twilio account in E.164 form, such as +15005550006',
  21602: 'The rendered message is empty: check the template content',
  21603: 'Twilio needs a sender: set fromMessagingServiceSID or from',
  21601: 'The From number is not an SMS-capable Twilio number: use one with SMS capability, or a Messaging Service',
  21606:
    'The From number cannot send SMS to this destination: use an SMS-capable number of this account for this country, or a Messaging Service',
  21659:
    'The From number is not a Twilio phone number or short code of this account: use one listed under Phone Numbers in the Twilio Console',
  21660: 'The From number does not belong to this account: use a number of this account, or check accountSID',
  21611: 'The sender has too many messages queued; try again later',
  21619: 'The rendered message is empty: check the template content',
  21701: 'The Messaging Service does not exist in this account: check fromMessagingServiceSID',
  21703: 'The Messaging Service has no sender available for this destination: add a phone number to its sender pool',
  21704: 'The Messaging Service has no phone numbers: add one to its sender pool',
  21705: 'fromMessagingServiceSID is not a valid Messaging Service SID: copy it (MG…) from the Twilio Console',
  21211: 'The destination number is not valid: check it, with its country code',
  21408: 'SMS to this country is not enabled: enable it in the Twilio Console under Messaging, Settings, Geo permissions',
  21608: 'A trial account can only send to verified numbers: verify this number in the Twilio Console, or upgrade the account',
  21610: 'The recipient has opted out (replied STOP): they can reply START to opt back in',
  21612: 'Twilio cannot route a message from this sender to this number: try another sender, or check the Geo permissions',
  21614: 'The destination is not a mobile number, so it cannot receive SMS: test with a mobile number',
  21617: 'The message is longer than 1,600 characters: shorten the template',
  21635: 'The destination is a landline, which cannot receive SMS: test with a mobile number',
  20429: 'Twilio is rate limiting this account (too many concurrent requests)',
  14107: 'Twilio is rate limiting this account (SMS send rate exceeded)',
};

function classify(error: TwilioApiError): ConnectorErrorCodes {
  const { status, twilioCode } = error;
  if (status === 429 || (twilioCode !== undefined && rateLimitCodes.has(twilioCode))) {
    return ConnectorErrorCodes.RateLimitExceeded;
  }
  if (twilioCode !== undefined && configCodes.has(twilioCode)) {
    return ConnectorErrorCodes.InvalidConfig;
  }
  if (twilioCode !== undefined && recipientCodes.has(twilioCode)) {
    return ConnectorErrorCodes.InvalidRequestParameters;
  }
  if (status === 401 || status === 403) {
    return ConnectorErrorCodes.InvalidConfig;
  }
  return ConnectorErrorCodes.General;
}

const describeAttempts = (attempts: number) => (attempts > 1 ? ` after ${attempts} attempts` : '');

/** Shown in place of server text that repeated a secret. */
const withheldText = '[withheld: it repeated a credential or the code]';

/**
 * Server text made safe to show: the start of it, on one line, or {@link withheldText} when it
 * repeats a secret in any form (the whole first 8 KB is checked, and the shortened text again).
 */
function serverText(text: string | undefined, revealsSecret: RevealsSecret, length: number) {
  if (text === undefined) {
    return;
  }
  const checked = text.slice(0, 8192);
  const short = checked.slice(0, length).replaceAll(/\s+/g, ' ').trim();
  return revealsSecret(checked) || revealsSecret(short) ? withheldText : short;
}

/** Twilio's `more_info`, which is always a page of Twilio's docs: anything else is not shown. */
function twilioLink(text: string | undefined, revealsSecret: RevealsSecret) {
  return text && text.length <= 200 && /^https:\/\/(?:www\.)?twilio\.com\/[\w./#-]*$/.test(text) && !revealsSecret(text)
    ? text
    : undefined;
}

/** A number from the server, unless it spells a secret (a server could echo the code as one). */
const serverNumber = (value: number | undefined, revealsSecret: RevealsSecret) =>
  value !== undefined && Number.isSafeInteger(value) && !revealsSecret(String(value)) ? value : undefined;

/** The media type of a Content-Type, when it is one and repeats no secret. */
function mediaType(contentType: string | undefined, revealsSecret: RevealsSecret) {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type && type.length <= 100 && /^[\w!#$&+.^-]+\/[\w!#$&+.^-]+$/.test(type) && !revealsSecret(type) ? type : undefined;
}

type Described = { code: ConnectorErrorCodes; data: Record<string, unknown>; endUserSentence: string };

function describeApiError(error: TwilioApiError, revealsSecret: RevealsSecret): Described {
  const twilioCode = serverNumber(error.twilioCode, revealsSecret);
  const twilioMessage = serverText(error.twilioMessage, revealsSecret, 500);
  const moreInfo = twilioLink(error.moreInfo, revealsSecret);
  const retryAfterSeconds =
    error.retryAfterMs === undefined ? undefined : serverNumber(Math.ceil(error.retryAfterMs / 1000), revealsSecret);
  const hint = (twilioCode && hints[twilioCode]) ?? `Twilio answered HTTP ${error.status}`;
  const said =
    twilioMessage === withheldText
      ? " Twilio's message is not shown: it repeated a credential or the code."
      : twilioMessage
        ? ` Twilio says: “${twilioMessage}”`
        : '';
  const reference = twilioCode ? ` (error ${twilioCode}${moreInfo ? `, ${moreInfo}` : ''})` : '';
  const mayHaveBeenSent =
    error.status >= 500
      ? ' The message may have been sent: check the Messaging logs in the Twilio Console before sending it again.'
      : '';
  return {
    code: classify(error),
    data: {
      message: `${hint}.${said}${reference}${describeAttempts(error.attempts)}.${mayHaveBeenSent}`,
      status: error.status,
      code: twilioCode,
      twilioMessage,
      moreInfo,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      attempts: error.attempts,
    },
    endUserSentence:
      (twilioCode === undefined ? undefined : endUserSentenceOf[twilioCode]) ??
      (error.status >= 500 ? endUserSentences.maybeSent : endUserSentences.failed),
  };
}

function describeTimeout(error: TwilioTimeoutError): Described {
  return {
    code: ConnectorErrorCodes.General,
    data: {
      message: error.requestSent
        ? `Twilio did not answer within ${error.timeoutMs} ms. The message may still have been sent, so it was not retried.`
        : `Could not connect to Twilio within ${error.timeoutMs} ms${describeAttempts(error.attempts)}. Check that this server can reach the Twilio API (firewall, proxy, DNS) and the API endpoint settings (base URL, region, edge).`,
      reason: 'timeout',
      requestSent: error.requestSent,
      attempts: error.attempts,
    },
    endUserSentence: error.requestSent ? endUserSentences.maybeSent : endUserSentences.failed,
  };
}

function describeNetworkError(error: TwilioNetworkError): Described {
  return {
    code: ConnectorErrorCodes.General,
    data: {
      message: error.requestSent
        ? `The connection to Twilio failed (${error.systemCode}) after the request was sent. The message may have been sent, so it was not retried.`
        : `Could not connect to Twilio (${error.systemCode})${describeAttempts(error.attempts)}. Check that this server can reach the Twilio API (firewall, proxy, DNS) and the API endpoint settings (base URL, region, edge).`,
      reason: 'network',
      systemCode: error.systemCode,
      requestSent: error.requestSent,
      attempts: error.attempts,
    },
    endUserSentence: error.requestSent ? endUserSentences.maybeSent : endUserSentences.failed,
  };
}

function describeResponseError(error: TwilioResponseError, revealsSecret: RevealsSecret): Described {
  const contentType = mediaType(error.contentType, revealsSecret);
  const accepted = error.status >= 200 && error.status < 300;
  const answered = [`HTTP ${error.status}`, contentType, error.bodyBytes === undefined ? undefined : `${error.bodyBytes} bytes`]
    .filter(Boolean)
    .join(', ');
  // A 2xx means Twilio took the request: a second attempt would send a second message.
  const advice = accepted
    ? ' Twilio accepted the request, so the message was probably sent: do not send it again.'
    : error.status >= 500
      ? ' Something between this server and Twilio (a proxy?) may have answered; the message may have been sent.'
      : ' Something between this server and Twilio (a proxy or firewall?) may have answered instead of Twilio.';
  return {
    code: ConnectorErrorCodes.InvalidResponse,
    data: {
      message: `Unexpected response from Twilio (${answered}): ${error.reason}.${advice}`,
      status: error.status,
      ...(contentType && { contentType }),
      ...(error.bodyBytes === undefined ? {} : { bodyBytes: error.bodyBytes }),
      attempts: error.attempts,
    },
    endUserSentence: accepted || error.status >= 500 ? endUserSentences.maybeSent : endUserSentences.failed,
  };
}

function describe(error: unknown, revealsSecret: RevealsSecret): Described {
  if (error instanceof TwilioApiError) {
    return describeApiError(error, revealsSecret);
  }
  if (error instanceof TwilioTimeoutError) {
    return describeTimeout(error);
  }
  if (error instanceof TwilioNetworkError) {
    return describeNetworkError(error);
  }
  if (error instanceof TwilioResponseError) {
    return describeResponseError(error, revealsSecret);
  }

  // A bug of ours: say so without passing on an object that could hold anything.
  const name = error instanceof Error ? error.name : typeof error;
  return {
    code: ConnectorErrorCodes.General,
    data: { message: `Unexpected ${name} while sending through Twilio.` },
    endUserSentence: endUserSentences.failed,
  };
}

/**
 * Turns anything the Twilio client threw into a ConnectorError for `audience`: a code Logto maps
 * to an HTTP status, a message that says what to do, and Twilio's code, message, more_info and
 * HTTP status. Server text is shown only when `revealsSecret` finds no secret in it; a body that
 * is not Twilio's error JSON is described (status, content type, length), never quoted.
 */
export function toConnectorError(
  error: unknown,
  revealsSecret: RevealsSecret,
  audience: ErrorAudience = 'caller'
): ConnectorError {
  if (error instanceof ConnectorError) {
    return presentError(error, audience);
  }
  const { code, data, endUserSentence } = describe(error, revealsSecret);
  return presentError(new ConnectorError(code, data), audience, endUserSentence);
}
