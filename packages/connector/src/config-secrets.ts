/**
 * A config's secrets: the texts that must never be shown, for the redactors of the connector, the
 * CLI and the sandbox.
 *
 * @module
 */
import { guardSecrets } from './guard/options.js';
import { isNonArrayObject } from './objects.js';

/**
 * The texts that must never be shown for a config: its auth token, API key secret, the Basic
 * credentials built from them, and the user name and password of a status callback URL (as
 * written and decoded). Works on any input, valid or not, so a caller can register them before
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
    ...guardSecrets(input),
  ].filter((secret): secret is string => secret !== undefined);
}

/**
 * A URL's password and user name, as written and decoded; none when it has none. A user name under
 * 6 characters is left out: masking it would blot out unrelated text, and it opens nothing alone.
 */
export function userinfoOf(url: string | undefined): string[] {
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
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  const parts = [password, decode(password), ...(username.length >= 6 ? [username, decode(username)] : [])];
  return [...new Set(parts.filter(Boolean))];
}
