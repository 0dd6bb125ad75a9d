// `npm run bench`: every figure of the issue, side by side, in one run. See README.md.
//
// Env: BENCH_QUICK=1 (a smoke run), BENCH_ONLY=footprint,imports,senders,sandbox,guard (a subset),
// BENCH_CPU_PROF=connector,undici (write .cpuprofile files of those sender processes to
// bench/.work/profiles/). Only a full run writes results/latest.* and the README table.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

import * as fixtures from './lib/fixtures.js';
import { measureFootprint } from './lib/footprint.js';
import { clearBenchRedis, measureGuardDecisions, measureGuardEffectiveness } from './lib/guard.js';
import { measureImports } from './lib/imports.js';
import { describeMachine } from './lib/machine.js';
import { evaluateTargets, renderMarkdown } from './lib/report.js';
import { measureSandbox } from './lib/sandbox.js';
import { measureSenders, startFakeTwilio } from './lib/throughput.js';
import { benchDir, log, quick } from './lib/util.js';

const phases = ['footprint', 'imports', 'senders', 'sandbox', 'guard'];
const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map((phase) => phase.trim()) : phases;
const complete = !quick && phases.every((phase) => only.includes(phase));
const began = Date.now();

const results = { machine: describeMachine(), quick, phases: only, errors: [] };
log(`bench: ${results.machine.cpuModel}, ${results.machine.cores} cores, Node ${results.machine.node}${quick ? ' (quick)' : ''}`);

async function phase(name, run) {
  if (!only.includes(name)) return;
  const start = Date.now();
  log(`\n[${name}]`);
  try {
    results[name] = await run();
  } catch (error) {
    log(`  ${name} failed: ${error?.stack ?? error}`);
    results.errors.push({ phase: name, message: String(error?.message ?? error) });
  }
  log(`  (${((Date.now() - start) / 1000).toFixed(0)} s)`);
}

await phase('footprint', () => measureFootprint());
await phase('imports', () => measureImports());
await phase('senders', async () => {
  const fake = await startFakeTwilio();
  // The guard-on-Redis row counts in the shared Redis under the fake account: start and end clean.
  await clearBenchRedis(fixtures.accountSID).catch((error) => log(`  Redis not cleared: ${error.message}`));
  try {
    return await measureSenders(fake);
  } finally {
    await fake.server.stop();
    await clearBenchRedis(fixtures.accountSID).catch(() => {});
  }
});
await phase('sandbox', () => measureSandbox());
await phase('guard', async () => ({
  decisions: await measureGuardDecisions(),
  effectiveness: await measureGuardEffectiveness(),
}));

results.machine.loadAverage.end = os.loadavg()[0].toFixed(2);
results.targets = evaluateTargets(results);
results.durationSeconds = Math.round((Date.now() - began) / 1000);
const markdown = renderMarkdown(results);

const resultsDir = join(benchDir, 'results');
mkdirSync(resultsDir, { recursive: true });
const json = `${JSON.stringify(results, null, 2)}\n`;
const document = `# Benchmark results\n\n${markdown}`;
if (complete) {
  const stamp = results.machine.date.replace(/:\d\d\.\d+Z$/, 'Z').replaceAll(':', '-');
  for (const name of ['latest', stamp]) {
    writeFileSync(join(resultsDir, `${name}.json`), json);
    writeFileSync(join(resultsDir, `${name}.md`), document);
  }
  const readmePath = join(benchDir, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = '<!-- bench:latest:start -->';
  const end = '<!-- bench:latest:end -->';
  if (readme.includes(start) && readme.includes(end)) {
    writeFileSync(
      readmePath,
      `${readme.slice(0, readme.indexOf(start) + start.length)}\n${markdown}${readme.slice(readme.indexOf(end))}`
    );
  }
  log(`\nWrote results/latest.{json,md}, results/${stamp}.{json,md} and the README table.`);
} else {
  writeFileSync(join(resultsDir, 'partial.json'), json);
  writeFileSync(join(resultsDir, 'partial.md'), document);
  log('\nA quick or partial run: wrote results/partial.{json,md} only.');
}

process.stdout.write(`\n${markdown}\n`);
log(`bench: ${results.durationSeconds} s`);
process.exitCode = results.errors.length ? 1 : 0;
