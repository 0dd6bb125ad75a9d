// Throughput, client CPU per send and memory over many sends, for every sender, against one fake
// Twilio endpoint in its own process. Rounds are interleaved across senders (and the order rotates)
// so a slow minute of the machine falls on all of them alike.
import { fileURLToPath } from 'node:url';

import { makeCertificate } from './cert.js';
import * as f from './fixtures.js';
import { senderNames, senders } from './senders.js';
import { cleanEnv, log, quick, startChild, summarize } from './util.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

const plan = quick
  ? { warmup: 500, rounds: 3, c1: 200, c32: 1000, memory: 10_000, every: 1000, flatFrom: 2000 }
  : { warmup: 3000, rounds: 5, c1: 800, c32: 4000, memory: 50_000, every: 5000, flatFrom: 10_000 };

export async function startFakeTwilio() {
  const { cert, key } = makeCertificate();
  const server = await startChild(here('./fake-twilio.js'), [], {
    env: cleanEnv({ BENCH_CERT: cert, BENCH_KEY: key, BENCH_AUTH: f.authorization, BENCH_HOST: '127.0.0.1', BENCH_PORT: '0' }),
  });
  return { server, port: server.hello.port, cert };
}

async function startSender(name, fake, extraArgs = []) {
  return startChild(here('./sender-child.js'), [name], {
    execArgv: [
      '--import',
      here('./preload.js'),
      ...extraArgs,
      ...(process.env.BENCH_CPU_PROF?.split(',').includes(name)
        ? ['--cpu-prof', `--cpu-prof-dir=${here(`../.work/profiles/${name}`)}`]
        : []),
    ],
    env: cleanEnv({
      NODE_EXTRA_CA_CERTS: fake.cert,
      BENCH_TWILIO_ADDRESS: '127.0.0.1',
      BENCH_TWILIO_PORT: String(fake.port),
    }),
  });
}

/** Runs one command and checks on the server side that exactly `sends` well-formed sends arrived. */
async function counted(fake, sender, command) {
  const before = await fake.server.call({ type: 'counts' });
  const result = await sender.call(command);
  const after = await fake.server.call({ type: 'counts' });
  const arrived = after.ok - before.ok;
  const bad = after.bad - before.bad;
  const expected = command.count;
  if (arrived !== expected || bad !== 0) {
    throw new Error(`${command.type}: ${expected} sends, but the fake endpoint counted ${arrived} accepted and ${bad} refused`);
  }
  return { ...result, arrived };
}

export async function measureSenders(fake, names = senderNames) {
  const children = {};
  for (const name of names) {
    log(`  starting ${name}`);
    children[name] = await startSender(name, fake);
  }

  const rounds = { c1: {}, c32: {} };
  const serverCount = { expected: 0, arrived: 0 };
  try {
    for (const name of names) {
      log(`  warm-up ${name}: ${plan.warmup} sends at c=32, ${plan.warmup / 10} at c=1`);
      for (const [count, concurrency] of [
        [plan.warmup, 32],
        [plan.warmup / 10, 1],
      ]) {
        const { arrived } = await counted(fake, children[name], { type: 'round', count, concurrency });
        serverCount.expected += count;
        serverCount.arrived += arrived;
      }
    }

    for (const [key, concurrency, count] of [
      ['c1', 1, plan.c1],
      ['c32', 32, plan.c32],
    ]) {
      for (let round = 0; round < plan.rounds; round += 1) {
        const order = names.map((_, index) => names[(index + round) % names.length]);
        for (const name of order) {
          const result = await counted(fake, children[name], { type: 'round', count, concurrency });
          serverCount.expected += count;
          serverCount.arrived += result.arrived;
          (rounds[key][name] ??= []).push({
            ...result,
            sendsPerSecond: (result.sends / result.ms) * 1000,
            cpuUsPerSend: result.cpuUs / result.sends,
          });
        }
        log(
          `  c=${concurrency} round ${round + 1}/${plan.rounds}: ${order.map((name) => `${name} ${Math.round(rounds[key][name].at(-1).sendsPerSecond)}/s`).join(', ')}`
        );
      }
    }
  } finally {
    await Promise.all(Object.values(children).map((child) => child.stop()));
  }

  // Memory over many sends, each sender in a fresh process (so peak RSS is its own).
  const memory = {};
  for (const name of names) {
    const child = await startSender(name, fake, ['--expose-gc']);
    try {
      await counted(fake, child, { type: 'round', count: plan.warmup, concurrency: 32 });
      const result = await counted(fake, child, { type: 'memory', count: plan.memory, concurrency: 32, every: plan.every });
      serverCount.expected += plan.warmup + plan.memory;
      serverCount.arrived += plan.warmup + result.arrived;
      const at = (sends) => result.samples.find((sample) => sample.sends === sends);
      const from = at(plan.flatFrom).rss;
      const last = result.samples.at(-1).rss;
      memory[name] = {
        ...result,
        rssFrom: from,
        rssLast: last,
        heapFrom: at(plan.flatFrom).heapAfterGc,
        heapLast: result.samples.at(-1).heapAfterGc,
        growth: last / from - 1,
        flat: last <= from * 1.1,
      };
      log(
        `  memory ${name}: rss ${(from / 2 ** 20).toFixed(1)} MiB at ${plan.flatFrom} -> ${(last / 2 ** 20).toFixed(1)} MiB at ${plan.memory}, peak ${(result.maxRssBytes / 2 ** 20).toFixed(1)} MiB; heap after GC ${(memory[name].heapFrom / 2 ** 20).toFixed(1)} -> ${(memory[name].heapLast / 2 ** 20).toFixed(1)} MiB`
      );
    } finally {
      await child.stop();
    }
  }

  const summary = {};
  for (const name of names) {
    summary[name] = {
      label: senders[name].label,
      c1: summarize(rounds.c1[name].map((round) => round.sendsPerSecond)),
      c32: summarize(rounds.c32[name].map((round) => round.sendsPerSecond)),
      cpuUsPerSendC32: summarize(rounds.c32[name].map((round) => round.cpuUsPerSend)),
      cpuUsPerSendC1: summarize(rounds.c1[name].map((round) => round.cpuUsPerSend)),
      memory: memory[name],
    };
  }
  return { plan, rounds, summary, serverCount };
}
