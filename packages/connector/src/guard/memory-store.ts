/**
 * Counters in this process's memory: the default store, and the Redis store's fallback.
 *
 * Bounded: numbers, addresses and untripped blocks are kept least recently used first, up to
 * `maxKeys`. Tripped blocks live apart and are never pushed out by others: an attacker flooding
 * fresh blocks cannot untrip the one it walked.
 *
 * @module
 */
import {
  type BlockState,
  type CountryState,
  type DecisionInput,
  type DeploymentState,
  type IpState,
  type NumberState,
  decayed,
  decideVelocity,
  dayMs,
  hourMs,
  newBlockState,
  newCountryState,
  newDeploymentState,
  newIpState,
  newNumberState,
} from './decision.js';
import type { DecideOptions, GuardStatus, GuardStore, TrippedEntry } from './store.js';
import { toDecision } from './wording.js';

export type MemoryStoreOptions = {
  /** Numbers, addresses and blocks kept at most (default 100,000: a few tens of MB at worst). */
  maxKeys?: number;
  /** Tripped blocks kept at most (default maxKeys / 10); the ones ending soonest go first. */
  maxTripped?: number;
};

export type MemoryStore = GuardStore & {
  readonly kind: 'memory';
  /** Entries held now (for tests of the bound). */
  size(): number;
  decideSync(input: DecisionInput, now: number, options?: DecideOptions): ReturnType<typeof toDecision>;
};

/** Every counter the store holds. */
type Counters = {
  numbers: Map<string, NumberState>;
  ips: Map<string, IpState>;
  blocks: Map<string, BlockState>;
  trippedBlocks: Map<string, BlockState>;
  countries: Map<string, CountryState>;
  deployment: DeploymentState | undefined;
};

const emptyCounters = (): Counters => ({
  numbers: new Map(),
  ips: new Map(),
  blocks: new Map(),
  trippedBlocks: new Map(),
  countries: new Map(),
  deployment: undefined,
});

const keyCount = ({ numbers, ips, blocks, trippedBlocks }: Counters) =>
  numbers.size + ips.size + blocks.size + trippedBlocks.size;

// Least recently used first: Map keeps insertion order, so a touch re-inserts.
function touch<T>(map: Map<string, T>, key: string, create: () => T): T {
  const value = map.get(key);
  if (value === undefined) {
    const created = create();
    map.set(key, created);
    return created;
  }
  map.delete(key);
  map.set(key, value);
  return value;
}

/** Drops the least recently used numbers, blocks and addresses beyond `maxKeys`. */
function evict({ numbers, ips, blocks }: Counters, maxKeys: number) {
  let over = numbers.size + ips.size + blocks.size - maxKeys;
  // Oldest first across the three maps, one at a time from each in turn.
  while (over > 0) {
    for (const map of [numbers, blocks, ips] as Array<Map<string, unknown>>) {
      const oldest = map.keys().next();
      if (!oldest.done && over > 0) {
        map.delete(oldest.value);
        over -= 1;
      }
    }
  }
}

/** Keeps at most `maxTripped` tripped blocks: the ended ones go first, then the ones ending soonest. */
function boundTripped(trippedBlocks: Map<string, BlockState>, maxTripped: number, now: number) {
  if (trippedBlocks.size <= maxTripped) {
    return;
  }
  for (const [key, block] of trippedBlocks) {
    if (block.trippedUntil <= now) {
      trippedBlocks.delete(key);
    }
  }
  while (trippedBlocks.size > maxTripped) {
    let soonest: string | undefined;
    let soonestUntil = Number.POSITIVE_INFINITY;
    for (const [key, block] of trippedBlocks) {
      if (block.trippedUntil < soonestUntil) {
        soonest = key;
        soonestUntil = block.trippedUntil;
      }
    }
    trippedBlocks.delete(soonest!);
  }
}

/** The store's status: trips in force, this hour's and today's sends, each country's learned peak. */
function statusOf(counters: Counters, now: number): GuardStatus {
  const { trippedBlocks, countries, deployment } = counters;
  const tripped: TrippedEntry[] = [];
  for (const [key, block] of trippedBlocks) {
    if (block.trippedUntil > now) {
      tripped.push({ kind: 'number-block', key, until: block.trippedUntil });
    }
  }
  const hour = Math.floor(now / hourMs);
  const countryRows = [...countries].map(([country, state]) => {
    if (state.trippedUntil > now) {
      tripped.push({ kind: 'country', key: country, until: state.trippedUntil });
    }
    const peak =
      state.hour === hour
        ? decayed(state.peak, state.peakAt, now)
        : Math.max(decayed(state.peak, state.peakAt, now), state.count);
    return { country, sendsThisHour: state.hour === hour ? state.count : 0, learnedPeakPerHour: Math.round(peak * 10) / 10 };
  });
  return {
    kind: 'memory',
    location: 'this process’s memory (inside Logto, counters live in Logto’s own process: restart it to clear them)',
    tripped,
    sendsThisHour: deployment?.hour === hour ? deployment.hourCount : 0,
    sendsToday: deployment?.day === Math.floor(now / dayMs) ? deployment.dayCount : 0,
    countries: countryRows.sort((a, b) => b.learnedPeakPerHour - a.learnedPeakPerHour || a.country.localeCompare(b.country)),
    keys: keyCount(counters),
  };
}

export function createMemoryStore({
  maxKeys = 100_000,
  maxTripped = Math.max(1, Math.floor(maxKeys / 10)),
}: MemoryStoreOptions = {}): MemoryStore {
  let counters = emptyCounters();

  const decideSync = (input: DecisionInput, now: number, options: DecideOptions = {}) => {
    const { numbers, ips, blocks, trippedBlocks, countries } = counters;
    const deployment = (counters.deployment ??= newDeploymentState(now));
    let block = trippedBlocks.get(input.block);
    const wasTripped = block !== undefined;
    if (block && block.trippedUntil <= now) {
      trippedBlocks.delete(input.block);
      blocks.set(input.block, block);
    }
    block = block ?? touch(blocks, input.block, newBlockState);
    const state = {
      number: touch(numbers, input.number, newNumberState),
      block,
      country: touch(countries, input.country, newCountryState),
      deployment,
      ip: input.ip === undefined ? undefined : touch(ips, input.ip, newIpState),
    };
    const verdict = decideVelocity(input, state, now, {
      budgetFailClosed: options.budgetFailClosed ?? false,
      storeAvailable: options.storeAvailable ?? true,
    });
    if (block.trippedUntil > now && !trippedBlocks.has(input.block)) {
      blocks.delete(input.block);
      trippedBlocks.set(input.block, block);
      boundTripped(trippedBlocks, maxTripped, now);
    } else if (wasTripped && block.trippedUntil <= now) {
      touch(blocks, input.block, () => block);
    }
    // A refused attempt leaves nothing behind (an attacker's misses cost no memory and push out
    // no one's counters): entries that hold no count and no trip are dropped.
    if (state.number.count === 0) {
      numbers.delete(input.number);
    }
    if (state.ip?.count === 0) {
      ips.delete(input.ip!);
    }
    if (block.members.size === 0 && block.trippedUntil <= now) {
      blocks.delete(input.block);
    }
    evict(counters, maxKeys);
    return toDecision(verdict, input, now);
  };

  return {
    kind: 'memory',
    size: () => keyCount(counters),
    decideSync,
    decide: async (input, now, options) => decideSync(input, now, options),
    status: async (now = Date.now()) => statusOf(counters, now),
    async reset() {
      counters = emptyCounters();
    },
    async close() {
      // Nothing held open.
    },
  };
}
