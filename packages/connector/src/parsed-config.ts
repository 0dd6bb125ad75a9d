/**
 * Parsing a config, once per content: the connector's one cache. Logto passes the same stored
 * config on every call (a fresh object read from its database), so the last few parsed configs
 * are kept by their JSON, each in one record with what is built from it: the abuse guard.
 *
 * What is validated (and used) is the config's JSON form, what Logto stores, so two inputs with
 * one JSON can never get different answers.
 *
 * @module
 */
import type { z } from 'zod';

import { invalidConfigError, twilioSmsConfigGuard } from './config.js';
import { type Guard, guardFor } from './guard/index.js';
import type { TwilioSmsConfig } from './types.js';

/** A valid config and what is built from it, shared by every call with the same config. */
export type ParsedConfig = {
  /** Frozen: nobody may change what later calls share. */
  readonly config: TwilioSmsConfig;
  /**
   * The abuse guard for this config, built on first use.
   *
   * @throws ConnectorError `invalid_config` for bad guard keys.
   */
  guard(): Guard;
};

type ParseResult = { success: true; data: ParsedConfig } | { success: false; error: z.ZodError };

// Measured with the bench's connector sender against its fake (null) Twilio: guard in memory, CPU
// per send at concurrency 32, median of 5 rounds, each variant its own build, interleaved in one
// session, on a shared, loaded 2-core machine (two identical builds differed by up to 16%, so
// relative figures only). Parsing on every send costs 68-79% more CPU than this cache (239-258 vs
// 142-144 µs, two sessions). A cached Twilio client, a cached template choice and a build-time
// patch of libphonenumber-js did not save 5%: over three sessions their median effect was +0.3%,
// +3.7% and +3.3% CPU (the client and the choice saved 5-6% in one session, within the noise): gone.
const parsedConfigs = new Map<string, ParseResult>();
const parsedConfigsLimit = 16;

function deepFreeze(value: unknown) {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
  }
}

function parse(input: unknown): ParseResult {
  const result = twilioSmsConfigGuard.safeParse(input);
  if (!result.success) {
    return { success: false, error: result.error };
  }
  const config = result.data;
  deepFreeze(config);
  // Kept with the config: building it on every send costs 21-45% more CPU (172-208 µs, as above).
  let guard: Guard | undefined;
  return { success: true, data: { config, guard: () => (guard ??= guardFor(config)) } };
}

/** The parsed config for `input`, from the cache when its JSON was parsed before. */
export function safeParseConfig(input: unknown): ParseResult {
  let json: string | undefined;
  try {
    json = JSON.stringify(input);
  } catch {
    // Not JSON (a cycle, a BigInt): the guard explains what is wrong with it.
  }
  if (json === undefined) {
    return parse(input);
  }

  const cached = parsedConfigs.get(json);
  if (cached) {
    // Least recently used goes first.
    parsedConfigs.delete(json);
    parsedConfigs.set(json, cached);
    return cached;
  }

  const result = parse(JSON.parse(json));
  if (parsedConfigs.size >= parsedConfigsLimit) {
    parsedConfigs.delete(parsedConfigs.keys().next().value!);
  }
  parsedConfigs.set(json, result);
  return result;
}

/**
 * The config and what is built from it.
 *
 * @throws ConnectorError `invalid_config`, whose data lists every problem by JSON path (never a value).
 */
export function parsedConfigOf(input: unknown): ParsedConfig {
  const result = safeParseConfig(input);
  if (!result.success) {
    throw invalidConfigError(result.error);
  }
  return result.data;
}

/**
 * Validates a config and returns it typed, with defaults applied. The result is frozen: it is
 * shared by every later call with the same config.
 *
 * @throws ConnectorError `invalid_config`, whose data lists every problem by JSON path (never a value).
 */
export const parseConfig = (input: unknown): TwilioSmsConfig => parsedConfigOf(input).config;
