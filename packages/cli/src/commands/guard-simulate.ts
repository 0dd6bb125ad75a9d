/**
 * `smsdesk guard simulate <config.json|->`: replays 30 days of a normal deployment's sign-in codes
 * and the pumping attacks of issue 10 against the config's guard limits, with the guard's own
 * decision logic on a virtual clock, and prints per scenario the attack SMS that got through and the
 * legitimate sends refused.
 *
 * @module
 */
import { ConnectorError, type GuardRule, parseGuardOptions } from '@smsdesk/connector-twilio-sms';

import {
  CliError,
  UsageError,
  commonOptions,
  exitCodes,
  integerFlag,
  onePositional,
  parseCommandArgs,
  reportOptions,
} from '../args.js';
import { loadConfig } from '../config-source.js';
import type { Context } from '../context.js';
import { type RunResult, type SimulationResult, simulateGuard } from '../guard/simulate.js';
import { type ScenarioId, defaultTraffic, scenarioIds } from '../guard/scenarios.js';
import type { Output } from '../output.js';
import { formatTable } from '../report.js';

export type GuardSimulateArgs = {
  config: string;
  days: number;
  dailyCodes: number;
  seed: number;
  scenarios: ScenarioId[];
  json: boolean;
  verbose: boolean;
  help: boolean;
};

export const guardSimulateHelp = `Usage: smsdesk guard simulate <config.json|-> [--scenario a,b] [--days 30] [--daily 50000] [--seed N] [--json]

Replays traffic against the config's abuse guard (allowedCountries, blockedCountries and the guard
key) with the guard's real decision logic and a virtual clock, each scenario on a fresh in-memory
store, and prints per scenario the attack SMS that got through and the legitimate sends refused.

The traffic: --days of a deployment sending --daily codes a day, most to the United Kingdom, the
rest to 16 other countries at their own steady volumes; a daily rhythm, weekends, retries, two
launch-day peaks, numbers drawn from real operator ranges. Laid over it (one scenario each):
  legit   nothing: the legitimate traffic alone, from a fresh install with no history
  a       5,000 attempts in 2 hours to sequential numbers in 3 blocks of Uzbekistan
  b       20,000 attempts in 24 hours over Kyrgyzstan and Tajikistan, one or two numbers per
          block, a new address each time
  c       one attempt every 10 minutes for a day to sequential United Kingdom numbers
  staff   a company enrolling 200 staff with sequential mobiles one morning (also replayed with
          their range in guard.trustedNumbers, the remedy)

Deterministic: the same config and seed give the same counts. A full run makes about ten million
decisions and takes a minute or two.

Arguments:
  <config.json|->     The connector config as Logto stores it (JSON), or - to read it from stdin.

Options:
  --scenario <list>   Only these scenarios, comma-separated (legit, a, b, c, staff); default all
  --days <n>          Days of legitimate traffic, 6 to 90 (default ${defaultTraffic.days}); the attacks fall on the last five
  --daily <n>         Codes a day, 100 to 1000000 (default ${defaultTraffic.dailyCodes.toLocaleString('en')})
  --seed <n>          Seed of the traffic generator (default ${defaultTraffic.seed})
  --json              Print one JSON object: { ok, mode, traffic, scenarios[] } with hourly tallies
  -h, --help          This help

Exit codes: 0 the simulation ran (whatever it found), 1 invalid guard config or unreadable file,
2 usage error.

Example:
  smsdesk guard simulate logto-twilio.json
  smsdesk guard simulate logto-twilio.json --scenario a,b --days 14`;

export function parseGuardSimulateArgs(argv: string[]): GuardSimulateArgs {
  const { values, positionals } = parseCommandArgs('guard simulate', argv, {
    ...commonOptions,
    ...reportOptions,
    scenario: { type: 'string', multiple: true },
    days: { type: 'string' },
    daily: { type: 'string' },
    seed: { type: 'string' },
  });
  const base = { json: Boolean(values.json), verbose: Boolean(values.verbose), help: Boolean(values.help) };
  const scenarios = (values.scenario ?? [])
    .flatMap((list) => list.split(','))
    .map((id) => id.trim().toLowerCase())
    .filter(Boolean);
  for (const id of scenarios) {
    if (!scenarioIds.includes(id as ScenarioId)) {
      throw new UsageError(`Unknown scenario "${id}": choose from ${scenarioIds.join(', ')}`, 'guard simulate');
    }
  }
  return {
    ...base,
    config: base.help ? '' : onePositional('guard simulate', positionals, 'config file (a path, or - for stdin)'),
    days: values.days === undefined ? defaultTraffic.days : integerFlag('guard simulate', 'days', values.days, 6, 90),
    dailyCodes:
      values.daily === undefined
        ? defaultTraffic.dailyCodes
        : integerFlag('guard simulate', 'daily', values.daily, 100, 1_000_000),
    seed: values.seed === undefined ? defaultTraffic.seed : integerFlag('guard simulate', 'seed', values.seed, 0, 4_294_967_295),
    scenarios: [...new Set(scenarios)] as ScenarioId[],
  };
}

const count = (value: number) => value.toLocaleString('en');

