/**
 * Flag parsing with node:util parseArgs (strict), turned into usage errors people can act on.
 *
 * @module
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

import { isLanguageTag, logtoUsageTypes, parseBaseUrl } from '@smsdesk/connector-twilio-sms';

/** Exit codes, as `--help` documents them. */
export const exitCodes = { ok: 0, failure: 1, usage: 2 } as const;

/** A mistake in how the command was called: exit 2, with a pointer to the command's help. */
export class UsageError extends Error {
  override name = 'UsageError' as const;

  constructor(
    message: string,
    /** The command whose `--help` to point to; none for the tool's own. */
    readonly command?: string
  ) {
    super(message);
  }
}

/** A failure the command already explains in one line (exit 1): no stack trace. */
export class CliError extends Error {
  override name = 'CliError' as const;
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options every command accepts. */
export const commonOptions = {
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

/** Options of the commands that can print one JSON object. */
export const reportOptions = {
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
} as const satisfies OptionSpec;

const optionName = (raw: string) => raw.replace(/^-+/, '').split('=')[0]!;

/** The closest of `candidates` to `word` within a small edit distance: for "did you mean". */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  // Optimal string alignment distance: a swap of two neighbours ("sedn") costs 1.
  const distance = (a: string, b: string) => {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    const d = Array.from({ length: x.length + 1 }, (_, i) =>
      Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
    );
    for (let i = 1; i <= x.length; i += 1) {
      for (let j = 1; j <= y.length; j += 1) {
        const cost = x[i - 1] === y[j - 1] ? 0 : 1;
        let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
        if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
          value = Math.min(value, d[i - 2]![j - 2]! + 1);
        }
        d[i]![j] = value;
      }
    }
    return d[x.length]![y.length]!;
  };

  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    const score = distance(word, candidate);
    if (score <= Math.max(1, Math.floor(candidate.length / 3)) && (!best || score < best.score)) {
      best = { candidate, score };
    }
  }
  return best?.candidate;
}

/**
 * parseArgs in strict mode, with its errors rewritten as {@link UsageError}s naming the option.
 */
export function parseCommandArgs<const Options extends OptionSpec>(command: string, args: string[], options: Options) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const raw = /'([^']+)'/.exec(message)?.[1] ?? 'option';
      const suggestion = closest(optionName(raw), Object.keys(options));
      throw new UsageError(
        `Unknown option ${raw} for ${command}${suggestion ? ` (did you mean --${suggestion}?)` : ''}`,
        command
      );
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const raw = /'(-[^' ]+)/.exec(message)?.[1];
      const spec = raw ? options[optionName(raw)] : undefined;
      throw new UsageError(
        spec?.type === 'boolean' ? `Option ${raw} takes no value` : `Option ${raw ?? ''} needs a value`.replace(/ {2}/, ' '),
        command
      );
    }
    throw new UsageError(message, command);
  }
}

/** The one positional a command takes (the config), or a usage error. */
export function onePositional(command: string, positionals: string[], name: string): string {
  if (positionals.length === 0) {
    throw new UsageError(`Missing ${name}`, command);
  }
  if (positionals.length > 1) {
    throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[1])}: ${command} takes one ${name}`, command);
  }
  return positionals[0]!;
}

/** A whole number in a range, from a flag's text. */
export function integerFlag(command: string, flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}`, command);
  }
  return Number(value);
}

/** `--type`, case-insensitive for the usage types Logto knows; any other type is passed as given. */
export function normalizeUsageType(command: string, value: string | undefined): string {
  const type = value?.trim();
  if (!type) {
    throw new UsageError('--type needs a usage type, such as SignIn', command);
  }
  return logtoUsageTypes.find((known) => known.toLowerCase() === type.toLowerCase()) ?? type;
}

/** `--locale`: a BCP 47 language tag, as a template's locale is (the connector's isLanguageTag). */
export function checkLocale(command: string, value: string | undefined): string | undefined {
  if (value === undefined || isLanguageTag(value.trim())) {
    return value?.trim();
  }
  throw new UsageError(`--locale must be a BCP 47 language tag such as en, fr-CA or pt-BR`, command);
}

/** `--code`: what Logto generates, digits (or letters), 4 to 12 of them. */
export function checkCode(command: string, value: string | undefined): string | undefined {
  if (value !== undefined && !/^[\dA-Za-z]{4,12}$/.test(value)) {
    throw new UsageError('--code must be 4 to 12 digits or letters, such as 123456', command);
  }
  return value;
}

/** What the connector accepts as baseUrl (its parseBaseUrl), without its trailing slashes: for `--sandbox`. */
export function checkServerUrl(command: string, flag: string, value: string): string {
  const url = parseBaseUrl(value);
  if (url !== undefined) {
    return url;
  }
  throw new UsageError(`--${flag} must be an http(s) URL such as http://127.0.0.1:4010`, command);
}

/** A flag's value and, when it came from the flag's environment twin, the variable to blame. */
export type FlagValue = { value: string; name?: string };

/** A flag's value, else its environment twin's (blank counts as unset), with the name to blame when it is invalid. */
export function flagOrEnv(
  flag: string | undefined,
  env: Record<string, string | undefined>,
  variable: string
): FlagValue | undefined {
  if (flag !== undefined) {
    return { value: flag };
  }
  const fromEnv = env[variable]?.trim();
  return fromEnv ? { value: fromEnv, name: variable } : undefined;
}

/**
 * `--host` (or TWILIO_SANDBOX_HOST) for the sandbox's server: an interface name or address. A
 * blank value is refused: Node would bind every interface, exposing the sandbox to the network.
 */
export function parseHost(command: string, value: FlagValue | undefined, fallback: string): string {
  if (!value) {
    return fallback;
  }
  const host = value.value.trim();
  if (!host) {
    throw new UsageError(
      `${value.name ?? '--host'} needs an interface, such as 127.0.0.1 (0.0.0.0 to listen on every interface)`,
      command
    );
  }
  return host;
}
