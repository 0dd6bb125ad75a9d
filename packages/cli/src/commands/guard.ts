/**
 * `smsdesk guard <subcommand>`: the abuse guard's tools. `simulate` replays scenarios against a
 * config's limits (commands/guard-simulate.ts).
 *
 * @module
 */
import { UsageError, closest } from '../args.js';
import type { Command, Context } from '../context.js';
import type { Output } from '../output.js';
import { type GuardSimulateArgs, guardSimulate, guardSimulateHelp, parseGuardSimulateArgs } from './guard-simulate.js';

export type GuardArgs = { subcommand: 'simulate'; simulate: GuardSimulateArgs; json: boolean; verbose: boolean; help: boolean };

const subcommands = ['simulate'] as const;

export const guardHelp = `Usage: smsdesk guard <subcommand> <config.json|-> [options]

The abuse guard's tools.

Subcommands:
  simulate   Replay 30 days of traffic and pumping attacks against the config's guard limits

Run \`smsdesk guard <subcommand> --help\` for its arguments and options.

${guardSimulateHelp}`;

export function parseGuardArgs(argv: string[]): GuardArgs {
  const [subcommand, ...rest] = argv;
  if (subcommand === undefined || subcommand === '--help' || subcommand === '-h') {
    if (subcommand === undefined) {
      throw new UsageError(`Missing subcommand: ${subcommands.join(', ')}`, 'guard');
    }
    return { subcommand: 'simulate', simulate: parseGuardSimulateArgs(['--help']), json: false, verbose: false, help: true };
  }
  if (subcommand !== 'simulate') {
    const suggestion = closest(subcommand, subcommands);
    throw new UsageError(`Unknown subcommand "${subcommand}"${suggestion ? ` (did you mean ${suggestion}?)` : ''}`, 'guard');
  }
  const simulate = parseGuardSimulateArgs(rest);
  return { subcommand, simulate, json: simulate.json, verbose: simulate.verbose, help: simulate.help };
}

async function guard(args: GuardArgs, out: Output, context: Context): Promise<number> {
  return guardSimulate(args.simulate, out, context);
}

export const guardCommand: Command<GuardArgs> = {
  name: 'guard',
  summary: 'Abuse guard: simulate attacks and legitimate traffic against the config\'s limits',
  help: guardHelp,
  parse: parseGuardArgs,
  handler: guard,
};
