/**
 * The web console's routes: Logto's "Compose the connector JSON" and "Test" steps, run through the
 * real connector (`@smsdesk/connector-twilio-sms`) against this sandbox.
 *
 * | Route                      | Body                               | Answer                                             |
 * |----------------------------|------------------------------------|----------------------------------------------------|
 * | GET /api/console/example   |                                    | `{ config, usageTypes, samplePhone, sandbox }`     |
 * | POST /api/console/check    | `{ config }`                       | `{ ok, issues: [{ path, message, severity }], templates }` |
 * | POST /api/console/send     | `{ config, to, type, locale? }`    | 200 `{ message, sandbox: { url, baseUrlReplaced } }` or 4xx `{ error: { code, message, data } }` |
 *
 * A send always goes to this sandbox: the config's `baseUrl` is replaced by the sandbox's own URL.
 * The verification code is generated here and only ever reaches the sandbox's store (the inbox
 * shows it; that is the point). Neither it nor a credential is in an answer or a log line.
 *
 * @module
 */
import { randomInt } from 'node:crypto';

import {
  type TwilioSmsConfig,
  checkConfig,
  countSegments,
  defaultMetadata,
  defaultTemplates,
  isNonArrayObject,
  renderTemplate,
  sendSms,
} from '@smsdesk/connector-twilio-sms';

import type { SandboxContext } from '../context.js';
import { HttpError as TwilioApiError } from '../http/errors.js';
import type { Reply, Route, SandboxRequest } from '../http/router.js';
import type { SandboxAccount } from '../twilio/accounts.js';

/** The code every template preview renders with. */
const sampleCode = '123456';

/** The phone number the console's form starts with. */
const samplePhone = '+14155550123';

/** Usage types the console offers: the connector's default templates, in their order. */
const usageTypes: readonly string[] = [...new Set(defaultTemplates.map(({ usageType }) => usageType))];

export type ConsoleIssue = { path: string; message: string; severity: 'error' | 'warning' };

/** One template as the console previews it: rendered with {@link sampleCode}. */
export type TemplatePreview = {
  index: number;
  usageType: string;
  locale: string | null;
  body: string;
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  characters: number;
  units: number;
  unitsPerSegment: number;
};

type ConsoleError = { code: string; message: string; data?: unknown };

const fail = (status: number, code: string, message: string, headers?: Record<string, string>): Reply => ({
  status,
  ...(headers && { headers }),
  json: { error: { code, message } },
});

/** A Messaging Service SID derived from the account, so the example config is stable across restarts. */
export function exampleServiceSid(accountSid: string): string {
  let hash = 0x811c9dc5;
  let hex = '';
  // FNV-1a, re-seeded per 8 hex digits: not a secret, just a stable, valid-looking SID.
  for (let round = 0; round < 4; round += 1) {
    for (const character of `${round}:${accountSid}`) {
      hash = Math.imul(hash ^ character.charCodeAt(0), 0x01000193) >>> 0;
    }
    hex += hash.toString(16).padStart(8, '0');
  }
  return `MG${hex}`;
}

/** The account the example uses: the generated dev account, else the first configured one. */
function exampleAccount(context: SandboxContext): { account: SandboxAccount; isDev: boolean } | undefined {
  if (context.devAccount) {
    return { account: context.devAccount, isDev: true };
  }
  const [first] = context.accounts.list();
  return first ? { account: first, isDev: false } : undefined;
}

/**
 * A working connector config pointing at this sandbox: the connector's form defaults
 * (`defaultMetadata.formItems[].defaultValue`, templates included), the account's credentials and
 * the sandbox URL as `baseUrl`. A configured (non-generated) account's auth token may be a real
 * Twilio token, so it is never put in a page: the example holds a placeholder instead.
 */
function buildExampleConfig(context: SandboxContext): {
  config: Record<string, unknown>;
  sandbox: { url: string; accountSid: string; messagingServiceSid: string; authTokenIncluded: boolean };
} {
  const config: Record<string, unknown> = {};
  for (const item of defaultMetadata.formItems ?? []) {
    if (item.defaultValue !== undefined) {
      config[item.key] = structuredClone(item.defaultValue);
    }
  }
  const chosen = exampleAccount(context);
  const accountSid = chosen?.account.accountSid ?? 'AC00000000000000000000000000000000';
  const messagingServiceSid = exampleServiceSid(accountSid);
  const authTokenIncluded = Boolean(chosen?.isDev);
  const { templates, ...settings } = config;
  return {
    config: {
      accountSID: accountSid,
      authToken: authTokenIncluded ? chosen!.account.authToken : '<auth-token>',
      fromMessagingServiceSID: messagingServiceSid,
      baseUrl: context.url,
      ...settings,
      templates: templates ?? structuredClone(defaultTemplates),
    },
    sandbox: { url: context.url, accountSid, messagingServiceSid, authTokenIncluded },
  };
}

