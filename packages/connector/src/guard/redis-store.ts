/**
 * Counters in Redis, shared by every Logto instance that uses the same Redis and Twilio account.
 *
 * The `redis` v4 client is Logto core's own dependency, imported at run time (never bundled).
 * Each decision is one EVALSHA of redis-script.ts (EVAL when Redis answers NOSCRIPT). Every key
 * carries one hash tag per Twilio account, so a cluster keeps them in one slot and they never
 * meet Logto's cache keys or another deployment's. When Redis is down, slow (100 ms) or missing,
 * decisions fall back to an in-memory store: a send never hangs on the guard. (A new process's
 * first decisions wait for its first connection attempt, at most firstConnectionDeadlineMs.)
 *
 * @module
 */
import { createHash } from 'node:crypto';

import type { DecisionInput, GuardDecision, Verdict } from './decision.js';
import { createMemoryStore } from './memory-store.js';
import { decisionScript } from './redis-script.js';
import { type RedisConnection, parseRedisUrl } from './redis-url.js';
import type { DecideOptions, GuardStatus, GuardStore, TrippedEntry } from './store.js';
import { toDecision } from './wording.js';

/** How long a decision may wait for Redis before the in-memory fallback decides it. */
const redisDeadlineMs = 100;
/**
 * The first decisions of a process wait for the first connection attempt (importing the client
 * and connecting take a second or two on a busy host), at most this long: counting them in
 * memory instead would let each new Logto process through with a fresh set of limits.
 */
const firstConnectionDeadlineMs = 3000;
/** After a failure, decisions skip Redis this long before trying it again. */
const retryRedisAfterMs = 1000;
/** Fallback notices are logged at most this often. */
const logEveryMs = 60_000;
/** Commands in flight beyond this mean Redis is not keeping up: decide in memory. */
const maxInFlight = 256;

export const defaultKeyPrefix = 'smsdesk:guard';

export type RedisStoreOptions = {
  /** A REDIS_URL value (Logto's forms). */
  url: string;
  /** The Twilio Account SID: one namespace per account. */
  accountSid: string;
  /** Key namespace (tests use a per-run one). */
  keyPrefix?: string;
  log?: (line: Record<string, unknown>) => void;
  /** The `redis` module; by default imported at run time from Logto's dependencies. */
  redisModule?: RedisModule;
  /**
   * How long a decision may wait for Redis before the in-memory fallback decides it (default
   * 100 ms). Tests of the script's own decisions wait longer: on a loaded machine the fallback,
   * with its own empty counters, would otherwise decide some of them.
   */
  decisionDeadlineMs?: number;
};

type Reply = unknown;
type ScriptOptions = { keys: string[]; arguments: string[] };
type RedisClient = {
  isReady?: boolean;
  isOpen: boolean;
  connect(): Promise<unknown>;
  disconnect(): Promise<void>;
  quit?(): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  evalSha(sha: string, options: ScriptOptions): Promise<Reply>;
  eval(script: string, options: ScriptOptions): Promise<Reply>;
  hGetAll(key: string): Promise<Record<string, string>>;
  del(keys: string[]): Promise<number>;
  scanIterator?(options: { MATCH: string; COUNT: number }): AsyncIterable<string>;
  readonly masters?: unknown[];
  nodeClient?(node: unknown): RedisClient | Promise<RedisClient>;
};
type RedisModule = {
  createClient(options: Record<string, unknown>): RedisClient;
  createCluster(options: Record<string, unknown>): RedisClient;
};

const scriptSha = createHash('sha1').update(decisionScript).digest('hex');

/** The `redis` client Logto ships, or undefined where it is not installed. */
export async function importRedis(): Promise<RedisModule | undefined> {
  try {
    // A variable specifier: the bundler leaves it to Node, which resolves Logto core's copy.
    const name = 'redis';
    return (await import(name)) as RedisModule;
  } catch {
    return undefined;
  }
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 200);

// Logto's URLs may hold a password: errors from the client never reach a log as they are.
const scrubbed = (text: string) => text.replaceAll(/\/\/[^@\s/]*@/g, '//***@');

export type RedisStore = GuardStore & {
  readonly kind: 'redis';
  /** Resolves once the client connected (or failed to): for tests and the CLI. */
  ready(): Promise<boolean>;
  readonly location: string;
};

/** `{smsdesk:guard:AC…}`: the hash tag every key of one account shares. */
export const keyTag = (prefix: string, accountSid: string) => `{${prefix}:${accountSid || 'default'}}`;

