/**
 * `smsdesk check <config.json|->`: the connector's own validation, every problem with its JSON
 * path and a fix, and what each template costs once rendered.
 *
 * @module
 */
import {
  type TemplatePreview,
  type TwilioSmsConfig,
  checkConfig,
  previewConfigTemplates,
  resolveBaseUrl,
} from '@smsdesk/connector-twilio-sms';

import { commonOptions, exitCodes, onePositional, parseCommandArgs, reportOptions } from '../args.js';
import { loadConfig } from '../config-source.js';
import type { Command, Context } from '../context.js';
import type { Output } from '../output.js';
import { formatTable, plural, printIssues, withHints } from '../report.js';

export type CheckArgs = { config: string; json: boolean; verbose: boolean; help: boolean };

const checkHelp = `Usage: smsdesk check <config.json|-> [--json] [--verbose]

Validates a Twilio SMS connector config exactly as the connector (and so Logto) will: every
problem with its JSON path and a fix, warnings for likely mistakes (a template without {{code}}, a
duplicate template, an unknown key), and per template its usage type, locale, encoding, length and
segment count when rendered with a 6-digit code.

The verdict is for the file as it is: Logto never sees this shell's environment. When credentials
the file leaves out are set in TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_API_KEY or
TWILIO_API_SECRET (which send and preview use), check also says whether the config works with them
and which keys Logto's copy still needs.

Arguments:
  <config.json|->   The connector config as Logto stores it (JSON), or - to read it from stdin.

Options:
  --json            Print one JSON object: { ok, okWithEnvironment, credentialsFromEnvironment[],
                    issues[], templates[], … }; ok is for the file as stored
  --verbose         Also say where each credential came from
  -h, --help        This help

Exit codes: 0 the file is valid (warnings allowed), 1 invalid as stored (even when the environment
would complete it) or unreadable, 2 usage error.

Example:
  smsdesk check logto-twilio.json
  cat logto-twilio.json | smsdesk check - --json`;

export function parseCheckArgs(argv: string[]): CheckArgs {
  const { values, positionals } = parseCommandArgs('check', argv, { ...commonOptions, ...reportOptions });
  const base = { json: Boolean(values.json), verbose: Boolean(values.verbose), help: Boolean(values.help) };
  if (base.help) {
    return { ...base, config: '' };
  }
  return { ...base, config: onePositional('check', positionals, 'config file (a path, or - for stdin)') };
}

/** Where and how a valid config sends: for the summary line. */
function describeRoute(config: TwilioSmsConfig) {
  const auth = config.apiKeySID && config.apiKeySecret ? `API key ${config.apiKeySID}` : 'its auth token';
  const sender = [
    config.fromMessagingServiceSID && `Messaging Service ${config.fromMessagingServiceSID}`,
    config.from && `from ${config.from}`,
  ]
    .filter(Boolean)
    .join(', ');
  return {
    baseUrl: resolveBaseUrl(config),
    accountSid: config.accountSID,
    auth: config.apiKeySID && config.apiKeySecret ? 'apiKey' : 'authToken',
    text: `Sends through ${resolveBaseUrl(config)} as account ${config.accountSID} with ${auth}; sender: ${sender}`,
  };
}

const templateRows = (templates: TemplatePreview[]) =>
  templates.map(({ index, usageType, locale, encoding, characters, segments, hasCode }) => [
    `[${index}]`,
    usageType,
    locale ?? '(any)',
    encoding,
    String(characters),
    String(segments),
    hasCode ? '' : 'no {{code}}',
  ]);

function printTemplates(out: Output, templates: TemplatePreview[]) {
  if (templates.length === 0) {
    return;
  }
  const { bold, dim } = out.style;
  out.print();
  out.print(bold('Templates') + dim(' (rendered with a 6-digit code)'));
  const header = ['#', 'usage type', 'locale', 'encoding', 'length', 'segments', ''];
  for (const line of formatTable(out, header, templateRows(templates))) {
    out.print(`  ${line.trimEnd()}`);
  }
}

