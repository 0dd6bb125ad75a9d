/**
 * What the commands share when they explain something: a fix hint for each config problem, and a
 * ConnectorError taken apart into its code, message and Twilio's details.
 *
 * @module
 */
import {
  type ConfigIssue,
  type ConfigIssueKind,
  ConnectorError,
  configKeys,
  connectorErrorMessage,
  createRedactor,
  guardKeyHints,
  isNonArrayObject,
  logtoUsageTypes,
  requiredTemplateUsageTypes,
  senderDescription,
  templateKeys,
} from '@smsdesk/connector-twilio-sms';

import { closest } from './args.js';
import type { Output } from './output.js';

export type ReportedIssue = ConfigIssue & { hint: string };

/** A fix for each config key the connector reads (templates have their own, below). */
const keyHints: Record<Exclude<(typeof configKeys)[number], 'templates'>, string> = {
  accountSID: 'Copy the Account SID (AC…) from Twilio Console → Account → API keys & tokens, or set TWILIO_ACCOUNT_SID',
  authToken:
    'Copy the Auth Token from Twilio Console → Account → API keys & tokens (or set TWILIO_AUTH_TOKEN), or use apiKeySID with apiKeySecret',
  apiKeySID: 'Create an API key in Twilio Console → Account → API keys & tokens; its SID starts with SK (or set TWILIO_API_KEY)',
  apiKeySecret: 'Use the secret shown once when the API key was created (or set TWILIO_API_SECRET)',
  fromMessagingServiceSID:
    'Copy the service’s Sid (MG…) from Twilio Console → Messaging → Services, or set "from" to one of your Twilio numbers',
  from: `Use one of your Twilio senders: ${senderDescription}`,
  authType:
    'Use "authToken" (with authToken) or "apiKey" (with apiKeySID and apiKeySecret), or remove the key to use whichever is set',
  senderType:
    'Use "messagingService" (with fromMessagingServiceSID) or "from" (with from), or remove the key to use whichever is set',
  phoneValidation: 'Use "possible" (country code and length; the default) or "strict" (also the known number ranges)',
  advanced: 'Use true or false: it only shows or hides the advanced fields in Logto’s form',
  host: 'Use a Twilio API hostname such as api.twilio.com or api.dublin.ie1.twilio.com, or remove the key (baseUrl wins over host, host over region and edge)',
  region: 'Use a Twilio region such as us1, ie1 or au1, or remove the key',
  edge: 'Use a Twilio edge such as ashburn, dublin or sydney, or remove the key',
  baseUrl: 'Use an http(s) URL such as http://127.0.0.1:4010 (the sandbox), or remove the key to use Twilio',
  validityPeriod: 'Use a whole number of seconds from 1 to 36000, such as 600',
  statusCallback: 'Use an http(s) URL Twilio can reach, such as https://example.com/twilio/status, or remove the key',
  timeoutMs: 'Use a whole number of milliseconds from 1000 to 60000, such as 10000',
  maxRetries: 'Use a whole number from 0 to 5',
  smartEncoded: 'Use true or false',
  disableRiskCheck: 'Use true or false',
  ...guardKeyHints,
};

const templateKeyPath = /^templates\[(\d+)\]\.(.+)$/;

/** The keys an unknown key at `path` may misspell: a config's, or a template's. */
const keysNear = (path: string): readonly string[] => (templateKeyPath.test(path) ? templateKeys : configKeys);

/** `templates[2].usagetype` → its parent (`templates[2].`) and key (`usagetype`). */
const splitPath = (path: string) => {
  const template = templateKeyPath.exec(path);
  return template ? { parent: `templates[${template[1]}].`, key: template[2]! } : { parent: '', key: path };
};

/**
 * Every key the connector does not read, at the top level and in each template, as the warning
 * `checkConfig` gives. `checkConfig` reports them only for a config that is otherwise valid, and
 * never inside a template, yet a misspelled key is the usual cause of the other errors
 * ("accountSID: Required" next to an "acountSID").
 */
