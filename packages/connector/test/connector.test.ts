import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { ConnectorError, ConnectorType, TemplateType, connectorMetadataGuard } from '@logto/connector-kit';

import createConnector, {
  defaultMetadata,
  defaultTemplates,
  resolveBaseUrl,
  sendSms,
  configKeys,
  twilioSmsConfigGuard,
} from '../src/index.js';

import {
  type TwilioDouble,
  accountSid,
  authToken,
  messagingServiceSid,
  startTwilioDouble,
  twilioError,
} from './helpers/twilio-double.js';

let twilio: TwilioDouble;

beforeEach(async () => {
  twilio = await startTwilioDouble();
});

afterEach(async () => {
  await twilio.close();
});

const configFor = (url: string, overrides: Record<string, unknown> = {}) => ({
  accountSID: accountSid,
  authToken,
  fromMessagingServiceSID: messagingServiceSid,
  baseUrl: url,
  templates: defaultTemplates,
  ...overrides,
});

const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const signIn = { to: '14155552671', type: TemplateType.SignIn, payload: { code: '918273' } };

const sendExpectingError = async (config: unknown, message = signIn) => {
  try {
    await sendSms(config, message);
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectorError);
    return error as ConnectorError & { data: Record<string, unknown> };
  }
  throw new Error('expected the send to fail');
};

