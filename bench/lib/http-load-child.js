// The load generator for the sandbox measurement, in its own process: `concurrency` clients, each
// a keep-alive undici connection sending POST …/Messages.json with Basic auth, one after another.
// Answers { type: 'round', url, count, concurrency } with throughput and latency percentiles.
import { performance } from 'node:perf_hooks';

import { Agent, request } from 'undici';

import * as f from './fixtures.js';
import { percentile } from './util.js';

const agent = new Agent({ keepAliveTimeout: 60_000, connections: 64 });
let serial = 0;

async function round({ url, count, concurrency }) {
  const target = `${url}/2010-04-01/Accounts/${f.accountSID}/Messages.json`;
  const latencies = new Float64Array(count);
  let started = 0;
  let done = 0;
  const failures = {};
  const worker = async () => {
    while (started < count) {
      const index = started;
      started += 1;
      serial += 1;
      const body = new URLSearchParams({
        To: f.destination(serial),
        MessagingServiceSid: f.messagingServiceSID,
        Body: f.body(f.code(serial)),
      }).toString();
      const begin = performance.now();
      const response = await request(target, {
        method: 'POST',
        dispatcher: agent,
        headers: { authorization: f.authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      await response.body.text();
      latencies[index] = performance.now() - begin;
      if (response.statusCode === 201) {
        done += 1;
      } else {
        failures[response.statusCode] = (failures[response.statusCode] ?? 0) + 1;
      }
    }
  };
  const begin = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - begin;
  const sorted = latencies.sort();
  return {
    sent: count,
    created: done,
    failures,
    ms,
    perSecond: (done / ms) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1),
  };
}

process.on('message', async (command) => {
  try {
    if (command.type === 'round') {
      process.send({ ok: true, result: await round(command) });
    } else if (command.type === 'exit') {
      await agent.close();
      process.exit(0);
    }
  } catch (error) {
    process.send({ ok: false, error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
