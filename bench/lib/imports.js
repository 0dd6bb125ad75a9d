// Import time of each sender's module: alone in a fresh process, and as the extra cost in a process
// that has already loaded @logto/connector-kit and zod. Fresh processes, interleaved, median.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { cleanEnv, log, quick, repoDir, summarize } from './util.js';

const probe = fileURLToPath(new URL('./import-probe.js', import.meta.url));
const importTargets = ['connector', 'official', 'twilio', 'undici', 'fetch'];

const once = (target, mode) =>
  JSON.parse(execFileSync(process.execPath, [probe, target, mode], { cwd: repoDir, env: cleanEnv(), encoding: 'utf8' })).ms;

export function measureImports(targets = importTargets) {
  const runs = quick ? 5 : 15;
  const times = {};
  // One discarded run each, so every target starts from a warm file cache.
  for (const target of targets) {
    for (const mode of ['fresh', 'extra']) once(target, mode);
  }
  for (let run = 0; run < runs; run += 1) {
    for (const target of targets) {
      for (const mode of ['fresh', 'extra']) {
        ((times[target] ??= {})[mode] ??= []).push(once(target, mode));
      }
    }
  }
  const summary = {};
  for (const target of targets) {
    summary[target] = { fresh: summarize(times[target].fresh), extra: summarize(times[target].extra) };
    log(
      `  import ${target}: fresh ${summary[target].fresh.median.toFixed(1)} ms, extra ${summary[target].extra.median.toFixed(1)} ms`
    );
  }
  return { runs, times, summary };
}
