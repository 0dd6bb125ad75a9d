/**
 * Strict `application/x-www-form-urlencoded` parsing. `URLSearchParams` silently keeps a bad `%`
 * escape and turns invalid UTF-8 into U+FFFD; the sandbox instead refuses such input with a 400, so
 * a client bug shows up here rather than as a garbled message in the inbox.
 *
 * @module
 */
import { isUtf8 } from 'node:buffer';

import { twilioErrors } from './errors.js';

/** Parsed parameters; Twilio arrays are repeated keys, so every name maps to its values in order. */
export class FormParams {
  readonly #values = new Map<string, string[]>();

  add(name: string, value: string): void {
    const existing = this.#values.get(name);
    if (existing) {
      existing.push(value);
    } else {
      this.#values.set(name, [value]);
    }
  }

  /** The first value, or undefined when the parameter is absent. */
  get(name: string): string | undefined {
    return this.#values.get(name)?.[0];
  }

  getAll(name: string): string[] {
    return this.#values.get(name) ?? [];
  }
}

function decodeComponent(raw: string): string {
  // Fast path: most keys and many values need no decoding at all.
  if (!raw.includes('%') && !raw.includes('+')) {
    return raw;
  }
  try {
    // decodeURIComponent throws URIError on a bad escape and on escapes that are not UTF-8.
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    throw twilioErrors.malformed('The request body is not valid application/x-www-form-urlencoded data.');
  }
}

/** Parses a query string or form body (without the leading `?`). */
export function parseForm(text: string): FormParams {
  const params = new FormParams();
  if (text === '') {
    return params;
  }
  for (const pair of text.split('&')) {
    if (pair === '') {
      continue;
    }
    const separator = pair.indexOf('=');
    const name = decodeComponent(separator === -1 ? pair : pair.slice(0, separator));
    const value = separator === -1 ? '' : decodeComponent(pair.slice(separator + 1));
    params.add(name, value);
  }
  return params;
}

/** Decodes a request body as UTF-8, refusing invalid byte sequences. */
export function decodeUtf8(body: Buffer): string {
  if (!isUtf8(body)) {
    throw twilioErrors.malformed('The request body is not valid UTF-8.');
  }
  return body.toString('utf8');
}

/** True for `application/x-www-form-urlencoded`, with or without parameters such as charset. */
export function isFormContentType(contentType: string | undefined): boolean {
  if (!contentType) {
    return false;
  }
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return mediaType === 'application/x-www-form-urlencoded';
}
