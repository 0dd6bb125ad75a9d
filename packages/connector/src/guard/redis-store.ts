/**
 * Counters in Redis, shared by every Logto instance that uses the same Redis and Twilio account.
 *
 * The `redis` v4 client is Logto core's own dependency, imported at run time (never bundled).
 * Each decision is one EVALSHA of redis-script.ts (EVAL when Redis answers NOSCRIPT). Every key
 * carries one hash tag per Twilio account, so a cluster keeps them in one slot and they never
 * meet Logto's cache keys or another deployment's. When Redis is down, slow (100 ms) or missing,
 * decisions fall back to an in-memory store: a send never hangs on the guard. (A new process's
 * first decisions wait for its first connection attempt, once, at most firstConnectionDeadlineMs.)
 *
 * @module
 */
import { createHash } from 'node:crypto';

import { type DecisionInput, type GuardDecision, type Verdict, dayMs, decayed, hourMs } from './decision.js';
import { createMemoryStore } from './memory-store.js';
import { decisionScript } from './redis-script.js';
import { type RedisConnection, parseRedisUrl } from './redis-url.js';
import type { GuardStatus, GuardStore, TrippedEntry } from './store.js';
import { toDecision } from './wording.js';

/** How long a decision may wait for Redis before the in-memory fallback decides it. */
const redisDeadlineMs = 100;
/**
 * The first decisions of a process wait for the first connection attempt (importing the client
 * and connecting take a second or two on a busy host), once, at most this long: counting them in
 * memory instead would let each new Logto process through with a fresh set of limits. On a
 * healthy Redis the wait is the connection's few milliseconds; the bound binds only when Redis
 * neither answers nor fails (a refused connection settles at once, a dropped one at connectTimeout).
 */
const firstConnectionDeadlineMs = 3000;
/** status() and reset() give up after this long: a hung Redis must not hang `smsdesk guard`. */
const defaultStatusDeadlineMs = 10_000;
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
  /** How long status() and reset() may take, connecting included (default 10 s). */
  statusDeadlineMs?: number;
};

