// One sender in its own process (started with --import ./preload.js). The parent sends commands
// over IPC; each runs `count` sends with `concurrency` workers and answers with wall time, this
// process's CPU time and memory. Nothing else runs here while a round is timed.
import { performance } from 'node:perf_hooks';

import { senders } from './senders.js';

const name = process.argv[2];
const send = await senders[name].create();
let serial = 0;

async function run(count, concurrency, onProgress) {
  let started = 0;
  let done = 0;
  const worker = async () => {
    while (started < count) {
      started += 1;
      serial += 1;
      await send(serial);
      done += 1;
      onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return done;
}

async function round({ count, concurrency }) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const sends = await run(count, concurrency);
  const ms = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  return { sends, ms, cpuUs: user + system, userUs: user, systemUs: system };
}

async function memory({ count, concurrency, every }) {
  const samples = [];
  let next = every;
  await run(count, concurrency, (done) => {
    if (done >= next) {
      const { rss } = process.memoryUsage();
      // Heap after a full GC (--expose-gc): what is really retained, whatever RSS the heap keeps.
      globalThis.gc?.();
      samples.push({ sends: next, rss, heapAfterGc: process.memoryUsage().heapUsed });
      next += every;
    }
  });
  return { samples, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
}

process.on('message', async (command) => {
  try {
    if (command.type === 'round') {
      process.send({ ok: true, result: await round(command) });
    } else if (command.type === 'memory') {
      process.send({ ok: true, result: await memory(command) });
    } else if (command.type === 'exit') {
      process.exit(0);
    }
  } catch (error) {
    process.send({ ok: false, error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
