// Small helpers shared by the bench phases: statistics, child processes over IPC, paths.
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const benchDir = fileURLToPath(new URL('..', import.meta.url));
export const repoDir = fileURLToPath(new URL('../..', import.meta.url));
export const workDir = fileURLToPath(new URL('../.work/', import.meta.url));
mkdirSync(workDir, { recursive: true });

export const quick = Boolean(process.env.BENCH_QUICK && process.env.BENCH_QUICK !== '0');

export function summarize(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) {
    return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  }
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1), n: sorted.length };
}

export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Env for children: no proxies (axios and others honour them), no inherited CA bundle, no REDIS_URL (the guard rows choose their store). */
export function cleanEnv(extra = {}) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(https?_proxy|all_proxy|no_proxy|node_extra_ca_certs|node_options|redis_url)$/i.test(key)) {
      delete env[key];
    }
  }
  return { ...env, ...extra };
}

/**
 * A child process that speaks { type, ... } commands over IPC and answers { ok, result } or
 * { ok: false, error }. Resolves once it says { ready }.
 */
export async function startChild(modulePath, args, { env, execArgv = [], onReady } = {}) {
  const child = fork(modulePath, args, { env, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = [];
  let ready;
  const readyPromise = new Promise((resolve, reject) => {
    ready = resolve;
    child.once('exit', (code, signal) =>
      reject(new Error(`${modulePath} ${args.join(' ')} exited (${code ?? signal}) before it was ready`))
    );
  });
  child.on('message', (message) => {
    if (message?.ready) {
      ready(message);
      return;
    }
    waiting.shift()?.(message);
  });
  child.on('exit', (code, signal) => {
    for (const resolve of waiting.splice(0)) {
      resolve({ ok: false, error: `child exited (${code ?? signal})` });
    }
  });
  const hello = await readyPromise;
  onReady?.(hello);
  return {
    child,
    hello,
    async call(command) {
      const answer = await new Promise((resolve) => {
        waiting.push(resolve);
        child.send(command);
      });
      if (!answer.ok) {
        throw new Error(`${modulePath} ${args.join(' ')}: ${answer.error}`);
      }
      return answer.result;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const log = (...parts) => process.stderr.write(`${parts.join(' ')}\n`);
