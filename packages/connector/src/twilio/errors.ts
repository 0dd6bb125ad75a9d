/**
 * What can go wrong talking to Twilio, as typed errors with fixed-template messages, and the one
 * place where they become Logto's ConnectorErrors.
 *
 * No error here ever holds a credential, the Authorization header, the request body (it carries
 * the verification code) or a Node error as `cause` (an undici or http error can carry headers).
 *
 * @module
 */
import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';

export abstract class TwilioError extends Error {
  override name = 'TwilioError';
  /** How many requests were made, the failed one included. */
  attempts = 1;
}

/**
 * Twilio answered with an error status and (usually) its error JSON. Its texts are as the server
 * sent them: {@link toConnectorError} redacts them before anything is shown.
 */
export class TwilioApiError extends TwilioError {
  override name = 'TwilioApiError' as const;

  constructor(
    readonly status: number,
    readonly twilioCode: number | undefined,
    readonly twilioMessage: string | undefined,
    readonly moreInfo: string | undefined,
    /** From a Retry-After header, when Twilio sent one. */
    readonly retryAfterMs?: number
  ) {
    super(`Twilio answered ${status}${twilioCode ? ` with error ${twilioCode}` : ''}`);
  }
}

/** The connection failed. `requestSent` is false only when no byte of the request left. */
export class TwilioNetworkError extends TwilioError {
  override name = 'TwilioNetworkError' as const;

  constructor(
    /** The system error code, such as ECONNREFUSED or ENOTFOUND. */
    readonly code: string,
    readonly requestSent: boolean
  ) {
    super(
      requestSent
        ? `The connection to Twilio failed (${code}) after the request was sent`
        : `Could not connect to Twilio (${code})`
    );
  }
}

/** The send's deadline passed. */
export class TwilioTimeoutError extends TwilioError {
  override name = 'TwilioTimeoutError' as const;

  constructor(
    readonly timeoutMs: number,
    readonly requestSent: boolean
  ) {
    super(
      requestSent
        ? `Twilio did not answer within ${timeoutMs} ms`
        : `Could not connect to Twilio within ${timeoutMs} ms`
    );
  }
}

/** Twilio (or something in between) answered with what is not Twilio's JSON. */
export class TwilioResponseError extends TwilioError {
  override name = 'TwilioResponseError' as const;

  constructor(
    readonly status: number,
    /** What was wrong, in our words. */
    readonly reason: string,
    /** As the server sent them: redacted before they are shown. */
    readonly contentType: string | undefined,
    readonly bodyStart?: string
  ) {
    super(`Unexpected response from Twilio (HTTP ${status}): ${reason}`);
  }
}

const configCodes = new Set([
  20003, 20008, 20404, 21212, 21601, 21602, 21603, 21606, 21619, 21659, 21660, 21701, 21703, 21704, 21705,
  21707, 21710,
]);
const recipientCodes = new Set([
  21211, 21214, 21217, 21401, 21407, 21408, 21421, 21608, 21610, 21612, 21614, 21617, 21635,
]);
const rateLimitCodes = new Set([20429, 14107, 21611]);

