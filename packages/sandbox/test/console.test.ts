import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

import { startSandbox, type Sandbox } from '../src/index.js';
import { checkConsoleConfig, sendError } from '../src/api/connector-console.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- the answers' shapes are what these tests assert

let sandbox: Sandbox;
const logLines: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    db: ':memory:',
    env: {},
    statusDelayMs: 0,
    logger: {
      info: (line) => logLines.push(line),
      warn: (line) => logLines.push(line),
      error: (line) => logLines.push(line),
      request: ({ method, path, status }) => logLines.push(`${method} ${path} ${status}`),
    },
  });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(() => {
  sandbox.store.clear();
});

async function call(path: string, init: { body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const hasBody = init.body !== undefined || init.raw !== undefined;
  const response = await fetch(`${sandbox.url}${path}`, {
    method: hasBody ? 'POST' : 'GET',
    headers: { ...(hasBody && { 'content-type': 'application/json' }), ...init.headers },
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await response.text();
  return { status: response.status, text, json: (text ? JSON.parse(text) : undefined) as Json };
}

async function exampleConfig(): Promise<Record<string, Json>> {
  const { json } = await call('/api/console/example');
  return json.config;
}

describe('GET /api/console/example', () => {
  it('builds a working config for the dev account from the connector defaults', async () => {
    const { status, json } = await call('/api/console/example');
    const dev = sandbox.devAccount!;
    expect(status).toBe(200);
    expect(json.config).toMatchObject({
      accountSID: dev.accountSid,
      authToken: dev.authToken,
      senderType: 'from',
      from: '+15005550006',
      baseUrl: sandbox.url,
      timeoutMs: 10_000,
      maxRetries: 2,
    });
    expect(json.config.templates.map((template: Json) => template.usageType)).toEqual(
      expect.arrayContaining(['SignIn', 'Register', 'ForgotPassword', 'Generic'])
    );
    expect(json.usageTypes).toEqual(expect.arrayContaining(['SignIn', 'MfaVerification']));
    expect(json.sandbox).toEqual({
      url: sandbox.url,
      accountSid: dev.accountSid,
      authTokenIncluded: true,
      sender: '+15005550006',
      recipient: '+14155550100',
      sampleCode: '123456',
    });
    expect(checkConsoleConfig(json.config)).toMatchObject({ ok: true, issues: [] });
  });

  it('never puts a configured account’s token in the page', async () => {
    const configured = await startSandbox({
      port: 0,
      db: ':memory:',
      env: {},
      accounts: [{ accountSid: `AC${'c'.repeat(32)}`, authToken: 'real-looking-token' }],
    });
    try {
      const response = await fetch(`${configured.url}/api/console/example`);
      const text = await response.text();
      expect(text).not.toContain('real-looking-token');
      // Left out, so the console's check asks for it (a placeholder would pass the guard and fail at send).
      expect(JSON.parse(text).config).not.toHaveProperty('authToken');
      expect(JSON.parse(text).sandbox.authTokenIncluded).toBe(false);
      expect(checkConsoleConfig(JSON.parse(text).config).issues).toContainEqual(
        expect.objectContaining({ path: 'authToken', severity: 'error' })
      );
    } finally {
      await configured.close();
    }
  });
});

describe('POST /api/console/check', () => {
  it('reports guard errors by JSON path and previews every template', async () => {
    const config = await exampleConfig();
    const { status, json } = await call('/api/console/check', {
      body: {
        config: {
          ...config,
          accountSID: 'nope',
          templates: [...config.templates, { usageType: 'SignIn', content: '验证码 {{code}}', locale: 'zh-CN' }],
        },
      },
    });
    expect(status).toBe(200);
    expect(json.ok).toBe(false);
    expect(json.issues).toContainEqual({
      path: 'accountSID',
      message: expect.stringContaining('Account SID'),
      severity: 'error',
    });
    const chinese = json.templates.find((template: Json) => template.locale === 'zh-CN');
    expect(chinese).toMatchObject({ usageType: 'SignIn', body: '验证码 123456', encoding: 'UCS-2', segments: 1 });
    const signIn = json.templates.find((template: Json) => template.usageType === 'SignIn' && !template.locale);
    expect(signIn).toMatchObject({ encoding: 'GSM-7', segments: 1, hasCode: true });
    expect(signIn).not.toHaveProperty('locale');
    expect(signIn.body).toContain('123456');
  });

  it('passes warnings through for a config that parses', async () => {
    const config = await exampleConfig();
    const templates = config.templates.map((template: Json) =>
      template.usageType === 'Generic' ? { ...template, content: 'Hello there' } : template
    );
    const { json } = await call('/api/console/check', { body: { config: { ...config, templates } } });
    expect(json.ok).toBe(true);
    expect(json.issues).toContainEqual({
      path: expect.stringMatching(/^templates\[\d+]\.content$/),
      message: expect.stringContaining('{{code}}'),
      severity: 'warning',
      kind: 'noCodePlaceholder',
    });
  });

  it('answers non-JSON, bad JSON, a missing config and a too-large body with 4xx', async () => {
    expect(
      (await call('/api/console/check', { raw: 'config=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }))
        .status
    ).toBe(400);
    const bad = await call('/api/console/check', { raw: '{"config":' });
    expect(bad.status).toBe(400);
    // The /api/ family's one error shape, with the console's code.
    expect(bad.json).toEqual({ error: { message: 'The request body is not valid JSON', code: 'bad_request' } });
    expect((await call('/api/console/check', { body: [1, 2] })).status).toBe(400);
    expect((await call('/api/console/check', { body: {} })).json.error.message).toBe("'config' is required");
    const large = await call('/api/console/check', { raw: JSON.stringify({ config: { padding: 'x'.repeat(300 * 1024) } }) });
    expect(large.status).toBe(413);
  });

  it('shares the sandbox’s one body limit (maxBodyBytes)', async () => {
    const roomy = await startSandbox({ port: 0, db: ':memory:', env: {}, maxBodyBytes: 512 * 1024 });
    try {
      const config = (await (await fetch(`${roomy.url}/api/console/example`)).json()).config;
      const large = await fetch(`${roomy.url}/api/console/check`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ config: { ...config, padding: 'x'.repeat(300 * 1024) } }),
      });
      expect(large.status).toBe(200);
      const tooLarge = await fetch(`${roomy.url}/api/console/check`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ config: { ...config, padding: 'x'.repeat(600 * 1024) } }),
      });
      expect(tooLarge.status).toBe(413);
      expect((await tooLarge.json()).error.code).toBe('payload_too_large');
    } finally {
      await roomy.close();
    }
  });

  it('refuses cross-site requests', async () => {
    const config = await exampleConfig();
    const foreignOrigin = await call('/api/console/check', { body: { config }, headers: { origin: 'https://evil.example' } });
    expect(foreignOrigin.status).toBe(403);
    // fetch does not let a caller set Host; a DNS-rebinding page's request carries its own name.
    const rebound = await new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ config });
      const url = new URL('/api/console/check', sandbox.url);
      const outgoing = httpRequest(
        url,
        { method: 'POST', headers: { host: `evil.example:${url.port}`, 'content-type': 'application/json' } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        }
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
    expect(rebound).toBe(403);
    const sameOrigin = await call('/api/console/check', { body: { config }, headers: { origin: sandbox.url } });
    expect(sameOrigin.status).toBe(200);
  });
});

