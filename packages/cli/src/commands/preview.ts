/**
 * `smsdesk preview <config.json|-> --type SignIn [--locale fr-CA] [--code 123456]`: the exact
 * message a send would carry, which template the connector picks and why, and its segments.
 *
 * @module
 */
import { checkConfig, hasCodePlaceholder, logtoUsageTypes, previewMessage, sampleCode } from '@smsdesk/connector-twilio-sms';

import {
  UsageError,
  checkCode,
  checkLocale,
  commonOptions,
  exitCodes,
  normalizeUsageType,
  onePositional,
  parseCommandArgs,
  reportOptions,
} from '../args.js';
import { loadConfig } from '../config-source.js';
import type { Command, Context } from '../context.js';
import type { Output } from '../output.js';
import { describeConnectorError, isConnectorError, printIssues, withHints } from '../report.js';

export type PreviewArgs = {
  config: string;
  type: string;
  locale?: string;
  code?: string;
  json: boolean;
  verbose: boolean;
  help: boolean;
};

const previewHelp = `Usage: smsdesk preview <config.json|-> --type <usage type> [--locale <tag>] [--code <code>] [--json]

Shows the exact message the connector would send: which template it picks for the usage type and
locale and why, the rendered body, its encoding and segment count. Nothing is sent.

Arguments:
  <config.json|->     The connector config (JSON), or - to read it from stdin

Options:
  --type <type>       Usage type Logto sends: ${logtoUsageTypes.join(', ')} (required)
  --locale <tag>      The user's locale, such as fr-CA (Logto passes the UI locale)
  --code <code>       The code to render (default: the sample code ${sampleCode}, which is printed)
  --json              Print one JSON object: { ok, template, reason, body, encoding, segments, … }
  --verbose           Also say where each credential came from
  -h, --help          This help

Exit codes: 0 ok, 1 invalid config or unreadable file, 2 usage error.

Example:
  smsdesk preview logto-twilio.json --type SignIn --locale fr-CA`;

const previewOptions = {
  ...commonOptions,
  ...reportOptions,
  type: { type: 'string' },
  locale: { type: 'string' },
  code: { type: 'string' },
} as const;

function parsePreviewArgs(argv: string[]): PreviewArgs {
  const { values, positionals } = parseCommandArgs('preview', argv, previewOptions);
  const base = { json: Boolean(values.json), verbose: Boolean(values.verbose), help: Boolean(values.help) };
  if (base.help) {
    return { ...base, config: '', type: '' };
  }
  const config = onePositional('preview', positionals, 'config file (a path, or - for stdin)');
  if (values.type === undefined) {
    throw new UsageError('Missing --type <usage type>, such as --type SignIn', 'preview');
  }
  return {
    ...base,
    config,
    type: normalizeUsageType('preview', values.type),
    locale: checkLocale('preview', values.locale),
    code: checkCode('preview', values.code),
  };
}

type Preview = ReturnType<typeof previewMessage>;

/** The human form: the template chosen and why, the code, the encoding, the body, then warnings. */
function printPreview(
  out: Output,
  args: PreviewArgs,
  code: string,
  { template, reason, body, segments }: Preview,
  index: number,
  warnings: string[]
) {
  const { bold, dim, yellow } = out.style;
  const where = template.locale ? `${template.usageType} (${template.locale})` : template.usageType;
  const rows: Array<[string, string]> = [
    ['Template', `templates[${index}] ${where}`],
    ['Why', reason],
    ['Code', args.code === undefined ? `${code} (sample; pass --code to use another)` : code],
    [
      'Encoding',
      `${segments.encoding}, ${segments.characters} characters, ${segments.segments} segment${segments.segments === 1 ? '' : 's'} (${segments.units}/${segments.unitsPerSegment * Math.max(1, segments.segments)} units)`,
    ],
  ];
  out.print(bold(`${args.type} message${args.locale ? ` for locale ${args.locale}` : ''}`));
  for (const [label, value] of rows) {
    out.print(`  ${dim(label.padEnd(9))} ${value}`);
  }
  out.print();
  out.print(`  ${body.replaceAll('\n', '\n  ')}`);
  for (const warning of warnings) {
    out.print(yellow(`! ${warning}`));
  }
}

/** What a person should know about the chosen template: a type Logto never sends, no {{code}}. */
const previewWarnings = (type: string, template: Preview['template']) => [
  ...(logtoUsageTypes.includes(type) ? [] : [`Logto never sends usage type ${type}; known types: ${logtoUsageTypes.join(', ')}`]),
  ...(hasCodePlaceholder(template.content) ? [] : ['The template has no {{code}}: the person receives no code']),
];

/** A config with errors: nothing to preview (exit 1). */
function refuseInvalidConfig(out: Output, label: string, issues: ReturnType<typeof withHints>): number {
  if (out.json) {
    out.result({ ok: false, error: { code: 'invalid_config', message: `Invalid config in ${label}`, issues } });
  } else {
    out.print(out.style.red(`✗ Invalid config in ${label}: nothing to preview`));
    printIssues(out, issues);
  }
  return exitCodes.failure;
}

/** The `preview` handler. */
async function preview(args: PreviewArgs, out: Output, context: Context): Promise<number> {
  const source = await loadConfig(args.config, out, context);
  const checked = checkConfig(source.config);

  if (!checked.ok || !checked.config) {
    const issues = withHints(
      checked.issues.filter(({ severity }) => severity === 'error'),
      source.config
    );
    return refuseInvalidConfig(out, source.label, issues);
  }

  const config = checked.config;
  const code = args.code ?? sampleCode;
  let result;
  try {
    result = previewMessage(config, {
      type: args.type,
      payload: { code, ...(args.locale && { locale: args.locale }) },
    });
  } catch (error) {
    if (!isConnectorError(error)) {
      throw error;
    }
    const described = describeConnectorError(error);
    if (out.json) {
      out.result({ ok: false, error: described });
    } else {
      out.print(out.style.red(`✗ ${described.message}`));
    }
    return exitCodes.failure;
  }

  const { template } = result;
  const index = config.templates.findIndex(
    (candidate) =>
      candidate.usageType === template.usageType && candidate.locale === template.locale && candidate.content === template.content
  );
  const warnings = previewWarnings(args.type, template);
  if (!out.json) {
    printPreview(out, args, code, result, index, warnings);
    return exitCodes.ok;
  }
  out.result({
    ok: true,
    type: args.type,
    ...(args.locale && { locale: args.locale }),
    code,
    sampleCode: args.code === undefined,
    template: {
      index,
      usageType: template.usageType,
      ...(template.locale && { locale: template.locale }),
    },
    reason: result.reason,
    body: result.body,
    ...result.segments,
    warnings,
  });
  return exitCodes.ok;
}

export const previewCommand: Command<PreviewArgs> = {
  name: 'preview',
  summary: 'Show the exact message for a usage type and locale, and why that template',
  help: previewHelp,
  parse: parsePreviewArgs,
  handler: preview,
};