export function createRedisStore({
  url,
  accountSid,
  keyPrefix = defaultKeyPrefix,
  log = (line) => {
    console.warn(JSON.stringify(line));
  },
  redisModule,
  decisionDeadlineMs = redisDeadlineMs,
}: RedisStoreOptions): RedisStore {
  const tag = keyTag(keyPrefix, accountSid);
  const fallback = createMemoryStore();
  let connection: RedisConnection | undefined;
  let client: RedisClient | undefined;
  let unavailableUntil = 0;
  let lastLoggedAt = Number.NEGATIVE_INFINITY;
  let inFlight = 0;
  let closed = false;
  let shown = 'Redis';

  try {
    connection = parseRedisUrl(url);
    shown = connection.shown;
  } catch (error) {
    shown = `Redis (${errorText(error)})`;
  }

  const notice = (reason: string, event = 'sms_guard_redis_fallback') => {
    const now = Date.now();
    if (now - lastLoggedAt >= logEveryMs) {
      lastLoggedAt = now;
      log({ event, store: 'redis', redis: shown, reason: scrubbed(reason), fallback: 'memory' });
    }
  };

  let settled = false;
  const connecting = (async () => {
    if (!connection) {
      notice('the Redis URL could not be read');
      return false;
    }
    const redis = redisModule ?? (await importRedis());
    if (!redis) {
      notice('the redis module is not installed next to Logto');
      return false;
    }
    const reconnectStrategy = (retries: number) => Math.min(5000, 100 * 2 ** Math.min(retries, 6));
    const common = { disableOfflineQueue: true, pingInterval: 60_000 };
    client = connection.cluster
      ? redis.createCluster({
          rootNodes: connection.rootNodes,
          useReplicas: false,
          defaults: {
            ...connection.defaults,
            ...common,
            socket: { ...connection.defaults.socket, connectTimeout: 2000, reconnectStrategy },
          },
        })
      : redis.createClient({
          ...(connection.url && { url: connection.url }),
          ...common,
          socket: { ...connection.socket, connectTimeout: 2000, reconnectStrategy },
        });
    // The first attempt settles on its first error: the client keeps reconnecting in the
    // background (decisions use Redis again once it is ready), nobody waits for that.
    let firstError: ((error: Error) => void) | undefined;
    const failed = new Promise<Error>((resolve) => {
      firstError = resolve;
    });
    client.on('error', (error) => {
      firstError?.(error);
      notice(errorText(error));
    });
    const attempt = client.connect().then(
      () => true,
      (error: unknown) => {
        notice(errorText(error));
        return false;
      }
    );
    try {
      return await Promise.race([attempt, failed.then(() => false)]);
    } finally {
      firstError = undefined;
    }
  })().finally(() => {
    settled = true;
  });

  const ready = (): boolean => {
    if (!client || closed) {
      return false;
    }
    return client.isReady ?? client.isOpen;
  };

  const keys = (input: DecisionInput) => [
    `${tag}:n:${input.number}`,
    `${tag}:b:${input.block}`,
    `${tag}:c:${input.country}`,
    `${tag}:d`,
    `${tag}:i:${input.ip ?? '-'}`,
  ];

  const off = (value: number | undefined) => (value === undefined ? '-1' : String(value));

  const scriptArguments = (input: DecisionInput, now: number) => {
    const { numberBlock, country, numberPerDay, ipPerHour, budgetPerHour, budgetPerDay } = input.limits;
    return [
      String(now),
      input.monitor ? '1' : '0',
      input.trusted ? '1' : '0',
      input.ip === undefined ? '0' : '1',
      input.number,
      off(numberBlock?.maxNumbers),
      off(numberBlock?.windowMs),
      off(numberBlock?.tripMs),
      off(country?.floorPerHour),
      off(country?.factor),
      off(country?.learningMs),
      off(country?.shareWhileLearning),
      off(country?.tripMs),
      off(numberPerDay),
      off(ipPerHour),
      off(budgetPerHour),
      off(budgetPerDay),
    ];
  };

  const run = async (options: ScriptOptions) => {
    try {
      return await client!.evalSha(scriptSha, options);
    } catch (error) {
      if (errorText(error).startsWith('NOSCRIPT')) {
        return client!.eval(decisionScript, options);
      }
      throw error;
    }
  };

  const toVerdict = (reply: Reply): Verdict => {
    const [allowed, rule, until] = reply as [number, string, string];
    return rule
      ? { allowed: false, rule: rule as Extract<Verdict, { allowed: false }>['rule'], until: Number(until) }
      : { allowed: Boolean(allowed) as true };
  };

  const decideInMemory = (input: DecisionInput, now: number, options: DecideOptions, reason: string) => {
    notice(reason);
    return fallback.decideSync(input, now, { ...options, storeAvailable: false });
  };

  return {
    kind: 'redis',
    location: `Redis at ${shown}, keys ${tag}:*`,
    ready: async () => connecting,
    async decide(input, now, options = {}): Promise<GuardDecision> {
      if (!settled) {
        await Promise.race([connecting, delay(firstConnectionDeadlineMs)]);
      }
      if (!ready()) {
        return decideInMemory(input, now, options, 'Redis is not connected');
      }
      if (Date.now() < unavailableUntil || inFlight >= maxInFlight) {
        return decideInMemory(input, now, options, 'Redis did not answer in time');
      }
      inFlight += 1;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(resolve, decisionDeadlineMs, 'timeout');
        timer.unref?.();
      });
      const call = run({ keys: keys(input), arguments: scriptArguments(input, now) }).finally(() => {
        inFlight -= 1;
      });
      try {
        const reply = await Promise.race([call, deadline]);
        if (reply === 'timeout') {
          call.catch(() => undefined);
          unavailableUntil = Date.now() + retryRedisAfterMs;
          return decideInMemory(input, now, options, `Redis did not answer within ${decisionDeadlineMs} ms`);
        }
        return toDecision(toVerdict(reply), input, now);
      } catch (error) {
        unavailableUntil = Date.now() + retryRedisAfterMs;
        return decideInMemory(input, now, options, errorText(error));
      } finally {
        clearTimeout(timer);
      }
    },
    async status(now = Date.now()): Promise<GuardStatus> {
      await connecting;
      if (!ready()) {
        throw new Error(`Could not reach ${shown}: the guard’s counters there cannot be read.`);
      }
      const tripped: TrippedEntry[] = [];
      const countries: GuardStatus['countries'] = [];
      let keyCount = 0;
      let deployment: Record<string, string> = {};
      const hour = Math.floor(now / 3_600_000);
      for await (const key of scanKeys()) {
        keyCount += 1;
        const rest = key.slice(tag.length + 1);
        if (rest === 'd') {
          deployment = await client!.hGetAll(key);
        } else if (rest.startsWith('b:')) {
          const until = Number((await client!.hGetAll(key))._t ?? 0);
          if (until > now) {
            tripped.push({ kind: 'number-block', key: rest.slice(2), until });
          }
        } else if (rest.startsWith('c:')) {
          const state = await client!.hGetAll(key);
          const until = Number(state.t ?? 0);
          if (until > now) {
            tripped.push({ kind: 'country', key: rest.slice(2), until });
          }
          const current = Number(state.h) === hour;
          const peak = Number(state.p ?? 0) * 0.5 ** (Math.max(0, now - Number(state.pa ?? now)) / (7 * 86_400_000));
          countries.push({
            country: rest.slice(2),
            sendsThisHour: current ? Number(state.n ?? 0) : 0,
            learnedPeakPerHour: Math.round(Math.max(peak, current ? 0 : Number(state.n ?? 0)) * 10) / 10,
          });
        }
      }
      return {
        kind: 'redis',
        location: `Redis at ${shown}, keys ${tag}:*`,
        tripped,
        sendsThisHour: Number(deployment.h) === hour ? Number(deployment.hn ?? 0) : 0,
        sendsToday: Number(deployment.d) === Math.floor(now / 86_400_000) ? Number(deployment.dn ?? 0) : 0,
        countries: countries.sort((a, b) => b.learnedPeakPerHour - a.learnedPeakPerHour || a.country.localeCompare(b.country)),
        keys: keyCount,
      };
    },
    async reset() {
      await connecting;
      if (!ready()) {
        throw new Error(`Could not reach ${shown}: the guard’s counters there were not cleared.`);
      }
      let batch: string[] = [];
      for await (const key of scanKeys()) {
        batch.push(key);
        if (batch.length >= 500) {
          await client!.del(batch);
          batch = [];
        }
      }
      if (batch.length > 0) {
        await client!.del(batch);
      }
      await fallback.reset();
    },
    async close() {
      closed = true;
      await connecting;
      if (client?.isOpen) {
        await client.disconnect().catch(() => undefined);
      }
    },
  };

  // SCAN runs per node: in a cluster, on each master (the keys live on the one owning their slot).
  async function* scanKeys(): AsyncGenerator<string> {
    const nodes = client!.scanIterator
      ? [client!]
      : await Promise.all((client!.masters ?? []).map(async (node) => client!.nodeClient!(node)));
    for (const node of nodes) {
      yield* node.scanIterator!({ MATCH: `${escapeGlob(tag)}:*`, COUNT: 1000 });
    }
  }
}

const delay = async (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref?.();
  });

const escapeGlob = (text: string) => text.replaceAll(/[*?[\]\\]/g, (character) => `\\${character}`);
