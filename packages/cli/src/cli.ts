/**
 * The dispatcher: argv → command → exit code. Every error becomes one line (no stack trace) and an
 * exit code: 1 for a failure, 2 for a usage mistake.
 *
 * @module
 */
import packageJson from '../package.json' with { type: 'json' };

import { CliError, UsageError, closest, exitCodes } from './args.js';
import { checkCommand } from './commands/check.js';
import { guardCommand } from './commands/guard.js';
import { previewCommand } from './commands/preview.js';
import { sandboxCommand } from './commands/sandbox.js';
import { sendCommand } from './commands/send.js';
import { startCommand } from './commands/start.js';
import { ConfigSourceError } from './config-source.js';
import type { Command, Io } from './context.js';
import { Output } from './output.js';

const version = packageJson.version;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command has its own Args; run() hands parse's result only to the same command's handler
const commands: Array<Command<any>> = [checkCommand, previewCommand, sendCommand, sandboxCommand, startCommand, guardCommand];

const toolHelp = `smsdesk ${version}: check, preview and test-send a Logto Twilio SMS connector config, with
the connector's own code, or run a local Twilio-compatible sandbox with a web inbox.

Usage: smsdesk <command> [options]

Commands:
${commands.map(({ name, summary }) => `  ${name.padEnd(9)} ${summary}`).join('\n')}

Run \`smsdesk <command> --help\` for a command's arguments and options.

Options:
  -h, --help      This help (or a command's: smsdesk send --help)
  -v, --version   Print the version

Config files are the connector config as Logto stores it (JSON); - reads it from stdin.
Credentials a config leaves out come from TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN,
TWILIO_API_KEY and TWILIO_API_SECRET for send and preview; check judges the file as stored (Logto
never reads the environment) and says separately whether it works with them. Secrets (auth token, API secret, the code sent) are never
printed. NO_COLOR turns colour off.

Exit codes:
  0  ok
  1  failure: invalid config, unreadable file or stdin, send failed, server unreachable
  2  usage: unknown command or option, missing or invalid argument`;

/** Usage errors go to stderr; with --json, stdout also gets the one JSON object a script expects. */
function reportUsage(io: Io, error: UsageError, argv: string[]) {
  const out = new Output(io.stdout, io.stderr, { env: io.env });
  const prefix = error.command ? `smsdesk ${error.command}` : 'smsdesk';
  out.error(`${prefix}: ${error.message}`);
  out.error(`Run \`${prefix} --help\` for usage.`);
  if (argv.includes('--json')) {
    out.result({ ok: false, error: { code: 'usage_error', message: error.message } });
  }
  return exitCodes.usage;
}

/**
 * Runs the tool with `argv` (without node and the script) and returns the exit code.
 *
 * @example
 * process.exitCode = await run(process.argv.slice(2), { ...process, cwd: process.cwd(), waitForStop });
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;

  if (name === undefined) {
    io.stderr.write(`${toolHelp}\n`);
    return exitCodes.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const command = commands.find((candidate) => candidate.name === topic);
    if (topic && !command) {
      return reportUsage(io, new UsageError(`Unknown command "${topic}"`), argv);
    }
    io.stdout.write(`${command ? command.help : toolHelp}\n`);
    return exitCodes.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version}\n`);
    return exitCodes.ok;
  }

  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    const suggestion = name.startsWith('-')
      ? undefined
      : closest(
          name,
          commands.map(({ name }) => name)
        );
    const what = name.startsWith('-') ? `Unknown option ${name}` : `Unknown command "${name}"`;
    return reportUsage(io, new UsageError(`${what}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`), argv);
  }

  let args;
  try {
    args = command.parse(rest, io.env);
  } catch (error) {
    if (error instanceof UsageError) {
      return reportUsage(io, error, argv);
    }
    throw error;
  }
  if (args.help) {
    io.stdout.write(`${command.help}\n`);
    return exitCodes.ok;
  }

  const out = new Output(io.stdout, io.stderr, { json: args.json, verbose: args.verbose, env: io.env });
  try {
    return await command.handler(args, out, io);
  } catch (error) {
    if (error instanceof UsageError) {
      return reportUsage(io, error, argv);
    }
    return reportFailure(out, command.name, error);
  }
}

/** A command that threw: one line (and with --json, the JSON object), exit 1. */
function reportFailure(out: Output, command: string, error: unknown) {
  const known = error instanceof ConfigSourceError || error instanceof CliError;
  // Anything else is a bug: its name and message, never a stack (it could hold anything).
  const message = known
    ? error.message
    : `Unexpected ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  out.error(out.errorStyle.red(`smsdesk ${command}: ${message}`));
  if (out.json) {
    const code = error instanceof ConfigSourceError ? 'config_unreadable' : known ? 'failure' : 'unexpected';
    out.result({ ok: false, error: { code, message } });
  }
  return exitCodes.failure;
}
