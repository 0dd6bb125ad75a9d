/**
 * The velocity rules, as one pure function over the counters a decision reads. The memory store
 * runs it on its own entries; the Redis store's Lua script (redis-script.ts) is the same rules
 * line for line, and one conformance suite runs both.
 *
 * What counts: only allowed sends. A refused attempt never adds to a number's, an address's or a
 * country's counters (an attacker cannot use up a real user's codes or teach the guard a false
 * baseline). Refused attempts to new numbers are counted on the trip that refused them only: while
 * they keep coming faster than the limit allows (an attack still running), the trip is renewed;
 * a few real users trying now and then let it end on time.
 *
 * @module
 */
import type { CountryLimits, NumberBlockLimits } from './options.js';

export type GuardRule =
  | 'country-blocked'
  | 'country-not-allowed'
  | 'number-block'
  | 'country-velocity'
  | 'ip'
  | 'budget-hour'
  | 'budget-day'
  | 'number-day';

export type GuardRefusal = {
  rule: GuardRule;
  /** A sentence for people: never the code; the number masked. */
  reason: string;
  retryAfterSeconds?: number;
};

export type GuardDecision =
  | { allowed: true; /** mode "monitor": what would have been refused. */ monitored?: GuardRefusal }
  | ({ allowed: false } & GuardRefusal);

export type VelocityLimits = {
  numberBlock: NumberBlockLimits | undefined;
  country: CountryLimits | undefined;
  numberPerDay: number | undefined;
  ipPerHour: number | undefined;
  budgetPerHour: number | undefined;
  budgetPerDay: number | undefined;
};

/** One attempt, as the stores key and decide it. */
export type DecisionInput = {
  /** E.164. */
  number: string;
  /** The number without its last 3 digits: its block of 1,000. */
  block: string;
  country: string;
  /** The address to count (IPv6 as its /64), or undefined when not limited. */
  ip: string | undefined;
  /** A trusted number: only the budget applies. */
  trusted: boolean;
  /** "monitor": decide, but refuse nothing and trip nothing. */
  monitor: boolean;
  limits: VelocityLimits;
};

/** A decision's outcome before it is worded: the rule that refused, and until when. */
export type Verdict = { allowed: true } | { allowed: false; rule: GuardRule; until: number };

export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;
/** Learned peaks halve in a week without new peaks. */
export const peakHalfLifeMs = 7 * dayMs;
/** How long a number counts as admitted (its codes keep coming through trips): a day, a period of its own rather than the calendar day. */
export const admittedMs = 24 * hourMs;

export type NumberState = { count: number; start: number };
export type CountryState = {
  hour: number;
  count: number;
  peak: number;
  peakAt: number;
  trippedUntil: number;
  /** Refused attempts to new numbers in hour `refusedHour`, while tripped. */
  refusedHour: number;
  refused: number;
};
export type DeploymentState = {
  born: number;
  hour: number;
  hourCount: number;
  day: number;
  dayCount: number;
  topPeak: number;
  topPeakAt: number;
};
export type IpState = { hour: number; count: number };
/** A block's admitted numbers with when each was first admitted, and its trip. */
export type BlockState = {
  members: Map<string, number>;
  trippedUntil: number;
  /** Refused attempts to new numbers since `refusedSince` (one window), while tripped. */
  refusedSince: number;
  refused: number;
};

export type DecisionState = {
  number: NumberState;
  block: BlockState;
  country: CountryState;
  deployment: DeploymentState;
  ip: IpState | undefined;
};

export const newNumberState = (): NumberState => ({ count: 0, start: 0 });
export const newCountryState = (): CountryState => ({
  hour: 0,
  count: 0,
  peak: 0,
  peakAt: 0,
  trippedUntil: 0,
  refusedHour: 0,
  refused: 0,
});
export const newDeploymentState = (now: number): DeploymentState => ({
  born: now,
  hour: 0,
  hourCount: 0,
  day: 0,
  dayCount: 0,
  topPeak: 0,
  topPeakAt: 0,
});
export const newIpState = (): IpState => ({ hour: 0, count: 0 });
export const newBlockState = (): BlockState => ({ members: new Map(), trippedUntil: 0, refusedSince: 0, refused: 0 });