describe('POST /api/console/send', () => {
  it('sends a fresh code through the real connector into the inbox, without echoing it', async () => {
    const config = await exampleConfig();
    const { status, json, text } = await call('/api/console/send', {
      body: { config, to: '+1 (415) 555-0100', type: 'SignIn' },
    });
    expect(status).toBe(200);
    expect(json.message).toMatchObject({
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      to: '+14155550100',
      segments: 1,
      encoding: 'GSM-7',
      template: { usageType: 'SignIn' },
    });
    const stored = sandbox.store.get(json.message.sid)!;
    expect(stored.body).toMatch(/^Your Logto sign-in verification code is \d{6}\./);
    const code = /\d{6}/.exec(stored.body)![0];
    expect(text).not.toContain(code);
    expect(text).not.toContain(config.authToken);
    expect(logLines.join('\n')).not.toContain(code);
    expect(logLines.join('\n')).not.toContain(config.authToken);
  });

  it('only ever sends into this sandbox: a config baseUrl elsewhere is replaced, and nothing reaches it', async () => {
    const reached: string[] = [];
    const elsewhere = createServer((incoming, outgoing) => {
      reached.push(`${incoming.method} ${incoming.url}`);
      outgoing.writeHead(201, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    try {
      const config = await exampleConfig();
      const target = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
      const { status, json } = await call('/api/console/send', {
        body: { config: { ...config, baseUrl: target, region: 'ie1' }, to: '+14155550105', type: 'SignIn' },
      });
      expect(status).toBe(200);
      expect(json.sandbox).toEqual({ url: sandbox.url, baseUrlReplaced: true });
      expect(sandbox.store.get(json.message.sid)).toBeDefined();
      expect(reached).toEqual([]);

      const { json: own } = await call('/api/console/send', { body: { config, to: '+14155550106', type: 'SignIn' } });
      expect(own.sandbox).toEqual({ url: sandbox.url, baseUrlReplaced: false });
    } finally {
      await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
    }
  });

  it('picks the template by locale', async () => {
    const config = await exampleConfig();
    config.templates.push({ usageType: 'Register', locale: 'fr', content: 'Votre code est {{code}}' });
    const { json } = await call('/api/console/send', { body: { config, to: '+14155550101', type: 'Register', locale: 'fr-FR' } });
    expect(json.message.template).toEqual({ usageType: 'Register', locale: 'fr' });
    expect(sandbox.store.get(json.message.sid)!.body).toMatch(/^Votre code est \d{6}$/);
  });

  it('maps an invalid config to the connector’s invalid_config error', async () => {
    const config = await exampleConfig();
    const { status, json } = await call('/api/console/send', {
      body: { config: { ...config, from: 'whatsapp:+15005550006' }, to: '+14155550102', type: 'SignIn' },
    });
    expect(status).toBe(400);
    expect(json.error).toMatchObject({ code: 'invalid_config', message: expect.stringContaining('WhatsApp') });
    expect(sandbox.store.search({ limit: 10 })).toHaveLength(0);
  });

  it('maps Twilio’s refusals (wrong token, undeliverable number) and redacts secrets', async () => {
    const config = await exampleConfig();
    const wrongToken = await call('/api/console/send', {
      body: { config: { ...config, authToken: 'not-the-token' }, to: '+14155550103', type: 'SignIn' },
    });
    expect(wrongToken.status).toBe(400);
    expect(wrongToken.json.error.code).toBe('invalid_config');
    expect(wrongToken.text).not.toContain('not-the-token');

    const unsubscribed = await call('/api/console/send', { body: { config, to: '+15005550004', type: 'SignIn' } });
    expect(unsubscribed.status).toBe(400);
    expect(unsubscribed.json.error).toMatchObject({ code: 'invalid_request_parameters', data: { code: 21610 } });
  });

  it('validates the request fields', async () => {
    const config = await exampleConfig();
    expect((await call('/api/console/send', { body: { config, type: 'SignIn' } })).json.error.message).toBe("'to' is required");
    expect((await call('/api/console/send', { body: { config, to: '+14155550104', type: 7 } })).json.error.message).toBe(
      "'type' must be a string"
    );
    expect((await call('/api/console/send', { body: { to: '+14155550104', type: 'SignIn' } })).status).toBe(400);
  });
});

describe('helpers', () => {
  it('answers a bare 500 for a non-connector error', () => {
    expect(sendError(new TypeError('secret 123456'), (text) => text)).toMatchObject({
      status: 500,
      apiCode: 'general',
      message: 'Unexpected error while sending the message',
      data: undefined,
    });
    // Recognized by its class (the connector's), not by a shape any error could have.
    const lookalike = Object.assign(new Error('ConnectorError: general'), { code: 'general', data: { message: 'secret' } });
    expect(sendError(lookalike, (text) => text).status).toBe(500);
  });
});
