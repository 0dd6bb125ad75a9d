/**
 * Removing known secrets from text before it is printed or answered: the CLI's output and the
 * sandbox console's answers. The secrets are the config's ({@link configSecrets}) and the code
 * sent. Server text that may echo a secret in another form is the connector's own concern
 * (twilio/secret-detector.ts withholds it whole).
 *
 * @module
 */

/** Shown in place of a secret. */
export const redactionMark = '[redacted]';

/**
 * A function that replaces every one of `secrets` in a text with {@link redactionMark}, the longest
 * first (so a token inside its base64 form goes with it). Secrets shorter than 3 characters are
 * left out: they would mangle unrelated text.
 *
 * @example
 * createRedactor(['s3cret'])('token s3cret'); // 'token [redacted]'
 */
export function createRedactor(secrets: Iterable<string | undefined>): (text: string) => string {
  const found = [
    ...new Set([...secrets].filter((secret): secret is string => typeof secret === 'string' && secret.length >= 3)),
  ].sort((a, b) => b.length - a.length);
  return (text) => found.reduce((result, secret) => result.replaceAll(secret, redactionMark), text);
}
