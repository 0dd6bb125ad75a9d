/**
 * The guard's scenarios (real numbers, the shapes issue 10 describes, deterministic) and
 * `smsdesk guard simulate` in-process through run(), on small traffic so the suite stays quick.
 */
import { Readable } from 'node:stream';

import { regionOf } from '@smsdesk/connector-twilio-sms';
import { parsePhoneNumberWithError } from 'libphonenumber-js/max';

import { run } from '../src/cli.js';
import type { Io } from '../src/context.js';
import { createRandom, createScenarios, drawNumber, replayTraffic, simulationStart, staffRange } from '../src/guard/scenarios.js';

import { BufferSink, requiredTemplates } from './helpers.js';

const small = { days: 7, dailyCodes: 2000 };
const hour = 3_600_000;

const io = (input: string): Io & { stdout: BufferSink; stderr: BufferSink } => ({
  stdin: Readable.from([input]),
  stdout: new BufferSink(false),
  stderr: new BufferSink(false),
  env: { NO_COLOR: '1' },
  cwd: process.cwd(),
  waitForStop: async () => new Promise(() => {}),
});

const baseConfig = {
  accountSID: `AC${'0'.repeat(32)}`,
  authToken: 'simulate-token',
  from: '+15005550006',
  templates: requiredTemplates,
};

type JsonRun = {
  id: string;
  attempts: number;
  through: number;
  overlayRefused: number;
  overlayWouldRefuse: number;
  legitSends: number;
  legitRefused: number;
  legitWouldRefuse: number;
  byRule: Record<string, { legit: number; overlay: number }>;
  hours: Array<{ legitSent: number; legitRefused: number; overlaySent: number; overlayRefused: number }>;
};

async function simulate(config: Record<string, unknown>, flags: string[] = []) {
  const terminal = io(JSON.stringify({ ...baseConfig, ...config }));
  const code = await run(
    ['guard', 'simulate', '-', '--days', String(small.days), '--daily', String(small.dailyCodes), '--json', ...flags],
    terminal
  );
  expect(terminal.stderr.text).toBe('');
  expect(code).toBe(0);
  const result = JSON.parse(terminal.stdout.text) as { ok: boolean; mode: string; scenarios: JsonRun[] };
  return { ...result, run: (id: string) => result.scenarios.find((scenario) => scenario.id === id)! };
}

