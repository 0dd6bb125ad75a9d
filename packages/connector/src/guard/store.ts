/**
 * What a guard store is: the memory store and the Redis store both implement it.
 *
 * @module
 */
import type { DecisionInput, GuardDecision } from './decision.js';

export type TrippedEntry = { kind: 'number-block' | 'country'; key: string; until: number };

export type GuardStatus = {
  kind: 'memory' | 'redis';
  /** Where the counters live, for people. */
  location: string;
  tripped: TrippedEntry[];
  /** Sends counted this hour and this UTC day, and the learned hourly peak per country. */
  sendsThisHour: number;
  sendsToday: number;
  countries: Array<{ country: string; sendsThisHour: number; learnedPeakPerHour: number }>;
  /** Tracked numbers, blocks and addresses. */
  keys: number;
};

export type DecideOptions = {
  /** The global budget refuses when its counter cannot be read (the store is a fallback). */
  budgetFailClosed?: boolean;
  /** False when these counters stand in for an unreachable shared store. */
  storeAvailable?: boolean;
};

export interface GuardStore {
  readonly kind: 'memory' | 'redis';
  /** One atomic decision: read the counters, decide, count what was allowed. One round trip on Redis. */
  decide(input: DecisionInput, now: number, options?: DecideOptions): Promise<GuardDecision>;
  status(now?: number): Promise<GuardStatus>;
  reset(): Promise<void>;
  close(): Promise<void>;
}
