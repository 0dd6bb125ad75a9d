/**
 * A config's secrets: the texts that must never be shown, for the redactors of the connector, the
 * CLI and the sandbox.
 *
 * @module
 */
import { isNonArrayObject } from './objects.js';

/**
 * The texts that must never be shown for a config: its auth token, API key secret, the Basic
 * credentials built from them, the user name and password of a status callback URL (as written
 * and decoded), and a Redis URL with credentials. Works on any input, valid or not, so a caller can register them before
 * validating.
 */
export function configSecrets(input: unknown): string[] {
  if (!isNonArrayObject(input)) {
    return [];
  }
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
  const [accountSID, authToken, apiKeySID, apiKeySecret] = [
    text(input.accountSID),
    text(input.authToken),
    text(input.apiKeySID),
    text(input.apiKeySecret),
  ];
  const basic = (user = '', password?: string) =>
    password === undefined ? undefined : Buffer.from(`${user}:${password}`).toString('base64');
  return [
    authToken,
    apiKeySecret,
    basic(accountSID, authToken),
    basic(apiKeySID, apiKeySecret),
    ...userinfoOf(text(input.statusCallback)),
    ...redisUrlSecrets(text(input.redisUrl)),
  ].filter((secret): secret is string => secret !== undefined);
}

const decoded = (part: string) => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
};

/** A URL part as written and decoded (once each, none when empty). */
const forms = (part: string) => (part ? [...new Set([part, decoded(part)])] : []);

/**
 * A URL's password and user name, as written and decoded; none when it has none. A user name under
 * 6 characters is left out: masking it would blot out unrelated text, and it opens nothing alone.
 */
function userinfoOf(url: string | undefined): string[] {
  if (!url) {
    return [];
  }
  let username: string;
  let password: string;
  try {
    ({ username, password } = new URL(url));
  } catch {
    // Not a URL (the guard refuses it), but it may still hold one's userinfo.
    const [, user = '', pass = ''] = /^[^:/?#]*:\/\/([^/?#@:]*)(?::([^/?#@]*))?@/.exec(url) ?? [];
    [username, password] = [user, pass];
  }
  return [...new Set([...forms(password), ...(username.length >= 6 ? forms(username) : [])])];
}

/**
 * What of `redisUrl` is never shown: the whole URL when it has userinfo (or cannot be read as a
 * URL), and its password as written and decoded. Not the user name alone: Redis's is most often
 * "default", a word that masking would blot out everywhere.
 */
function redisUrlSecrets(url: string | undefined): string[] {
  if (!url) {
    return [];
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // `redisUrl: "true"` and the like ask for Logto's REDIS_URL: not a secret.
    return /^(?:1|true|y|yes|yep|yeah)$/i.test(url) ? [] : [url];
  }
  return parsed.username || parsed.password ? [...new Set([url, ...forms(parsed.password)])] : [];
}