describe('guard scenarios', () => {
  const scenarios = createScenarios(small);
  const sends = [...replayTraffic(small, scenarios)];
  const legit = sends.filter(({ scenario }) => scenario === undefined);
  const overlay = (id: string) => sends.filter(({ scenario }) => scenario === id);

  it('sends to real, valid numbers whose region the guard reads as the one generated', () => {
    const sample = [
      ...legit.filter((_, index) => index % 41 === 0),
      ...sends.filter(({ scenario }, index) => scenario && index % 7 === 0),
    ];
    const countries = new Set<string>();
    for (const { to, country } of sample) {
      const parsed = parsePhoneNumberWithError(to);
      expect({ to, valid: parsed.isValid(), region: parsed.country }).toEqual({ to, valid: true, region: country });
      expect(regionOf(to)).toBe(country);
      countries.add(country);
    }
    // +1 876 is Jamaica: the sample includes North American numbers of three regions.
    expect([...countries]).toEqual(expect.arrayContaining(['GB', 'US', 'CA', 'UZ', 'KG', 'TJ']));
  });

  it('is deterministic for a seed, and another seed gives other traffic', () => {
    const again = [...replayTraffic(small, createScenarios(small))];
    expect(again).toEqual(sends);
    const other = [...replayTraffic({ ...small, seed: 7 }, createScenarios({ ...small, seed: 7 }))];
    expect(other.slice(0, 50)).not.toEqual(sends.slice(0, 50));
  });

  it('keeps time order, has a daily rhythm and a launch-day peak, and mostly the home country', () => {
    expect(sends.every((send, index) => index === 0 || sends[index - 1]!.at <= send.at)).toBe(true);
    const perHour = new Map<number, number>();
    for (const { at } of legit)
      perHour.set(Math.floor((at - simulationStart) / hour), (perHour.get(Math.floor((at - simulationStart) / hour)) ?? 0) + 1);
    const day2 = (utcHour: number) => perHour.get(2 * 24 + utcHour) ?? 0;
    expect(day2(10)).toBeGreaterThan(4 * day2(3)); // mid-morning against the small hours
    // Day 8 (a Tuesday) has the product launch: its 09:00 hour against the Tuesday before.
    const nineDays = [...replayTraffic({ days: 9, dailyCodes: 2000 }, [])];
    const at = (dayIndex: number) =>
      nineDays.filter(({ at }) => Math.floor((at - simulationStart) / hour) === dayIndex * 24 + 9).length;
    expect(at(8)).toBeGreaterThan(5 * at(1));
    const home = legit.filter(({ country }) => country === 'GB').length;
    expect(home / legit.length).toBeGreaterThan(0.7);
    expect(home / legit.length).toBeLessThan(0.85);
  });

  it('draws subscribers clustered in operator ranges, not uniformly, with retries to the same number', () => {
    // 100,000 United Kingdom subscribers: about one per block of 1,000 on average. Uniform numbers
    // would leave e^-1 = 37% of blocks empty; operator ranges leave far more empty (unallocated,
    // sparse) and pack others.
    const random = createRandom(1);
    const perBlock = new Map<string, number>();
    for (let index = 0; index < 100_000; index += 1) {
      const block = drawNumber(random, 'GB', 1).slice(0, -3);
      perBlock.set(block, (perBlock.get(block) ?? 0) + 1);
    }
    const blocksOfEe = 9 * 10_000; // EE's nine fully used 5-digit prefixes (44795 shares it)
    const eeBlocksUsed = [...perBlock.keys()].filter((block) => /^\+4474/.test(block)).length;
    expect(1 - eeBlocksUsed / blocksOfEe).toBeGreaterThan(0.5);
    expect(Math.max(...perBlock.values())).toBeGreaterThanOrEqual(8);

    const numbers = new Set(legit.map(({ to }) => to));
    expect(legit.length - numbers.size).toBeGreaterThan(legit.length * 0.05);
  });

  it('lays the attacks and the enrolment over the traffic as issue 10 describes', () => {
    const a = overlay('a');
    expect(a).toHaveLength(5000);
    expect(new Set(a.map(({ to }) => to.slice(0, -3))).size).toBe(3);
    expect(a.at(-1)!.at - a[0]!.at).toBeLessThan(2 * hour);
    expect(Number(a[1]!.to) - Number(a[0]!.to)).toBe(1); // sequential

    const b = overlay('b');
    expect(b).toHaveLength(20_000);
    expect(new Set(b.map(({ country }) => country))).toEqual(new Set(['KG', 'TJ']));
    const perBlock = new Map<string, number>();
    for (const { to } of b) perBlock.set(to.slice(0, -3), (perBlock.get(to.slice(0, -3)) ?? 0) + 1);
    expect(Math.max(...perBlock.values())).toBeLessThanOrEqual(2);
    expect(new Set(b.map(({ ip }) => ip)).size).toBeGreaterThan(19_000);
    expect(b.at(-1)!.at - b[0]!.at).toBeLessThan(24 * hour);

    const c = overlay('c');
    expect(c).toHaveLength(144);
    expect(
      c.every(({ country }, index) => country === 'GB' && (index === 0 || c[index]!.at - c[index - 1]!.at === 600_000))
    ).toBe(true);

    const staff = overlay('staff');
    expect(new Set(staff.map(({ to }) => to)).size).toBe(staffRange.count);
    expect(staff.every(({ to }) => to.startsWith(staffRange.trustedPrefix))).toBe(true);
  });

  it('refuses too few days', () => {
    expect(() => createScenarios({ days: 3 })).toThrow('at least 6 days');
  });
});

