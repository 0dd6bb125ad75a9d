/**
 * Twilio REST errors: every {@link HttpError} the Twilio API answers with, with Twilio's codes and
 * texts, and the wire shape they are rendered in: `{ code, message, more_info, status }`, with the
 * HTTP status mirrored in `status`.
 *
 * @doc https://www.twilio.com/docs/usage/twilios-response
 * @module
 */
import { HttpError } from '../http/errors.js';

/** The JSON body Twilio sends with every 4xx/5xx on the 2010 API. */
export type TwilioErrorBody = {
  code: number;
  message: string;
  more_info: string;
  status: number;
};

/** An error in Twilio's wire shape. */
export function twilioErrorBody({ code, message, status }: HttpError): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

const twilioError = (status: number, code: number, message: string, headers?: Record<string, string>) =>
  new HttpError(status, message, { code, headers });

const badRequest = (code: number, message: string) => twilioError(400, code, message);

/**
 * Every error the sandbox answers with, in one place so codes and texts stay consistent.
 * Texts follow Twilio's where known; clients must branch on `code`, never on `message`.
 */
export const twilioErrors = {
  authenticate: () =>
    twilioError(401, 20003, 'Authenticate', {
      'WWW-Authenticate': 'Basic realm="Twilio API"',
    }),
  notFound: (path: string) => twilioError(404, 20404, `The requested resource ${path} was not found`),
  methodNotAllowed: (method: string, allow: readonly string[]) =>
    twilioError(405, 20004, `Method not allowed: ${method}`, { Allow: allow.join(', ') }),
  cannotDelete: () => twilioError(409, 20009, 'Cannot delete this resource before it is complete'),
  tooLarge: (limit: number) => twilioError(413, 20413, `Request entity is larger than the ${limit} byte limit`),
  /** A request the sandbox cannot parse at all (bad percent-encoding, invalid UTF-8). */
  malformed: (message: string) => badRequest(400, message),
  /** A query or body value with the wrong type or format (Twilio's generic 400). */
  invalidParameter: (name: string, expected: string) => badRequest(400, `Invalid parameter '${name}': expected ${expected}`),
  internal: () => twilioError(500, 20500, 'An internal server error has occurred'),

  toRequired: () => badRequest(21604, "A 'To' phone number is required."),
  senderRequired: () => badRequest(21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message."),
  bodyRequired: () => badRequest(21602, 'Message body is required.'),
  serviceContentRequired: () => badRequest(21619, 'A text message body, media URL or content SID is required.'),
  bodyTooLong: () => badRequest(21617, 'The concatenated message body exceeds the 1600 character limit.'),
  invalidTo: (to: string) => badRequest(21211, `The 'To' number ${to} is not a valid phone number.`),
  /** `unsupportedChannel`: why a channel address (whatsapp:…) is refused, added to Twilio's sentence. */
  invalidFrom: (from: string, unsupportedChannel?: string) =>
    badRequest(
      21212,
      `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.${
        unsupportedChannel ? ` ${unsupportedChannel}.` : ''
      }`
    ),
  fromNotOwned: (from: string) =>
    badRequest(
      21606,
      `The 'From' phone number provided (${from}) is not a valid message-capable Twilio phone number for this destination/account.`
    ),
  queueFull: (from: string) =>
    badRequest(21611, `This 'From' number (${from}) has exceeded the maximum number of queued messages.`),
  cannotRoute: (to: string) =>
    badRequest(21612, `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number via SMS.`),
  noGeoPermission: (to: string) =>
    badRequest(21408, `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}.`),
  unsubscribed: () => badRequest(21610, 'Attempt to send to unsubscribed recipient'),
  notMobile: (to: string) => badRequest(21614, `'To' number ${to} is not a valid mobile number`),
  invalidServiceSid: (sid: string) => badRequest(21705, `The Messaging Service Sid ${sid} is invalid.`),
  invalidStatusCallback: () => badRequest(21609, "The 'StatusCallback' URL is not a valid URL."),
  invalidValidityPeriod: () => badRequest(21624, 'Validity period can only be set to integers between 1 and 36,000 seconds.'),
  tooManyMedia: () => badRequest(21623, 'Number of media files exceeds allowed limit of 10.'),
  invalidMediaUrl: () => badRequest(21620, 'Invalid media URL(s). Media URLs must be absolute http or https URLs.'),
  invalidFeedbackOutcome: () => badRequest(400, "Invalid parameter 'Outcome': expected 'confirmed' or 'unconfirmed'"),
  sendAtMissing: () => badRequest(35111, "SendAt timestamp is missing. It is required when ScheduleType is 'fixed'."),
  sendAtOutOfRange: () =>
    badRequest(35114, 'SendAt time must be between 300 seconds and 35 days (3024000 seconds) in the future, inclusive.'),
  scheduleNeedsService: () => badRequest(35118, 'MessagingServiceSid is required to schedule a message.'),
  invalidScheduleType: () => badRequest(400, "Invalid parameter 'ScheduleType': expected 'fixed'"),

  updateInvalid: (message: string) => badRequest(30400, message),
  cannotCancel: () => badRequest(30409, 'Message cannot be canceled: only a scheduled message can be canceled.'),
} as const;
