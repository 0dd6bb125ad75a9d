/**
 * Destination numbers: Logto passes digits with or without a leading "+"; Twilio wants E.164.
 *
 * By default only what cannot be a number is refused: a country calling code that does not exist,
 * or a length no number of that country has (libphonenumber's "possible" check). Whether a number
 * is in an allocated range is left to Twilio (21211, free of charge): the bundled metadata ages
 * with the package, and refusing a number from a newer range would lock a person out. The
 * `phoneValidation: "strict"` config adds libphonenumber's validity check.
 *
 * @module
 */
import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
// The core API with the metadata passed in: the default entry re-reads its arguments on every call.
import { ParseError, parsePhoneNumberWithError, validatePhoneNumberLength } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';

import type { phoneValidations } from './constant.js';

export type PhoneValidation = (typeof phoneValidations)[number];

const reasons: Record<string, string> = {
  NOT_A_NUMBER: 'is not a phone number',
  INVALID_COUNTRY: 'does not start with a valid country calling code',
  TOO_SHORT: 'is too short',
  TOO_LONG: 'is too long',
  INVALID_LENGTH: 'has an invalid length',
};

const missingCountryCode = 'is missing its country code';
// Fewer digits are too short to be a subscriber number anywhere it matters (at "12" the message
// stays "too short").
const minNationalDigits = 6;

const invalidNumber = (shown: string, reason: string) =>
  new ConnectorError(ConnectorErrorCodes.InvalidRequestParameters, {
    message: `The phone number ${shown} ${reason}. Send it in international format, such as +14155552671.`,
    field: 'to',
  });

/**
 * A number as people type it, compacted: without spaces, dots, dashes and brackets, and in
 * international form (`00` read as `+`, a `+` added to bare digits). `hasCountryPrefix` says
 * whether it was typed with `+` or `00`. Not checked: the result may be no number at all.
 */
export function compactPhoneNumber(input: string): { international: string; hasCountryPrefix: boolean } {
  const compact = input.replaceAll(/[\s().-]/g, '');
  const hasCountryPrefix = compact.startsWith('+') || compact.startsWith('00');
  const international = compact.startsWith('+') ? compact : compact.startsWith('00') ? `+${compact.slice(2)}` : `+${compact}`;
  return { international, hasCountryPrefix };
}

/**
 * The number in E.164 (`+14155552671`), from `+1 (415) 555-2671`, `14155552671` or `0014155552671`.
 * `validation` is how strictly it is checked (see the module's comment).
 *
 * @throws ConnectorError `invalid_request_parameters` saying what is wrong with the number.
 */
export function toE164(input: string, validation: PhoneValidation = 'possible'): string {
  if (typeof input !== 'string' || input.length > 64) {
    throw invalidNumber('given', typeof input === 'string' ? reasons.TOO_LONG! : reasons.NOT_A_NUMBER!);
  }

  const { international, hasCountryPrefix } = compactPhoneNumber(input);
  // Printable, so a control character cannot reach a log line through the message.
  const shown = JSON.stringify(input);

  if (!/^\+\d+$/.test(international)) {
    throw invalidNumber(shown, reasons.NOT_A_NUMBER!);
  }

  // Enough digits without "+" that are no number once read as international are most likely a
  // national number (4155552671): say what is missing rather than "too short".
  const looksNational = !hasCountryPrefix && international.length > minNationalDigits;
  const problem = (reason: string) =>
    invalidNumber(
      shown,
      looksNational && reason !== 'TOO_LONG' ? missingCountryCode : (reasons[reason] ?? reasons.NOT_A_NUMBER!)
    );

  try {
    const number = parsePhoneNumberWithError(international, { extract: false }, metadata);
    if (!number.isPossible()) {
      throw problem(validatePhoneNumberLength(international, metadata) ?? 'INVALID_LENGTH');
    }
    if (validation === 'strict' && !number.isValid()) {
      const where = number.country ? ` in ${number.country}` : ` for country code +${number.countryCallingCode}`;
      throw invalidNumber(shown, `is not a valid number${where}`);
    }
    return number.number;
  } catch (error) {
    if (error instanceof ParseError) {
      throw problem(error.message);
    }
    throw error;
  }
}
