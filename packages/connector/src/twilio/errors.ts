/**
 * What can go wrong talking to Twilio, as the client's internal errors: each class with a fixed
 * `name` and `code` (as undici's errors have), a fixed-template message and the facts the caller
 * needs. Logto never sees them: connector-errors.ts turns each into a ConnectorError.
 *
 * No error here ever holds a credential, the Authorization header, the request body (it carries
 * the verification code) or a Node error as `cause` (an undici or http error can carry headers).
 *
 * @module
 */

export abstract class TwilioError extends Error {
  override name = 'TwilioError';
  abstract readonly code: `TWILIO_${string}`;
  /** How many requests were made, the failed one included. */
  attempts = 1;
}

/**
 * Twilio answered with an error status and (usually) its error JSON. Its texts are as the server
 * sent them: toConnectorError withholds any that reveals a secret before anything is shown.
 */
export class TwilioApiError extends TwilioError {
  override name = 'TwilioApiError' as const;
  readonly code = 'TWILIO_API_ERROR' as const;

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
  readonly code = 'TWILIO_NETWORK_ERROR' as const;

  constructor(
    /** The system error code (errno name), such as ECONNREFUSED or ENOTFOUND. */
    readonly systemCode: string,
    readonly requestSent: boolean
  ) {
    super(
      requestSent
        ? `The connection to Twilio failed (${systemCode}) after the request was sent`
        : `Could not connect to Twilio (${systemCode})`
    );
  }
}

/** The send's deadline passed. */
export class TwilioTimeoutError extends TwilioError {
  override name = 'TwilioTimeoutError' as const;
  readonly code = 'TWILIO_TIMEOUT' as const;

  constructor(
    readonly timeoutMs: number,
    readonly requestSent: boolean
  ) {
    super(requestSent ? `Twilio did not answer within ${timeoutMs} ms` : `Could not connect to Twilio within ${timeoutMs} ms`);
  }
}

/**
 * Twilio (or something in between) answered with what is not Twilio's JSON. Such a body is never
 * quoted, only described: it could be anything, an echo of the request included.
 */
export class TwilioResponseError extends TwilioError {
  override name = 'TwilioResponseError' as const;
  readonly code = 'TWILIO_UNEXPECTED_RESPONSE' as const;

  constructor(
    readonly status: number,
    /** What was wrong, in our words. */
    readonly reason: string,
    /** As the server sent it: checked before it is shown. */
    readonly contentType: string | undefined,
    /** The body's length in bytes, when it was read whole. */
    readonly bodyBytes?: number
  ) {
    super(`Unexpected response from Twilio (HTTP ${status}): ${reason}`);
  }
}
