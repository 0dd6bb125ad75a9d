/**
 * `smsdesk send <config.json|-> --to <phone>`: Logto console's "enter a phone number and click
 * Send", through the same connector code path, printing the message SID or the mapped error. The
 * code sent is never printed: read it on the phone (or in the sandbox inbox).
 *
 * @module
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { type ClientRequest, type IncomingMessage, STATUS_CODES } from 'node:http';
import { constants as osConstants } from 'node:os';

import type createTwilioSmsConnector from '@smsdesk/connector-twilio-sms';
import {
  type SentSms,
  checkConfig,
  logtoUsageTypes,
  previewMessage,
  randomCode,
  resolveBaseUrl,
  sendSms,
  sentMessageJson,
} from '@smsdesk/connector-twilio-sms';

import {
  UsageError,
  checkCode,
  checkLocale,
  checkServerUrl,
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
import { type DescribedError, describeConnectorError, isConnectorError, plural } from '../report.js';

export type SendArgs = {
  config: string;
  to: string;
  type: string;
  code?: string;
  locale?: string;
  sandbox?: string;
  json: boolean;
  verbose: boolean;
  help: boolean;
};

const sendHelp = `Usage: smsdesk send <config.json|-> --to <phone> [--type <usage type>] [--code <code>] [--locale <tag>] [--sandbox <url>] [--json] [--verbose]

Sends a verification code through the connector exactly as Logto's console "Send" test does, and
prints the message SID, its status and segments, or the error Logto would get: the connector's
error code and message and Twilio's error code, message and link. The code is never printed:
read it on the phone, or in the sandbox inbox.

Arguments:
  <config.json|->     The connector config (JSON), or - to read it from stdin. Credentials it
                      leaves out come from TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_API_KEY
                      and TWILIO_API_SECRET.

Options:
  --to <phone>        Destination number, international format: +14155552671 (required)
  --type <type>       Usage type (default Generic): ${logtoUsageTypes.join(', ')}
  --code <code>       The code to send (default: a random 6-digit code)
  --locale <tag>      The user's locale, such as fr-CA, for locale-specific templates
  --sandbox <url>     Send to a local sandbox instead of Twilio: sets the config's baseUrl
                      (use the sandbox account's credentials, e.g. from \`smsdesk sandbox\`)
  --json              Print one JSON object: { ok, sid, status, segments, … } or { ok: false, error }
  --verbose           Also print on stderr: where each credential came from, the account or API
                      key SID it signs in as (never a secret), the base URL, the template chosen
                      and why, the message body with the code shown as <code>, and for each HTTP
                      request its method, URL without query and response status (never headers)
  -h, --help          This help

Ctrl-C while sending says whether the request had left (and so whether the SMS may have been
sent); a server error (5xx) or a lost connection after the request left says the SMS may have been
sent: check before sending again.

Exit codes: 0 sent, 1 send failed (Twilio error, invalid config, unreachable server), 2 usage error,
130 interrupted by Ctrl-C (143 by SIGTERM).

Examples:
  smsdesk send logto-twilio.json --to +14155552671 --type SignIn
  smsdesk send logto-twilio.json --to +14155550100 --sandbox http://127.0.0.1:4010`;

const sendOptions = {
  ...commonOptions,
  ...reportOptions,
  to: { type: 'string' },
  type: { type: 'string' },
  code: { type: 'string' },
  locale: { type: 'string' },
  sandbox: { type: 'string' },
} as const;

export function parseSendArgs(argv: string[]): SendArgs {
  const { values, positionals } = parseCommandArgs('send', argv, sendOptions);
  const base = { json: Boolean(values.json), verbose: Boolean(values.verbose), help: Boolean(values.help) };
  if (base.help) {
    return { ...base, config: '', to: '', type: 'Generic' };
  }
  const config = onePositional('send', positionals, 'config file (a path, or - for stdin)');
  if (!values.to?.trim()) {
    throw new UsageError('Missing --to <phone>, such as --to +14155552671', 'send');
  }
  return {
    ...base,
    config,
    to: values.to.trim(),
    type: values.type === undefined ? 'Generic' : normalizeUsageType('send', values.type),
    code: checkCode('send', values.code),
    locale: checkLocale('send', values.locale),
    sandbox: values.sandbox === undefined ? undefined : checkServerUrl('send', 'sandbox', values.sandbox),
  };
}

type Connector = Awaited<ReturnType<typeof createTwilioSmsConnector>>;
type SendData = Parameters<Connector['sendMessage']>[0];

/**
 * Prints each HTTP request the connector makes (method, URL without query, response status) while
 * `action` runs, with --verbose, from the diagnostics channels of undici (the connector's client)
 * and node:http. Only method, origin, path and status are read: never headers or bodies.
 */
