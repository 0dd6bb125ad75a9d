/**
 * Replays the scenarios of {@link createScenarios} against a config's guard limits with the guard's
 * real decision logic (`createGuard` over a fresh memory store per scenario) and a virtual clock.
 * One pass over the traffic feeds every scenario's guard: the legitimate background goes to all of
 * them, each overlay only to its own.
 *
 * @module
 */
import { type GuardOptions, type GuardRule, createGuard, createMemoryStore } from '@smsdesk/connector-twilio-sms';

import {
  type Scenario,
  type ScenarioId,
  type SimulatedSend,
  type TrafficOptions,
  createScenarios,
  defaultTraffic,
  replayTraffic,
  simulationStart,
  staffRange,
} from './scenarios.js';

const hour = 3_600_000;

/** Sends of one hour of one run, for the charts. */
export type HourTally = { legitSent: number; legitRefused: number; overlaySent: number; overlayRefused: number };

export type RunResult = {
  /** The scenario's id, or `staff-trusted` for the staff enrolment with its range trusted. */
  id: string;
  scenario: ScenarioId;
  title: string;
  overlay: string;
  /** The guard settings this run changed from the config (the trusted-range remedy). */
  remedy?: string;
  /** Whether the overlay is an attack (its sends through are the damage) or legitimate (staff). */
  overlayKind: 'attack' | 'staff' | 'none';
  legit: { sends: number; refused: number; wouldRefuse: number };
  overlaySends: { sends: number; through: number; refused: number; wouldRefuse: number };
  /** Refusals (or would-be refusals in monitor mode) by rule, split by whom they hit. */
  byRule: Partial<Record<GuardRule, { legit: number; overlay: number }>>;
  /** Legitimate sends refused (or would-be refused) per destination country. */
  legitRefusedByCountry: Record<string, number>;
  /** The first few legitimate sends refused: when, which rule, the guard's sentence (numbers masked). */
  legitRefusals: Array<{ at: string; rule: GuardRule; reason: string }>;
  window?: { start: number; end: number };
  /** Per hour from the simulation's start. */
  hours: HourTally[];
};

export type SimulationResult = {
  traffic: Required<TrafficOptions>;
  start: number;
  mode: GuardOptions['mode'];
  runs: RunResult[];
  /** Sends decided in all (every run's), and how long the replay took (not part of any verdict). */
  decisions: number;
  elapsedMs: number;
};

export type SimulateOptions = TrafficOptions & {
  /** Scenarios to run (default all); the staff enrolment also runs with its range trusted. */
  scenarios?: readonly ScenarioId[];
  /** Called about once per simulated day. */
  onProgress?: (day: number, days: number) => void;
};

type Run = {
  result: RunResult;
  guard: ReturnType<typeof createGuard>;
};

const silent = () => {
  // Refusals are tallied here, not logged: a replay makes millions of decisions.
};

/** A run's tallies before its first send. */
function emptyResult(scenario: Scenario, id: string, totalHours: number, remedy?: string): RunResult {
  return {
    id,
    scenario: scenario.id,
    title: remedy ? `${scenario.title}, range trusted` : scenario.title,
    overlay: scenario.overlay,
    ...(remedy && { remedy }),
    overlayKind: scenario.id === 'legit' ? 'none' : scenario.id === 'staff' ? 'staff' : 'attack',
    legit: { sends: 0, refused: 0, wouldRefuse: 0 },
    overlaySends: { sends: 0, through: 0, refused: 0, wouldRefuse: 0 },
    byRule: {},
    legitRefusedByCountry: {},
    legitRefusals: [],
    ...(scenario.window && { window: scenario.window }),
    hours: Array.from({ length: totalHours }, () => ({ legitSent: 0, legitRefused: 0, overlaySent: 0, overlayRefused: 0 })),
  };
}

/**
 * One run per scenario, each with its own guard over a fresh memory store on the virtual clock;
 * the staff enrolment also runs with its range trusted (the remedy the README suggests).
 */
