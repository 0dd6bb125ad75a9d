/**
 * `smsdesk guard status|reset <config.json|->`: the abuse guard's counters where the config keeps
 * them. In Redis (the config's redisUrl, else REDIS_URL as Logto reads it) they can be read and
 * cleared from here; in memory they live inside each Logto process, which this tool cannot reach.
 * `smsdesk guard simulate <config.json|->` replays scenarios against the config's limits
 * (commands/guard-simulate.ts).
 *
 * @module
 */
import {
  ConnectorError,
  type GuardOptions,
  type GuardStatus,
  countryName,
  createRedisStore,
  describeRedisUrl,
  parseGuardOptions,
  resolveRedisUrl,
} from '@smsdesk/connector-twilio-sms';

import { CliError, UsageError, commonOptions, exitCodes, parseCommandArgs, reportOptions } from '../args.js';
import { loadConfig } from '../config-source.js';
import type { Command, Context } from '../context.js';
import type { Output } from '../output.js';
import { formatTable } from '../report.js';
import { type GuardSimulateArgs, guardSimulate, guardSimulateHelp, parseGuardSimulateArgs } from './guard-simulate.js';

const guardActions = ['status', 'reset', 'simulate'] as const;
type GuardAction = (typeof guardActions)[number];

export type GuardArgs = {
  action: GuardAction;
  config: string;
  json: boolean;
  verbose: boolean;
  help: boolean;
  /** `guard simulate`'s own arguments. */
  simulate?: GuardSimulateArgs;
};

const guardHelp = `Usage: smsdesk guard <status|reset> <config.json|-> [--json]
       smsdesk guard simulate <config.json|-> [options]

The abuse guard's counters for this config's Twilio account, and a simulation of its limits.

  status   What is tripped (number blocks, countries) and until when, sends this hour and today,
           and each country's sends this hour and learned hourly peak.
  reset    Clears every counter and trip of this account (Logto's other keys are untouched).

Counters live in Redis when the config has redisUrl, or when REDIS_URL is set (as Logto reads it:
redis://, rediss://, true, or its ?cluster=1 form). Otherwise they live in the memory of each
Logto process: nothing to read or clear from here (restarting Logto clears them).

Options:
  --json       Print one JSON object
  -h, --help   This help

Exit codes: 0 ok, 1 Redis unreachable, invalid config, or (reset) counters kept in Logto's memory, 2 usage error.

Example:
  smsdesk guard status logto-twilio.json
  REDIS_URL=redis://redis:6379 smsdesk guard reset logto-twilio.json

${guardSimulateHelp}`;

function parseGuardArgs(argv: string[]): GuardArgs {
  if (argv[0] === 'simulate') {
    const simulate = parseGuardSimulateArgs(argv.slice(1));
    return {
      action: 'simulate',
      config: simulate.config,
      json: simulate.json,
      verbose: simulate.verbose,
      help: simulate.help,
      simulate,
    };
  }
  const { values, positionals } = parseCommandArgs('guard', argv, { ...commonOptions, ...reportOptions });
  const base = { json: Boolean(values.json), verbose: Boolean(values.verbose), help: Boolean(values.help) };
  if (base.help) {
    return { ...base, action: 'status', config: '' };
  }
  const [action, config, extra] = positionals;
  if (!action) {
    throw new UsageError(`Missing action: ${guardActions.join(' or ')}`, 'guard');
  }
  if (!(guardActions as readonly string[]).includes(action)) {
    throw new UsageError(`Unknown action "${action}": use ${guardActions.join(' or ')}`, 'guard');
  }
  if (!config) {
    throw new UsageError('Missing config file (a path, or - for stdin)', 'guard');
  }
  if (extra !== undefined) {
    throw new UsageError(`Unexpected argument ${JSON.stringify(extra)}: guard takes an action and one config file`, 'guard');
  }
  return { ...base, action: action as GuardAction, config };
}

const inMemoryNote =
  'The guard keeps its counters in memory: they live inside Logto’s process (each Logto instance has its own), so this tool cannot read or clear them; restarting Logto clears them. Set redisUrl in the config (or REDIS_URL for Logto) to share them through Redis.';

const until = (timestamp: number) => new Date(timestamp).toISOString().replace(/\.\d{3}Z$/, 'Z');