/** For a file invalid as stored but completed from the environment: whether send and preview work. */
function printEnvironmentVerdict(
  out: Output,
  fromEnvironment: Array<{ key: string; variable: string }>,
  ok: boolean,
  environmentErrors: ReturnType<typeof withHints>
) {
  const { green, red, yellow } = out.style;
  const taken = fromEnvironment.map(({ key, variable }) => `${key} from ${variable}`).join(', ');
  if (ok) {
    out.print(green(`✓ Valid with the environment's credentials (${taken}): send and preview work`));
  } else {
    out.print(red(`✗ Also invalid with the environment's credentials (${taken}):`));
    printIssues(out, environmentErrors);
  }
  const keys = fromEnvironment.map(({ key }) => key).join(', ');
  out.print(yellow(`  Logto never reads the environment: put ${keys} in the config you save in Logto.`));
}

/** The `check` handler. */
async function check(args: CheckArgs, out: Output, context: Context): Promise<number> {
  const source = await loadConfig(args.config, out, context);
  // The verdict is for the file as stored: Logto gets the file, never this shell's environment.
  const result = checkConfig(source.stored);
  const issues = withHints(result.issues, source.stored);
  const templates = previewConfigTemplates(source.stored, result.config);
  const errors = issues.filter(({ severity }) => severity === 'error').length;
  const warnings = issues.length - errors;
  // send and preview use the config completed from the environment: say whether that one works.
  const filled = source.fromEnvironment.length > 0;
  const withEnvironment = filled ? checkConfig(source.config) : result;
  const environmentErrors = withHints(withEnvironment.issues, source.config).filter(({ severity }) => severity === 'error');
  const validConfig = result.config ?? withEnvironment.config;
  const route = validConfig ? describeRoute(validConfig) : undefined;

  if (out.json) {
    out.result({
      ok: result.ok,
      okWithEnvironment: withEnvironment.ok,
      source: source.label,
      credentialsFromEnvironment: source.fromEnvironment.map(({ variable }) => variable),
      errors,
      warnings,
      issues,
      ...(filled && !withEnvironment.ok && { issuesWithEnvironment: environmentErrors }),
      templates,
      ...(route && { baseUrl: route.baseUrl, accountSid: route.accountSid, auth: route.auth }),
    });
    return result.ok ? exitCodes.ok : exitCodes.failure;
  }

  const { bold, green, red, yellow, dim } = out.style;
  const fromEnvironment = source.fromEnvironment.map(({ key, variable }) => `${key} from ${variable}`);
  out.print(`${bold(`Checking ${source.label}`)}${filled ? dim(` (send and preview take ${fromEnvironment.join(', ')})`) : ''}`);

  if (issues.length > 0) {
    out.print();
    out.print(bold('Problems') + (filled ? dim(' (in the file as stored, which is what Logto gets)') : ''));
    printIssues(out, issues);
  }

  printTemplates(out, templates);
  out.print();
  if (route) {
    out.print(dim(route.text));
  }
  if (result.ok) {
    out.print(
      warnings > 0 ? yellow(`✓ Valid, with ${plural(warnings, 'warning')}`) : green('✓ Valid: Logto will accept this config')
    );
    return exitCodes.ok;
  }
  out.print(
    red(
      `✗ Invalid: ${plural(errors, 'error')}${warnings > 0 ? `, ${plural(warnings, 'warning')}` : ''}; Logto would refuse this config`
    )
  );
  if (filled) {
    printEnvironmentVerdict(out, source.fromEnvironment, withEnvironment.ok, environmentErrors);
  }
  return exitCodes.failure;
}

export const checkCommand: Command<CheckArgs> = {
  name: 'check',
  summary: 'Validate a connector config: problems with fixes, templates, encoding and segments',
  help: checkHelp,
  parse: parseCheckArgs,
  handler: check,
};
