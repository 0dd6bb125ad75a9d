/**
 * Shared by the guard's tests: stores on the machine's real Redis (127.0.0.1:6379) under a
 * per-run key prefix, and attempts built from options.
 */
import { randomUUID } from 'node:crypto';

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
export async function freshStore(kind: StoreKind, notices: Array<Record<string, unknown>> = []): Promise<GuardStore> {
  if (kind === 'memory') {
    return createMemoryStore();
  }
  storeCount += 1;
  const store = createRedisStore({
    url: redisUrl,
    accountSid,
    keyPrefix: `${runPrefix}:${storeCount}`,
    log: (line) => notices.push(line),
    decisionDeadlineMs: 30_000,
  });
  if (!(await store.ready())) {
    throw new Error(`Redis at ${redisUrl} is not answering: start it (see .ci/run)`);
  }
  return store;
}

/** A distinct number in its own block of 1,000, for country `prefix` (such as "+1415"). */
export const spread = (prefix: string, index: number) => `${prefix}${String(index * 1000 + 123).padStart(7, '0')}`;
/** Sequential numbers in one block. */
export const sequential = (block: string, index: number) => `${block}${String(index).padStart(3, '0')}`;

export const hour = 3_600_000;
export const t0 = Date.UTC(2026, 0, 5, 9, 0, 0);
