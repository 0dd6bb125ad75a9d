/**
 * Where a command's connector config comes from: a JSON file, or `-` for stdin, with credentials
 * the file leaves out taken from the environment variables Twilio's own tools read.
 *
 * Errors are one line and never quote the file: a config holds the auth token, and V8's JSON
 * errors can echo the text around the mistake, so jsonc-parser finds the position instead.
 *
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import { authenticationOf, configSecrets, isObjectLike, isUnset } from '@smsdesk/connector-twilio-sms';
import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser';

import type { Output } from './output.js';

/** The config could not be read or is not a JSON object: a failure (exit 1), not a usage error. */
export class ConfigSourceError extends Error {
  override name = 'ConfigSourceError' as const;
}

/** A credential taken from the environment: which key, from which variable. */
type EnvironmentCredential = { key: CredentialKey; variable: string };

export type ConfigSource = {
  /** The parsed JSON object, with credentials from the environment merged in: what send and preview use. */
  config: Record<string, unknown>;
  /** The parsed JSON object as stored, without the environment: what Logto would get. */
  stored: Readonly<Record<string, unknown>>;
  /** How the source is named in messages: the path as given, or "stdin". */
  label: string;
  /** Credentials that came from the environment rather than the file. */
  fromEnvironment: EnvironmentCredential[];
  /** Environment credentials not used because the file picks another way to authenticate. */
  ignoredEnvironment: string[];
};

type CredentialKey = 'accountSID' | 'authToken' | 'apiKeySID' | 'apiKeySecret';

/** The config key each of Twilio's environment variables fills (as twilio-cli and the SDKs name them). */
const credentialVariables: Record<CredentialKey, string> = {
  accountSID: 'TWILIO_ACCOUNT_SID',
  authToken: 'TWILIO_AUTH_TOKEN',
  apiKeySID: 'TWILIO_API_KEY',
  apiKeySecret: 'TWILIO_API_SECRET',
};

/** A config is a few KB; refuse what is clearly something else. */
const maxConfigBytes = 5 * 1024 * 1024;

export type ReadOptions = {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
};

/**
 * Reads, parses and completes a config.
 *
 * @throws ConfigSourceError with a one-line message: missing file, unreadable stdin, invalid JSON
 * (with line and column), not an object.
 */
async function readConfigSource(location: string, { stdin, env, cwd }: ReadOptions): Promise<ConfigSource> {
  const label = location === '-' ? 'stdin' : location;
  const text = location === '-' ? await readStdin(stdin) : await readConfigFile(path.resolve(cwd, location), location);
  const stored = parseConfigJson(text, label);
  const config = { ...stored };
  const { fromEnvironment, ignoredEnvironment } = mergeEnvironmentCredentials(config, env);
  return { config, stored, label, fromEnvironment, ignoredEnvironment };
}

async function readConfigFile(file: string, shown: string): Promise<string> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) {
      throw new ConfigSourceError(`${shown} is a directory, not a config file`);
    }
    if (info.size > maxConfigBytes) {
      throw new ConfigSourceError(`${shown} is ${info.size} bytes; a connector config is at most ${maxConfigBytes}`);
    }
    return await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof ConfigSourceError) {
      throw error;
    }
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigSourceError(
      code === 'ENOENT'
        ? `Config file not found: ${shown}`
        : code === 'EACCES' || code === 'EPERM'
          ? `Cannot read config file ${shown}: permission denied`
          : `Cannot read config file ${shown}${code ? ` (${code})` : ''}`
    );
  }
}

