/**
 * Twilio SIDs: a two-letter prefix naming the resource (AC an account, SK an API key, MG a
 * Messaging Service, SM/MM a message …) and 32 hexadecimal characters. The one definition the
 * connector's config, its sender grammar and the sandbox all use.
 *
 * @doc https://www.twilio.com/docs/glossary/what-is-a-sid
 * @module
 */

/** A whole-string pattern for a SID with any of these prefixes, e.g. `sidPattern('SM', 'MM')`. */
export const sidPattern = (...prefixes: [string, ...string[]]): RegExp =>
  new RegExp(`^(?:${prefixes.join('|')})[0-9a-fA-F]{32}$`);
