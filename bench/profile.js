// `node bench/profile.js [sender] [sends]`: profiles one sender's send path (node --cpu-prof) at
// concurrency 32 against the fake Twilio endpoint, and prints where its CPU time goes: by area
// (connector code, bundled undici, node internals, GC …), by function (self time), and the
// inclusive time of the connector's own steps. The .cpuprofile stays in bench/.work/profiles/
// for Chrome DevTools or speedscope.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startFakeTwilio } from './lib/throughput.js';
import { cleanEnv, startChild, workDir } from './lib/util.js';

const name = process.argv[2] ?? 'connector';
const sends = Number(process.argv[3] ?? 30_000);
const profiles = join(workDir, 'profiles', name);
rmSync(profiles, { recursive: true, force: true });

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const fake = await startFakeTwilio();
try {
  const child = await startChild(here('./lib/sender-child.js'), [name], {
    execArgv: ['--import', here('./lib/preload.js'), '--cpu-prof', `--cpu-prof-dir=${profiles}`, '--cpu-prof-interval=100'],
    env: cleanEnv({ NODE_EXTRA_CA_CERTS: fake.cert, BENCH_TWILIO_PORT: String(fake.port) }),
  });
  await child.call({ type: 'round', count: 3000, concurrency: 32 });
  const round = await child.call({ type: 'round', count: sends, concurrency: 32 });
  await child.stop();
  console.log(
    `${name}: ${sends} sends at c=32, ${Math.round((round.sends / round.ms) * 1000)}/s, ${(round.cpuUs / round.sends).toFixed(0)} µs CPU per send (profiler on: expect ~10-20% more)\n`
  );
} finally {
  await fake.server.stop();
}

const file = readdirSync(profiles)
  .map((entry) => join(profiles, entry))
  .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
const profile = JSON.parse(readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map((node) => [node.id, { ...node, self: 0 }]));
for (let index = 0; index < profile.samples.length; index += 1) {
  byId.get(profile.samples[index]).self += profile.timeDeltas[index] ?? 0;
}
const parent = new Map();
for (const node of byId.values()) for (const child of node.children ?? []) parent.set(child, node.id);

const area = ({ url, functionName }) => {
  if (!url) return functionName.startsWith('(') ? functionName : 'native / builtins';
  if (url.includes('/packages/connector/lib/') || url.includes('BENCH_CONNECTOR'))
    return /undici-/.test(url) ? 'undici (bundled)' : 'connector';
  if (url.includes('/bench/')) return 'bench harness';
  if (url.startsWith('node:')) return 'node internals';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return match ? match[1] : url;
};

const total = [...byId.values()].reduce((sum, node) => sum + node.self, 0);
const idle = [...byId.values()]
  .filter((node) => node.callFrame.functionName === '(idle)')
  .reduce((sum, node) => sum + node.self, 0);
const busy = total - idle;
// The profile covers the warm-up too: per-send figures divide by every send the process made.
const allSends = 3000 + sends;
const pct = (value) => `${((value / busy) * 100).toFixed(1).padStart(5)}% ${(value / allSends).toFixed(1).padStart(6)} µs/send`;

const group = (key) => {
  const sums = new Map();
  for (const node of byId.values()) {
    if (node.callFrame.functionName === '(idle)') continue;
    const k = key(node);
    sums.set(k, (sums.get(k) ?? 0) + node.self);
  }
  return [...sums].sort((a, b) => b[1] - a[1]);
};

console.log(`Busy samples: ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms profiled (rest idle)\n`);
console.log('Self time by area:');
for (const [key, value] of group((node) => area(node.callFrame)).slice(0, 12)) console.log(`  ${pct(value)}  ${key}`);

const where = ({ functionName, url, lineNumber }) =>
  `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/(node_modules|packages|bench)\//, '$1/')}:${lineNumber + 1}` : ''}`;
console.log('\nSelf time by function (top 30):');
for (const [key, value] of group((node) => where(node.callFrame)).slice(0, 30)) console.log(`  ${pct(value)}  ${key}`);

// Inclusive time of named functions (each sample counted once per function, recursion aside).
const inclusive = new Map();
for (let index = 0; index < profile.samples.length; index += 1) {
  const seen = new Set();
  for (let id = profile.samples[index]; id !== undefined; id = parent.get(id)) {
    const { functionName, url } = byId.get(id).callFrame;
    if (functionName === '(idle)') break;
    const key = `${functionName} [${area({ url, functionName })}]`;
    if (functionName && !seen.has(key)) {
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0));
    }
  }
}
console.log('\nInclusive time, connector and bench functions (top 25):');
for (const [key, value] of [...inclusive]
  .filter(([key]) => /\[(connector|bench harness|undici \(bundled\)|undici|got|axios|twilio)\]/.test(key))
  .sort((a, b) => b[1] - a[1])
  .slice(0, 25)) {
  console.log(`  ${pct(value)}  ${key}`);
}
console.log(`\nProfile: ${file}`);