const hints: Record<number, string> = {
  20003: 'Twilio did not accept the credentials: check accountSID with authToken (or apiKeySID with apiKeySecret), and that they belong to this region',
  20008: 'These are test credentials, which cannot do this',
  20404: 'Twilio found no such resource: check accountSID (and region)',
  21212: 'The From number is not a valid phone number, short code or alphanumeric sender ID',
  21602: 'The rendered message is empty: check the template content',
  21603: 'Twilio needs a sender: set fromMessagingServiceSID or from',
  21601: 'The From number is not an SMS-capable Twilio number',
  21606: 'The From number is not an SMS-capable number of this account for this destination',
  21659: 'The From number is not a Twilio phone number or short code',
  21660: 'The From number does not belong to this account',
  21611: 'The sender has too many messages queued; try again later',
  21619: 'The rendered message is empty: check the template content',
  21701: 'The Messaging Service does not exist in this account: check fromMessagingServiceSID',
  21703: 'The Messaging Service has no sender available',
  21704: 'The Messaging Service has no phone numbers',
  21705: 'fromMessagingServiceSID is not a valid Messaging Service SID',
  21211: 'The destination number is not valid',
  21408: 'SMS to this country is not enabled in the Twilio account’s geo permissions',
  21608: 'A trial account can only send to verified numbers',
  21610: 'The recipient has opted out (replied STOP)',
  21612: 'Twilio cannot route a message from this sender to this number',
  21614: 'The destination is not a mobile number that can receive SMS',
  21617: 'The message is longer than 1,600 characters',
  21635: 'The destination is a landline',
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

/** Replaces every secret (credentials, their base64 form, the code) found in a text. */
export type Redact = (text: string) => string;

export const createRedactor = (secrets: Array<string | undefined>): Redact => {
  const found = secrets.filter((secret): secret is string => Boolean(secret));
  return (text) => found.reduce((result, secret) => result.replaceAll(secret, '[redacted]'), text);
};

const describeAttempts = (attempts: number) => (attempts > 1 ? ` after ${attempts} attempts` : '');

/**
 * Server text made safe to show: redacted first, then shortened, so that shortening cannot cut a
 * secret into a piece the redaction no longer recognises.
 */
const shown = (text: string | undefined, redact: Redact, length: number) =>
  text === undefined ? undefined : redact(text.slice(0, 8192)).slice(0, length).replaceAll(/\s+/g, ' ').trim();

/**
 * Turns anything the Twilio client threw into a ConnectorError whose code Logto maps to an HTTP
 * status, whose message an admin can act on, and whose data keeps Twilio's code, message,
 * more_info and HTTP status. Text that came from the server is passed through `redact` first.
 */
export function toConnectorError(error: unknown, redact: Redact): ConnectorError {
  if (error instanceof ConnectorError) {
    return error;
  }

  if (error instanceof TwilioApiError) {
    const code = classify(error);
    const twilioMessage = shown(error.twilioMessage, redact, 500);
    const moreInfo = shown(error.moreInfo, redact, 200);
    const hint = (error.twilioCode && hints[error.twilioCode]) ?? `Twilio answered HTTP ${error.status}`;
    const said = twilioMessage ? ` Twilio says: “${twilioMessage}”` : '';
    const reference = error.twilioCode ? ` (error ${error.twilioCode}${moreInfo ? `, ${moreInfo}` : ''})` : '';
    return new ConnectorError(code, {
      message: `${hint}.${said}${reference}${describeAttempts(error.attempts)}.`,
      status: error.status,
      code: error.twilioCode,
      twilioMessage,
      moreInfo,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000) }),
      attempts: error.attempts,
    });
  }

  if (error instanceof TwilioTimeoutError) {
    return new ConnectorError(ConnectorErrorCodes.General, {
      message: error.requestSent
        ? `Twilio did not answer within ${error.timeoutMs} ms. The message may still have been sent, so it was not retried.`
        : `Could not connect to Twilio within ${error.timeoutMs} ms${describeAttempts(error.attempts)}.`,
      reason: 'timeout',
      requestSent: error.requestSent,
      attempts: error.attempts,
    });
  }

  if (error instanceof TwilioNetworkError) {
    return new ConnectorError(ConnectorErrorCodes.General, {
      message: error.requestSent
        ? `The connection to Twilio failed (${error.code}) after the request was sent. The message may have been sent, so it was not retried.`
        : `Could not connect to Twilio (${error.code})${describeAttempts(error.attempts)}. Check the network, or baseUrl/region/edge.`,
      reason: 'network',
      systemCode: error.code,
      requestSent: error.requestSent,
      attempts: error.attempts,
    });
  }

  if (error instanceof TwilioResponseError) {
    const contentType = shown(error.contentType, redact, 100);
    const bodyStart = shown(error.bodyStart, redact, 120);
    // A 2xx means Twilio took the request: a second attempt would send a second message.
    const accepted =
      error.status >= 200 && error.status < 300
        ? ' Twilio accepted the request, so the message was probably sent: do not send it again.'
        : '';
    return new ConnectorError(ConnectorErrorCodes.InvalidResponse, {
      message: `Unexpected response from Twilio (HTTP ${error.status}${contentType ? `, ${contentType}` : ''}): ${error.reason}${bodyStart ? `: ${JSON.stringify(bodyStart)}` : ''}.${accepted}`,
      status: error.status,
      attempts: error.attempts,
    });
  }

  // A bug of ours: say so without passing on an object that could hold anything.
  const name = error instanceof Error ? error.name : typeof error;
  return new ConnectorError(ConnectorErrorCodes.General, {
    message: `Unexpected ${name} while sending through Twilio.`,
  });
}