function printStatus(out: Output, status: GuardStatus, options: GuardOptions) {
  const { bold, dim, yellow, green } = out.style;
  out.print(bold(`Abuse guard for account ${options.accountSid}`) + dim(` (mode ${options.mode})`));
  out.print(dim(status.location));
  out.print(`Sends this hour: ${status.sendsThisHour}; today (UTC): ${status.sendsToday}`);
  out.print();
  if (status.tripped.length === 0) {
    out.print(green('Nothing is tripped.'));
  } else {
    out.print(yellow(bold('Tripped (new numbers refused; numbers already admitted still get codes)')));
    for (const line of formatTable(
      out,
      ['what', 'which', 'until'],
      status.tripped.map(({ kind, key, until: end }) => [
        kind === 'country' ? 'country' : 'number block',
        kind === 'country' ? `${countryName(key)} (${key})` : `${key}xxx`,
        until(end),
      ])
    )) {
      out.print(`  ${line.trimEnd()}`);
    }
  }
  if (status.countries.length > 0) {
    out.print();
    out.print(bold('Countries'));
    for (const line of formatTable(
      out,
      ['country', 'sends this hour', 'learned peak per hour'],
      status.countries.map(({ country, sendsThisHour, learnedPeakPerHour }) => [
        `${countryName(country)} (${country})`,
        String(sendsThisHour),
        String(learnedPeakPerHour),
      ])
    )) {
      out.print(`  ${line.trimEnd()}`);
    }
  }
}

/** `guard reset`: deletes the account's keys, saying how many (and how many were tripped). */
async function resetCounters(out: Output, store: ReturnType<typeof createRedisStore>, accountSid: string, url: string) {
  const before = await store.status();
  await store.reset();
  if (out.json) {
    out.result({ ok: true, store: 'redis', accountSid, cleared: before.keys, trippedCleared: before.tripped.length });
    return;
  }
  out.print(
    `Cleared ${before.keys} guard ${before.keys === 1 ? 'key' : 'keys'} of account ${accountSid} in ${describeRedisUrl(url)}` +
      (before.tripped.length > 0 ? ` (${before.tripped.length} tripped)` : '') +
      '.'
  );
}

/** The `guard` handler. */
async function guard(args: GuardArgs, out: Output, context: Context): Promise<number> {
  if (args.action === 'simulate' && args.simulate) {
    return guardSimulate(args.simulate, out, context);
  }
  const source = await loadConfig(args.config, out, context);
  let options: GuardOptions;
  try {
    options = parseGuardOptions(source.config);
  } catch (error) {
    if (error instanceof ConnectorError) {
      throw new CliError(String((error.data as { message?: string } | undefined)?.message ?? error.message));
    }
    throw error;
  }
  if (!options.accountSid) {
    throw new CliError('The config has no accountSID: the guard’s counters are kept per Twilio account');
  }

  const url = resolveRedisUrl(options, context.env);
  if (!url) {
    if (out.json) {
      out.result({ ok: args.action === 'status', store: 'memory', accountSid: options.accountSid, message: inMemoryNote });
    } else {
      out.print(inMemoryNote);
    }
    return args.action === 'status' ? exitCodes.ok : exitCodes.failure;
  }

  out.debug(`Redis: ${describeRedisUrl(url)}${options.redisUrl ? ' (redisUrl)' : ' (REDIS_URL)'}`);
  const store = createRedisStore({ url, accountSid: options.accountSid, log: () => undefined });
  try {
    if (!(await store.ready())) {
      throw new CliError(`Could not connect to Redis at ${describeRedisUrl(url)}`);
    }
    if (args.action === 'reset') {
      await resetCounters(out, store, options.accountSid, url);
      return exitCodes.ok;
    }
    const status = await store.status();
    if (out.json) {
      out.result({ ok: true, store: 'redis', accountSid: options.accountSid, mode: options.mode, ...status });
    } else {
      printStatus(out, status, options);
    }
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof CliError) {
      throw error;
    }
    throw new CliError(error instanceof Error ? error.message : String(error));
  } finally {
    await store.close();
  }
}

export const guardCommand: Command<GuardArgs> = {
  name: 'guard',
  summary: 'Show or clear the abuse guard’s counters (status, reset), or simulate its limits (simulate)',
  help: guardHelp,
  parse: parseGuardArgs,
  handler: guard,
};