/** Templates of a config that may not parse: whatever entries have a usage type and content. */
function templatesOf(input: unknown, parsed: TwilioSmsConfig | undefined) {
  if (parsed) {
    return parsed.templates.map((template, index) => ({ ...template, index }));
  }
  if (!isNonArrayObject(input) || !Array.isArray(input.templates)) {
    return [];
  }
  return input.templates.flatMap((template: unknown, index) =>
    isNonArrayObject(template) && typeof template.usageType === 'string' && typeof template.content === 'string'
      ? [
          {
            index,
            usageType: template.usageType,
            content: template.content,
            locale: typeof template.locale === 'string' ? template.locale : undefined,
          },
        ]
      : []
  );
}

/**
 * The connector's verdict on a config (its own guard and advisory checks), and every template
 * rendered with a sample code. Templates are previewed even when the config has errors elsewhere
 * (a credential typo should not blank the previews).
 *
 * @example
 * checkConsoleConfig({ accountSID: 'AC…', templates: [] }).issues[0]; // { path: 'authToken', … }
 */
export function checkConsoleConfig(input: unknown): {
  ok: boolean;
  issues: ConsoleIssue[];
  templates: TemplatePreview[];
} {
  const { ok, config, issues } = checkConfig(input);
  const templates = templatesOf(input, config).map(({ index, usageType, content, locale }): TemplatePreview => {
    const body = renderTemplate(content, { code: sampleCode });
    const { encoding, segments, characters, units, unitsPerSegment } = countSegments(body);
    return { index, usageType, locale: locale ?? null, body, encoding, segments, characters, units, unitsPerSegment };
  });
  return { ok, issues, templates };
}

/** A 6-digit verification code from a CSPRNG, as Logto generates them. */
export const generateCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** Removes every secret from a text. Secrets shorter than 3 characters are left (they would mangle it). */
export function createSecretRedactor(secrets: ReadonlyArray<string | undefined>): (text: string) => string {
  const found = [...new Set(secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 3))]
    // Longest first, so a secret containing another is removed whole.
    .sort((a, b) => b.length - a.length);
  return (text) => found.reduce((result, secret) => result.replaceAll(secret, '[redacted]'), text);
}

/** The config's secrets as they could appear anywhere: raw, and as a Basic credential. */
function secretsOf(config: unknown): string[] {
  if (!isNonArrayObject(config)) {
    return [];
  }
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : undefined);
  const accountSid = text(config.accountSID);
  const authToken = text(config.authToken);
  const keySid = text(config.apiKeySID);
  const keySecret = text(config.apiKeySecret);
  const basic = (user?: string, password?: string) =>
    user && password ? Buffer.from(`${user}:${password}`).toString('base64') : undefined;
  return [authToken, keySecret, basic(accountSid, authToken), basic(keySid, keySecret)].filter((secret): secret is string =>
    Boolean(secret)
  );
}

/** HTTP status for a connector error code: the caller's input, a rate limit, or a failed send. */
function statusFor(code: string): number {
  switch (code) {
    case 'invalid_config':
    case 'invalid_config_guard':
    case 'invalid_metadata':
    case 'invalid_request_parameters':
    case 'insufficient_request_parameters':
    case 'template_not_found':
    case 'template_not_supported':
      return 400;
    case 'rate_limit_exceeded':
      return 429;
    default:
      return 422;
  }
}

/** A ConnectorError (from @logto/connector-kit), recognized by shape: the sandbox does not depend on the kit. */
function asConnectorError(error: unknown): { code: string; data: unknown; message: string } | undefined {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && /^[a-z_]+$/.test(error.code)) {
    return { code: error.code, data: 'data' in error ? error.data : undefined, message: error.message };
  }
  return undefined;
}

/** The error answer for anything `sendSms` threw, with every secret and the code removed. */
export function sendErrorReply(error: unknown, redact: (text: string) => string): Reply {
  const connectorError = asConnectorError(error);
  if (!connectorError) {
    return fail(500, 'general', 'Unexpected error while sending the message');
  }
  const { code, data } = connectorError;
  const message =
    isNonArrayObject(data) && typeof data.message === 'string'
      ? data.message
      : connectorError.message.replace(/^ConnectorError: /, '');
  const body: ConsoleError = { code, message };
  if (data !== undefined) {
    body.data = data;
  }
  // Serialize, then redact the whole text: a secret can hide in any nested field of `data`.
  const json = JSON.parse(redact(JSON.stringify({ error: body }))) as unknown;
  return { status: statusFor(code), json };
}

