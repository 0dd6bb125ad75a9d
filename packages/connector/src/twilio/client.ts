/**
 * The two Twilio REST calls the connector makes: create a Message, read SMS usage.
 *
 * @module
 */
import { apiVersion, defaultApiHost } from '../constant.js';
import { authenticationOf } from '../config-keys.js';
import { configSecrets } from '../config-secrets.js';
import { isNonArrayObject } from '../objects.js';
import type { TwilioSmsConfig } from '../types.js';

import { TwilioApiError, TwilioResponseError } from './errors.js';
import { type HttpResponse, send } from './http.js';
import { createSecretDetector } from './secret-detector.js';
import { withRetries } from './retry.js';

/**
 * The Message resource, as Twilio returns it.
 *
 * @doc https://www.twilio.com/docs/messaging/api/message-resource
 */
export type TwilioMessage = {
  sid: string;
  account_sid: string;
  status: string;
  to: string;
  from: string | null;
  messaging_service_sid: string | null;
  num_segments: string;
  date_created: string | null;
  error_code: number | null;
};

const userAgent = `smsdesk-connector-twilio-sms (node ${process.version})`;

/** The configured base URL, else `https://{host}`, else `https://api.{edge}.{region}.twilio.com`. */
export function resolveBaseUrl({ baseUrl, host, region, edge }: Pick<TwilioSmsConfig, 'baseUrl' | 'host' | 'region' | 'edge'>) {
  if (baseUrl) {
    return baseUrl;
  }
  if (host) {
    return `https://${host}`;
  }
  // An edge without a region means us1, as Twilio's SDKs do.
  const location = [edge, region ?? (edge ? 'us1' : undefined)].filter(Boolean).join('.');
  return `https://${location ? `api.${location}.twilio.com` : defaultApiHost}`;
}

function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) {
    return;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value) * 1000;
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const contentType = (response: HttpResponse) => {
  const value = response.headers['content-type'];
  return Array.isArray(value) ? value[0] : value;
};

function parseBody(response: HttpResponse): unknown {
  try {
    return JSON.parse(response.body);
  } catch {
    if (response.status === 429) {
      return undefined; // Still a rate limit, and retried as one.
    }
    throw new TwilioResponseError(
      response.status,
      response.body ? 'not JSON' : 'an empty body',
      contentType(response),
      Buffer.byteLength(response.body)
    );
  }
}

/** Twilio's answer as data, or the matching typed error. */
function readResponse(response: HttpResponse): Record<string, unknown> {
  const body = parseBody(response);

  if (response.status >= 200 && response.status < 300) {
    if (!isNonArrayObject(body)) {
      throw new TwilioResponseError(response.status, 'not a JSON object', contentType(response));
    }
    return body;
  }

  const error = isNonArrayObject(body) ? body : {};
  const code = typeof error.code === 'number' ? error.code : undefined;
  if (code === undefined && response.status !== 429 && !(typeof error.message === 'string')) {
    throw new TwilioResponseError(
      response.status,
      "an error without Twilio's error JSON",
      contentType(response),
      Buffer.byteLength(response.body)
    );
  }
  throw new TwilioApiError(
    response.status,
    code,
    typeof error.message === 'string' ? error.message : undefined,
    typeof error.more_info === 'string' ? error.more_info : undefined,
    parseRetryAfter(response.headers['retry-after'])
  );
}

export type TwilioClient = ReturnType<typeof createTwilioClient>;

/**
 * A client for one config. Its `revealsSecret` finds the config's secrets in any text, in any
 * form, so that error messages never show what a server said when it repeats them.
 */
export function createTwilioClient(config: TwilioSmsConfig) {
  const { accountSID, authToken, apiKeySID, apiKeySecret, timeoutMs, maxRetries } = config;
  const [username, password] =
    authenticationOf(config) === 'apiKey' ? [apiKeySID ?? '', apiKeySecret ?? ''] : [accountSID, authToken ?? ''];
  const credentials = Buffer.from(`${username}:${password}`).toString('base64');
  const base = new URL(resolveBaseUrl(config));
  const accountPath = `${base.pathname.replace(/\/$/, '')}/${apiVersion}/Accounts/${accountSID}`;
  const getHeaders = {
    authorization: `Basic ${credentials}`,
    accept: 'application/json',
    'user-agent': userAgent,
  };
  const postHeaders = { ...getHeaders, 'content-type': 'application/x-www-form-urlencoded' };

  const request = (method: 'GET' | 'POST', path: string, form?: URLSearchParams) => {
    const deadline = Date.now() + timeoutMs;
    const exchange = {
      method,
      origin: base.origin,
      path,
      headers: form ? postHeaders : getHeaders,
      body: form?.toString(),
      deadline,
      timeoutMs,
    };
    return withRetries(() => send(exchange).then(readResponse), { maxRetries, deadline });
  };

  return {
    // The config's secrets (a status callback's userinfo and a Redis URL's included) and the
    // credentials this client sends.
    revealsSecret: createSecretDetector([...configSecrets(config), password, credentials]),

    /** POST …/Messages.json. */
    async createMessage(parameters: URLSearchParams): Promise<TwilioMessage> {
      const message = await request('POST', `${accountPath}/Messages.json`, parameters);
      if (typeof message.sid !== 'string' || typeof message.status !== 'string') {
        throw new TwilioResponseError(201, 'a message without sid or status', 'application/json');
      }
      return message as TwilioMessage;
    },

    /**
     * Outbound SMS since a date (all time without one), from the Usage Records API.
     *
     * @doc https://www.twilio.com/docs/usage/api/usage-record
     */
    async countSmsUsage(startFrom?: Date): Promise<number> {
      const query = new URLSearchParams({ Category: 'sms-outbound' });
      if (startFrom) {
        query.set('StartDate', startFrom.toISOString().slice(0, 10));
      }
      const page = await request('GET', `${accountPath}/Usage/Records${startFrom ? '' : '/AllTime'}.json?${query}`);
      if (!Array.isArray(page.usage_records)) {
        throw new TwilioResponseError(200, 'usage records without a usage_records list', 'application/json');
      }
      return page.usage_records.reduce<number>(
        (sum, record: unknown) => sum + (isNonArrayObject(record) ? Number(record.count) || 0 : 0),
        0
      );
    },
  };
}
