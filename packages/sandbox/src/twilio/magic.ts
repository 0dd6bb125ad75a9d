/**
 * Magic numbers. At create time: Twilio's test-credential numbers, applied for every account.
 * After create: numbers whose messages fail asynchronously, so the failure paths of a client
 * (undelivered/failed with an error code, and their callbacks) can be exercised.
 *
 * | To           | Outcome                                              |
 * |--------------|------------------------------------------------------|
 * | +15005553001 | queued → failed, 30001 (queue overflow)              |
 * | +15005553003 | … → sent → undelivered, 30003 (unreachable handset)  |
 * | +15005553004 | … → sent → undelivered, 30004 (message blocked)      |
 * | +15005553005 | … → sent → undelivered, 30005 (unknown handset)      |
 * | +15005553006 | … → sent → undelivered, 30006 (landline/carrier)     |
 * | +15005553007 | … → sent → undelivered, 30007 (message filtered)     |
 * | +15005553008 | … → sent → undelivered, 30008 (unknown error)        |
 *
 * That is, `+1500555300X` ends with error `3000X` for X = 1 and 3–8 (+15005553002 and +15005553009
 * are ordinary numbers). Every other valid number ends `delivered`.
 *
 * @doc https://www.twilio.com/docs/iam/test-credentials
 * @module
 */
import type { HttpError } from '../http/errors.js';
import { twilioErrors } from './errors.js';

/** Create-time errors for magic `From` numbers (checked before the `To` ones, as Twilio does). */
export function magicFromError(from: string): HttpError | undefined {
  switch (from) {
    case '+15005550001':
      return twilioErrors.invalidFrom(from);
    case '+15005550007':
      return twilioErrors.fromNotOwned(from);
    case '+15005550008':
      return twilioErrors.queueFull(from);
    default:
      return undefined;
  }
}

/** Create-time errors for magic `To` numbers. */
export function magicToError(to: string): HttpError | undefined {
  switch (to) {
    case '+15005550001':
      return twilioErrors.invalidTo(to);
    case '+15005550002':
      return twilioErrors.cannotRoute(to);
    case '+15005550003':
      return twilioErrors.noGeoPermission(to);
    case '+15005550004':
      return twilioErrors.unsubscribed();
    case '+15005550009':
      return twilioErrors.notMobile(to);
    default:
      return undefined;
  }
}

export type DeliveryFailure = {
  /** `failed` never leaves the platform; `undelivered` fails after `sent`. */
  status: 'failed' | 'undelivered';
  code: number;
  message: string;
};

const failures: Record<string, DeliveryFailure> = {
  '+15005553001': { status: 'failed', code: 30001, message: 'Queue overflow' },
  '+15005553003': { status: 'undelivered', code: 30003, message: 'Unreachable destination handset' },
  '+15005553004': { status: 'undelivered', code: 30004, message: 'Message blocked' },
  '+15005553005': { status: 'undelivered', code: 30005, message: 'Unknown destination handset' },
  '+15005553006': { status: 'undelivered', code: 30006, message: 'Landline or unreachable carrier' },
  '+15005553007': { status: 'undelivered', code: 30007, message: 'Message filtered' },
  '+15005553008': { status: 'undelivered', code: 30008, message: 'Unknown error' },
};

/** How a message to this number ends, when it does not end `delivered`. */
export function deliveryFailure(to: string): DeliveryFailure | undefined {
  return failures[to];
}