export const decayed = (value: number, since: number, now: number) =>
  value > 0 ? value * 0.5 ** (Math.max(0, now - since) / peakHalfLifeMs) : 0;

/** Rolls the hourly counters into the hour of `now`, learning the closed hour's peak. */
function rollHours(state: DecisionState, now: number) {
  const hour = Math.floor(now / hourMs);
  const day = Math.floor(now / dayMs);
  const { country, deployment } = state;
  if (country.hour !== hour) {
    const peak = decayed(country.peak, country.peakAt, now);
    country.peak = Math.max(peak, country.count);
    country.peakAt = now;
    country.hour = hour;
    country.count = 0;
    const top = decayed(deployment.topPeak, deployment.topPeakAt, now);
    if (country.peak >= top) {
      deployment.topPeak = country.peak;
      deployment.topPeakAt = now;
    }
  }
  if (deployment.hour !== hour) {
    deployment.hour = hour;
    deployment.hourCount = 0;
  }
  if (deployment.day !== day) {
    deployment.day = day;
    deployment.dayCount = 0;
  }
  if (state.ip && state.ip.hour !== hour) {
    state.ip.hour = hour;
    state.ip.count = 0;
  }
}

/**
 * The country's allowance this hour: its floor, its learned peak times the factor, and while the
 * store is learning a share of the deployment's hour. Above it, the country is refused unless it
 * is the deployment's dominant country (its home: most of this hour's sends and a peak near the
 * top one, or any dominant country while learning).
 */
function countryOverLimit(limits: CountryLimits, country: CountryState, deployment: DeploymentState, now: number): boolean {
  const peak = decayed(country.peak, country.peakAt, now);
  const learning = now - deployment.born < limits.learningMs;
  let allowance = Math.max(limits.floorPerHour, Math.ceil(limits.factor * peak));
  if (learning) {
    allowance = Math.max(allowance, Math.ceil(limits.shareWhileLearning * deployment.hourCount));
  }
  if (country.count < allowance) {
    return false;
  }
  const dominant = country.count * 2 >= deployment.hourCount;
  const home = learning || peak * 2 >= decayed(deployment.topPeak, deployment.topPeakAt, now);
  return !(dominant && home);
}

/**
 * The trip-renewal rule, one for number blocks and countries (and the Lua script's `renewTrip`):
 * while tripped, the refused attempts to new numbers are counted per window; reaching `threshold`
 * in one window renews the trip from now. `newWindow` starts a new count. Returns the trip's end.
 */
function renewTrip(
  trip: { trippedUntil: number; refused: number },
  newWindow: boolean,
  threshold: number,
  tripMs: number,
  now: number
): number {
  if (newWindow) {
    trip.refused = 0;
  }
  trip.refused += 1;
  if (trip.refused >= threshold) {
    trip.trippedUntil = now + tripMs;
  }
  return trip.trippedUntil;
}

type DecideContext = { input: DecisionInput; state: DecisionState; now: number; admitted: boolean };

const refuse = (rule: GuardRule, until: number): Verdict => ({ allowed: false, rule, until });

/** A new number in a block that is tripped, or that already has its most numbers this window. */
function numberBlockVerdict({ input, state, now }: DecideContext, limits: NumberBlockLimits): Verdict | undefined {
  const { block } = state;
  if (block.trippedUntil > now) {
    const newWindow = now - block.refusedSince >= limits.windowMs;
    if (newWindow) {
      block.refusedSince = now;
    }
    return refuse('number-block', renewTrip(block, newWindow, limits.maxNumbers, limits.tripMs, now));
  }
  if (!block.members.has(input.number) && block.members.size >= limits.maxNumbers) {
    if (!input.monitor) {
      block.trippedUntil = now + limits.tripMs;
    }
    return refuse('number-block', now + limits.tripMs);
  }
  return undefined;
}

