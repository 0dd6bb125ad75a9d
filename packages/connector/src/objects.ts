/**
 * The two object checks the packages use, each defined once: an object with keys to read (what a
 * parsed JSON object is: arrays are not), and any non-null object (arrays included), for reading a
 * property that may or may not be there.
 *
 * @module
 */

/** A non-null object that is not an array: a config, a template, a JSON error body. */
export const isNonArrayObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Any non-null object, arrays included: enough to read an optional property off it. */
export const isObjectLike = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
