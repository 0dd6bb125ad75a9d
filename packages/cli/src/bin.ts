/**
 * What the `smsdesk` executable runs: bin/smsdesk.js, committed so that npm links it before
 * anything is built, loads this file from lib/.
 *
 * @module
 */
import { exitCodes } from './args.js';
import { run } from './cli.js';

// A reader that stops early (`smsdesk check config.json | head -3`, `smsdesk sandbox | head`)
// closes the pipe: end quietly, as a SIGPIPE would, not with an unhandled EPIPE's stack trace.
// Any other failure of stdout leaves nowhere to say what went wrong either.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  process.exit(error.code === 'EPIPE' ? exitCodes.ok : exitCodes.failure);
});
// A closed stderr loses the messages, not the work: the command goes on and keeps its exit code.
process.stderr.on('error', () => {});

/** Resolves on the first SIGINT/SIGTERM; a second one exits at once (130) for a stuck shutdown. */
const waitForStop = async () =>
  new Promise<string>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.exit(130);
      }
      stopping = true;
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });

const code = await run(process.argv.slice(2), {
  // Lazy: creating process.stdin for a terminal can keep the process alive.
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  waitForStop,
});

// Every command has closed what it opened, but a kept-alive connection of the HTTP client can hold
// the event loop for a while: leave as soon as the output is flushed.
const flushed = (stream: NodeJS.WriteStream) =>
  new Promise<void>((resolve) => {
    stream.write('', () => resolve());
  });
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
