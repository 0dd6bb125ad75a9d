/**
 * The abuse guard: country policy, then velocity limits counted in memory or in Redis, decided
 * before any request to Twilio. What the connector and the CLI import.
 *
 * @module
 */
import { isIP } from 'node:net';

import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';

import { regionOf } from './country.js';
import type { GuardDecision, GuardRefusal, GuardRule, VelocityLimits } from './decision.js';
import { createMemoryStore } from './memory-store.js';
import { type GuardOptions, parseGuardOptions } from './options.js';
import { createRedisStore } from './redis-store.js';
import type { GuardStore } from './store.js';
import { describeRefusal, maskNumber } from './wording.js';

export type { GuardDecision, GuardRefusal, GuardRule } from './decision.js';
export type { DecisionInput, VelocityLimits } from './decision.js';
export {
  type GuardMode,
  type GuardOptions,
  type GuardSettings,
  guardAdvancedFormItems,
  guardCountryFormItems,
  guardDefaults,
  guardFormItems,
  guardKeyHints,
} from './options.js';
export { parseGuardOptions };
export { countryName, regionOf } from './country.js';
export { type GuardStatus, type GuardStore, type DecideOptions, type TrippedEntry } from './store.js';
export { createMemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { describeRefusal, maskNumber } from './wording.js';
export {
  createRedisStore,
  defaultKeyPrefix,
  importRedis,
  keyTag,
  type RedisStore,
  type RedisStoreOptions,
} from './redis-store.js';
export { describeRedisUrl, parseRedisUrl } from './redis-url.js';

export type GuardAttempt = {
  /** E.164 with "+". */
  to: string;
  ip?: string;
  /** The console's Test: velocity limits do not apply. */
  test?: boolean;
};

export type GuardLogLine = Record<string, unknown>;

export type GuardDependencies = {
  store?: GuardStore;
  now?: () => number;
  log?: (line: GuardLogLine) => void;
};

export type Guard = {
  check(attempt: GuardAttempt): Promise<GuardDecision>;
  store: GuardStore;
};

/** The block of 1,000 a number belongs to: E.164 without its last 3 digits. */
export const blockOf = (e164: string) => e164.slice(0, -3);

/**
 * The address an IP limit counts: IPv4 as is, IPv6 as its /64 (one subscriber's prefix), or
 * undefined for private, loopback, link-local and unparsable addresses (Logto behind a proxy
 * without TRUST_PROXY_HEADER passes the proxy's address: limiting it would limit everyone).
 */
export function ipKey(ip: string | undefined): string | undefined {
  if (typeof ip !== 'string') {
    return undefined;
  }
  let address = ip.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) {
    address = mapped[1]!;
  }
  const version = isIP(address);
  if (version === 4) {
    const [a = 0, b = 0] = address.split('.').map(Number);
    const isPrivate =
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127);
    return isPrivate ? undefined : address;
  }
  if (version === 6) {
    const groups = expandIpv6(address.split('%')[0]!);
    if (!groups) {
      return undefined;
    }
    const first = groups[0]!;
    const isPrivate =
      groups.every((group, index) => group === (index === 7 ? 1 : 0)) || // ::1
      groups.every((group) => group === 0) ||
      (first & 0xfe_00) === 0xfc_00 || // fc00::/7 unique local
      (first & 0xff_c0) === 0xfe_80; // fe80::/10 link-local
    return isPrivate
      ? undefined
      : `${groups
          .slice(0, 4)
          .map((group) => group.toString(16))
          .join(':')}::/64`;
  }
  return undefined;
}

function expandIpv6(address: string): number[] | undefined {
  let text = address;
  // An embedded IPv4 tail (::ffff:1.2.3.4 was handled above; 64:ff9b::1.2.3.4 here).
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = rest ? rest.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  if (rest === undefined ? headGroups.length !== 8 : missing < 1) {
    return undefined;
  }
  const groups = [...headGroups, ...Array.from({ length: rest === undefined ? 0 : missing }, () => '0'), ...tailGroups];
  return groups.map((group) => Number.parseInt(group || '0', 16));
}

const isTrusted = (e164: string, trusted: readonly string[]) => trusted.some((prefix) => e164.startsWith(prefix));

/** The options' limits as the stores take them (mode "off" is handled before the store). */
export const velocityLimits = (options: GuardOptions): VelocityLimits => ({
  numberBlock: options.numberBlock,
  country: options.country,
  numberPerDay: options.numberPerDay,
  ipPerHour: options.ipPerHour,
  budgetPerHour: options.budget.perHour,
  budgetPerDay: options.budget.perDay,
});