type Reply = unknown;
type ScriptOptions = { keys: string[]; arguments: string[] };
type RedisClient = {
  isReady?: boolean;
  isOpen: boolean;
  connect(): Promise<unknown>;
  disconnect(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  hGetAll(key: string): Promise<Record<string, string>>;
  del(keys: string[]): Promise<number>;
};
type RedisModule = {
  createClient(options: Record<string, unknown>): RedisClient & { sendCommand(args: string[]): Promise<Reply> };
  createCluster(
    options: Record<string, unknown>
  ): RedisClient & { sendCommand(firstKey: string, isReadonly: boolean, args: string[]): Promise<Reply> };
};
/** Sends a raw command to the node that holds `firstKey`. */
type Send = (firstKey: string, args: string[]) => Promise<Reply>;
type Connected = { client: RedisClient; send: Send };

let scriptSha: string | undefined;
// On first use, not at import: hashing loads crypto's hash binding, ~0.4 ms (measured) for a store most configs never make.
const decisionScriptSha = () => (scriptSha ??= createHash('sha1').update(decisionScript).digest('hex'));

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

/** The client, once created, and what the store knows of it. */
type Link = {
  client: RedisClient | undefined;
  send: Send | undefined;
  /** Its connect() resolved: the cluster client is open from the start of its discovery, ready only after it. */
  connected: boolean;
  closed: boolean;
  /** Decisions skip Redis until then, after a failure. */
  unavailableUntil: number;
  inFlight: number;
};

// A single client says whether it is ready (it reconnects); the cluster client only whether it is open.
const isReady = ({ client, connected, closed }: Link): boolean =>
  Boolean(client && !closed && (client.isReady ?? (client.isOpen && connected)));

/** How long the client waits before its next connection attempt. */
const reconnectDelay = (retries: number) => Math.min(5000, 100 * 2 ** Math.min(retries, 6));

/**
 * The client, and how scripts reach it. Scripts go as raw EVALSHA/EVAL commands routed by their
 * first key: the v4 cluster client's evalSha() looks for the key in the wrong argument, sends the
 * script to a random master and gives up after its MOVED redirections.
 */
function createClient(redis: RedisModule, connection: RedisConnection): { client: RedisClient; send: Send } {
  const reconnectStrategy = reconnectDelay;
  const common = { disableOfflineQueue: true, pingInterval: 60_000 };
  if (connection.cluster) {
    const cluster = redis.createCluster({
      rootNodes: connection.rootNodes,
      useReplicas: false,
      defaults: {
        ...connection.defaults,
        ...common,
        socket: { ...connection.defaults.socket, connectTimeout: 2000, reconnectStrategy },
      },
    });
    return { client: cluster, send: async (firstKey, args) => cluster.sendCommand(firstKey, false, args) };
  }
  const client = redis.createClient({
    ...(connection.url && { url: connection.url }),
    ...common,
    socket: { ...connection.socket, connectTimeout: 2000, reconnectStrategy },
  });
  return { client, send: async (_firstKey, args) => client.sendCommand(args) };
}

/**
 * Creates the client into `link` and makes the first connection attempt: whether it connected.
 * The attempt settles on its first error: the client keeps reconnecting in the background
 * (decisions use Redis again once it is ready), nobody waits for that.
 */
async function connect(
  link: Link,
  connection: RedisConnection | undefined,
  redisModule: RedisModule | undefined,
  notice: (reason: string) => void
): Promise<boolean> {
  if (!connection) {
    notice('the Redis URL could not be read');
    return false;
  }
  const redis = redisModule ?? (await importRedis());
  if (!redis) {
    notice('the redis module is not installed next to Logto');
    return false;
  }
  if (link.closed) {
    // Closed while the client was being imported (close() waits for that at most a few seconds).
    return false;
  }
  const { client, send } = createClient(redis, connection);
  link.client = client;
  link.send = send;
  let firstError: ((error: Error) => void) | undefined;
  const failed = new Promise<Error>((resolve) => {
    firstError = resolve;
  });
  client.on('error', (error) => {
    firstError?.(error);
    notice(errorText(error));
  });
  const attempt = client.connect().then(
    () => (link.connected = true),
    (error: unknown) => {
      notice(errorText(error));
      return false;
    }
  );
  if (connection.cluster) {
    void attempt.then(async (connected) => connected || keepDiscovering(link, client));
  }
  try {
    return await Promise.race([attempt, failed.then(() => false)]);
  } finally {
    firstError = undefined;
  }
}

/**
 * A single client keeps reconnecting on its own; the cluster client gives up for good when no
 * root node answers its first discovery (a Logto started before its Redis Cluster would count in
 * memory for its whole life). So discover again, with the same backoff, until it connects or the
 * store closes. Errors reach the fallback notice through the client's 'error' events.
 */
async function keepDiscovering(link: Link, client: RedisClient, retries = 0): Promise<boolean> {
  await delay(reconnectDelay(retries));
  if (link.closed || client.isOpen) {
    return true;
  }
  const connected = await client.connect().then(
    () => (link.connected = true),
    () => false
  );
  if (connected && link.closed) {
    await client.disconnect().catch(() => undefined);
  }
  return connected || link.closed || keepDiscovering(link, client, retries + 1);
}

const scriptKeys = (tag: string, input: DecisionInput) => [
  `${tag}:n:${input.number}`,
  `${tag}:b:${input.block}`,
  `${tag}:c:${input.country}`,
  `${tag}:d`,
  `${tag}:i:${input.ip ?? '-'}`,
];

const off = (value: number | undefined) => (value === undefined ? '-1' : String(value));

/** ARGV as redis-script.ts reads it. */
function scriptArguments(input: DecisionInput, now: number) {
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
}

const scriptCommand = (command: 'EVALSHA' | 'EVAL', body: string, { keys, arguments: values }: ScriptOptions) => [
  command,
  body,
  String(keys.length),
  ...keys,
  ...values,
];

async function runScript(send: Send, options: ScriptOptions) {
  const [firstKey] = options.keys as [string];
  try {
    return await send(firstKey, scriptCommand('EVALSHA', decisionScriptSha(), options));
  } catch (error) {
    if (errorText(error).startsWith('NOSCRIPT')) {
      return send(firstKey, scriptCommand('EVAL', decisionScript, options));
    }
    throw error;
  }
}

function toVerdict(reply: Reply): Verdict {
  const [allowed, rule, until] = reply as [number, string, string];
  return rule
    ? { allowed: false, rule: rule as Extract<Verdict, { allowed: false }>['rule'], until: Number(until) }
    : { allowed: Boolean(allowed) as true };
}

/** The script's verdict, or 'timeout' when Redis did not answer within `deadlineMs`. */
async function decideOnRedis(
  link: Link,
  tag: string,
  input: DecisionInput,
  now: number,
  deadlineMs: number
): Promise<Verdict | 'timeout'> {
  const options = { keys: scriptKeys(tag, input), arguments: scriptArguments(input, now) };
  link.inFlight += 1;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(resolve, deadlineMs, 'timeout');
    timer.unref?.();
  });
  const call = runScript(link.send!, options).finally(() => {
    link.inFlight -= 1;
  });
  try {
    const reply = await Promise.race([call, deadline]);
    if (reply === 'timeout') {
      call.catch(() => undefined);
      return 'timeout';
    }
    return toVerdict(reply);
  } finally {
    clearTimeout(timer);
  }
}