/** "number-block 4,950, country-velocity 10" */
const describeRules = (byRule: RunResult['byRule'], who: 'legit' | 'overlay') =>
  (Object.entries(byRule) as Array<[GuardRule, { legit: number; overlay: number }]>)
    .filter(([, counts]) => counts[who] > 0)
    .sort((a, b) => b[1][who] - a[1][who])
    .map(([rule, counts]) => `${rule} ${count(counts[who])}`)
    .join(', ');

/** One JSON-friendly row per run, without the hourly tallies unless asked. */
const summarizeRun = (run: RunResult) => ({
  id: run.id,
  title: run.title,
  overlay: run.overlay,
  ...(run.remedy && { remedy: run.remedy }),
  overlayKind: run.overlayKind,
  attempts: run.overlaySends.sends,
  through: run.overlaySends.through,
  overlayRefused: run.overlaySends.refused,
  overlayWouldRefuse: run.overlaySends.wouldRefuse,
  legitSends: run.legit.sends,
  legitRefused: run.legit.refused,
  legitWouldRefuse: run.legit.wouldRefuse,
  byRule: run.byRule,
  legitRefusedByCountry: run.legitRefusedByCountry,
  legitRefusals: run.legitRefusals,
});

function printHuman(out: Output, result: SimulationResult) {
  const { traffic, mode } = result;
  const monitor = mode === 'monitor';
  out.print(
    `Replayed ${traffic.days} days of legitimate traffic (${count(traffic.dailyCodes)} codes a day, seed ${traffic.seed}) ` +
      `against this config's guard (mode ${mode}): ${count(result.decisions)} decisions.`
  );
  if (mode === 'off') {
    out.print(out.style.yellow('The guard\'s mode is "off": only the country lists apply.'));
  }
  out.print();
  const refusedWord = monitor ? 'would refuse' : 'refused';
  const rows = result.runs.map((run) => {
    const overlay = run.overlaySends;
    const blockedOverlay = monitor ? overlay.wouldRefuse : overlay.refused;
    const legitRefused = monitor ? run.legit.wouldRefuse : run.legit.refused;
    return [
      run.title,
      run.overlayKind === 'none' ? '—' : count(overlay.sends),
      run.overlayKind === 'attack' ? count(monitor ? overlay.sends - overlay.wouldRefuse : overlay.through) : '—',
      run.overlayKind === 'staff' ? count(blockedOverlay) : '—',
      `${count(legitRefused)} of ${count(run.legit.sends)}`,
    ];
  });
  for (const line of formatTable(
    out,
    ['Scenario', 'attempts', 'attack SMS through', `staff ${refusedWord}`, `legit ${refusedWord}`],
    rows
  )) {
    out.print(line);
  }

  out.print();
  for (const run of result.runs) {
    const overlayRules = describeRules(run.byRule, 'overlay');
    const legitRules = describeRules(run.byRule, 'legit');
    const countries = Object.entries(run.legitRefusedByCountry)
      .sort((a, b) => b[1] - a[1])
      .map(([country, refused]) => `${country} ${count(refused)}`)
      .join(', ');
    const notes = [
      overlayRules && `${run.overlayKind === 'staff' ? 'staff' : 'attack'} ${refusedWord} by ${overlayRules}`,
      legitRules && `legit ${refusedWord} by ${legitRules} (${countries})`,
      run.remedy && `with ${run.remedy} in the guard key`,
    ].filter(Boolean);
    if (notes.length > 0) {
      out.print(`${run.title}: ${notes.join('; ')}.`);
    }
  }
  const firstLegit = result.runs.find((run) => run.legitRefusals.length > 0);
  if (firstLegit) {
    out.print();
    out.print(out.style.yellow(`Legitimate sends ${refusedWord} (first few, ${firstLegit.title}):`));
    for (const refusal of firstLegit.legitRefusals) {
      out.print(`  ${refusal.at}  ${refusal.rule}: ${refusal.reason}`);
    }
  } else {
    out.print(out.style.green(`No legitimate send ${monitor ? 'would be refused' : 'was refused'} in any scenario.`));
  }
}

/** The `guard simulate` handler. */
export async function guardSimulate(args: GuardSimulateArgs, out: Output, context: Context): Promise<number> {
  const source = await loadConfig(args.config, out, context);
  let options;
  try {
    options = parseGuardOptions(source.stored);
  } catch (error) {
    if (error instanceof ConnectorError) {
      const data = error.data as { message?: unknown } | undefined;
      throw new CliError(typeof data?.message === 'string' ? data.message : 'Invalid abuse guard config.');
    }
    throw error;
  }

  const spinner = out.spinner(`Replaying ${args.days} days of traffic…`);
  let result: SimulationResult;
  try {
    result = await simulateGuard(options, {
      days: args.days,
      dailyCodes: args.dailyCodes,
      seed: args.seed,
      scenarios: args.scenarios,
      onProgress: (day, days) => out.debug(`day ${day} of ${days}`),
    });
  } finally {
    spinner.stop();
  }

  if (out.json) {
    out.result({
      ok: true,
      source: source.label,
      mode: result.mode,
      traffic: result.traffic,
      decisions: result.decisions,
      scenarios: result.runs.map((run) => ({
        ...summarizeRun(run),
        window: run.window,
        // Hour 0 is the simulation's start, result.start (ms since the epoch).
        hours: run.hours,
      })),
      start: result.start,
    });
    return exitCodes.ok;
  }
  printHuman(out, result);
  return exitCodes.ok;
}