async function traceRequests<T>(out: Output, action: () => Promise<T>): Promise<T> {
  if (!out.verbose) {
    return action();
  }
  const channels = traceChannels(out);
  for (const [name, listener] of channels) {
    diagnosticsChannel.subscribe(name, listener);
  }
  try {
    return await action();
  } finally {
    for (const [name, listener] of channels) {
      diagnosticsChannel.unsubscribe(name, listener);
    }
  }
}

/**
 * `← 201 Created`: the status and its standard phrase, never the server's own reason text (a server
 * can put anything there, a secret it was sent included).
 */
const statusLine = (status: number | undefined) => `← ${status ?? '?'} ${STATUS_CODES[status ?? 0] ?? ''}`.trimEnd();

/** The diagnostics channels {@link traceRequests} listens on, each with what it prints. */
function traceChannels(out: Output): Array<[string, (message: unknown) => void]> {
  const withoutQuery = (path: string) => path.split('?')[0];
  type UndiciRequest = { method: string; origin: string; path: string };
  return [
    [
      'undici:request:create',
      (message) => {
        const { request } = message as { request: UndiciRequest };
        out.debug(`→ ${request.method} ${request.origin}${withoutQuery(request.path)}`);
      },
    ],
    [
      'undici:request:headers',
      (message) => {
        const { response } = message as { response: { statusCode: number } };
        out.debug(statusLine(response.statusCode));
      },
    ],
    [
      'undici:request:error',
      (message) => {
        const { error } = message as { error: NodeJS.ErrnoException };
        out.debug(`✗ ${error.code ?? error.name}`);
      },
    ],
    [
      'http.client.request.start',
      (message) => {
        const { request } = message as { request: ClientRequest };
        const host = String(request.getHeader('host') ?? request.host);
        out.debug(`→ ${request.method} ${request.protocol}//${host}${withoutQuery(request.path)}`);
      },
    ],
    [
      'http.client.response.finish',
      (message) => {
        const { response } = message as { response: IncomingMessage };
        out.debug(statusLine(response.statusCode));
      },
    ],
    [
      'http.client.request.error',
      (message) => {
        const { error } = message as { error: NodeJS.ErrnoException };
        out.debug(`✗ ${error.code ?? error.name}`);
      },
    ],
  ];
}

export type SendOutcome = { ok: true; sent: SentSms } | { ok: false; error: DescribedError };

/**
 * Sends the message Logto's console Test sends (`{ to, type, payload: { code, locale } }` with this
 * config), through `sendSms` rather than the connector's `sendMessage`: that words errors for
 * Logto's console (everything `general`), and the CLI shows the code that says what went wrong.
 * The code is put in no printed
 * field; it is masked in the server's text of an error (which the connector has redacted already).
 * It is not a registered secret: a 4-digit code would be redacted out of a phone number.
 */
export async function sendThroughConnector(
  config: Record<string, unknown>,
  message: { to: string; type: string; code: string; locale?: string },
  out: Output
): Promise<SendOutcome> {
  const data: SendData = {
    to: message.to,
    type: message.type as SendData['type'],
    payload: { code: message.code, ...(message.locale && { locale: message.locale }) },
  };
  try {
    const sent = (await traceRequests(out, async () => sendSms(config, data))) as SentSms;
    return { ok: true, sent };
  } catch (error) {
    if (isConnectorError(error)) {
      return { ok: false, error: describeConnectorError(error, { code: message.code, config }) };
    }
    throw error;
  }
}