async function readStdin(stdin: ReadOptions['stdin']): Promise<string> {
  if (stdin.isTTY) {
    throw new ConfigSourceError(
      'Expected the config on stdin, but stdin is a terminal: pipe it in, e.g. `smsdesk check - < config.json`'
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stdin) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += buffer.length;
      if (size > maxConfigBytes) {
        throw new ConfigSourceError(`The config on stdin is over ${maxConfigBytes} bytes; a connector config is a few KB`);
      }
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof ConfigSourceError) {
      throw error;
    }
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigSourceError(`Cannot read the config from stdin${code ? ` (${code})` : ''}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Parses JSON text from a file or stdin; `expected` says what it should hold ("the connector
 * config as a JSON object"), for the message about an empty input.
 *
 * @throws ConfigSourceError naming line and column of the first syntax error. The message never
 * contains the text itself.
 */
function parseJsonText(text: string, label: string, expected: string): unknown {
  const source = text.replace(/^\uFEFF/, '');
  if (!source.trim()) {
    throw new ConfigSourceError(`${label} is empty: expected ${expected}`);
  }
  try {
    return JSON.parse(source) as unknown;
  } catch {
    const problem = findJsonError(source) ?? { offset: 0, message: 'invalid JSON' };
    const { line, column } = lineAndColumn(source, problem.offset);
    throw new ConfigSourceError(`Invalid JSON in ${label} at line ${line}, column ${column}: ${problem.message}`);
  }
}

/** What a JSON value is, in words: "an array", "null", "a string". */
const describeJsonValue = (value: unknown) =>
  Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;

/**
 * Parses a config's JSON text.
 *
 * @throws ConfigSourceError naming line and column of the first syntax error, or saying the value
 * is not an object. The message never contains the text itself.
 */
export function parseConfigJson(text: string, label: string): Record<string, unknown> {
  const expected = 'the connector config as a JSON object';
  const value = parseJsonText(text, label, expected);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigSourceError(`${label} holds ${describeJsonValue(value)}; expected ${expected}`);
  }
  return value as Record<string, unknown>;
}

/** What an accounts file (`sandbox --accounts`) must hold. */
const accountsShape = 'a JSON array of { accountSid, authToken, apiKeys? }';

/**
 * Parses an accounts file's JSON text: an array (each account is checked by the sandbox).
 *
 * @throws ConfigSourceError for an empty file, invalid JSON (line and column, never the text) or
 * anything but an array.
 */
export function parseAccountsJson(text: string, label: string): unknown[] {
  const value = parseJsonText(text, label, accountsShape);
  if (!Array.isArray(value)) {
    throw new ConfigSourceError(`${label} holds ${describeJsonValue(value)}; expected ${accountsShape}`);
  }
  return value as unknown[];
}

/**
 * Fills the credentials the config leaves out (unset as the connector reads it: absent, null or
 * blank, as Logto stores a blank field) from TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN,
 * TWILIO_API_KEY and TWILIO_API_SECRET.
 *
 * The environment never switches the way the config authenticates (the connector's
 * authenticationOf: its authType, else the credentials it holds): a config with an auth token
 * gets no API key from the environment (the connector would prefer it), and a config with an
 * API key gets no auth token; only a config with neither takes both.
 */
export function mergeEnvironmentCredentials(
  config: Record<string, unknown>,
  env: Record<string, string | undefined>
): Pick<ConfigSource, 'fromEnvironment' | 'ignoredEnvironment'> {
  const fromEnvironment: EnvironmentCredential[] = [];
  const ignoredEnvironment: string[] = [];
  const authentication = authenticationOf(config);

  const fill = (key: CredentialKey, allowed: boolean) => {
    const variable = credentialVariables[key];
    const value = env[variable]?.trim();
    if (!value || !isUnset(key, config[key])) {
      return;
    }
    if (!allowed) {
      ignoredEnvironment.push(variable);
      return;
    }
    config[key] = value;
    fromEnvironment.push({ key, variable });
  };

  fill('accountSID', true);
  fill('authToken', authentication !== 'apiKey');
  fill('apiKeySID', authentication !== 'authToken');
  fill('apiKeySecret', authentication !== 'authToken');
  return { fromEnvironment, ignoredEnvironment };
}

/**
 * Every printable form of a sandbox account's credentials (an accounts-file entry, valid or not,
 * or a started account): its auth token unless `withToken` is false (the dev account's, which is
 * printed), each API key secret, and the base64 of each Basic auth pair.
 */
export function accountSecrets(account: unknown, { withToken = true }: { withToken?: boolean } = {}): string[] {
  if (!isObjectLike(account)) {
    return [];
  }
  const { accountSid, authToken, apiKeys } = account;
  return [
    ...(withToken ? configSecrets({ accountSID: accountSid, authToken }) : []),
    ...(Array.isArray(apiKeys) ? apiKeys : []).flatMap((key: unknown) =>
      isObjectLike(key) ? configSecrets({ apiKeySID: key.sid, apiKeySecret: key.secret }) : []
    ),
  ];
}

/** Every printable form of the credentials in Twilio's environment variables. */
export const environmentSecrets = (env: Record<string, string | undefined>) =>
  configSecrets({
    accountSID: env.TWILIO_ACCOUNT_SID,
    authToken: env.TWILIO_AUTH_TOKEN,
    apiKeySID: env.TWILIO_API_KEY,
    apiKeySecret: env.TWILIO_API_SECRET,
  });

/** 1-based line and column of a UTF-16 offset. */
function lineAndColumn(text: string, offset: number) {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

// jsonc-parser's error codes, in words. Its errors carry an offset, never a piece of the text, so
// a message cannot quote a secret from the file (JSON.parse's messages in Node 20 do).
const jsonErrorMessages: Record<string, string> = {
  InvalidSymbol: 'Unexpected character (strings and property names take double quotes)',
  InvalidNumberFormat: 'Invalid number',
  PropertyNameExpected: 'Expected a property name in double quotes',
  ValueExpected: 'Expected a JSON value (a trailing comma?)',
  ColonExpected: "Expected ':' after a property name",
  CommaExpected: "Expected ',' between values (or a closing '}' or ']')",
  CloseBraceExpected: "Expected ',' or '}'",
  CloseBracketExpected: "Expected ',' or ']'",
  EndOfFileExpected: 'Unexpected text after the end of the JSON value',
  InvalidCommentToken: 'Comments are not allowed in JSON',
  UnexpectedEndOfComment: 'Comments are not allowed in JSON',
  UnexpectedEndOfString: 'Unterminated string: expected a closing " (a line break inside quotes?)',
  UnexpectedEndOfNumber: 'Invalid number',
  InvalidUnicode: 'Invalid \\u escape in a string',
  InvalidEscapeCharacter: 'Invalid escape in a string',
  InvalidCharacter: 'Unescaped control character in a string (a line break inside quotes?)',
};

/** Where and why JSON text is invalid, or undefined when it is valid. */
export function findJsonError(text: string): { offset: number; message: string } | undefined {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const [first] = errors;
  return first && { offset: first.offset, message: jsonErrorMessages[printParseErrorCode(first.error)] ?? 'Invalid JSON' };
}

/**
 * {@link readConfigSource} for a command: registers the config's secrets with the output before
 * anything else can print, and says (with --verbose) which credentials came from the environment.
 */
export async function loadConfig(location: string, out: Output, context: ReadOptions): Promise<ConfigSource> {
  const source = await readConfigSource(location, context);
  out.addSecrets(...configSecrets(source.config), ...environmentSecrets(context.env));
  for (const { key, variable } of source.fromEnvironment) {
    out.debug(`${key} from ${variable}`);
  }
  for (const variable of source.ignoredEnvironment) {
    out.debug(`${variable} not used: the config already chooses how to authenticate`);
  }
  return source;
}