describe('the connector, as Logto uses it', () => {
  it('has the official connector’s identity and every config key as a form item', async () => {
    const connector = await createConnector({ getConfig: async () => ({}) });
    expect(connector.type).toBe(ConnectorType.Sms);
    expect(connector.metadata).toMatchObject({
      id: 'twilio-short-message-service',
      target: 'twilio-sms',
      platform: null,
      logo: './logo.svg',
      readme: './README.md',
    });
    expect(Object.keys(connector.metadata.name)).toEqual(expect.arrayContaining(['en', 'zh-CN', 'ko', 'tr-TR']));

    // What Logto checks when it loads a connector.
    expect(connectorMetadataGuard.safeParse(connector.metadata).error?.issues).toBeUndefined();

    const keys = defaultMetadata.formItems?.map(({ key }) => key);
    expect(connector.configGuard).toBe(twilioSmsConfigGuard);
    const guardKeys = configKeys;
    expect(new Set(keys)).toEqual(new Set(guardKeys));
    const confidential = defaultMetadata.formItems?.filter((item) => item.isConfidential).map(({ key }) => key);
    expect(new Set(confidential)).toEqual(new Set(['authToken', 'apiKeySecret', 'redisUrl']));
    // An item listed twice (see constant.ts) is the same field under two conditions.
    for (const key of new Set(keys)) {
      const items = defaultMetadata.formItems!.filter((item) => item.key === key);
      const { showConditions: _, required: __, ...first } = items[0]!;
      for (const { showConditions: _a, required: _b, ...other } of items) {
        expect(other).toEqual(first);
      }
    }
    // What shows when is tested in logto-form.test.ts, with Logto's own evaluation.
  });

  it('sends with the saved config: exactly what Twilio receives', async () => {
    const connector = await createConnector({ getConfig: async () => configFor(twilio.url) });
    await connector.sendMessage({ ...signIn, payload: { code: '918273', locale: 'en' } });

    expect(twilio.requests).toHaveLength(1);
    const [request] = twilio.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: `/2010-04-01/Accounts/${accountSid}/Messages.json`,
      headers: {
        authorization: basicAuth(accountSid, authToken),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
    });
    expect(request!.rawBody).toBe(
      new URLSearchParams({
        To: '+14155552671',
        Body: 'Your Logto sign-in verification code is 918273. The code will remain active for 10 minutes.',
        MessagingServiceSid: messagingServiceSid,
        RiskCheck: 'enable',
      }).toString()
    );
  });

  it('uses the config passed by the console’s test button instead of the saved one', async () => {
    const getConfig = vi.fn(async () => configFor('http://127.0.0.1:1'));
    const connector = await createConnector({ getConfig });
    const result = await connector.sendMessage(
      { to: '+4520123456', type: TemplateType.Generic, payload: { code: '555000' } },
      configFor(twilio.url, {
        disableRiskCheck: true,
        templates: defaultTemplates.map((t) => ({ ...t, content: `test {{code}}` })),
      })
    );

    expect(getConfig).not.toHaveBeenCalled();
    expect(twilio.requests[0]?.form).toEqual({
      To: '+4520123456',
      Body: 'test 555000',
      MessagingServiceSid: messagingServiceSid,
      RiskCheck: 'disable',
    });
    expect(result).toMatchObject({ sid: 'SM0123456789abcdef0123456789abcdef', status: 'accepted', to: '+4520123456' });
  });

  it('validates the config on every call, whichever way it comes', async () => {
    const connector = await createConnector({ getConfig: async () => ({ accountSID: 'nope' }) });
    // Live: the person signing in reads a sentence; the console's Test: the admin reads the issues.
    await expect(connector.sendMessage(signIn)).rejects.toMatchObject({
      code: 'general',
      data: { errorDescription: "We couldn't send the SMS right now. Please try again later." },
    });
    await expect(connector.sendMessage(signIn, { ...configFor(twilio.url), templates: [] })).rejects.toMatchObject({
      code: 'general',
      data: { errorDescription: expect.stringContaining('Invalid Twilio SMS connector config: templates:') },
    });
    expect(twilio.requests).toHaveLength(0);
  });

  it('sends From, API-key auth and the optional Twilio settings', async () => {
    const apiKeySID = 'SKfedcba9876543210fedcba9876543210';
    await sendSms(
      configFor(twilio.url, {
        fromMessagingServiceSID: undefined,
        authToken: undefined,
        apiKeySID,
        apiKeySecret: 'key-secret',
        from: '+15005550006',
        validityPeriod: 600,
        statusCallback: 'https://example.com/status?tenant=7',
        smartEncoded: true,
      }),
      { to: '+14155552671', type: 'Register', payload: { code: '111222' } }
    );

    const [request] = twilio.requests;
    expect(request?.path).toBe(`/2010-04-01/Accounts/${accountSid}/Messages.json`);
    expect(request?.headers.authorization).toBe(basicAuth(apiKeySID, 'key-secret'));
    expect(request?.form).toEqual({
      To: '+14155552671',
      Body: 'Your Logto sign-up verification code is 111222. The code will remain active for 10 minutes.',
      From: '+15005550006',
      RiskCheck: 'enable',
      ValidityPeriod: '600',
      StatusCallback: 'https://example.com/status?tenant=7',
      SmartEncoded: 'true',
    });
  });

  it('sends with the chosen sender and credentials only, though the others are still stored', async () => {
    const apiKeySID = 'SKfedcba9876543210fedcba9876543210';
    // As Logto stores it after an admin switched from a service and an API key: the hidden fields keep their values.
    const stored = configFor(twilio.url, { apiKeySID, apiKeySecret: 'key-secret', from: 'ACME-Bank' });

    await sendSms({ ...stored, senderType: 'from', authType: 'authToken', advanced: true }, signIn);
    await sendSms({ ...stored, senderType: 'messagingService', authType: 'apiKey' }, signIn);

    const [fromNumber, fromService] = twilio.requests;
    expect(fromNumber?.headers.authorization).toBe(basicAuth(accountSid, authToken));
    expect(fromNumber?.form).toMatchObject({ From: 'ACME-Bank' });
    expect(fromNumber?.form).not.toHaveProperty('MessagingServiceSid');
    expect(fromService?.headers.authorization).toBe(basicAuth(apiKeySID, 'key-secret'));
    expect(fromService?.form).toMatchObject({ MessagingServiceSid: messagingServiceSid });
    expect(fromService?.form).not.toHaveProperty('From');
  });

  it('picks the template by locale and falls back to Generic for other usage types', async () => {
    const templates = [
      ...defaultTemplates.filter(({ usageType }) => usageType !== 'MfaVerification'),
      { usageType: 'Generic', locale: 'fr', content: 'Votre code : {{code}}' },
    ];
    await sendSms(configFor(twilio.url, { templates }), {
      to: '+33612345678',
      type: 'MfaVerification',
      payload: { code: '424242', locale: 'fr-CA' },
    });
    expect(twilio.requests[0]?.form.Body).toBe('Votre code : 424242');
  });

  it('reports the SMS usage Logto’s console shows', async () => {
    twilio.script(
      {
        status: 200,
        body: {
          usage_records: [
            { category: 'sms', count: '42' },
            { category: 'sms', count: '8' },
          ],
        },
      },
      { status: 200, body: { usage_records: [{ category: 'sms', count: '7' }] } }
    );
    const connector = await createConnector({ getConfig: async () => configFor(twilio.url) });

    await expect(connector.getUsage?.(new Date('2026-11-01T12:00:00Z'))).resolves.toBe(50);
    await expect(connector.getUsage?.()).resolves.toBe(7);
    expect(twilio.requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
      `GET /2010-04-01/Accounts/${accountSid}/Usage/Records.json?Category=sms-outbound&StartDate=2026-11-01`,
      `GET /2010-04-01/Accounts/${accountSid}/Usage/Records/AllTime.json?Category=sms-outbound`,
    ]);
  });
});

