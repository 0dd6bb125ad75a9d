// The abuse guard: what a decision costs (in memory and on loopback Redis), and what the defaults do
// to 30 days of legitimate traffic and the attacks of issue 10, in virtual time, with a chart per
// scenario. Runs the built connector (its createGuard) and the CLI's simulation (packages/cli/lib).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

import { renderChart } from './chart.js';
import { connectorLib } from './senders.js';
import { benchDir, log, percentile, quick, repoDir } from './util.js';

const simulateLib = join(repoDir, 'packages/cli/lib/guard/simulate.js');
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const silent = () => {};

/** Times `count` decisions one at a time (as Logto sends: each awaits its own), after a warm-up. */
async function timeDecisions(check, sends, warmup) {
  const samples = [];
  let cpu;
  for (const [index, send] of sends.entries()) {
    if (index === warmup) cpu = process.cpuUsage();
    const start = performance.now();
    await check(send);
    const elapsed = performance.now() - start;
    if (index >= warmup) samples.push(elapsed);
  }
  const { user, system } = process.cpuUsage(cpu);
  samples.sort((a, b) => a - b);
  // CPU per decision is this process's only (not Redis's); unlike the latencies, other work on the machine barely moves it.
  return {
    cpuUsPerDecision: (user + system) / samples.length,
    decisions: samples.length,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    maxMs: samples.at(-1),
  };
}

/**
 * p50/p99 of one guard decision at the defaults, over the first sends of the simulated deployment
 * (a fresh store learning, real numbers in 17 countries), in memory and on Redis.
 */
export async function measureGuardDecisions() {
  const connector = await import(pathToFileURL(connectorLib).href);
  const { createScenarios, replayTraffic } = await import(pathToFileURL(simulateLib).href);
  const count = quick ? 5000 : 30_000;
  const warmup = quick ? 500 : 3000;
  const traffic = { days: 6, dailyCodes: 50_000 };
  const sends = [];
  for (const send of replayTraffic(
    traffic,
    createScenarios(traffic).filter(({ id }) => id === 'a')
  )) {
    sends.push(send);
    if (sends.length >= count + warmup) break;
  }
  const options = connector.parseGuardOptions({ accountSID: `AC${'b'.repeat(32)}` });
  const result = { sends: sends.length - warmup, redisUrl };

  let clock = 0;
  const memoryGuard = connector.createGuard(options, { store: connector.createMemoryStore(), now: () => clock, log: silent });
  const memory = await timeDecisions(
    (send) => ((clock = send.at), memoryGuard.check({ to: send.to, ip: send.ip })),
    sends,
    warmup
  );
  result.memory = memory;
  log(
    `  decision in memory: p50 ${(memory.p50Ms * 1000).toFixed(0)} µs, p99 ${(memory.p99Ms * 1000).toFixed(0)} µs, CPU ${memory.cpuUsPerDecision.toFixed(0)} µs`
  );

  // Redis: its own key prefix for this run, cleared afterwards (never FLUSHALL: the Redis is shared).
  const notices = [];
  const store = connector.createRedisStore({
    url: redisUrl,
    accountSid: options.accountSid,
    keyPrefix: `smsdesk-bench:${process.pid}:${Date.now()}`,
    log: (line) => notices.push(line),
  });
  try {
    if (!(await store.ready())) {
      throw new Error(`Redis at ${redisUrl} is not reachable: ${JSON.stringify(notices[0] ?? {})}`);
    }
    const redisGuard = connector.createGuard(options, { store, now: () => clock, log: silent });
    const redis = await timeDecisions(
      (send) => ((clock = send.at), redisGuard.check({ to: send.to, ip: send.ip })),
      sends,
      warmup
    );
    result.redis = { ...redis, fallbackNotices: notices.length };
    log(
      `  decision on Redis: p50 ${(redis.p50Ms * 1000).toFixed(0)} µs, p99 ${(redis.p99Ms * 1000).toFixed(0)} µs, client CPU ${redis.cpuUsPerDecision.toFixed(0)} µs${notices.length ? ` (fell back to memory: ${notices[0].reason})` : ''}`
    );
  } finally {
    await store.reset().catch(() => {});
    await store.close();
  }
  return result;
}

/** Clears the Redis counters of the bench's fake Twilio account (the guard-on-Redis sender row's). */
export async function clearBenchRedis(accountSid) {
  const connector = await import(pathToFileURL(connectorLib).href);
  const store = connector.createRedisStore({ url: redisUrl, accountSid, log: silent });
  try {
    if (await store.ready()) await store.reset();
  } finally {
    await store.close();
  }
}

const chartWindow = (run, totalHours) => {
  if (!run.window) return { firstHour: 0, lastHour: totalHours };
  const firstHour = Math.max(0, Math.floor((run.window.start - run.start) / 3_600_000) - 12);
  const lastHour = Math.min(totalHours, Math.ceil((run.window.end - run.start) / 3_600_000) + 12);
  return { firstHour, lastHour };
};

/**
 * The scenarios replayed against the guard's defaults (no guard key at all), with an SVG chart per
 * scenario in results/ (full runs and BENCH_ONLY=guard; quick runs write none).
 */
export async function measureGuardEffectiveness() {
  const connector = await import(pathToFileURL(connectorLib).href);
  const { simulateGuard } = await import(pathToFileURL(simulateLib).href);
  const traffic = quick ? { days: 10, dailyCodes: 10_000 } : { days: 30, dailyCodes: 50_000 };
  log(
    `  replaying ${traffic.days} days of ${traffic.dailyCodes.toLocaleString('en')} codes a day and the attacks, at the defaults`
  );
  const result = await simulateGuard(connector.parseGuardOptions({ accountSID: `AC${'b'.repeat(32)}` }), {
    ...traffic,
    onProgress: (day, days) => {
      if (day % 10 === 0 || day === days) log(`    day ${day}/${days}`);
    },
  });
  const charts = {};
  for (const run of result.runs) {
    const { firstHour, lastHour } = chartWindow({ ...run, start: result.start }, run.hours.length);
    const subtitle =
      run.overlayKind === 'none'
        ? `${run.legit.sends.toLocaleString('en')} legitimate sends, ${run.legit.refused.toLocaleString('en')} refused (defaults, fresh install)`
        : `${run.overlaySends.sends.toLocaleString('en')} ${run.overlayKind === 'staff' ? 'enrolment' : 'attack'} sends: ${run.overlaySends.through.toLocaleString('en')} delivered, ${run.overlaySends.refused.toLocaleString('en')} refused; legitimate refused: ${run.legit.refused.toLocaleString('en')} of ${run.legit.sends.toLocaleString('en')}${run.remedy ? `; with ${run.remedy}` : ' (defaults)'}`;
    const svg = renderChart({
      title: run.title,
      subtitle,
      hours: run.hours.slice(firstHour, lastHour),
      firstHour,
      start: result.start,
      overlayLabel: run.overlayKind === 'staff' ? 'staff' : 'attack',
    });
    if (!quick) {
      const file = `guard-${run.id}.svg`;
      writeFileSync(join(benchDir, 'results', file), svg);
      charts[run.id] = `results/${file}`;
    }
  }
  log(
    `  ${result.decisions.toLocaleString('en')} decisions in ${(result.elapsedMs / 1000).toFixed(0)} s${quick ? '' : '; charts in results/guard-*.svg'}`
  );
  return {
    traffic: result.traffic,
    decisions: result.decisions,
    elapsedMs: result.elapsedMs,
    charts,
    runs: result.runs.map(({ hours, ...run }) => run),
  };
}
