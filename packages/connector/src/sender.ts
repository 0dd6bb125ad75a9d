/**
 * Sending a verification code: the connector's `sendMessage`, usable on its own with a plain
 * config object.
 *
 * @module
 */
import { ConnectorError, ConnectorErrorCodes, type SendMessagePayload } from '@logto/connector-kit';

import { type ErrorAudience, asPresented, endUserSentences, presentError } from './error-audience.js';
import { refusalError } from './guard/index.js';
import { isObjectLike } from './objects.js';
import { parsedConfigOf } from './parsed-config.js';
import { toE164 } from './phone.js';
import { type SegmentInfo, maxBodyCharacters } from './segments.js';
import { type MessagePreview, describeTemplate, hasCodePlaceholder, previewTemplates } from './templates.js';
import { type TwilioClient, createTwilioClient } from './twilio/client.js';
import { toConnectorError } from './twilio/connector-errors.js';
import { type RevealsSecret, createSecretDetector } from './twilio/secret-detector.js';
import type { TwilioSmsConfig } from './types.js';

export type SmsMessage = {
  /** The destination, E.164 with or without the "+" (as Logto passes it). */
  to: string;
  /** The template usage type: SignIn, Register, ForgotPassword, Generic, MfaVerification … */
  type: string;
  payload?: SendMessagePayload;
  /** The requesting client's address, as Logto passes it (for the abuse guard's IP limit). */
  ip?: string;
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

const invalidRequest = (message: string) => new ConnectorError(ConnectorErrorCodes.InvalidRequestParameters, { message });

/**
 * The message a send would produce: the chosen template and why, the rendered body, its segments.
 *
 * @throws ConnectorError `invalid_config` or `template_not_found`.
 */
export function previewMessage(input: unknown, { type, payload = {} }: Partial<Omit<SmsMessage, 'to'>> = {}): MessagePreview {
  return preview(parsedConfigOf(input).config, String(type), snapshot(payload, 'payload'));
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
 * The own enumerable data properties of `value`, read once: the check and the rendering use this
 * same copy, so an inherited `code`, a getter or a proxy cannot show the check one value and the
 * template another. Getters are not called.
 *
 * @throws ConnectorError `invalid_request_parameters` when `value` cannot be read (a revoked proxy,
 * a throwing trap).
 */
function snapshot(value: unknown, name: string): Record<string, unknown> {
  const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (!isObjectLike(value)) {
    return copy;
  }
  try {
    for (const key of Object.keys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor?.enumerable && 'value' in descriptor) {
        copy[key] = descriptor.value;
      }
    }
  } catch {
    throw invalidRequest(`The ${name} could not be read: pass a plain object.`);
  }
  return copy;
}

/** Any config error, a Proxy's included, as `invalid_config`. */
function readConfig(input: unknown) {
  try {
    return parsedConfigOf(input);
  } catch (error) {
    if (error instanceof ConnectorError) {
      throw error;
    }
    throw new ConnectorError(ConnectorErrorCodes.InvalidConfig, {
      message: 'The config could not be read: pass a plain JSON object.',
    });
  }
}

export type SendOptions = {
  /**
   * Who will read an error: `console` for Logto's console Test (the config came with the call),
   * `end-user` for a live sign-in, `caller` (the default) for programs and the CLI. See
   * {@link ErrorAudience}.
   */
  audience?: ErrorAudience;
  /** A test send (Logto console's Test): the abuse guard's velocity limits do not apply, its country policy does. */
  test?: boolean;
};

/**
 * The message for this usage type, rendered and checked: refused when its template is empty, needs
 * a code the payload lacks, or renders longer than Twilio accepts.
 */
function checkedMessage(config: TwilioSmsConfig, type: string, values: Record<string, unknown>, codeText: string | undefined) {
  const { body, template, segments, unrendered } = preview(config, type, values);
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
  // The renderer's own word, from the same values: a body with {{code}} left in it is never sent.
  if (unrendered.includes('code')) {
    throw invalidRequest(`The ${name} template needs {{code}}, but the payload has no code.`);
  }
  if (body.length > maxBodyCharacters) {
    throw invalidRequest(
      `The ${name} message is ${body.length} characters once rendered; Twilio accepts at most ${maxBodyCharacters}.`
    );
  }
  return { body, template, segments };
}

/**
 * Sends the verification code in `payload.code` to `to`, with the template for `type` and
 * `payload.locale`. The config is validated on every call. Only the payload's own data properties
 * are read, once.
 *
 * @throws ConnectorError with a code Logto maps to an HTTP status, worded for `options.audience`;
 * its message and data never hold a credential or the code.
 * @example
 * await sendSms(config, { to: '+14155552671', type: 'SignIn', payload: { code: '123456' } });
 */
export async function sendSms(
  input: unknown,
  message: SmsMessage,
  { audience = 'caller', test = false }: SendOptions = {}
): Promise<SentSms> {
  let values: Record<string, unknown> = {};
  let client: TwilioClient | undefined;
  try {
    const { to, type, payload, ip } = snapshot(message, 'message');
    values = snapshot(payload, 'payload');
    const { config, guard } = readConfig(input);
    client = createTwilioClient(config);
    const { code } = values;
    const codeText = typeof code === 'string' || (typeof code === 'number' && Number.isFinite(code)) ? String(code) : undefined;

    if (code !== undefined && codeText === undefined) {
      throw invalidRequest('The verification code (payload.code) must be a string.');
    }
    // A primitive is taken as Logto would print it; an object's toString is never called.
    if ((typeof type === 'object' && type !== null) || typeof type === 'function' || typeof type === 'symbol') {
      throw invalidRequest('The usage type (type) must be a string, such as "SignIn".');
    }

    const { body, template, segments } = checkedMessage(config, String(type), values, codeText);

    let destination: string;
    try {
      destination = toE164(to as string, config.phoneValidation);
    } catch (error) {
      throw error instanceof ConnectorError ? presentError(error, audience, endUserSentences.badNumber) : error;
    }

    // Before any request to Twilio: a refused destination never reaches it.
    const decision = await guard().check({ to: destination, ip: typeof ip === 'string' ? ip : undefined, test });
    if (!decision.allowed) {
      // Worded by the guard for the admin and the person signing in alike (number masked).
      throw asPresented(refusalError(decision));
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
    throw toConnectorError(error, payloadSecretsDetector(values, client), audience);
  }
}

/** A link's path, query and fragment: its origin is public, and would match unrelated URLs. */
function secretPartOf(link: string) {
  try {
    const { pathname, search, hash } = new URL(link);
    return `${pathname}${search}${hash}`;
  } catch {
    return link;
  }
}

/** The config's secrets, the code and a magic link (a credential too), in any form. */
function payloadSecretsDetector(values: Record<string, unknown>, client: TwilioClient | undefined): RevealsSecret {
  const { code, link } = values;
  const revealsPayload = createSecretDetector([
    typeof code === 'string' || typeof code === 'number' ? String(code) : undefined,
    typeof link === 'string' ? secretPartOf(link) : undefined,
  ]);
  return (text) => revealsPayload(text) || (client?.revealsSecret(text) ?? false);
}

/** SMS messages sent since `startFrom` (all time without it), as Logto's console shows. */
export async function countSmsUsage(input: unknown, startFrom?: Date): Promise<number> {
  const client = createTwilioClient(parsedConfigOf(input).config);
  try {
    return await client.countSmsUsage(startFrom);
  } catch (error) {
    throw toConnectorError(error, client.revealsSecret);
  }
}