describe('Twilio’s errors, mapped', () => {
  it.each([
    [401, 20003, 'Authenticate', 'invalid_config'],
    [400, 21212, "The 'From' number abc is not a valid phone number, shortcode, or alphanumeric sender ID.", 'invalid_config'],
    [
      400,
      21606,
      "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination.",
      'invalid_config',
    ],
    [400, 21705, 'Invalid Messaging Service Sid', 'invalid_config'],
    [400, 21660, "Mismatch between the 'From' number and the account", 'invalid_config'],
    [400, 21211, "The 'To' number +14155552671 is not a valid phone number.", 'invalid_request_parameters'],
    [
      400,
      21408,
      "Permission to send an SMS has not been enabled for the region indicated by the 'To' number",
      'invalid_request_parameters',
    ],
    [400, 21610, 'Attempt to send to unsubscribed recipient', 'invalid_request_parameters'],
    [400, 21612, 'The To phone number is not currently reachable via SMS', 'invalid_request_parameters'],
    [400, 21614, "'To' number is not a valid mobile number", 'invalid_request_parameters'],
    [400, 30001, 'Queue overflow', 'general'],
    [500, 20500, 'Internal Server Error', 'general'],
  ])('HTTP %i, Twilio %i → %s', async (status, code, message, expected) => {
    twilio.script(twilioError(status, code, message));
    const error = await sendExpectingError(configFor(twilio.url));

    expect(error.code).toBe(expected);
    expect(error.data).toMatchObject({
      status,
      code,
      twilioMessage: message,
      moreInfo: `https://www.twilio.com/docs/errors/${code}`,
      attempts: 1,
    });
    expect(error.data.message).toContain(`Twilio says: “${message}” (error ${code}, https://www.twilio.com/docs/errors/${code})`);
    expect(twilio.requests).toHaveLength(1);
  });

  it('reads well to an admin', async () => {
    twilio.script(twilioError(401, 20003, 'Authenticate'));
    const error = await sendExpectingError(configFor(twilio.url));
    expect(error.data.message).toBe(
      'Twilio did not accept the credentials: check accountSID with authToken (or apiKeySID with apiKeySecret) as shown in the Twilio Console, and that they belong to the region set. Twilio says: “Authenticate” (error 20003, https://www.twilio.com/docs/errors/20003).'
    );
  });

  it.each([
    [502, '<html><body><h1>502 Bad Gateway</h1></body></html>', '(HTTP 502, text/html, 50 bytes): not JSON. Something between'],
    [
      404,
      '{"detail":"no such route"}',
      "(HTTP 404, text/html, 26 bytes): an error without Twilio's error JSON. Something between",
    ],
    [201, 'not json', '(HTTP 201, text/html, 8 bytes): not JSON. Twilio accepted the request'],
    [201, '[]', 'not a JSON object'],
    [
      201,
      '{"hello":"world"}',
      'a message without sid or status. Twilio accepted the request, so the message was probably sent: do not send it again.',
    ],
    [200, '', 'an empty body'],
  ])('HTTP %i with %j → invalid_response, not retried', async (status, body, reason) => {
    twilio.script({ status, body, headers: { 'content-type': 'text/html' } });
    const error = await sendExpectingError(configFor(twilio.url));
    expect(error.code).toBe('invalid_response');
    expect(error.data.message).toContain(reason);
    // A body that is not Twilio's JSON is described, never quoted.
    if (body.length > 2) {
      expect(JSON.stringify(error.data) + error.stack).not.toContain(body.slice(0, 10));
    }
    expect(twilio.requests).toHaveLength(1);
  });

  it('withholds Twilio’s message when it repeats a magic link', async () => {
    const link = 'https://example.com/magic?token=s3cr3t-magic-link';
    twilio.script(twilioError(400, 21211, `echo ${link}`));
    const error = await sendExpectingError(
      configFor(twilio.url, { templates: defaultTemplates.map((t) => ({ ...t, content: 'Open {{link}}' })) }),
      {
        ...signIn,
        payload: { link } as never,
      }
    );
    expect(error.data.twilioMessage).toBe('[withheld: it repeated a credential or the code]');
    expect(error.data.message).toContain("Twilio's message is not shown: it repeated a credential or the code.");
    expect(JSON.stringify(error.data) + error.stack).not.toContain('s3cr3t-m');
  });

  it('withholds Twilio’s message when it repeats the code, the token or the credentials', async () => {
    const credentials = Buffer.from(`${accountSid}:${authToken}`).toString('base64');
    twilio.script(twilioError(400, 21211, `echo ${authToken} Basic ${credentials} Body=918273`));
    const error = await sendExpectingError(configFor(twilio.url));
    expect(error.data.twilioMessage).toBe('[withheld: it repeated a credential or the code]');
    expect(JSON.stringify(error.data) + error.message + error.stack).not.toMatch(
      new RegExp(`${authToken}|${credentials}|918273`)
    );
  });
});

