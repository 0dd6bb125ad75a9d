/**
 * The one error a route handler throws to answer with an HTTP error, in the manner of hono's
 * HTTPException: a status, a sentence a person can act on, extra response headers, and, on the
 * Twilio API, Twilio's error code. The server renders it in the shape of the route's family
 * (see `errorReply` in server.ts): Twilio's `{ code, message, more_info, status }` for the Twilio
 * API, `{ error: { message, code?, data? } }` for the sandbox's own /api/ routes, where a
 * client that acts on the error (the web console) reads `apiCode` as `code`.
 *
 * @example
 * throw new HttpError(404, 'Message not found');
 * throw new HttpError(400, "A 'To' phone number is required.", { code: 21604 });
 * throw new HttpError(400, "'config' is required", { apiCode: 'bad_request' });
 *
 * @module
 */

export type HttpErrorOptions = {
  /** Twilio's error code (https://www.twilio.com/docs/errors/…); default the HTTP status. */
  code?: number;
  /** Extra response headers, e.g. `Retry-After` for injected faults or `WWW-Authenticate`. */
  headers?: Record<string, string>;
  /** The /api/ family's code, such as `bad_request` or a ConnectorError's `invalid_config`. */
  apiCode?: string;
  /** Details for an /api/ client, such as a ConnectorError's data (already free of secrets). */
  data?: unknown;
};

export class HttpError extends Error {
  override name = 'HttpError' as const;
  readonly code: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly apiCode: string | undefined;
  readonly data: unknown;

  constructor(
    readonly status: number,
    message: string,
    { code = status, headers = {}, apiCode, data }: HttpErrorOptions = {}
  ) {
    super(message);
    this.code = code;
    this.headers = headers;
    this.apiCode = apiCode;
    this.data = data;
  }
}