const policyRefusal = (options: GuardOptions, country: string): GuardRule | undefined =>
  options.blockedCountries.has(country)
    ? 'country-blocked'
    : options.allowedCountries && !options.allowedCountries.has(country)
      ? 'country-not-allowed'
      : undefined;

/** The refusal as the ConnectorError Logto maps: policy is `general` (400), velocity `rate_limit_exceeded` (429). */
export function refusalError(refusal: GuardRefusal): ConnectorError {
  const policy = refusal.rule === 'country-blocked' || refusal.rule === 'country-not-allowed';
  return policy
    ? new ConnectorError(ConnectorErrorCodes.General, {
        errorDescription: refusal.reason,
        message: refusal.reason,
        rule: refusal.rule,
      })
    : new ConnectorError(ConnectorErrorCodes.RateLimitExceeded, {
        message: refusal.reason,
        rule: refusal.rule,
        ...(refusal.retryAfterSeconds !== undefined && { retryAfterSeconds: refusal.retryAfterSeconds }),
      });
}

export const defaultGuardLog = (line: GuardLogLine) => {
  console.warn(JSON.stringify(line));
};

/**
 * The guard for one config: `check` decides an attempt (country policy, then velocity limits in
 * the store) and logs each refusal or would-be refusal as one JSON line.
 */
export function createGuard(options: GuardOptions, dependencies: GuardDependencies = {}): Guard {
  const { now = Date.now, log = defaultGuardLog } = dependencies;
  const store = dependencies.store ?? createMemoryStore();
  const limits = velocityLimits(options);
  const trusted = options.trustedNumbers;

  return {
    store,
    async check({ to, ip, test }) {
      const country = regionOf(to);
      const policy = policyRefusal(options, country);
      if (policy) {
        log({ event: 'sms_guard_refused', rule: policy, to: maskNumber(to), country, test: Boolean(test) });
        return { allowed: false, rule: policy, reason: describeRefusal(policy, maskNumber(to), country) };
      }
      if (test || options.mode === 'off') {
        return { allowed: true };
      }

      const at = now();
      const decision = await store.decide(
        {
          number: to,
          block: blockOf(to),
          country,
          ip: options.ipPerHour === undefined ? undefined : ipKey(ip),
          trusted: isTrusted(to, trusted),
          monitor: options.mode === 'monitor',
          limits,
        },
        at,
        { budgetFailClosed: options.budget.failClosed }
      );
      const refused = decision.allowed ? decision.monitored : decision;
      if (refused) {
        log({
          event: decision.allowed ? 'sms_guard_would_refuse' : 'sms_guard_refused',
          rule: refused.rule,
          to: maskNumber(to),
          country,
          ...(refused.retryAfterSeconds !== undefined && { retryAfterSeconds: refused.retryAfterSeconds }),
          store: store.kind,
        });
      }
      return decision;
    },
  };
}

/** The Redis URL the guard uses: the config's `redisUrl`, else Logto's REDIS_URL when it names Redis. */
export function resolveRedisUrl(options: Pick<GuardOptions, 'redisUrl'>, env: NodeJS.ProcessEnv = process.env) {
  if (options.redisUrl) {
    return options.redisUrl;
  }
  const fromEnv = env.REDIS_URL?.trim();
  return fromEnv && (/^(?:1|true|y|yes|yep|yeah)$/i.test(fromEnv) || /^rediss?:\/\//i.test(fromEnv)) ? fromEnv : undefined;
}

// Counters outlive configs: Logto creates the connector on every lookup and a config edit must
// not reset them, so stores live at module scope, one per Redis URL and Twilio account.
const stores = new Map<string, GuardStore>();

/** The store for these options: Redis when configured (or REDIS_URL is set), else this process's memory. */
export function storeFor(options: GuardOptions, env: NodeJS.ProcessEnv = process.env): GuardStore {
  const url = resolveRedisUrl(options, env);
  const key = url ? `redis\u0000${url}\u0000${options.accountSid}` : `memory\u0000${options.accountSid}`;
  let store = stores.get(key);
  if (!store) {
    store = url ? createRedisStore({ url, accountSid: options.accountSid }) : createMemoryStore();
    stores.set(key, store);
  }
  return store;
}

/**
 * The guard for a parsed connector config (parsed-config.ts keeps it with the config).
 *
 * @throws ConnectorError `invalid_config` for bad guard keys.
 */
export function guardFor(config: object): Guard {
  const options = parseGuardOptions(config);
  return createGuard(options, { store: storeFor(options) });
}

/** Clears every counter this process holds (memory stores; Redis stores' fallbacks). For tests. */
export async function resetLocalGuardState() {
  await Promise.all([...stores.values()].filter((store) => store.kind === 'memory').map(async (store) => store.reset()));
}
