/**
 * Distinctive secrets, configs that carry them, and the leak detector: everything an error can be
 * turned into (inspect, JSON, string, stack, cause chain) and everything written to stdout, stderr
 * and the console is searched for the secrets, whole and in fragments.
 *
 * @module
 */
import util from 'node:util';

import { ConnectorError } from '@logto/connector-kit';

export const accountSID = 'AC5d0c8e2b1a7f4936c0de4b8a2f61e97d';
/** 32 hex characters, as Twilio's auth tokens. */
export const authToken = 'f3a9c1e07b2d48e6a5c4b3d2e1f0a9b8';
export const apiKeySID = 'SK7e3b9a1c5d2f4086b1ea9c7d3f5b2a60';
/** 32 alphanumerics, as Twilio's API key secrets. */
export const apiKeySecret = 'Zq8xVw3Lr6Tn1Yp4Hs7Jk2Md5Gf9Bc0A';
export const messagingServiceSID = 'MG0f1e2d3c4b5a69788796a5b4c3d2e1f0';
/** The verification code: six digits no test output has a reason to contain. */
export const code = '918273';

const base64 = (text: string) => Buffer.from(text).toString('base64');
export const tokenCredentials = base64(`${accountSID}:${authToken}`);
export const keyCredentials = base64(`${apiKeySID}:${apiKeySecret}`);

export const templates = [
  { usageType: 'SignIn', content: 'Your sign-in code is {{code}}.' },
  { usageType: 'Register', content: 'Your sign-up code is {{code}}.' },
  { usageType: 'ForgotPassword', content: 'Your password reset code is {{code}}.' },
  { usageType: 'Generic', content: 'Your verification code is {{code}}.' },
];

export type AuthMode = {
  name: string;
  /** The config keys of this kind of authentication. */
  keys: Record<string, string>;
  /** The Authorization header the server must receive. */
  authorization: string;
};

export const authModes: AuthMode[] = [
  { name: 'auth token', keys: { authToken }, authorization: `Basic ${tokenCredentials}` },
  { name: 'API key', keys: { apiKeySID, apiKeySecret }, authorization: `Basic ${keyCredentials}` },
  {
    // The token is configured but unused: it must not leak either.
    name: 'API key and an unused auth token',
    keys: { authToken, apiKeySID, apiKeySecret },
    authorization: `Basic ${keyCredentials}`,
  },
];

/** A valid config for `baseUrl`, authenticated as `mode`. */
export const configFor = (baseUrl: string, mode: AuthMode = authModes[0]!, extra: Record<string, unknown> = {}) => ({
  accountSID,
  ...mode.keys,
  fromMessagingServiceSID: messagingServiceSID,
  baseUrl,
  timeoutMs: 1000,
  maxRetries: 2,
  templates,
  ...extra,
});

/** Every secret, and what must never appear in an error or in the output. */
const allSecrets: Record<string, string> = {
  authToken,
  apiKeySecret,
  tokenCredentials,
  keyCredentials,
  code,
};

/** Every text an error can become: what a logger, a JSON API or a crash report would show. */
function serialise(error: unknown): Array<{ label: string; text: string }> {
  const texts: Array<{ label: string; text: string }> = [];
  const seen = new Set<unknown>();
  const add = (label: string, produce: () => unknown) => {
    try {
      const value = produce();
      texts.push({ label, text: typeof value === 'string' ? value : String(value) });
    } catch (failure) {
      texts.push({ label: `${label} (threw)`, text: String(failure) });
    }
  };

  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && !seen.has(current); depth += 1) {
    seen.add(current);
    const node = current;
    const prefix = depth === 0 ? 'error' : `cause[${depth}]`;
    add(`${prefix} inspect`, () => util.inspect(node, { depth: Infinity, showHidden: true, getters: true }));
    add(`${prefix} JSON`, () => JSON.stringify(node));
    add(`${prefix} String`, () => String(node));
    if (node instanceof Error) {
      add(`${prefix} message`, () => node.message);
      add(`${prefix} stack`, () => node.stack);
      add(`${prefix} own properties`, () =>
        JSON.stringify(Object.fromEntries(Object.getOwnPropertyNames(node).map((key) => [key, (node as never)[key]])))
      );
    }
    if (node instanceof ConnectorError) {
      add(`${prefix} data JSON`, () => JSON.stringify(node.data));
      add(`${prefix} data inspect`, () => util.inspect(node.data, { depth: Infinity, showHidden: true }));
    }
    if (node instanceof AggregateError) {
      for (const [index, inner] of node.errors.entries()) {
        texts.push(...serialise(inner).map(({ label, text }) => ({ label: `${prefix} errors[${index}] ${label}`, text })));
      }
    }
    current = node instanceof Error ? node.cause : undefined;
  }
  return texts;
}

