/**
 * Who reads a failure, and how it is worded for them: the caller gets the code that says what went
 * wrong, Logto's console the sentence that says what to fix, the person signing in one sentence
 * without config details.
 *
 * @module
 */
import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';

import { isNonArrayObject } from './objects.js';

/** What the person signing in reads: one sentence each, nothing about the config. */
export const endUserSentences = {
  failed: "We couldn't send the SMS right now. Please try again later.",
  maybeSent: "We couldn't confirm that the SMS was sent. If it doesn't arrive within a few minutes, please try again.",
  badNumber: "This phone number can't receive SMS. Please check the number, with its country code, or use another one.",
  optedOut:
    'This phone number has unsubscribed from our text messages. Reply START to one of them to subscribe again, or use another number.',
  country: "We can't send SMS to phone numbers in this country. Please use another number.",
  rateLimited: 'Too many messages were requested just now. Please try again in a minute.',
};

/**
 * Who reads an error:
 * - `caller` (the default): a program or the CLI, which gets the code that says what went wrong;
 * - `console`: the admin pressing Test in Logto's console. Logto shows its own fixed phrase for
 *   every code but `general`, whose `errorDescription` it shows, so every failure except a rate
 *   limit becomes `general`, described by the message that says what to fix;
 * - `end-user`: the person signing in, who reads one sentence without config details.
 */
export type ErrorAudience = 'caller' | 'console' | 'end-user';

// Machine-readable and never from the config: what the sign-in API may return in `data`.
const endUserFields = ['status', 'code', 'moreInfo', 'retryAfterSeconds', 'reason', 'requestSent', 'attempts', 'field', 'rule'];

const presented = new WeakSet<ConnectorError>();

/** An error already worded for everyone who reads it (the abuse guard's refusals): kept as it is. */
export const asPresented = (error: ConnectorError) => {
  presented.add(error);
  return error;
};

/**
 * The error as `audience` should read it (see {@link ErrorAudience}); `endUserSentence` is what the
 * person signing in reads, unless it is a rate limit. An error is presented once: presenting it
 * again returns it as it is.
 */
export function presentError(
  error: ConnectorError,
  audience: ErrorAudience,
  endUserSentence: string = endUserSentences.failed
): ConnectorError {
  if (audience === 'caller' || presented.has(error)) {
    return error;
  }
  const data = isNonArrayObject(error.data) ? error.data : {};
  const rateLimited = error.code === ConnectorErrorCodes.RateLimitExceeded;
  let result: ConnectorError;
  if (audience === 'console') {
    const message = typeof data.message === 'string' ? data.message : error.code;
    // A rate limit keeps its code: Logto answers it with 429 and its own phrase.
    result = rateLimited
      ? error
      : new ConnectorError(ConnectorErrorCodes.General, { errorDescription: message, ...data, message });
  } else {
    const sentence = rateLimited ? endUserSentences.rateLimited : endUserSentence;
    result = new ConnectorError(rateLimited ? ConnectorErrorCodes.RateLimitExceeded : ConnectorErrorCodes.General, {
      errorDescription: sentence,
      message: sentence,
      ...Object.fromEntries(endUserFields.filter((key) => data[key] !== undefined).map((key) => [key, data[key]])),
    });
  }
  presented.add(result);
  return result;
}
