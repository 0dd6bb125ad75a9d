// The sandbox under a burst: creates/s and p50/p99 latency at 32 concurrent keep-alive clients,
// with its real SQLite store on a temp file, next to a bare node:http responder on the same
// machine (the limit for an HTTP server here). Server, load generator: separate processes.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { cleanEnv, log, quick, startChild, summarize, workDir } from './util.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

const sandboxPlan = quick
  ? { warmup: 1000, rounds: 3, count: 2000, concurrency: 32 }
  : { warmup: 3000, rounds: 5, count: 8000, concurrency: 32 };

const servers = {
  sandbox: {
    label: 'sandbox, SQLite file, creates only (status step 10 min)',
    args: ['sandbox'],
    env: { BENCH_STATUS_DELAY_MS: '600000' },
  },
  sandboxLifecycle: {
    label: 'sandbox, SQLite file, status step 300 ms (default)',
    args: ['sandbox'],
    env: { BENCH_STATUS_DELAY_MS: '300' },
  },
  minimal: { label: 'minimal node:http responder (the limit)', args: ['minimal'], env: {} },
};

export async function measureSandbox() {
  const load = await startChild(here('./http-load-child.js'), [], { env: cleanEnv() });
  const started = {};
  const rounds = {};
  const names = Object.keys(servers);
  try {
    for (const name of names) {
      const server = await startChild(here('./http-server-child.js'), servers[name].args, {
        env: cleanEnv({ ...servers[name].env, BENCH_DB: join(workDir, `sandbox-${name}.db`) }),
      });
      started[name] = { server, url: `http://127.0.0.1:${server.hello.port}`, sent: 0 };
      await load.call({ type: 'round', url: started[name].url, count: sandboxPlan.warmup, concurrency: sandboxPlan.concurrency });
      started[name].sent += sandboxPlan.warmup;
    }
    for (let round = 0; round < sandboxPlan.rounds; round += 1) {
      const order = names.map((_, index) => names[(index + round) % names.length]);
      for (const name of order) {
        const result = await load.call({
          type: 'round',
          url: started[name].url,
          count: sandboxPlan.count,
          concurrency: sandboxPlan.concurrency,
        });
        started[name].sent += sandboxPlan.count;
        (rounds[name] ??= []).push(result);
      }
      log(
        `  sandbox round ${round + 1}/${sandboxPlan.rounds}: ${order.map((name) => `${name} ${Math.round(rounds[name].at(-1).perSecond)}/s p99 ${rounds[name].at(-1).p99.toFixed(2)} ms`).join(', ')}`
      );
    }
    for (const name of names) {
      started[name].stored = await started[name].server.call({ type: 'count' });
    }
  } finally {
    await load.stop();
    await Promise.all(Object.values(started).map(({ server }) => server.stop()));
  }

  const summary = {};
  for (const name of names) {
    const all = rounds[name];
    summary[name] = {
      label: servers[name].label,
      perSecond: summarize(all.map((round) => round.perSecond)),
      p50: summarize(all.map((round) => round.p50)),
      p99: summarize(all.map((round) => round.p99)),
      failures: all.reduce((sum, round) => sum + Object.values(round.failures).reduce((a, b) => a + b, 0), 0),
      sent: started[name].sent,
      stored: started[name].stored,
    };
  }
  return { plan: sandboxPlan, rounds, summary };
}