describe('retries', () => {
  it('retries 429 and 20429, with or without Retry-After, up to maxRetries', async () => {
    twilio.script(
      twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '0' }),
      twilioError(429, 20429, 'Too Many Requests')
    );
    const result = await sendSms(configFor(twilio.url), signIn);
    expect(result.sid).toMatch(/^SM/);
    expect(twilio.requests).toHaveLength(3);
    expect(new Set(twilio.requests.map(({ rawBody }) => rawBody)).size).toBe(1);
  });

  it('gives up after maxRetries with rate_limit_exceeded', async () => {
    twilio.script(...Array.from({ length: 5 }, () => twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '0' })));
    const error = await sendExpectingError(configFor(twilio.url, { maxRetries: 1 }));
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.data).toMatchObject({ attempts: 2, code: 20429, status: 429 });
    expect(twilio.requests).toHaveLength(2);
  });

  it('waits as long as Retry-After asks: 1 s when a whole attempt still fits after it, else no retry', async () => {
    // The connector's own backoff (a few hundred ms) fits in both sends: only a connector that
    // waits for the 1 s Twilio asked for retries the first and gives up on the second.
    twilio.script(twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '1' }));
    expect((await sendSms(configFor(twilio.url), signIn)).sid).toMatch(/^SM/);
    expect(twilio.requests).toHaveLength(2);

    twilio.script(twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '1' }));
    const error = await sendExpectingError(configFor(twilio.url, { timeoutMs: 1100 }));
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.data).toMatchObject({ retryAfterSeconds: 1, attempts: 1 });
    expect(twilio.requests).toHaveLength(3);
  });

  it('reads Retry-After as an HTTP date too: waited for when a whole attempt still fits after it, else no retry', async () => {
    // An HTTP date has whole seconds: 2 s ahead is a wait of 1 to 2 s, well inside the default deadline.
    const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toUTCString();
    twilio.script(twilioError(429, 20429, 'Too Many Requests', { 'retry-after': inSeconds(2) }));
    expect((await sendSms(configFor(twilio.url), signIn)).sid).toMatch(/^SM/);
    expect(twilio.requests).toHaveLength(2);

    // 5 s ahead does not fit in 1.1 s, where the connector's own backoff would: only a connector
    // that read the date gives up after one attempt.
    twilio.script(twilioError(429, 20429, 'Too Many Requests', { 'retry-after': inSeconds(5) }));
    const error = await sendExpectingError(configFor(twilio.url, { timeoutMs: 1100 }));
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.data).toMatchObject({ attempts: 1 });
    const { retryAfterSeconds } = error.data as { retryAfterSeconds: number };
    expect(retryAfterSeconds).toBeGreaterThan(0);
    expect(retryAfterSeconds).toBeLessThanOrEqual(5);
    expect(twilio.requests).toHaveLength(3);
  });

  it('does not wait for a Retry-After past the deadline', async () => {
    twilio.script(twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '60' }));
    const error = await sendExpectingError(configFor(twilio.url, { timeoutMs: 2000 }));
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.data).toMatchObject({ retryAfterSeconds: 60, attempts: 1 });
    expect(twilio.requests).toHaveLength(1);
  });

  it('does not retry when no whole attempt fits before the deadline', async () => {
    let received = 0;
    const slow = http.createServer((request, response) => {
      received += 1;
      request.resume();
      setTimeout(() => {
        response.writeHead(429, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ code: 20429, message: 'Too Many Requests', status: 429 }));
      }, 600);
    });
    await new Promise<void>((resolve) => {
      slow.listen(0, '127.0.0.1', resolve);
    });
    const { port } = slow.address() as AddressInfo;

    const error = await sendExpectingError(configFor(`http://127.0.0.1:${port}`, { timeoutMs: 1000 }));
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.data).toMatchObject({ attempts: 1 });
    expect(received).toBe(1);
    slow.closeAllConnections();
    slow.close();
  });

  it('never retries a 5xx: Twilio may have sent the message', async () => {
    twilio.script(twilioError(503, 20503, 'Service Unavailable'), twilioError(503, 20503, 'Service Unavailable'));
    const error = await sendExpectingError(configFor(twilio.url));
    expect(error.code).toBe('general');
    expect(twilio.requests).toHaveLength(1);
  });

  it('retries a refused connection, which sent nothing', async () => {
    // Port 1, never a released port: another test's server could be listening there by now.
    const error = await sendExpectingError(configFor('http://127.0.0.1:1'));
    expect(error.code).toBe('general');
    expect(error.data).toMatchObject({ reason: 'network', systemCode: 'ECONNREFUSED', requestSent: false, attempts: 3 });
  });

  it('never retries a timeout after sending, and keeps its deadline', async () => {
    let received = 0;
    const silent = http.createServer(() => {
      received += 1; // Never answers.
    });
    await new Promise<void>((resolve) => {
      silent.listen(0, '127.0.0.1', resolve);
    });
    const { port } = silent.address() as AddressInfo;

    const error = await sendExpectingError(configFor(`http://127.0.0.1:${port}`, { timeoutMs: 1000 }));
    expect(error.code).toBe('general');
    expect(error.data).toMatchObject({ reason: 'timeout', requestSent: true, attempts: 1 });
    expect(error.data.message).toBe(
      'Twilio did not answer within 1000 ms. The message may still have been sent, so it was not retried.'
    );
    expect(received).toBe(1);
    silent.closeAllConnections();
    silent.close();
  });
});

describe('resolveBaseUrl', () => {
  it.each([
    [{}, 'https://api.twilio.com'],
    [{ region: 'ie1' }, 'https://api.ie1.twilio.com'],
    [{ region: 'au1', edge: 'sydney' }, 'https://api.sydney.au1.twilio.com'],
    [{ edge: 'ashburn' }, 'https://api.ashburn.us1.twilio.com'],
    [{ host: 'api.dublin.ie1.twilio.com', region: 'au1' }, 'https://api.dublin.ie1.twilio.com'],
    [{ baseUrl: 'http://127.0.0.1:4010', host: 'api.twilio.com' }, 'http://127.0.0.1:4010'],
  ])('%j → %s', (config, expected) => {
    expect(resolveBaseUrl(config)).toBe(expected);
  });
});