function unknownKeyIssues(input: unknown): ConfigIssue[] {
  if (!isNonArrayObject(input)) {
    return [];
  }
  const unknown = (record: Record<string, unknown>, known: readonly string[], parent: string) =>
    Object.keys(record)
      .filter((key) => !known.includes(key))
      .map((key) => ({
        path: `${parent}${key}`,
        message: `Unknown key "${key}" is ignored`,
        severity: 'warning' as const,
        kind: 'unknownKey' as const,
      }));
  return [
    ...unknown(input, configKeys, ''),
    ...(Array.isArray(input.templates) ? input.templates : []).flatMap((template: unknown, index) =>
      isNonArrayObject(template) ? unknown(template, templateKeys, `templates[${index}].`) : []
    ),
  ];
}

/**
 * The unknown key in `input` that probably misspells the key at `path` (as in "acountSID" for
 * accountSID), for the fix of an error about that key.
 */
function misspellingOf(path: string, input: unknown): string | undefined {
  const { parent, key } = splitPath(path);
  const candidates = keysNear(path);
  if (!candidates.includes(key)) {
    return undefined;
  }
  return unknownKeyIssues(input)
    .map((issue) => splitPath(issue.path))
    .find((unknown) => unknown.parent === parent && closest(unknown.key, candidates) === key)?.key;
}

/**
 * A one-line fix for a problem `checkConfig` reported, from its path and kind (never its wording,
 * which is for people); with the config, an error about a key that an unknown key misspells says
 * to rename that one.
 */