/**
 * Whether the request has started going out on a connection: from then on Twilio may have it.
 * undici announces it on `undici:client:sendHeaders`, at the moment the connector's own
 * `requestSent` turns true.
 */
function watchRequestSent() {
  let sent = false;
  const listener = () => {
    sent = true;
  };
  diagnosticsChannel.subscribe('undici:client:sendHeaders', listener);
  return {
    get sent() {
      return sent;
    },
    stop: () => diagnosticsChannel.unsubscribe('undici:client:sendHeaders', listener),
  };
}

/** What to do when a send may or may not have gone out. */
const checkBeforeRetrying =
  'check the messages in Twilio’s Console (Monitor → Logs → Messaging), or the sandbox inbox, before sending again';

/** The human lines for a failed send, on stderr. */
export function printSendError(out: Output, error: DescribedError) {
  const { red, bold, dim, yellow } = out.errorStyle;
  out.error(red(`✗ Send failed (${bold(error.code)}): ${error.message}`));
  if (error.mayHaveBeenSent) {
    out.error(yellow(`  The request had gone out, so the SMS may have been sent: ${checkBeforeRetrying}.`));
  }
  if (error.twilio) {
    const { status, code, message, moreInfo } = error.twilio;
    const what = [code === undefined ? undefined : `error ${code}`, status === undefined ? undefined : `HTTP ${status}`]
      .filter(Boolean)
      .join(', ');
    out.error(`  ${dim('Twilio   ')} ${what}${message ? `: ${message}` : ''}`);
    if (moreInfo) {
      out.error(`  ${dim('More info')} ${moreInfo}`);
    }
  }
  if (error.retryAfterSeconds !== undefined) {
    out.error(`  ${dim('Retry    ')} after ${plural(error.retryAfterSeconds, 'second')}`);
  }
  for (const { severity, path, message, hint } of error.issues ?? []) {
    out.error(`  ${severity === 'error' ? red('error  ') : yellow('warning')} ${bold(path)}: ${message}`);
    out.error(`          ${dim(`fix: ${hint}`)}`);
  }
  if (error.code === 'invalid_config' && !error.twilio) {
    out.error(yellow('  Run `smsdesk check` on the config for details.'));
  }
}

const describeSender = (sent: SentSms) =>
  [sent.from, sent.messagingServiceSid && `Messaging Service ${sent.messagingServiceSid}`].filter(Boolean).join(' via ') ||
  '(chosen by Twilio)';

/** The `send` handler. */
async function send(args: SendArgs, out: Output, context: Context): Promise<number> {
  const source = await loadConfig(args.config, out, context);
  const config = args.sandbox ? { ...source.config, baseUrl: args.sandbox } : source.config;
  const code = args.code ?? randomCode();

  const target = targetBaseUrl(config);
  if (out.verbose) {
    describeRequest(out, config, args, target);
  }

  const spinner = out.spinner(`Sending a ${args.type} code to ${args.to}${target ? ` through ${target}` : ''}`);
  const request = watchRequestSent();
  let outcome: SendOutcome | { interrupted: string };
  try {
    outcome = await Promise.race([
      sendThroughConnector(config, { to: args.to, type: args.type, code, ...(args.locale && { locale: args.locale }) }, out),
      context.waitForStop().then((signal) => ({ interrupted: signal })),
    ]);
  } finally {
    spinner.stop();
    request.stop();
  }

  if ('interrupted' in outcome) {
    return reportInterrupted(out, { signal: outcome.interrupted, requestSent: request.sent, target });
  }
  if (!outcome.ok && args.sandbox && outcome.error.requestSent === false) {
    // Not "Could not connect to Twilio": the person asked for the sandbox, which is not running.
    outcome.error.message = `The sandbox is not reachable at ${args.sandbox}${
      outcome.error.systemCode ? ` (${outcome.error.systemCode})` : ''
    }: start it with \`smsdesk sandbox\` (or \`npm start\`), or check the --sandbox URL.`;
  }

  if (!outcome.ok) {
    if (out.json) {
      out.result({ ok: false, error: outcome.error, ...(target && { baseUrl: target }) });
    } else {
      printSendError(out, outcome.error);
    }
    return exitCodes.failure;
  }

  const { sent } = outcome;
  if (out.json) {
    out.result({ ok: true, ...sentMessageJson(sent), baseUrl: target, codeSent: true });
    return exitCodes.ok;
  }

  printSent(out, sent, target);
  return exitCodes.ok;
}