/** Decides on Redis, or with `fallBack` when Redis is not connected, busy, slow or failing. */
async function decideOrFallBack(
  link: Link,
  tag: string,
  input: DecisionInput,
  now: number,
  deadlineMs: number,
  fallBack: (reason: string) => GuardDecision
): Promise<GuardDecision> {
  if (!isReady(link)) {
    return fallBack('Redis is not connected');
  }
  if (Date.now() < link.unavailableUntil || link.inFlight >= maxInFlight) {
    return fallBack('Redis did not answer in time');
  }
  try {
    const verdict = await decideOnRedis(link, tag, input, now, deadlineMs);
    if (verdict !== 'timeout') {
      return toDecision(verdict, input, now);
    }
    link.unavailableUntil = Date.now() + retryRedisAfterMs;
    return fallBack(`Redis did not answer within ${deadlineMs} ms`);
  } catch (error) {
    link.unavailableUntil = Date.now() + retryRedisAfterMs;
    return fallBack(errorText(error));
  }
}

/**
 * The account's keys, by SCAN on the one node that holds them: they share one hash tag, so in a
 * cluster they live on the master of one slot, and the tag routes the command there (a scan of
 * every master read the whole cluster's keys and hung on any master that did not answer).
 */
async function* scanKeys(send: Send, tag: string): AsyncGenerator<string> {
  let cursor = '0';
  do {
    // eslint-disable-next-line no-await-in-loop -- each page's cursor comes from the page before
    const [next, keys] = (await send(tag, ['SCAN', cursor, 'MATCH', `${escapeGlob(tag)}:*`, 'COUNT', '1000'])) as [
      string,
      string[],
    ];
    yield* keys;
    cursor = next;
  } while (cursor !== '0');
}

/** What the script's hashes hold, read as the memory store's status shows it. */
async function readStatus(
  { client, send }: Connected,
  tag: string,
  now: number
): Promise<Omit<GuardStatus, 'kind' | 'location'>> {
  const tripped: TrippedEntry[] = [];
  const countries: GuardStatus['countries'] = [];
  let keyCount = 0;
  let deployment: Record<string, string> = {};
  const hour = Math.floor(now / hourMs);
  for await (const key of scanKeys(send, tag)) {
    keyCount += 1;
    const rest = key.slice(tag.length + 1);
    if (rest === 'd') {
      deployment = await client.hGetAll(key);
    } else if (rest.startsWith('b:')) {
      const until = Number((await client.hGetAll(key))._t ?? 0);
      if (until > now) {
        tripped.push({ kind: 'number-block', key: rest.slice(2), until });
      }
    } else if (rest.startsWith('c:')) {
      const state = await client.hGetAll(key);
      const until = Number(state.t ?? 0);
      if (until > now) {
        tripped.push({ kind: 'country', key: rest.slice(2), until });
      }
      const current = Number(state.h) === hour;
      const peak = decayed(Number(state.p ?? 0), Number(state.pa ?? now), now);
      countries.push({
        country: rest.slice(2),
        sendsThisHour: current ? Number(state.n ?? 0) : 0,
        learnedPeakPerHour: Math.round(Math.max(peak, current ? 0 : Number(state.n ?? 0)) * 10) / 10,
      });
    }
  }
  return {
    tripped,
    sendsThisHour: Number(deployment.h) === hour ? Number(deployment.hn ?? 0) : 0,
    sendsToday: Number(deployment.d) === Math.floor(now / dayMs) ? Number(deployment.dn ?? 0) : 0,
    countries: countries.sort((a, b) => b.learnedPeakPerHour - a.learnedPeakPerHour || a.country.localeCompare(b.country)),
    keys: keyCount,
  };
}

