/**
 * Destination numbers: Logto passes digits with or without a leading "+"; Twilio wants E.164.
 * Checking here stops a bad number before Twilio bills for the attempt.
 *
 * @module
 */
import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
// The core API with the metadata passed in: the default entry re-reads its arguments on every call.
import {
  ParseError,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
} from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';

const reasons: Record<string, string> = {
  NOT_A_NUMBER: 'is not a phone number',
  INVALID_COUNTRY: 'does not start with a valid country calling code',
  TOO_SHORT: 'is too short',
  TOO_LONG: 'is too long',
  INVALID_LENGTH: 'has an invalid length',
};

const invalidNumber = (shown: string, reason: string) =>
  new ConnectorError(ConnectorErrorCodes.InvalidRequestParameters, {
    message: `The phone number ${shown} ${reason}. Send it in international format, such as +14155552671.`,
    field: 'to',
  });

/**
 * The number in E.164 (`+14155552671`), from `+1 (415) 555-2671`, `14155552671` or `0014155552671`.
 *
 * @throws ConnectorError `invalid_request_parameters` saying what is wrong with the number.
 */
export function toE164(input: string): string {
  if (typeof input !== 'string' || input.length > 64) {
    throw invalidNumber('given', typeof input === 'string' ? reasons.TOO_LONG! : reasons.NOT_A_NUMBER!);
  }

  const compact = input.replaceAll(/[\s().-]/g, '');
  const international = compact.startsWith('+')
    ? compact
    : compact.startsWith('00')
      ? `+${compact.slice(2)}`
      : `+${compact}`;
  // Printable, so a control character cannot reach a log line through the message.
  const shown = JSON.stringify(input);

  if (!/^\+\d+$/.test(international)) {
    throw invalidNumber(shown, reasons.NOT_A_NUMBER!);
  }

  try {
    const number = parsePhoneNumberWithError(international, { extract: false }, metadata);
    if (!number.isValid()) {
      const lengthProblem = validatePhoneNumberLength(international, metadata);
      if (lengthProblem) {
        throw invalidNumber(shown, reasons[lengthProblem]!);
      }
      const where = number.country ? ` in ${number.country}` : ` for country code +${number.countryCallingCode}`;
      throw invalidNumber(shown, `is not a valid number${where}`);
    }
    return number.number;
  } catch (error) {
    if (error instanceof ParseError) {
      throw invalidNumber(shown, reasons[error.message] ?? 'is not a valid phone number');
    }
    throw error;
  }
}