/** The human form of a send that Twilio (or the sandbox) accepted; never the code. */
function printSent(out: Output, sent: SentSms, target: string | undefined) {
  const { green, bold, dim } = out.style;
  const template = sent.template.locale ? `${sent.template.usageType} (${sent.template.locale})` : sent.template.usageType;
  out.print(green(`✓ Sent ${bold(sent.sid)} (status: ${sent.status})`));
  for (const [label, value] of [
    ['To', sent.to],
    ['From', describeSender(sent)],
    ['Template', template],
    ['Segments', `${sent.segments.segments} (${sent.segments.encoding}, ${sent.segments.characters} characters)`],
    ['Via', target],
    ['Code', 'sent; read it on the phone (or in the sandbox inbox), it is not printed here'],
  ] as const) {
    out.print(`  ${dim(label.padEnd(8))} ${value}`);
  }
}

/**
 * Ctrl-C (or SIGTERM) while a send runs: whether the request had left, so whether the SMS may
 * have been sent. Exits 128 + the signal's number, as a shell reports a process it stopped.
 */
function reportInterrupted(
  out: Output,
  { signal, requestSent, target }: { signal: string; requestSent: boolean; target: string | undefined }
): number {
  const message = requestSent
    ? `Interrupted (${signal}) after the request was sent${target ? ` to ${target}` : ''}: the SMS may have been sent; ${checkBeforeRetrying}.`
    : `Interrupted (${signal}) before the request left: no SMS was sent.`;
  if (out.json) {
    out.result({ ok: false, error: { code: 'interrupted', message, requestSent, mayHaveBeenSent: requestSent } });
  } else {
    out.error(out.errorStyle.red(`✗ ${message}`));
  }
  return 128 + (osConstants.signals[signal as NodeJS.Signals] ?? osConstants.signals.SIGINT);
}

/**
 * The base URL the connector sends to: its own `resolveBaseUrl` (baseUrl, else host, else region
 * and edge) on the config as it parses it. Undefined for an invalid config, which sends nothing.
 */
export function targetBaseUrl(config: Record<string, unknown>): string | undefined {
  const { config: parsed } = checkConfig(config);
  return parsed && resolveBaseUrl(parsed);
}

/** --verbose: what will be sent, with the credentials and the code left out. */
function describeRequest(out: Output, config: Record<string, unknown>, args: SendArgs, target: string | undefined) {
  const usesKey = typeof config.apiKeySID === 'string' && Boolean(config.apiKeySecret);
  out.debug(
    `auth: HTTP Basic as ${usesKey ? `API key ${String(config.apiKeySID)}` : `account ${String(config.accountSID)}`} (secret not shown)`
  );
  if (target) {
    out.debug(`base URL: ${target}`);
  }
  out.debug(`to: ${args.to}, usage type: ${args.type}${args.locale ? `, locale: ${args.locale}` : ''}`);
  try {
    // Rendered with a stand-in: the code itself is never in the output.
    const { body, reason } = previewMessage(config, {
      type: args.type,
      payload: { code: '<code>', ...(args.locale && { locale: args.locale }) },
    });
    out.debug(`template: ${reason}`);
    out.debug(`body: ${body}`);
  } catch {
    // The send reports the problem.
  }
}

export const sendCommand: Command<SendArgs> = {
  name: 'send',
  summary: 'Send a test code through the connector, as Logto’s console “Send” does',
  help: sendHelp,
  parse: parseSendArgs,
  handler: send,
};