/** A new number in a country that is tripped, or over its allowance this hour. */
function countryVerdict({ input, state, now }: DecideContext, limits: CountryLimits): Verdict | undefined {
  const { country, deployment } = state;
  if (country.trippedUntil > now) {
    const hour = Math.floor(now / hourMs);
    const newWindow = country.refusedHour !== hour;
    if (newWindow) {
      country.refusedHour = hour;
    }
    return refuse('country-velocity', renewTrip(country, newWindow, limits.floorPerHour, limits.tripMs, now));
  }
  if (countryOverLimit(limits, country, deployment, now)) {
    if (!input.monitor) {
      country.trippedUntil = now + limits.tripMs;
    }
    return refuse('country-velocity', now + limits.tripMs);
  }
  return undefined;
}

/** The limits a trusted number is exempt from: per number, per address, per block, per country. */
function velocityVerdict(context: DecideContext): Verdict | undefined {
  const { input, state, now, admitted } = context;
  const { limits } = input;
  const { number, ip } = state;
  if (limits.numberPerDay !== undefined && number.count >= limits.numberPerDay) {
    return refuse('number-day', number.start + admittedMs);
  }
  if (limits.ipPerHour !== undefined && ip && ip.count >= limits.ipPerHour) {
    return refuse('ip', (Math.floor(now / hourMs) + 1) * hourMs);
  }
  // An admitted number keeps its codes coming through a block's or a country's trip.
  return admitted
    ? undefined
    : ((limits.numberBlock && numberBlockVerdict(context, limits.numberBlock)) ??
        (limits.country && countryVerdict(context, limits.country)));
}

/** The deployment's budget, trusted numbers included; fail-closed refuses while the store is away. */
function budgetVerdict({ input, state, now }: DecideContext, failClosed: boolean): Verdict | undefined {
  const { budgetPerHour, budgetPerDay } = input.limits;
  const { deployment } = state;
  if (budgetPerHour !== undefined && (deployment.hourCount >= budgetPerHour || failClosed)) {
    return refuse('budget-hour', (Math.floor(now / hourMs) + 1) * hourMs);
  }
  if (budgetPerDay !== undefined && (deployment.dayCount >= budgetPerDay || failClosed)) {
    return refuse('budget-day', (Math.floor(now / dayMs) + 1) * dayMs);
  }
  return undefined;
}

/** Counts an allowed (or monitored) attempt. */
function countAttempt({ input, state, now }: DecideContext) {
  const { number, block, country, deployment, ip } = state;
  if (number.count === 0) {
    number.start = now;
  }
  number.count += 1;
  if (!input.trusted && input.limits.numberBlock && !block.members.has(input.number)) {
    block.members.set(input.number, now);
  }
  country.count += 1;
  deployment.hourCount += 1;
  deployment.dayCount += 1;
  if (ip) {
    ip.count += 1;
  }
}

/**
 * Decides one attempt and updates `state` (counts what is allowed, trips what is tripped).
 * `storeAvailable` false means the counters are a fallback: a fail-closed budget refuses.
 */
export function decideVelocity(
  input: DecisionInput,
  state: DecisionState,
  now: number,
  { budgetFailClosed = false, storeAvailable = true } = {}
): Verdict {
  rollHours(state, now);
  const { number, block } = state;
  if (number.count > 0 && now - number.start >= admittedMs) {
    number.count = 0;
  }
  for (const [member, since] of block.members) {
    if (now - since >= (input.limits.numberBlock?.windowMs ?? 0)) {
      block.members.delete(member);
    }
  }

  const context: DecideContext = { input, state, now, admitted: number.count > 0 };
  const verdict = (!input.trusted && velocityVerdict(context)) ||
    budgetVerdict(context, budgetFailClosed && !storeAvailable) || { allowed: true };
  if (verdict.allowed || input.monitor) {
    countAttempt(context);
  }
  return verdict;
}