/** Forms a secret can take in a text: as is, URL-encoded, JSON-escaped. */
const formsOf = (secret: string) => [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];

/** Long secrets are also looked for in 16-character pieces: a truncated secret is still a leak. */
const fragmentLength = 16;

/** Names of the secrets found in `text`, with the form or fragment that matched. */
export function findSecrets(text: string, secrets: Record<string, string> = allSecrets): string[] {
  const found: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    for (const form of formsOf(secret)) {
      if (text.includes(form)) {
        found.push(`${name} (${form === secret ? 'whole' : 'encoded'})`);
      }
    }
    if (secret.length >= 24) {
      for (let start = 0; start + fragmentLength <= secret.length; start += 1) {
        const piece = secret.slice(start, start + fragmentLength);
        if (text.includes(piece) && !text.includes(secret)) {
          found.push(`${name} (fragment ${piece})`);
          break;
        }
      }
    }
  }
  return found;
}

/** `label: secret` for every secret found in what `error` can be turned into. */
export function leaksOf(error: unknown, secrets: Record<string, string> = allSecrets): string[] {
  return serialise(error).flatMap(({ label, text }) => findSecrets(text, secrets).map((name) => `${label}: ${name}`));
}

type Writable = typeof process.stdout.write;
const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir'] as const;

/**
 * Records everything written to process.stdout, process.stderr, the console and emitted as a
 * process warning, still passing it on, until `restore()`.
 */
export function captureOutput() {
  const chunks: string[] = [];
  const { stdout, stderr } = process;
  const originalStdout = stdout.write;
  const originalStderr = stderr.write;
  const originalConsole = Object.fromEntries(consoleMethods.map((method) => [method, console[method]]));

  const tap = (original: Writable, stream: NodeJS.WriteStream): Writable =>
    function (this: unknown, chunk: unknown, ...rest: unknown[]) {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    } as Writable;
  stdout.write = tap(originalStdout, stdout);
  stderr.write = tap(originalStderr, stderr);
  for (const method of consoleMethods) {
    const original = originalConsole[method] as (...args: unknown[]) => void;
    console[method] = (...args: unknown[]) => {
      chunks.push(util.format(...args));
      original.apply(console, args);
    };
  }
  const onWarning = (warning: Error) => {
    chunks.push(`${warning.name}: ${warning.message}\n${warning.stack ?? ''}`);
  };
  process.on('warning', onWarning);

  return {
    text: () => chunks.join(''),
    restore() {
      stdout.write = originalStdout;
      stderr.write = originalStderr;
      for (const method of consoleMethods) {
        console[method] = originalConsole[method] as never;
      }
      process.off('warning', onWarning);
    },
  };
}

export type Settled<T> =
  { status: 'fulfilled'; value: T; elapsedMs: number } | { status: 'rejected'; error: unknown; elapsedMs: number };

/**
 * Waits for `promise` and says how it ended; fails the test if it has not ended after `guardMs`
 * (a guard against hanging, not a timing assertion).
 */
export async function settle<T>(promise: Promise<T>, guardMs: number): Promise<Settled<T>> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${guardMs} ms`)), guardMs);
  });
  try {
    return await Promise.race([
      promise.then(
        (value) => ({ status: 'fulfilled' as const, value, elapsedMs: performance.now() - started }),
        (error: unknown) => ({ status: 'rejected' as const, error, elapsedMs: performance.now() - started })
      ),
      guard,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The rejection of `promise` (within `guardMs`), failing the test if it fulfilled. */
export async function rejectionOf(promise: Promise<unknown>, guardMs = 15_000): Promise<ConnectorError> {
  const outcome = await settle(promise, guardMs);
  if (outcome.status === 'fulfilled') {
    throw new Error(`expected a rejection, got ${util.inspect(outcome.value)}`);
  }
  const { error } = outcome;
  if (!(error instanceof ConnectorError)) {
    throw new Error(`expected a ConnectorError, got ${util.inspect(error)}`);
  }
  return error;
}

/** The error's data as a record (ConnectorError types it as unknown). */
export const dataOf = (error: ConnectorError) => error.data as Record<string, unknown>;

/** Lower-case letters and digits only (after NFKC): what survives re-casing, wrapping and escaping. */
const fold = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replaceAll(/[^\da-z]/g, '');

/**
 * The 8-character pieces of `echoed` (what a server sent back) found in `text`, compared
 * case-insensitively and ignoring everything but letters and digits: proof that some of the echo,
 * in whatever form, got through.
 */
export function echoedPieces(text: string, echoed: string): string[] {
  const haystack = fold(text);
  const needle = fold(echoed);
  const found = new Set<string>();
  for (let start = 0; start + 8 <= needle.length; start += 1) {
    const piece = needle.slice(start, start + 8);
    if (haystack.includes(piece)) {
      found.add(piece);
    }
  }
  return [...found];
}