async function deleteKeys({ client, send }: Connected, tag: string) {
  let batch: string[] = [];
  for await (const key of scanKeys(send, tag)) {
    batch.push(key);
    if (batch.length >= 500) {
      await client.del(batch);
      batch = [];
    }
  }
  if (batch.length > 0) {
    await client.del(batch);
  }
}

/** What status() and reset() need to reach Redis. */
type Reach = { link: Link; connecting: Promise<boolean>; shown: string; deadlineMs: number };

/**
 * `work` on the connected client, or an error saying what `failed`: Redis unreachable, or not
 * answering within `deadlineMs`, connecting included.
 */
async function onRedis<T>(
  { link, connecting, shown, deadlineMs }: Reach,
  failed: string,
  work: (connected: Connected) => Promise<T>
): Promise<T> {
  const attempt = (async () => {
    await connecting;
    if (!isReady(link)) {
      throw new Error(`Could not reach ${shown}: the guard’s counters there ${failed}.`);
    }
    return work({ client: link.client!, send: link.send! });
  })();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${shown} did not answer within ${deadlineMs / 1000} s: the guard’s counters there ${failed}.`));
    }, deadlineMs);
  });
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
    attempt.catch(() => undefined);
  }
}

/** The connection a URL names, and how logs show it (never with its password). */
function readUrl(url: string): { connection?: RedisConnection; shown: string } {
  try {
    const connection = parseRedisUrl(url);
    return { connection, shown: connection.shown };
  } catch (error) {
    return { shown: `Redis (${errorText(error)})` };
  }
}

/** Logs why decisions fall back to memory, at most once every logEveryMs. */
function fallbackNotice(log: NonNullable<RedisStoreOptions['log']>, shown: string) {
  let lastLoggedAt = Number.NEGATIVE_INFINITY;
  return (reason: string) => {
    const now = Date.now();
    if (now - lastLoggedAt >= logEveryMs) {
      lastLoggedAt = now;
      log({ event: 'sms_guard_redis_fallback', store: 'redis', redis: shown, reason: scrubbed(reason), fallback: 'memory' });
    }
  };
}

export function createRedisStore({
  url,
  accountSid,
  keyPrefix = defaultKeyPrefix,
  log = (line) => {
    console.warn(JSON.stringify(line));
  },
  redisModule,
  decisionDeadlineMs = redisDeadlineMs,
  statusDeadlineMs = defaultStatusDeadlineMs,
}: RedisStoreOptions): RedisStore {
  const tag = keyTag(keyPrefix, accountSid);
  const fallback = createMemoryStore();
  const link: Link = { client: undefined, send: undefined, connected: false, closed: false, unavailableUntil: 0, inFlight: 0 };
  const { connection, shown } = readUrl(url);
  const location = `Redis at ${shown}, keys ${tag}:*`;
  const notice = fallbackNotice(log, shown);

  let settled = false;
  const connecting = connect(link, connection, redisModule, notice).finally(() => {
    settled = true;
  });
  // One wait per store (per process), started by its first decision: an attempt that never settles
  // (a hung server: AUTH or CLUSTER SLOTS never answered) must not hold up every later send too.
  let firstWait: Promise<unknown> | undefined;
  const firstConnection = async () => (firstWait ??= Promise.race([connecting, delay(firstConnectionDeadlineMs)]));

  const reach: Reach = { link, connecting, shown, deadlineMs: statusDeadlineMs };

  return {
    kind: 'redis',
    location,
    ready: async () => connecting,
    async decide(input, now, options = {}): Promise<GuardDecision> {
      if (!settled) {
        await firstConnection();
      }
      return decideOrFallBack(link, tag, input, now, decisionDeadlineMs, (reason) => {
        notice(reason);
        return fallback.decideSync(input, now, { ...options, storeAvailable: false });
      });
    },
    async status(now = Date.now()): Promise<GuardStatus> {
      return {
        kind: 'redis',
        location,
        ...(await onRedis(reach, 'cannot be read', async (connected) => readStatus(connected, tag, now))),
      };
    },
    async reset() {
      await onRedis(reach, 'were not cleared', async (connected) => deleteKeys(connected, tag));
      await fallback.reset();
    },
    async close() {
      link.closed = true;
      // A connection attempt that never settles (a hung server) must not hold up closing either.
      await firstConnection();
      if (link.client?.isOpen) {
        await link.client.disconnect().catch(() => undefined);
      }
    },
  };
}

const delay = async (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref?.();
  });

const escapeGlob = (text: string) => text.replaceAll(/[*?[\]\\]/g, (character) => `\\${character}`);
