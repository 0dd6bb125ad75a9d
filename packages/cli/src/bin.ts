#!/usr/bin/env node
/**
 * The `twilio-sms` executable.
 *
 * @module
 */
import { run } from './cli.js';

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
process.exitCode = code;

// Every command closes what it opened; if something still holds the event loop (a client that
// keeps a connection open), do not hang: leave once stdout has drained.
setTimeout(() => {
  process.exit(code);
}, 2000).unref();