/**
 * Reads a console request's JSON object body, or returns the error reply. The size limit is the
 * sandbox's `maxBodyBytes`, the one limit of every route (enforced while reading the body).
 */
async function readJsonObject(request: SandboxRequest): Promise<{ body: Record<string, unknown> } | { reply: Reply }> {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    return { reply: fail(400, 'bad_request', 'Expected a JSON body (Content-Type: application/json)') };
  }
  let buffer: Buffer;
  try {
    buffer = await request.body();
  } catch (error) {
    if (error instanceof TwilioApiError && error.status === 413) {
      return { reply: fail(413, 'payload_too_large', error.message, { Connection: 'close' }) };
    }
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(buffer.toString('utf8'));
  } catch {
    return { reply: fail(400, 'bad_request', 'The request body is not valid JSON') };
  }
  if (!isNonArrayObject(parsed)) {
    return { reply: fail(400, 'bad_request', 'The request body must be a JSON object') };
  }
  return { body: parsed };
}

function example(_request: SandboxRequest, context: SandboxContext): Reply {
  const { config, sandbox } = buildExampleConfig(context);
  return { status: 200, json: { config, usageTypes, samplePhone, sandbox } };
}

async function check(request: SandboxRequest): Promise<Reply> {
  const read = await readJsonObject(request);
  if ('reply' in read) {
    return read.reply;
  }
  if (!('config' in read.body)) {
    return fail(400, 'bad_request', "'config' is required");
  }
  return { status: 200, json: checkConsoleConfig(read.body.config) };
}

const stringField = (body: Record<string, unknown>, name: string, max: number, required: boolean) => {
  const value = body[name];
  if (value === undefined || value === null || value === '') {
    return required ? `'${name}' is required` : undefined;
  }
  if (typeof value !== 'string') {
    return `'${name}' must be a string`;
  }
  if (value.trim().length === 0 && required) {
    return `'${name}' is required`;
  }
  return value.length > max ? `'${name}' must be at most ${max} characters` : undefined;
};

async function send(request: SandboxRequest, context: SandboxContext): Promise<Reply> {
  const read = await readJsonObject(request);
  if ('reply' in read) {
    return read.reply;
  }
  const { body } = read;
  if (!('config' in body)) {
    return fail(400, 'bad_request', "'config' is required");
  }
  const problem =
    stringField(body, 'to', 64, true) ?? stringField(body, 'type', 64, true) ?? stringField(body, 'locale', 35, false);
  if (problem) {
    return fail(400, 'bad_request', problem);
  }
  const to = String(body.to).trim();
  const type = String(body.type).trim();
  const locale = typeof body.locale === 'string' && body.locale.trim() ? body.locale.trim() : undefined;

  const code = generateCode();
  const redact = createSecretRedactor([code, ...secretsOf(body.config)]);
  // The console only ever sends into this sandbox, never to a baseUrl of the caller's choosing
  // (that would make it an open proxy for requests from this machine). baseUrl wins over
  // host/region/edge in the connector, so this one field decides where the request goes.
  const given = isNonArrayObject(body.config) ? body.config.baseUrl : undefined;
  const config = isNonArrayObject(body.config) ? { ...body.config, baseUrl: context.url } : body.config;
  const baseUrlReplaced = given !== undefined && String(given).replace(/\/+$/, '') !== context.url;
  try {
    const sent = await sendSms(config, { to, type, payload: { code, ...(locale && { locale }) } });
    return {
      status: 200,
      json: {
        message: {
          sid: sent.sid,
          status: sent.status,
          to: sent.to,
          from: sent.from,
          messagingServiceSid: sent.messagingServiceSid,
          segments: sent.segments.segments,
          encoding: sent.segments.encoding,
          template: sent.template,
        },
        sandbox: { url: context.url, baseUrlReplaced },
      },
    };
  } catch (error) {
    const reply = sendErrorReply(error, redact);
    if (reply.status === 500) {
      // Only the error's class name: its message could quote the request.
      context.logger.error(`console send failed: ${error instanceof Error ? error.name : typeof error}`);
    }
    return reply;
  }
}

/** The console's routes, mounted in the sandbox's route table (see server.ts `sandboxRoutes`). */
export const consoleRoutes: Route[] = [
  { method: 'GET', path: '/api/console/example', handler: example },
  { method: 'POST', path: '/api/console/check', handler: check },
  { method: 'POST', path: '/api/console/send', handler: send },
];