describe('smsdesk guard simulate', () => {
  it('with the guard off, every attack gets through and nothing legitimate is refused', async () => {
    const result = await simulate({ guard: { mode: 'off' } });
    expect(result.mode).toBe('off');
    for (const run of result.scenarios) {
      expect(run.legitRefused).toBe(0);
      expect(run.overlayRefused).toBe(0);
      expect(run.through).toBe(run.attempts);
    }
    expect(result.run('a').attempts).toBe(5000);
    expect(result.run('legit').legitSends).toBeGreaterThan(small.days * small.dailyCodes * 0.9);
    // The hourly tallies add up to the totals (what the charts draw).
    const a = result.run('a');
    expect(a.hours.reduce((sum, tally) => sum + tally.overlaySent, 0)).toBe(a.through);
  });

  it('applies the country lists to every send: legitimate sends there are refused too', async () => {
    const result = await simulate({ blockedCountries: ['UZ', 'IE'], guard: { mode: 'off' } }, ['--scenario', 'a']);
    expect(result.scenarios.map(({ id }) => id)).toEqual(['a']);
    const a = result.run('a');
    expect(a.through).toBe(0);
    const legitBlocked = [...replayTraffic(small, [])].filter(({ country }) => country === 'UZ' || country === 'IE').length;
    expect(legitBlocked).toBeGreaterThan(100);
    expect(a.legitRefused).toBe(legitBlocked);
    expect(a.byRule['country-blocked']).toEqual({ legit: legitBlocked, overlay: 5000 });
  });

  it('with the defaults, stops attacks (a) and (b), refuses nothing legitimate, and trusted ranges admit the staff', async () => {
    const result = await simulate({});
    expect(result.mode).toBe('enforce');
    for (const run of result.scenarios) {
      expect({ id: run.id, legitRefused: run.legitRefused }).toEqual({ id: run.id, legitRefused: 0 });
    }
    expect(result.run('a').through).toBeLessThanOrEqual(50);
    expect(result.run('b').through).toBeLessThanOrEqual(50);
    expect(result.run('staff').overlayRefused).toBeGreaterThan(0);
    expect(result.run('staff-trusted').overlayRefused).toBe(0);
  });

  it('in monitor mode refuses nothing and counts what it would refuse', async () => {
    const result = await simulate({ guard: { mode: 'monitor' } }, ['--scenario', 'a']);
    const a = result.run('a');
    expect(a.overlayRefused).toBe(0);
    expect(a.through).toBe(5000);
    // Monitor mode trips nothing: the second pass over the blocks goes to numbers already counted.
    expect(a.overlayWouldRefuse).toBeGreaterThan(2900);
  });

  it('prints a table people can read, the same on every run', async () => {
    const first = io(JSON.stringify(baseConfig));
    const flags = ['--days', '6', '--daily', '500', '--scenario', 'a,staff'];
    expect(await run(['guard', 'simulate', '-', ...flags], first)).toBe(0);
    expect(first.stdout.text).toMatch(/Replayed 6 days of legitimate traffic \(500 codes a day/);
    expect(first.stdout.text).toMatch(/\(a\) burst to sequential numbers in 3 blocks \(UZ\)\s+5,000\s+\d+/);
    expect(first.stdout.text).toContain('"trustedNumbers": ["+447833120"]');
    expect(first.stdout.text).not.toContain('simulate-token');
    const second = io(JSON.stringify(baseConfig));
    expect(await run(['guard', 'simulate', '-', ...flags], second)).toBe(0);
    expect(second.stdout.text).toBe(first.stdout.text);
  });

  it('explains usage mistakes (exit 2) and an invalid guard config (exit 1)', async () => {
    for (const argv of [
      ['guard', 'simulate', '-', '--scenario', 'z'],
      ['guard', 'simulate', '-', '--days', '3'],
      ['guard', 'simulate'],
      ['guard', 'simulat', '-'],
      ['guard'],
    ]) {
      const terminal = io('{}');
      expect(await run(argv, terminal)).toBe(2);
      expect(terminal.stderr.text).toMatch(/smsdesk guard|twilio-sms guard/);
    }
    const unknown = io('{}');
    await run(['guard', 'simulate', '-', '--scenario', 'z'], unknown);
    expect(unknown.stderr.text).toContain('Unknown scenario "z": choose from legit, a, b, c, staff');

    const invalid = io(JSON.stringify({ ...baseConfig, guard: { mode: 'loud' } }));
    expect(await run(['guard', 'simulate', '-'], invalid)).toBe(1);
    expect(invalid.stderr.text).toContain('guard.mode must be "enforce", "monitor" or "off"');
  });
});
