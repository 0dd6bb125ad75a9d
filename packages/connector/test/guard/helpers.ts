/**
 * Shared by the guard's tests: stores on the machine's real Redis (127.0.0.1:6379) or another
 * under a per-run key prefix, attempts built from options, and private redis-servers (a single
 * one, or a Redis Cluster) started from the machine's redis-server for tests that stop or kill them.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import {
  type DecisionInput,
  type GuardSettings,
  type GuardStore,
  blockOf,
  createMemoryStore,
  createRedisStore,
  parseGuardOptions,
  velocityLimits,
} from '../../src/guard/index.js';

export const redisUrl = 'redis://127.0.0.1:6379';
/** One prefix per test run: tests never touch another run's keys (and never FLUSHALL). */
const runPrefix = `smsdesk-test:${process.pid}:${randomUUID().slice(0, 8)}`;
const accountSid = 'AC0123456789abcdef0123456789abcdef';

export const optionsFor = (guard: GuardSettings = {}, extra: Record<string, unknown> = {}) =>
  parseGuardOptions({ accountSID: accountSid, guard, ...extra });

export const attemptFor =
  (guard: GuardSettings = {}) =>
  (number: string, country: string, { ip, trusted = false }: { ip?: string; trusted?: boolean } = {}): DecisionInput => {
    const options = optionsFor(guard);
    return {
      number,
      block: blockOf(number),
      country,
      ip,
      trusted,
      monitor: options.mode === 'monitor',
      limits: velocityLimits(options),
    };
  };

let storeCount = 0;
export type StoreKind = 'memory' | 'redis';

/**
 * A fresh, empty store of this kind. A Redis store waits for Redis as long as it takes (a test
 * under load must not see the in-memory fallback decide instead of the script) and puts any
 * fallback notice in `notices`.
 */
export async function freshStore(
  kind: StoreKind,
  notices: Array<Record<string, unknown>> = [],
  url = redisUrl
): Promise<GuardStore> {
  if (kind === 'memory') {
    return createMemoryStore();
  }
  storeCount += 1;
  const store = createRedisStore({
    url,
    accountSid,
    keyPrefix: `${runPrefix}:${storeCount}`,
    log: (line) => notices.push(line),
    decisionDeadlineMs: 30_000,
  });
  if (!(await store.ready())) {
    throw new Error(`Redis at ${url} is not answering${url === redisUrl ? ': start it (see .ci/run)' : ''}`);
  }
  return store;
}

/** A distinct number in its own block of 1,000, for country `prefix` (such as "+1415"). */
export const spread = (prefix: string, index: number) => `${prefix}${String(index * 1000 + 123).padStart(7, '0')}`;
/** Sequential numbers in one block. */
export const sequential = (block: string, index: number) => `${block}${String(index).padStart(3, '0')}`;

export const hour = 3_600_000;
export const t0 = Date.UTC(2026, 0, 5, 9, 0, 0);

const run = promisify(execFile);
export const pause = async (ms: number) =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

export const freePort = async () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => {
        resolve(port);
      });
    });
  });

/** `redis-cli` for the server on `port`, authenticated with `password` when there is one. */
const cliFor =
  (port: number, password?: string) =>
  async (...args: string[]) =>
    (
      await run('redis-cli', ['-p', String(port), ...(password ? ['-a', password, '--no-auth-warning'] : []), ...args])
    ).stdout.trim();

/** Polls `ready` every 50 ms, up to 10 s. */
async function waitUntil(ready: () => Promise<boolean>, what: string) {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (await ready().catch(() => false)) {
      return;
    }
    await pause(50);
  }
  throw new Error(what);
}

export type PrivateRedis = {
  port: number;
  child: ChildProcess;
  /** Runs redis-cli against it: its output, trimmed. */
  cli(...args: string[]): Promise<string>;
};

/**
 * A redis-server of its own on a free port, ready when it answers PING: `password` makes it ask
 * for one, `options(port)` adds to its command line.
 */
export async function startPrivateRedis({
  options = () => [],
  password,
}: { options?: (port: number) => string[]; password?: string } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      ...(password ? ['--requirepass', password] : []),
      ...options(port),
    ],
    { stdio: 'ignore' }
  );
  const cli = cliFor(port, password);
  try {
    await waitUntil(async () => (await cli('ping')) === 'PONG', 'The private redis-server did not start');
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { port, child, cli };
}

const stopRedis = async ({ child }: PrivateRedis) => {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
  }
};

export type PrivateRedisCluster = {
  nodes: PrivateRedis[];
  /** Logto's cluster form of REDIS_URL, naming two of the nodes (with the password, percent-encoded). */
  url: string;
  /** Kills every node and removes their directory. */
  stop(): Promise<void>;
};

/**
 * A Redis Cluster of `masters` masters (no replicas, every node asking for `password`) in a
 * temporary directory, ready when every node says cluster_state:ok.
 */
export async function startRedisCluster(masters: number, password: string): Promise<PrivateRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'smsdesk-redis-cluster-'));
  const nodes: PrivateRedis[] = [];
  const stop = async () => {
    await Promise.all(nodes.map(stopRedis));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let index = 0; index < masters; index += 1) {
      // The bus port is chosen too: the default (port + 10000) may be past 65535 or taken.
      const busPort = await freePort();
      nodes.push(
        await startPrivateRedis({
          password,
          options: (port) => [
            ...['--cluster-enabled', 'yes', '--cluster-port', String(busPort)],
            ...['--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir],
          ],
        })
      );
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes.map(({ port }) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
      ...['-a', password, '--no-auth-warning'],
    ]);
    await waitUntil(
      async () =>
        (await Promise.all(nodes.map(async ({ cli }) => cli('cluster', 'info')))).every((info) =>
          info.includes('cluster_state:ok')
        ),
      'The Redis Cluster did not reach cluster_state:ok'
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const [first, second] = nodes.map(({ port }) => `127.0.0.1:${port}`);
  return { nodes, url: `redis://:${encodeURIComponent(password)}@${first}?cluster=1&host=${second}`, stop };
}
