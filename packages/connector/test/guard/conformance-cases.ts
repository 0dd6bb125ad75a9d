/**
 * The guard's conformance cases: every store (memory, Redis, Redis Cluster) must decide each of
 * them exactly as expected. conformance.test.ts runs them on the memory store and the machine's
 * Redis, redis-cluster.slow.test.ts on a real Redis Cluster.
 */
import type { GuardDecision, GuardSettings, GuardStore } from '../../src/guard/index.js';

import { attemptFor, hour, sequential, spread, t0 } from './helpers.js';

const outcome = (decision: GuardDecision) =>
  decision.allowed ? (decision.monitored ? `monitored:${decision.monitored.rule}` : 'allowed') : decision.rule;

/** Defines the cases (as `it`s) in the calling `describe`; `open` gives a fresh, empty store that logs fallbacks in `notices`. */
export function conformanceCases(open: (notices?: Array<Record<string, unknown>>) => Promise<GuardStore>) {
  const run = async (
    guard: GuardSettings,
    steps: Array<[number: string, country: string, at: number, options?: { ip?: string; trusted?: boolean }]>
  ) => {
    const notices: Array<Record<string, unknown>> = [];
    const store = await open(notices);
    const attempt = attemptFor(guard);
    const results: string[] = [];
    for (const [number, country, at, options] of steps) {
      results.push(outcome(await store.decide(attempt(number, country, options), at)));
    }
    // Every decision was the store's own: none fell back to memory.
    expect(notices).toEqual([]);
    return results;
  };

  it('number blocks: 10 numbers of a block per hour; the 11th trips it for new numbers, admitted ones keep their codes', async () => {
    const block = '+1415555';
    const steps: Array<[string, string, number]> = Array.from({ length: 11 }, (_, index) => [
      sequential(block, index),
      'US',
      t0 + index * 1000,
    ]);
    steps.push(
      [sequential(block, 0), 'US', t0 + 20_000], // a retry of an admitted number
      [sequential(block, 50), 'US', t0 + 2 * hour], // window over, but still tripped
      [sequential(block, 51), 'US', t0 + 25 * hour], // one refused attempt did not renew the trip
      ['+14155556001', 'US', t0 + 30_000] // another block is untouched
    );
    expect(await run({}, steps)).toEqual([
      ...Array.from({ length: 10 }, () => 'allowed'),
      'number-block',
      'allowed',
      'number-block',
      'allowed',
      'allowed',
    ]);
  });

  it('number blocks: an attack that keeps walking the block renews its trip', async () => {
    const block = '+1415556';
    const steps: Array<[string, string, number]> = Array.from({ length: 11 }, (_, index) => [
      sequential(block, index),
      'US',
      t0 + index,
    ]);
    // 10 more new numbers within an hour, 20 hours later: the trip now ends 24 hours after them.
    for (let index = 0; index < 10; index += 1) {
      steps.push([sequential(block, 100 + index), 'US', t0 + 20 * hour + index * 60_000]);
    }
    steps.push([sequential(block, 200), 'US', t0 + 30 * hour], [sequential(block, 201), 'US', t0 + 45 * hour]);
    const results = await run({}, steps);
    expect(results.slice(10)).toEqual([...Array.from({ length: 11 }, () => 'number-block'), 'number-block', 'allowed']);
  });

  it('a number already counted in the block is not a new number', async () => {
    const block = '+447911123';
    const steps: Array<[string, string, number]> = Array.from({ length: 10 }, (_, index) => [
      sequential(block, index),
      'GB',
      t0 + index,
    ]);
    steps.push([sequential(block, 3), 'GB', t0 + 100], [sequential(block, 10), 'GB', t0 + 200]);
    expect((await run({}, steps)).slice(-2)).toEqual(['allowed', 'number-block']);
  });

  it('per number per day: 20 codes, then refused until 24 hours after the first', async () => {
    const number = '+14155552671';
    const steps: Array<[string, string, number]> = Array.from({ length: 21 }, (_, index) => [number, 'US', t0 + index * 60_000]);
    steps.push([number, 'US', t0 + 23 * hour], [number, 'US', t0 + 24 * hour + 1]);
    const results = await run({}, steps);
    expect(results.slice(0, 20).every((result) => result === 'allowed')).toBe(true);
    expect(results.slice(20)).toEqual(['number-day', 'number-day', 'allowed']);
  });

  /** 60 US sends (the dominant country), then 21 new Jamaican numbers: one past Jamaica's floor of 20. */
  const jamaicaAfterUsHistory = () => {
    const steps: Array<[string, string, number]> = [];
    for (let index = 0; index < 60; index += 1) {
      steps.push([spread('+1415', index), 'US', t0 + index * 1000]);
    }
    for (let index = 0; index < 21; index += 1) {
      steps.push([spread('+1876', index), 'JM', t0 + 100_000 + index * 1000]);
    }
    return steps;
  };

  it('country velocity: a country with no history gets its floor, then trips for new numbers; the dominant country is not limited', async () => {
    const guard: GuardSettings = { country: { learningHours: 0 } };
    const steps = jamaicaAfterUsHistory();
    steps.push(
      [spread('+1876', 0), 'JM', t0 + 200_000], // admitted: retries pass
      [spread('+1876', 30), 'JM', t0 + 3 * hour], // still tripped (6 h)
      [spread('+1876', 31), 'JM', t0 + 7 * hour] // a few refused attempts did not renew it
    );
    const results = await run(guard, steps);
    expect(results.slice(0, 60).every((result) => result === 'allowed')).toBe(true);
    expect(results.slice(60, 80).every((result) => result === 'allowed')).toBe(true);
    expect(results.slice(80)).toEqual(['country-velocity', 'allowed', 'country-velocity', 'allowed']);
  });

  it('country velocity: attempts that keep coming faster than the floor renew the trip', async () => {
    const guard: GuardSettings = { country: { learningHours: 0 } };
    const steps = jamaicaAfterUsHistory();
    // 20 refused new numbers within hour 5: tripped until 11 h.
    for (let index = 0; index < 20; index += 1) {
      steps.push([spread('+1876', 100 + index), 'JM', t0 + 5 * hour + index * 1000]);
    }
    steps.push([spread('+1876', 200), 'JM', t0 + 10 * hour], [spread('+1876', 201), 'JM', t0 + 12 * hour]);
    const results = await run(guard, steps);
    expect(results.slice(80)).toEqual([...Array.from({ length: 21 }, () => 'country-velocity'), 'country-velocity', 'allowed']);
  });

  it('country velocity learns: a country that sent 15 an hour may send 4 times that', async () => {
    const guard: GuardSettings = { country: { learningHours: 0, factor: 4 } };
    const steps: Array<[string, string, number]> = [];
    let index = 0;
    // Home traffic every hour, so GB is never the dominant country.
    for (let hourIndex = 0; hourIndex < 4; hourIndex += 1) {
      for (let home = 0; home < 100; home += 1) {
        steps.push([spread('+1415', (index += 1)), 'US', t0 + hourIndex * hour + home * 1000]);
      }
      const count = hourIndex < 3 ? 15 : 61;
      for (let send = 0; send < count; send += 1) {
        steps.push([spread('+4479', (index += 1)), 'GB', t0 + hourIndex * hour + 200_000 + send * 1000]);
      }
    }
    const results = await run(guard, steps);
    const last = results.slice(-61);
    expect(last.slice(0, 60).every((result) => result === 'allowed')).toBe(true);
    expect(last[60]).toBe('country-velocity');
    expect(results.slice(0, -1).every((result) => result === 'allowed')).toBe(true);
  });

  it('while learning, a country may also send a share of the hour', async () => {
    const steps: Array<[string, string, number]> = [];
    for (let index = 0; index < 400; index += 1) {
      steps.push([spread('+1415', index), 'US', t0 + index * 100]);
    }
    for (let index = 0; index < 46; index += 1) {
      steps.push([spread('+1604', index), 'CA', t0 + 50_000 + index * 100]);
    }
    const results = await run({ country: { shareWhileLearning: 0.1 } }, steps);
    // 10% of 400 + 45 sends this hour: 45 allowed, then tripped.
    expect(results.filter((result) => result === 'allowed')).toHaveLength(445);
    expect(results.at(-1)).toBe('country-velocity');
  });

  it('per IP (opt-in): counted per address, per hour', async () => {
    const guard: GuardSettings = { ipPerHour: 3 };
    const steps: Array<[string, string, number, { ip?: string }]> = [
      [spread('+1415', 1), 'US', t0, { ip: '203.0.113.7' }],
      [spread('+1415', 2), 'US', t0 + 1, { ip: '203.0.113.7' }],
      [spread('+1415', 3), 'US', t0 + 2, { ip: '203.0.113.7' }],
      [spread('+1415', 4), 'US', t0 + 3, { ip: '203.0.113.7' }],
      [spread('+1415', 5), 'US', t0 + 4, { ip: '203.0.113.8' }],
      [spread('+1415', 6), 'US', t0 + 5, {}],
      [spread('+1415', 7), 'US', t0 + hour, { ip: '203.0.113.7' }],
    ];
    expect(await run(guard, steps)).toEqual(['allowed', 'allowed', 'allowed', 'ip', 'allowed', 'allowed', 'allowed']);
  });

  it('the budget (opt-in): per hour and per day, trusted numbers included', async () => {
    const guard: GuardSettings = { budget: { perHour: 3, perDay: 5 }, trustedNumbers: ['+1415'] };
    const steps: Array<[string, string, number]> = [
      [spread('+1415', 1), 'US', t0],
      [spread('+1415', 2), 'US', t0 + 1],
      [spread('+1212', 3), 'US', t0 + 2],
      [spread('+1212', 4), 'US', t0 + 3],
      [spread('+1212', 5), 'US', t0 + hour],
      [spread('+1212', 6), 'US', t0 + hour + 1],
      [spread('+1212', 7), 'US', t0 + hour + 2],
      [spread('+1212', 8), 'US', t0 + 24 * hour],
    ];
    expect(await run(guard, steps)).toEqual([
      'allowed',
      'allowed',
      'allowed',
      'budget-hour',
      'allowed',
      'allowed',
      'budget-day',
      'allowed',
    ]);
  });

  it('trusted ranges are exempt from the velocity limits: 200 sequential staff numbers in one morning', async () => {
    const guard: GuardSettings = { trustedNumbers: ['+4479460'] };
    const steps: Array<[string, string, number, { trusted: boolean }]> = Array.from({ length: 200 }, (_, index) => [
      `+4479460${String(index).padStart(4, '0')}`,
      'GB',
      t0 + index * 60_000,
      { trusted: true },
    ]);
    expect((await run(guard, steps)).every((result) => result === 'allowed')).toBe(true);
  });

  it('the same 200 staff numbers without the trusted range: 10 per block per hour', async () => {
    const steps: Array<[string, string, number]> = Array.from({ length: 200 }, (_, index) => [
      `+4479460${String(index).padStart(4, '0')}`,
      'GB',
      t0 + index * 60_000,
    ]);
    const results = await run({}, steps);
    expect(results.filter((result) => result === 'allowed')).toHaveLength(10);
    expect(new Set(results.slice(10))).toEqual(new Set(['number-block']));
  });

  it('monitor: would-be refusals are reported, nothing is refused or tripped', async () => {
    const guard: GuardSettings = { mode: 'monitor' };
    const steps: Array<[string, string, number]> = Array.from({ length: 12 }, (_, index) => [
      sequential('+1415555', index),
      'US',
      t0 + index,
    ]);
    steps.push([sequential('+1415555', 40), 'US', t0 + 2 * hour]);
    expect(await run(guard, steps)).toEqual([
      ...Array.from({ length: 10 }, () => 'allowed'),
      'monitored:number-block',
      'monitored:number-block',
      'allowed',
    ]);
  });

  it('refused attempts never count against a number, a country or the budget', async () => {
    const guard: GuardSettings = { budget: { perHour: 12 }, country: { learningHours: 0 } };
    const block = '+1415555';
    const steps: Array<[string, string, number]> = Array.from({ length: 40 }, (_, index) => [
      sequential(block, index),
      'US',
      t0 + index,
    ]);
    steps.push(['+14156661234', 'US', t0 + 100], ['+14156661235', 'US', t0 + 101], ['+14156661236', 'US', t0 + 102]);
    const results = await run(guard, steps);
    // 10 admitted, 30 refused by the block (not counted): 2 more fit the budget of 12.
    expect(results.slice(40)).toEqual(['allowed', 'allowed', 'budget-hour']);
  });

  it('retry-after: a refusal says when to try again', async () => {
    const store = await open();
    const attempt = attemptFor({ numberPerDay: 1 });
    await store.decide(attempt('+14155552671', 'US'), t0);
    const refused = await store.decide(attempt('+14155552671', 'US'), t0 + hour);
    expect(refused).toMatchObject({ allowed: false, rule: 'number-day', retryAfterSeconds: 23 * 3600 });
    expect(refused.allowed || refused.reason).toMatch(
      /^\+1 415 555 \*{4} has received the most codes allowed in a day\. Try again in 23 hours\.$/
    );
  });
}
