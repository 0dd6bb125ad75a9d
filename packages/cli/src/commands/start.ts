/**
 * `smsdesk start` (the repo's `npm start`): the whole loop in one command. Starts the sandbox,
 * sends one SignIn code to a demo number through the connector, and prints the inbox to read it
 * in, the credentials and the config to paste into Logto. Runs until Ctrl-C.
 *
 * @module
 */
import { randomCode, sandboxRecipient } from '@smsdesk/connector-twilio-sms';

import { UsageError, commonOptions, exitCodes, flagOrEnv, parseCommandArgs, parseHost } from '../args.js';
import type { Command, Context } from '../context.js';
import type { Output } from '../output.js';

import { printSendError, sendThroughConnector } from './send.js';
import { configForLogto, defaultHost, defaultPort, launchSandbox, parsePort, printSandboxInfo } from './sandbox.js';

export type StartArgs = {
  port: number;
  host: string;
  db?: string;
  to: string;
  help: boolean;
  json: boolean;
  verbose: boolean;
};

const startHelp = `Usage: smsdesk start [--port ${defaultPort}] [--host ${defaultHost}] [--db <path>] [--to <phone>]

What \`npm start\` runs. Starts the sandbox (port ${defaultPort}, or the next free one if it is taken;
its database in the sandbox's data directory), sends one SignIn code through the connector to a
demo number, and prints the inbox URL to read it in, the dev account's credentials and a connector
config to paste into Logto (baseUrl set to the sandbox). Runs until Ctrl-C (SIGINT) or SIGTERM.

Options:
  --port <port>     First port to try (default ${defaultPort}; 0 picks a free one)   [TWILIO_SANDBOX_PORT]
  --host <host>     Interface to bind (default ${defaultHost})                   [TWILIO_SANDBOX_HOST]
  --db <path>       SQLite file, or :memory: (default: the sandbox's data directory)  [TWILIO_SANDBOX_DB]
  --to <phone>      Where the demo code goes (default ${sandboxRecipient})
  -h, --help        This help

Exit codes: 0 stopped cleanly, 1 could not start or the demo send failed, 2 usage error.`;

const startOptions = {
  ...commonOptions,
  port: { type: 'string' },
  host: { type: 'string' },
  db: { type: 'string' },
  to: { type: 'string' },
} as const;

export function parseStartArgs(argv: string[], env: Record<string, string | undefined> = {}): StartArgs {
  const { values, positionals } = parseCommandArgs('start', argv, startOptions);
  const help = Boolean(values.help);
  if (positionals.length > 0 && !help) {
    throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[0])}: start takes only options`, 'start');
  }
  if (values.to !== undefined && !values.to.trim()) {
    throw new UsageError('--to needs a phone number, such as +14155550100', 'start');
  }
  return {
    help,
    json: false,
    verbose: false,
    port: parsePort('start', flagOrEnv(values.port, env, 'TWILIO_SANDBOX_PORT'), defaultPort),
    host: parseHost('start', flagOrEnv(values.host, env, 'TWILIO_SANDBOX_HOST'), defaultHost),
    db: flagOrEnv(values.db, env, 'TWILIO_SANDBOX_DB')?.value,
    to: values.to?.trim() ?? sandboxRecipient,
  };
}

/** The `start` handler. */
async function start(args: StartArgs, out: Output, context: Context): Promise<number> {
  const launched = await launchSandbox({ ...args, nextFreePort: true }, out, context);
  const { sandbox } = launched;
  const stopped = context.waitForStop();
  const { bold, dim, green } = out.style;

  try {
    if (args.port !== 0 && sandbox.port !== args.port) {
      out.print(dim(`Port ${args.port} was taken; using ${sandbox.port}.`));
    }
    out.print(bold(`Twilio SMS sandbox is running on ${sandbox.url}`));
    printSandboxInfo(out, launched);
    out.print();

    // The connector, pointed at the sandbox with the account it accepts: what Logto will run.
    const config = configForLogto(launched, true);
    const outcome = await sendThroughConnector(config, { to: args.to, type: 'SignIn', code: randomCode() }, out);
    if (!outcome.ok) {
      printSendError(out, outcome.error);
      return exitCodes.failure;
    }
    out.print(
      green(`✓ Sent a SignIn code to ${outcome.sent.to} through the connector: ${outcome.sent.sid} (${outcome.sent.status})`)
    );
    out.print(`  Read it in the inbox: ${out.style.cyan(`${sandbox.url}/`)}`);
    out.print();
    out.print(dim('Press Ctrl-C to stop.'));

    const signal = await stopped;
    out.print(`${signal}: stopping the sandbox…`);
    return exitCodes.ok;
  } finally {
    await sandbox.close();
    out.print('Stopped.');
  }
}

export const startCommand: Command<StartArgs> = {
  name: 'start',
  summary: 'Run the sandbox, send a demo SignIn code through the connector, print a config for Logto',
  help: startHelp,
  parse: parseStartArgs,
  handler: start,
};