export function hintFor({ path, kind }: Pick<ConfigIssue, 'path' | 'kind'>, input?: unknown): string {
  if (kind === 'unknownKey') {
    const { key } = splitPath(path);
    const suggestion = closest(key, keysNear(path));
    return suggestion ? `Did you mean "${suggestion}"? Otherwise remove it` : 'Remove it: the connector does not read it';
  }
  const misspelling = input === undefined ? undefined : misspellingOf(path, input);
  if (misspelling) {
    return `Rename "${misspelling}" to "${splitPath(path).key}": the connector reads no key "${misspelling}"`;
  }
  if (kind === 'unusedKey') {
    return 'Leave it (Logto keeps a hidden field’s value) or remove it; change the choice to use it';
  }
  if (path === '(config)') {
    return 'The config must be a JSON object with accountSID, a credential, a sender and templates';
  }
  if (path === 'templates') {
    return kind === 'missingTemplates'
      ? `Add a { "usageType": …, "content": "… {{code}} …" } template for each of ${requiredTemplateUsageTypes.join(', ')} that is missing`
      : 'Set templates to an array of { "usageType", "content", "locale"? } objects';
  }
  const template = /^templates\[\d+\](?:\.(\w+))?$/.exec(path);
  if (template) {
    const field = template[1];
    if (kind === 'duplicateTemplate') {
      return 'Remove it, or give it a different locale';
    }
    if (field === 'content') {
      if (kind === 'noCodePlaceholder') {
        return 'Put {{code}} where the verification code goes, or the person receives no code';
      }
      if (kind === 'templateTooLong') {
        return 'Shorten the template: one segment holds 160 GSM-7 characters, or 70 with any other character';
      }
      return 'Write the message text, with {{code}} where the code goes';
    }
    if (field === 'usageType') {
      return `Use one of ${logtoUsageTypes.join(', ')}`;
    }
    if (field === 'locale') {
      return 'Use a BCP 47 language tag such as en, fr-CA or pt-BR, or remove the key';
    }
    return 'Each template is an object { "usageType", "content", "locale"? }';
  }
  const key = path.split(/[.[]/)[0]!;
  return (keyHints as Record<string, string>)[key] ?? 'See the connector README for this key';
}

/**
 * Issues with their fixes. With the config they are about, misspelled keys are named: as warnings
 * of their own (whatever else is wrong) and in the fix of the errors they cause.
 */
export function withHints(issues: ConfigIssue[], input?: unknown): ReportedIssue[] {
  const reported = new Set(issues.map(({ path }) => path));
  const unknown = input === undefined ? [] : unknownKeyIssues(input).filter(({ path }) => !reported.has(path));
  return [...issues, ...unknown].map((issue) => ({ ...issue, hint: hintFor(issue, input) }));
}

/** Prints issues as `error   path: message` plus an indented hint. */
export function printIssues(out: Output, issues: ReportedIssue[], print: (line: string) => void = (line) => out.print(line)) {
  const { red, yellow, dim, bold } = out.style;
  for (const { severity, path, message, hint } of issues) {
    const label = severity === 'error' ? red('error  ') : yellow('warning');
    print(`  ${label} ${bold(path)}: ${message}`);
    print(`          ${dim(`fix: ${hint}`)}`);
  }
}

export const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * Whether an error is the connector's: the class the connector package re-exports is the one it
 * throws (connector-kit's), so this is an instanceof check, not a guess from the message.
 */
export const isConnectorError = (error: unknown): error is ConnectorError => error instanceof ConnectorError;

export type DescribedError = {
  /** The ConnectorError code Logto sees, such as invalid_request_parameters. */
  code: string;
  message: string;
  twilio?: { status?: number; code?: number; message?: string; moreInfo?: string };
  issues?: ReportedIssue[];
  retryAfterSeconds?: number;
  /**
   * The request had gone out (a 5xx or a 2xx answer, a connection lost or a timeout after
   * sending): Twilio may have sent the SMS, so it must be checked before a retry.
   */
  mayHaveBeenSent?: boolean;
  /** False when no byte of the request left (a refused connection, DNS): nothing was sent. */
  requestSent?: boolean;
  /** The system error of a failed connection, such as ECONNREFUSED. */
  systemCode?: string;
};

/**
 * A ConnectorError's public parts: its data is what the connector chose to expose. `code`, the
 * verification code sent, is masked in the text that came from the server (the connector's
 * message and Twilio's), which the connector has already redacted: nowhere else, since it can
 * be part of a phone number or SID printed next to it.
 */
export function describeConnectorError(
  error: ConnectorError,
  { code, config }: { code?: string; config?: unknown } = {}
): DescribedError {
  const data = isNonArrayObject(error.data) ? error.data : {};
  const fromServer = createRedactor([code]);
  const described: DescribedError = { code: error.code, message: fromServer(connectorErrorMessage(error)) };

  const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const status = number(data.status);
  const twilioCode = number(data.code);
  if (status !== undefined || twilioCode !== undefined) {
    described.twilio = {
      ...(status === undefined ? {} : { status }),
      ...(twilioCode === undefined ? {} : { code: twilioCode }),
      ...(text(data.twilioMessage) === undefined ? {} : { message: fromServer(text(data.twilioMessage)!) }),
      ...(text(data.moreInfo) === undefined ? {} : { moreInfo: text(data.moreInfo) }),
    };
  }
  if (Array.isArray(data.issues)) {
    described.issues = withHints(
      data.issues.filter(isNonArrayObject).map((issue) => ({
        path: String(issue.path),
        message: String(issue.message),
        severity: 'error' as const,
        ...(typeof issue.kind === 'string' && { kind: issue.kind as ConfigIssueKind }),
      })),
      config
    );
  }
  if (number(data.retryAfterSeconds) !== undefined) {
    described.retryAfterSeconds = number(data.retryAfterSeconds);
  }
  if (typeof data.requestSent === 'boolean') {
    described.requestSent = data.requestSent;
  }
  if (text(data.systemCode) !== undefined) {
    described.systemCode = text(data.systemCode);
  }
  // A 5xx or a 2xx that is not Twilio's answer came after the request arrived: only a 4xx says
  // that Twilio refused it.
  const arrived = status !== undefined && (status >= 500 || (status >= 200 && status < 300));
  if (arrived || data.requestSent === true) {
    described.mayHaveBeenSent = true;
  }
  return described;
}

/** Rows as aligned columns, two spaces apart; the header is dimmed. */
export function formatTable(out: Output, header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
  return [out.style.dim(line(header)), ...rows.map(line)];
}