function createRuns(scenarios: Scenario[], options: GuardOptions, now: () => number, totalHours: number) {
  const createRun = (scenario: Scenario, runOptions: GuardOptions, id: string = scenario.id, remedy?: string): Run => ({
    guard: createGuard(runOptions, { store: createMemoryStore(), now, log: silent }),
    result: emptyResult(scenario, id, totalHours, remedy),
  });
  const runs: Run[] = [];
  const runsOf = new Map<ScenarioId | undefined, Run[]>();
  for (const scenario of scenarios) {
    const scenarioRuns = [createRun(scenario, options)];
    if (scenario.id === 'staff') {
      const trusted = [...options.trustedNumbers, staffRange.trustedPrefix];
      scenarioRuns.push(
        createRun(
          scenario,
          { ...options, trustedNumbers: trusted },
          'staff-trusted',
          `"trustedNumbers": ["${staffRange.trustedPrefix}"]`
        )
      );
    }
    runs.push(...scenarioRuns);
    runsOf.set(scenario.id, scenarioRuns);
  }
  return { runs, runsOf };
}

type Decision = Awaited<ReturnType<ReturnType<typeof createGuard>['check']>>;

/** Counts one decision in a run: by whom it was for (background or overlay), hour, rule and country. */
function tally(result: RunResult, send: SimulatedSend, decision: Decision, hourIndex: number) {
  const background = send.scenario === undefined;
  const refusal = decision.allowed ? decision.monitored : decision;
  const hourTally = result.hours[hourIndex]!;
  const counts = background ? result.legit : result.overlaySends;
  counts.sends += 1;
  if (decision.allowed) {
    if (background) hourTally.legitSent += 1;
    else {
      hourTally.overlaySent += 1;
      result.overlaySends.through += 1;
    }
  } else {
    counts.refused += 1;
    if (background) hourTally.legitRefused += 1;
    else hourTally.overlayRefused += 1;
  }
  if (!refusal) {
    return;
  }
  if (decision.allowed) counts.wouldRefuse += 1;
  const rule = (result.byRule[refusal.rule] ??= { legit: 0, overlay: 0 });
  rule[background ? 'legit' : 'overlay'] += 1;
  if (background) {
    result.legitRefusedByCountry[send.country] = (result.legitRefusedByCountry[send.country] ?? 0) + 1;
  }
  if (background && result.legitRefusals.length < 5) {
    result.legitRefusals.push({ at: new Date(send.at).toISOString(), rule: refusal.rule, reason: refusal.reason });
  }
}

/**
 * Replays every chosen scenario against `options` (the config's guard, parsed). Deterministic for a
 * given seed: the same config gives the same counts.
 *
 * @example
 * const result = await simulateGuard(parseGuardOptions(config), { days: 30 });
 * for (const run of result.runs) console.log(run.id, run.overlaySends.through, run.legit.refused);
 */
export async function simulateGuard(options: GuardOptions, simulate: SimulateOptions = {}): Promise<SimulationResult> {
  const traffic: Required<TrafficOptions> = {
    days: simulate.days ?? defaultTraffic.days,
    dailyCodes: simulate.dailyCodes ?? defaultTraffic.dailyCodes,
    seed: simulate.seed ?? defaultTraffic.seed,
  };
  const wanted = new Set(simulate.scenarios ?? []);
  const scenarios = createScenarios(traffic).filter(({ id }) => wanted.size === 0 || wanted.has(id));
  const totalHours = (traffic.days + 1) * 24;
  let clock = simulationStart;
  const { runs, runsOf } = createRuns(scenarios, options, () => clock, totalHours);

  const began = performance.now();
  let decisions = 0;
  let lastDay = -1;
  for (const send of replayTraffic(traffic, scenarios)) {
    clock = send.at;
    const day = Math.floor((send.at - simulationStart) / (24 * hour));
    if (day !== lastDay) {
      lastDay = day;
      simulate.onProgress?.(Math.min(day, traffic.days), traffic.days);
    }
    // The legitimate background goes to every run, an overlay only to its scenario's.
    const targets = send.scenario === undefined ? runs : (runsOf.get(send.scenario) ?? []);
    const hourIndex = Math.min(totalHours - 1, Math.floor((send.at - simulationStart) / hour));
    for (const { guard, result } of targets) {
      // eslint-disable-next-line no-await-in-loop -- sequential on purpose: decisions depend on the ones before them
      tally(result, send, await guard.check({ to: send.to, ip: send.ip }), hourIndex);
      decisions += 1;
    }
  }
  simulate.onProgress?.(traffic.days, traffic.days);

  return {
    traffic,
    start: simulationStart,
    mode: options.mode,
    runs: runs.map(({ result }) => result),
    decisions,
    elapsedMs: Math.round(performance.now() - began),
  };
}

// The bench (bench/lib/guard.js) imports the built lib/guard/simulate.js: the traffic too.
export { createScenarios, replayTraffic, scenarioIds, simulationStart, staffRange } from './scenarios.js';
