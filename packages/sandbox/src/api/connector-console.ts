/**
 * The web console's routes: Logto's "Compose the connector JSON" and "Test" steps, run through the
 * real connector (`@smsdesk/connector-twilio-sms`) against this sandbox.
 *
 * | Route                      | Body                               | Answer                                             |
 * |----------------------------|------------------------------------|----------------------------------------------------|
 * | GET /api/console/example   |                                    | `{ config, usageTypes, samplePhone, sandbox }`     |
 * | POST /api/console/check    | `{ config }`                       | `{ ok, issues: [{ path, message, severity }], templates }` |
 * | POST /api/console/send     | `{ config, to, type, locale? }`    | 200 `{ message, sandbox: { url, baseUrlReplaced } }` or 4xx `{ error: { message, code, data? } }` |
 *
 * Errors are the /api/ family's `{ error: { message, code } }` (an HttpError with `apiCode`):
 * `bad_request`, `payload_too_large`, or the connector's code of a failed send, with its data.
 *
 * A send always goes to this sandbox: the config's `baseUrl` is replaced by the sandbox's own URL.
 * The verification code is generated here and only ever reaches the sandbox's store (the inbox
 * shows it; that is the point). Neither it nor a credential is in an answer or a log line.
 *
 * @module
 */
import {
  type ConfigIssue,
  type TemplatePreview,
  ConnectorError,
  checkConfig,
  configSecrets,
  connectorErrorMessage,
  createRedactor,
  isNonArrayObject,
  logtoUsageTypes,
  previewConfigTemplates,
  randomCode,
  sampleCode,
  sandboxConnectorConfig,
  sandboxRecipient,
  sandboxSender,
  sendSms,
  sentMessageJson,
} from '@smsdesk/connector-twilio-sms';

import type { SandboxContext } from '../context.js';
import { HttpError } from '../http/errors.js';
import type { Reply, Route, SandboxRequest } from '../http/router.js';
import type { SandboxAccount } from '../twilio/accounts.js';

const badRequest = (message: string) => new HttpError(400, message, { apiCode: 'bad_request' });

/** The account the example uses: the generated dev account, else the first configured one. */
function exampleAccount(context: SandboxContext): { account: SandboxAccount; isDev: boolean } | undefined {
  if (context.devAccount) {
    return { account: context.devAccount, isDev: true };
  }
  const [first] = context.accounts.list();
  return first ? { account: first, isDev: false } : undefined;
}

/**
 * The connector's config for this sandbox (`sandboxConnectorConfig`, what the CLI prints too) with
 * the example account. A configured (non-generated) account's auth token may be a real Twilio
 * token, so it is never put in a page: the config leaves it out, and the check asks for it.
 */
function buildExampleConfig(context: SandboxContext) {
  const chosen = exampleAccount(context);
  const accountSid = chosen?.account.accountSid ?? 'AC00000000000000000000000000000000';
  const authTokenIncluded = Boolean(chosen?.isDev);
  return {
    config: sandboxConnectorConfig({
      url: context.url,
      accountSid,
      ...(authTokenIncluded && { authToken: chosen!.account.authToken }),
    }),
    // The empty inbox's curl command sends from and to the same numbers as the CLI's demo, with
    // the code previews show.
    sandbox: { url: context.url, accountSid, authTokenIncluded, sender: sandboxSender, recipient: sandboxRecipient, sampleCode },
  };
}

/**
 * The connector's verdict on a config (its own guard and advisory checks), and every template
 * rendered with a sample code. Templates are previewed even when the config has errors elsewhere
 * (a credential typo should not blank the previews).
 *
 * @example
 * checkConsoleConfig({ accountSID: 'AC…', templates: [] }).issues[0]; // { path: 'authToken', … }
 */
export function checkConsoleConfig(input: unknown): { ok: boolean; issues: ConfigIssue[]; templates: TemplatePreview[] } {
  const { ok, config, issues } = checkConfig(input);
  return { ok, issues, templates: previewConfigTemplates(input, config) };
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

/** The error answer for anything `sendSms` threw, with every secret and the code removed. */
export function sendError(error: unknown, redact: (text: string) => string): HttpError {
  if (!(error instanceof ConnectorError)) {
    return new HttpError(500, 'Unexpected error while sending the message', { apiCode: 'general' });
  }
  const { code, data } = error;
  // Serialize, then redact the whole text: a secret can hide in any nested field of `data`.
  const redacted = data === undefined ? undefined : (JSON.parse(redact(JSON.stringify(data))) as unknown);
  return new HttpError(statusFor(code), redact(connectorErrorMessage(error)), { apiCode: code, data: redacted });
}

/**
 * Reads a console request's JSON object body. The size limit is the sandbox's `maxBodyBytes`,
 * the one limit of every route (enforced while reading the body).
 *
 * @throws HttpError `bad_request` or `payload_too_large`.
 */
async function readJsonObject(request: SandboxRequest): Promise<Record<string, unknown>> {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw badRequest('Expected a JSON body (Content-Type: application/json)');
  }
  let buffer: Buffer;
  try {
    buffer = await request.body();
  } catch (error) {
    if (error instanceof HttpError && error.status === 413) {
      // The server adds Connection: close to a 413.
      throw new HttpError(413, error.message, { headers: error.headers, apiCode: 'payload_too_large' });
    }
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(buffer.toString('utf8'));
  } catch {
    throw badRequest('The request body is not valid JSON');
  }
  if (!isNonArrayObject(parsed)) {
    throw badRequest('The request body must be a JSON object');
  }
  return parsed;
}

function example(_request: SandboxRequest, context: SandboxContext): Reply {
  const { config, sandbox } = buildExampleConfig(context);
  return { status: 200, json: { config, usageTypes: logtoUsageTypes, samplePhone: sandboxRecipient, sandbox } };
}

async function check(request: SandboxRequest): Promise<Reply> {
  const body = await readJsonObject(request);
  if (!('config' in body)) {
    throw badRequest("'config' is required");
  }
  return { status: 200, json: checkConsoleConfig(body.config) };
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
  const body = await readJsonObject(request);
  if (!('config' in body)) {
    throw badRequest("'config' is required");
  }
  const problem =
    stringField(body, 'to', 64, true) ?? stringField(body, 'type', 64, true) ?? stringField(body, 'locale', 35, false);
  if (problem) {
    throw badRequest(problem);
  }
  const to = String(body.to).trim();
  const type = String(body.type).trim();
  const locale = typeof body.locale === 'string' && body.locale.trim() ? body.locale.trim() : undefined;

  const code = randomCode();
  const redact = createRedactor([code, ...configSecrets(body.config)]);
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
      json: { message: sentMessageJson(sent), sandbox: { url: context.url, baseUrlReplaced } },
    };
  } catch (error) {
    const failure = sendError(error, redact);
    if (failure.status === 500) {
      // Only the error's class name: its message could quote the request.
      context.logger.error(`console send failed: ${error instanceof Error ? error.name : typeof error}`);
    }
    throw failure;
  }
}

/** The console's routes, mounted in the sandbox's route table (see index.ts `sandboxRoutes`). */
export const consoleRoutes: Route[] = [
  { method: 'GET', path: '/api/console/example', handler: example },
  { method: 'POST', path: '/api/console/check', handler: check },
  { method: 'POST', path: '/api/console/send', handler: send },
];
