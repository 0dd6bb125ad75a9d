/**
 * Sending a verification code: the connector's `sendMessage`, usable on its own with a plain
 * config object.
 *
 * @module
 */
import {
  ConnectorError,
  ConnectorErrorCodes,
  type SendMessagePayload,
} from '@logto/connector-kit';

import { type TwilioSmsConfig, describeTemplate, parseConfig } from './config.js';
import { guardFor, refusalError } from './guard/index.js';
import { toE164 } from './phone.js';
import { type SegmentInfo, maxBodyCharacters } from './segments.js';
import { type MessagePreview, hasCodePlaceholder, previewTemplates } from './templates.js';
import { type TwilioClient, createTwilioClient } from './twilio/client.js';
import { createRedactor, toConnectorError } from './twilio/errors.js';

export type SmsMessage = {
  /** The destination, E.164 with or without the "+" (as Logto passes it). */
  to: string;
  /** The template usage type: SignIn, Register, ForgotPassword, Generic, MfaVerification … */
  type: string;
  payload?: SendMessagePayload;
  /** The requesting client's address, as Logto passes it (for the abuse guard's IP limit). */
  ip?: string;
};

export type SendOptions = {
  /** A test send (Logto console's Test): the abuse guard's velocity limits do not apply, its country policy does. */
  test?: boolean;
};

export type SentSms = {
  sid: string;
  /** Twilio's status at creation: queued, or accepted for a Messaging Service. */
  status: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  /** Encoding and segments of the body that was sent. */
  segments: SegmentInfo;
  template: { usageType: string; locale?: string };
};

// Parsed configs are cached by content, so one client (and its keep-alive agent) serves every
// send with the same config.
const clients = new WeakMap<TwilioSmsConfig, TwilioClient>();

const clientFor = (config: TwilioSmsConfig) => {
  let client = clients.get(config);
  if (!client) {
    client = createTwilioClient(config);
    clients.set(config, client);
  }
  return client;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const invalidRequest = (message: string) =>
  new ConnectorError(ConnectorErrorCodes.InvalidRequestParameters, { message });

/**
 * The message a send would produce: the chosen template and why, the rendered body, its segments.
 *
 * @throws ConnectorError `invalid_config` or `template_not_found`.
 */
export function previewMessage(
  input: unknown,
  { type, payload = {} }: Partial<Omit<SmsMessage, 'to'>> = {}
): MessagePreview {
  return preview(parseConfig(input), String(type), isRecord(payload) ? payload : {});
}

function preview(config: TwilioSmsConfig, type: string, payload: Record<string, unknown>) {
  const result = previewTemplates(config.templates, String(type), payload);
  if (!result) {
    throw new ConnectorError(ConnectorErrorCodes.TemplateNotFound, {
      message: `No template for usage type ${String(type)}, and no Generic template to fall back to.`,
    });
  }
  return result;
}

function buildParameters(config: TwilioSmsConfig, to: string, body: string) {
  const parameters = new URLSearchParams({ To: to, Body: body });
  if (config.fromMessagingServiceSID) {
    parameters.set('MessagingServiceSid', config.fromMessagingServiceSID);
  }
  if (config.from) {
    parameters.set('From', config.from);
  }
  // As the official connector: RiskCheck is always sent.
  parameters.set('RiskCheck', config.disableRiskCheck ? 'disable' : 'enable');
  if (config.validityPeriod !== undefined) {
    parameters.set('ValidityPeriod', String(config.validityPeriod));
  }
  if (config.statusCallback) {
    parameters.set('StatusCallback', config.statusCallback);
  }
  if (config.smartEncoded !== undefined) {
    parameters.set('SmartEncoded', String(config.smartEncoded));
  }
  return parameters;
}

/**
 * Sends the verification code in `payload.code` to `to`, with the template for `type` and
 * `payload.locale`. The config is validated on every call.
 *
 * @throws ConnectorError with a code Logto maps to an HTTP status; its message and data never hold
 * a credential or the code.
 * @example
 * await sendSms(config, { to: '+14155552671', type: 'SignIn', payload: { code: '123456' } });
 */
export async function sendSms(input: unknown, message: SmsMessage, { test = false }: SendOptions = {}): Promise<SentSms> {
  const { to, type, payload, ip } = isRecord(message) ? message : ({} as Partial<SmsMessage>);
  const config = parseConfig(input);
  const client = clientFor(config);
  const values = isRecord(payload) ? payload : {};
  const { code } = values;
  const codeText =
    typeof code === 'string' || (typeof code === 'number' && Number.isFinite(code)) ? String(code) : undefined;

  try {
    if (code !== undefined && codeText === undefined) {
      throw invalidRequest('The verification code (payload.code) must be a string.');
    }

    const { body, template, segments } = preview(config, String(type), values);
    const name = describeTemplate(template);
    if (!body.trim()) {
      const issue = {
        path: `templates[${config.templates.indexOf(template)}].content`,
        message: `The ${name} template is empty: give it content with a {{code}} placeholder`,
      };
      throw new ConnectorError(ConnectorErrorCodes.InvalidConfig, { message: `${issue.message}.`, issues: [issue] });
    }
    if (!codeText && hasCodePlaceholder(template.content)) {
      throw invalidRequest(`The ${name} template needs {{code}}, but the payload has no code.`);
    }
    if (body.length > maxBodyCharacters) {
      throw invalidRequest(
        `The ${name} message is ${body.length} characters once rendered; Twilio accepts at most ${maxBodyCharacters}.`
      );
    }

    const destination = toE164(to as string);
    // Before any request to Twilio: a refused destination never reaches it.
    const decision = await guardFor(config).check({ to: destination, ip: typeof ip === 'string' ? ip : undefined, test });
    if (!decision.allowed) {
      throw refusalError(decision);
    }

    const created = await client.createMessage(buildParameters(config, destination, body));
    return {
      sid: created.sid,
      status: created.status,
      to: created.to,
      from: created.from,
      messagingServiceSid: created.messaging_service_sid,
      segments,
      template: { usageType: template.usageType, ...(template.locale && { locale: template.locale }) },
    };
  } catch (error) {
    // A magic link is a credential too.
    const redactCode = createRedactor([codeText, typeof values.link === 'string' ? values.link : undefined]);
    throw toConnectorError(error, (text) => redactCode(client.redact(text)));
  }
}

/** SMS messages sent since `startFrom` (all time without it), as Logto's console shows. */
export async function countSmsUsage(input: unknown, startFrom?: Date): Promise<number> {
  const client = clientFor(parseConfig(input));
  try {
    return await client.countSmsUsage(startFrom);
  } catch (error) {
    throw toConnectorError(error, client.redact);
  }
}
