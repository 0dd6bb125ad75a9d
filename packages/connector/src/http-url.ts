/**
 * The config's URLs: what an http(s) URL in the config may be, and the base URL as the connector
 * reads it (the CLI's `--sandbox` takes the same).
 *
 * @module
 */
import { z } from 'zod';

/**
 * An http(s) URL of at most 2048 characters. A status callback may carry a query and
 * `user:password@` (Twilio calls it with Basic auth from them; configSecrets treats them as
 * secrets); a base URL may not.
 */
export const httpUrlGuard = (name: string, isCallback = false) =>
  z
    .string()
    .trim()
    .max(2048, `${name} must be at most 2048 characters`)
    .refine(
      (value) => {
        try {
          const url = new URL(value);
          return (
            (url.protocol === 'https:' || url.protocol === 'http:') &&
            (isCallback || (!url.username && !url.password && !url.search && !url.hash))
          );
        } catch {
          return false;
        }
      },
      `${name} must be an http(s) URL${isCallback ? '' : ' without credentials, query or fragment'}, such as https://example.com/path`
    );

/** `baseUrl`: an http(s) URL without credentials, query or fragment, read without its trailing slashes. */
export const baseUrlGuard = () => httpUrlGuard('Base URL').transform((value) => value.replace(/\/+$/, ''));

/** The base URL as the connector reads it (trimmed, without trailing slashes), or undefined when it refuses it. */
export function parseBaseUrl(value: string): string | undefined {
  const result = baseUrlGuard().safeParse(value);
  return result.success ? result.data : undefined;
}
