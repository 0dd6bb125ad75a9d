/**
 * The one integer parser of the sandbox: query parameters (`PageSize`, `Page`, `limit`, `wait`,
 * `since`), form parameters (`ValidityPeriod`) and fault rules all go through it, so `0x10`, `1e3`,
 * `1.0`, ` 5`, `+5` and numbers beyond 2^53 are refused the same way everywhere.
 *
 * @module
 */

const digits = /^\d+$/;

/**
 * A whole number from `min` to `max`: text of ASCII digits only, or a JSON number that is a safe
 * integer. Anything else (sign, exponent, hex, fraction, spaces, empty, beyond 2^53 − 1, out of
 * range) is undefined.
 *
 * @example
 * parseInteger('50', 1, 1000); // 50
 * parseInteger('0x10', 1, 1000); // undefined
 */
export function parseInteger(value: string | number, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  let number: number;
  if (typeof value === 'number') {
    number = value;
  } else {
    if (!digits.test(value)) {
      return undefined;
    }
    number = Number(value);
  }
  return Number.isSafeInteger(number) && number >= min && number <= max ? number : undefined;
}
