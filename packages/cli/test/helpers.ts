/**
 * Running the CLI through `run()` in this process, or as the `smsdesk` executable (bin/smsdesk.js,
 * which loads the built lib/) where the process itself is under test, and the fixtures the CLI
 * tests share.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

import { run } from '../src/cli.js';
import type { TextSink } from '../src/output.js';

/** The executable npm links as `smsdesk`. */
export const bin = fileURLToPath(new URL('../bin/smsdesk.js', import.meta.url));
const built = fileURLToPath(new URL('../lib/bin.js', import.meta.url));

export function assertBuilt() {
  if (!existsSync(built)) {
    throw new Error(`${built} is missing: run \`npm run build -w packages/connector -w packages/sandbox -w packages/cli\` first`);
  }
}

/** A clean environment: no TWILIO_* from the developer's shell, no colour. */
export const baseEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  NO_COLOR: '1',
  ...extra,
});

export type Result = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/**
 * Runs the CLI's `run()` in this process, with what the binary would get: the same arguments,
 * environment, stdin and working directory, and the same result (never a signal). For every test
 * that is not about the process itself (signals, closed pipes, the bin shim).
 */
export async function runInProcess(
  args: string[],
  { env = baseEnv(), input, cwd }: { env?: Record<string, string>; input?: string; cwd?: string } = {}
): Promise<Result> {
  const stdout = new BufferSink();
  const stderr = new BufferSink();
  const code = await run(args, {
    stdin: Readable.from([input ?? '']),
    stdout,
    stderr,
    env,
    cwd: cwd ?? process.cwd(),
    // No Ctrl-C in-process: a long-running command is tested as a process (RunningCli).
    waitForStop: async () => new Promise<string>(() => {}),
  });
  return { code, signal: null, stdout: stdout.text, stderr: stderr.text };
}

/** What a long-running command has printed so far, and its end. */
type Running = { readonly stdout: string; readonly stderr: string; readonly exited: Promise<Result> };

/**
 * Resolves with the first match of `pattern` in the complete lines of stdout (a pipe may deliver
 * half a line: `\d+` must not match half a port); rejects if the command ends first or after 15 s.
 * Read what a later line holds only after waiting for that line (or for the last one).
 */
async function waitForOutput(running: Running, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void running.exited.then(() => (exited = true));
  for (;;) {
    const { stdout } = running;
    const match = pattern.exec(stdout.slice(0, stdout.lastIndexOf('\n') + 1));
    if (match) {
      return match;
    }
    if (exited || Date.now() > deadline) {
      throw new Error(
        `${pattern} not printed (${exited ? 'command ended' : 'timed out'}).\nstdout:\n${stdout}\nstderr:\n${running.stderr}`
      );
    }

    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A long-running command (sandbox, start) as a process: wait for output, then stop it with a signal. */
export class RunningCli implements Running {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<Result>;

  constructor(args: string[], env: Record<string, string> = baseEnv()) {
    this.child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => resolve({ code, signal, stdout: this.stdout, stderr: this.stderr }));
    });
  }

  get running() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    return waitForOutput(this, pattern, timeoutMs);
  }

  /** Sends the signal and waits for the exit; SIGKILL after 10 s so a hang cannot stall the suite. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Result> {
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}

/**
 * A long-running command through `run()` in this process, as {@link RunningCli} runs it as a
 * process: `stop(signal)` is the Ctrl-C its `waitForStop` resolves with. For every test that is not
 * about real signals.
 */
export class RunningInProcess implements Running {
  readonly exited: Promise<Result>;
  running = true;
  private readonly out = new BufferSink();
  private readonly err = new BufferSink();
  private stopWith!: (signal: string) => void;

  constructor(args: string[], env: Record<string, string> = baseEnv()) {
    const stopped = new Promise<string>((resolve) => (this.stopWith = resolve));
    this.exited = run(args, {
      stdin: Readable.from(['']),
      stdout: this.out,
      stderr: this.err,
      env,
      cwd: process.cwd(),
      waitForStop: async () => stopped,
    }).then((code) => {
      this.running = false;
      return { code, signal: null, stdout: this.stdout, stderr: this.stderr };
    });
  }

  get stdout() {
    return this.out.text;
  }

  get stderr() {
    return this.err.text;
  }

  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    return waitForOutput(this, pattern, timeoutMs);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Result> {
    this.stopWith(signal);
    return this.exited;
  }
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const tempDir = async () => mkdtemp(path.join(tmpdir(), 'smsdesk-cli-'));

export const requiredTemplates = [
  { usageType: 'SignIn', content: 'Your sign-in code is {{code}}.' },
  { usageType: 'SignIn', locale: 'fr', content: 'Votre code de connexion est {{code}}.' },
  { usageType: 'Register', content: 'Your sign-up code is {{code}}.' },
  { usageType: 'ForgotPassword', content: 'Your password reset code is {{code}}.' },
  { usageType: 'Generic', content: 'Your verification code is {{code}}.' },
];

export async function writeJson(directory: string, name: string, value: unknown): Promise<string> {
  const file = path.join(directory, name);
  await writeFile(file, typeof value === 'string' ? value : JSON.stringify(value, undefined, 2));
  return file;
}

export const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

/** A sink that keeps what was written, as a terminal (`isTTY`) or a pipe: for in-process tests. */
export class BufferSink implements TextSink {
  text = '';

  constructor(readonly isTTY = false) {}

  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

/** Asserts none of the secrets appears in the text. */
export function expectNoSecrets(text: string, secrets: string[]) {
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(3);
    expect(text).not.toContain(secret);
  }
}
