import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import twilio from 'twilio';

import { twilioSignature } from '../src/twilio/status-callbacks.js';
import type { Sandbox, SandboxLogger } from '../src/index.js';
import { accountA, basic, messagePath, request, send, startTestSandbox, waitForStatus } from './helpers.js';

describe('twilioSignature', () => {
  // The worked example of https://www.twilio.com/docs/usage/webhooks/webhooks-security.
  test("matches Twilio's documented example", () => {
    const signature = twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+12349013030',
      Digits: '1234',
      From: '+12349013030',
      To: '+18005551212',
    });
    expect(signature).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  test("matches Twilio's own SDK on an SMS status callback (a URL with a query, every status field)", () => {
    const params = {
      AccountSid: `AC${'b'.repeat(32)}`,
      ApiVersion: '2010-04-01',
      From: '+15005550006',
      MessageSid: `SM${'a'.repeat(32)}`,
      SmsSid: `SM${'a'.repeat(32)}`,
      MessageStatus: 'delivered',
      SmsStatus: 'delivered',
      To: '+14155551234',
    };
    const url = 'https://example.com/twilio/status?tenant=7';
    // What twilio-node 6's getExpectedTwilioSignature gives for these inputs, kept literal too so a
    // change in either implementation shows.
    expect(twilio.getExpectedTwilioSignature('12345', url, params)).toBe('+/vR1JqdcY95yQr4a5d6wRuR2gI=');
    expect(twilioSignature('12345', url, params)).toBe('+/vR1JqdcY95yQr4a5d6wRuR2gI=');
  });

  test('sorts parameters by name regardless of the order given', () => {
    const url = 'https://example.com/cb';
    expect(
      twilioSignature('t', url, [
        ['B', '2'],
        ['A', '1'],
      ])
    ).toBe(twilioSignature('t', url, { A: '1', B: '2' }));
  });
});

/**
 * A receiver that refuses every connection: port 2, which no test's `listen(0)` can be given (it is
 * below the ephemeral range, and privileged). A receiver closed after it started would free its
 * port for another test's server (in this file or another worker), which would then count this
 * sandbox's callbacks as its own connections. Not port 1: fetch refuses that one itself, as a
 * "bad port", without connecting.
 */
const refusedUrl = 'http://127.0.0.1:2';

type Received = { url: string; headers: IncomingHttpHeaders; params: Record<string, string> };

type Receiver = {
  server: Server;
  url: string;
  received: Received[];
  /** Requests refused with a Basic challenge (only with `authorization`). */
  challenged: Received[];
  next: (count: number) => Promise<Received[]>;
};

/**
 * A local receiver that records every callback and answers with `status`; with `authorization`,
 * a request without that exact header is answered 401 with `challenge` (a Basic one by default).
 */
async function startReceiver(
  status = 204,
  { authorization, challenge = 'Basic realm="callbacks"' }: { authorization?: string; challenge?: string } = {}
): Promise<Receiver> {
  const received: Received[] = [];
  const challenged: Received[] = [];
  const waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const item = { url: req.url ?? '', headers: req.headers, params: Object.fromEntries(new URLSearchParams(body)) };
      if (authorization !== undefined && req.headers.authorization !== authorization) {
        challenged.push(item);
        res.writeHead(401, { 'WWW-Authenticate': challenge }).end();
        return;
      }
      received.push(item);
      res.writeHead(status).end();
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const next = async (count: number) => {
    while (received.length < count) {
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
    return received;
  };
  return { server, url, received, challenged, next };
}

describe('status callbacks', () => {
  let sandbox: Sandbox;
  const warnings: string[] = [];
  const logger: SandboxLogger = { info() {}, warn: (line) => warnings.push(line), error: (line) => warnings.push(line) };

  beforeAll(async () => {
    sandbox = await startTestSandbox({ logger });
  });
  afterAll(() => sandbox.close());

  test('each status change is POSTed, signed, in order, with Twilio’s parameters', async () => {
    const receiver = await startReceiver();
    try {
      const callback = `${receiver.url}/status?tenant=7`;
      const created = await send(sandbox, { StatusCallback: callback });
      const received = await receiver.next(3);
      await sandbox.callbacks.idle();
      expect(received.map((item) => item.params.MessageStatus)).toEqual(['sending', 'sent', 'delivered']);
      for (const item of received) {
        expect(item.url).toBe('/status?tenant=7');
        expect(item.headers['content-type']).toBe('application/x-www-form-urlencoded');
        expect(item.headers['i-twilio-idempotency-token']).toMatch(/^[0-9a-f]{64}$/);
        const signature = item.headers['x-twilio-signature'] as string;
        // Verified independently with the official SDK's validator.
        expect(twilio.validateRequest(accountA.authToken, signature, callback, item.params)).toBe(true);
        expect(twilio.validateRequest('another-token', signature, callback, item.params)).toBe(false);
      }
      const delivered = received[2]!.params;
      expect(delivered).toEqual({
        MessageSid: created.json.sid,
        MessageStatus: 'delivered',
        SmsSid: created.json.sid,
        SmsStatus: 'delivered',
        AccountSid: accountA.accountSid,
        From: '+15005550006',
        To: '+14155551234',
        ApiVersion: '2010-04-01',
        RawDlrDoneDate: expect.stringMatching(/^\d{10}$/),
      });
      expect(new Set(received.map((item) => item.headers['i-twilio-idempotency-token'])).size).toBe(3);
    } finally {
      receiver.server.close();
    }
  });

  test('a Messaging Service send reports queued too and carries MessagingServiceSid', async () => {
    const receiver = await startReceiver();
    try {
      const serviceSid = `MG${'d'.repeat(32)}`;
      await send(sandbox, { From: '', MessagingServiceSid: serviceSid, StatusCallback: `${receiver.url}/cb` });
      const received = await receiver.next(4);
      expect(received.map((item) => item.params.MessageStatus)).toEqual(['queued', 'sending', 'sent', 'delivered']);
      expect(received[0]!.params).toMatchObject({ MessagingServiceSid: serviceSid, From: '+15005550006' });
    } finally {
      receiver.server.close();
    }
  });

  test('an undelivered message reports ErrorCode', async () => {
    const receiver = await startReceiver();
    try {
      await send(sandbox, { To: '+15005553007', StatusCallback: `${receiver.url}/cb` });
      const received = await receiver.next(3);
      expect(received[2]!.params).toMatchObject({ MessageStatus: 'undelivered', ErrorCode: '30007' });
    } finally {
      receiver.server.close();
    }
  });

  test('canceling a scheduled message reports canceled', async () => {
    const receiver = await startReceiver();
    try {
      const created = await send(sandbox, {
        MessagingServiceSid: `MG${'d'.repeat(32)}`,
        ScheduleType: 'fixed',
        SendAt: new Date(Date.now() + 3_600_000).toISOString(),
        StatusCallback: `${receiver.url}/cb`,
      });
      await request(sandbox, messagePath(accountA.accountSid, created.json.sid), { form: { Status: 'canceled' } });
      const [received] = await receiver.next(1);
      expect(received!.params).toMatchObject({ MessageSid: created.json.sid, MessageStatus: 'canceled' });
    } finally {
      receiver.server.close();
    }
  });

  test('a redaction is not a status change: it sends no callback', async () => {
    const receiver = await startReceiver();
    try {
      const created = await send(sandbox, { StatusCallback: `${receiver.url}/cb` });
      await receiver.next(3);
      await sandbox.callbacks.idle();
      const redacted = await request(sandbox, messagePath(accountA.accountSid, created.json.sid), { form: { Body: '' } });
      expect(redacted.json).toMatchObject({ body: '', status: 'delivered' });
      // A callback would be queued by the time the update answers: idle() waits for it.
      await sandbox.callbacks.idle();
      expect(receiver.received.map((item) => item.params.MessageStatus)).toEqual(['sending', 'sent', 'delivered']);
    } finally {
      receiver.server.close();
    }
  });

  test('a failing receiver is logged without secrets or query, and the sandbox carries on', async () => {
    const receiver = await startReceiver(500);
    const closed = { url: refusedUrl };
    try {
      warnings.length = 0;
      const errorSend = await send(sandbox, { StatusCallback: `${receiver.url}/cb?token=hunter2`, Body: 'code 424242' });
      const refusedSend = await send(sandbox, { StatusCallback: `${closed.url}/cb?token=hunter2`, Body: 'code 424242' });
      await waitForStatus(sandbox, errorSend.json.sid, 'delivered');
      await waitForStatus(sandbox, refusedSend.json.sid, 'delivered');
      await sandbox.callbacks.idle();
      expect(warnings.some((line) => line.includes('answered HTTP 500'))).toBe(true);
      expect(warnings.some((line) => line.endsWith('failed: ECONNREFUSED'))).toBe(true);
      for (const line of warnings) {
        expect(line).not.toMatch(/hunter2|424242|token-of-account-a/);
        expect(line).toContain('?[redacted]');
      }
      expect((await send(sandbox)).status).toBe(201);
    } finally {
      receiver.server.close();
    }
  });

  test('a URL with userinfo is called as Twilio does: a Basic challenge is answered with its credentials', async () => {
    // Percent-encoded in the URL, as a user name with @ and a password with : must be.
    const authorization = basic('cb-user@corp', 'cb:password');
    const receiver = await startReceiver(204, { authorization });
    try {
      const port = new URL(receiver.url).port;
      const callback = `http://cb-user%40corp:cb%3Apassword@127.0.0.1:${port}/status?tenant=7`;
      const created = await send(sandbox, { StatusCallback: callback });
      await waitForStatus(sandbox, created.json.sid, 'delivered');
      await sandbox.callbacks.idle();
      expect(receiver.received.map((item) => item.params.MessageStatus)).toEqual(['sending', 'sent', 'delivered']);
      for (const item of receiver.received) {
        expect(item.url).toBe('/status?tenant=7');
        expect(item.headers.authorization).toBe(authorization);
        // Signed over the URL as configured (the one the developer hands the validator).
        expect(
          twilio.validateRequest(accountA.authToken, item.headers['x-twilio-signature'] as string, callback, item.params)
        ).toBe(true);
      }
      // First without credentials, then with them once challenged: never sent unasked.
      expect(receiver.challenged.map((item) => [item.params.MessageStatus, item.headers.authorization])).toEqual([
        ['sending', undefined],
        ['sent', undefined],
        ['delivered', undefined],
      ]);
    } finally {
      receiver.server.close();
    }
  });

  test('a failing callback URL with userinfo and query logs neither, in any form', async () => {
    const user = 'cb-user-9f3k';
    const password = 'cb-pass-7q2w';
    const failing = await startReceiver(500);
    const wrongCredentials = await startReceiver(204, { authorization: basic('someone', 'else') });
    const digestOnly = await startReceiver(204, {
      authorization: basic('someone', 'else'),
      challenge: 'Digest realm="cb", nonce="n"',
    });
    const closed = { url: refusedUrl };
    const withSecrets = (url: string) => `http://${user}:${password}@${new URL(url).host}/cb?sig=query-secret-5x8v`;
    try {
      warnings.length = 0;
      for (const receiver of [failing, wrongCredentials, digestOnly, closed]) {
        const created = await send(sandbox, { StatusCallback: withSecrets(receiver.url) });
        await waitForStatus(sandbox, created.json.sid, 'delivered');
      }
      await sandbox.callbacks.idle();
      // sending, sent and delivered for each of the four receivers.
      expect(warnings).toHaveLength(12);
      expect(warnings.filter((line) => line.includes('answered HTTP 500'))).toHaveLength(3);
      expect(warnings.filter((line) => line.includes('answered HTTP 401'))).toHaveLength(6);
      expect(warnings.filter((line) => line.endsWith('failed: ECONNREFUSED'))).toHaveLength(3);
      expect(warnings.filter((line) => line.includes('without a Basic challenge'))).toHaveLength(3);
      const text = warnings.join('\n');
      for (const secret of [user, password, 'query-secret-5x8v', 'sig=']) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(encodeURIComponent(secret));
      }
      const credentials = Buffer.from(`${user}:${password}`).toString('base64');
      expect(text).not.toContain(credentials.slice(0, 12));
      expect(text).not.toContain('@');
      for (const line of warnings) {
        expect(line).toMatch(/^status callback http:\/\/127\.0\.0\.1:\d+\/cb\?\[redacted\] for SM/);
      }
    } finally {
      for (const receiver of [failing, wrongCredentials, digestOnly]) receiver.server.close();
    }
  });
});

describe('callback concurrency', () => {
  test('at most 32 callback requests are in flight at once, across all messages; the rest wait their turn', async () => {
    let held: Array<() => void> = [];
    let holding = true;
    let open = 0;
    let maxOpen = 0;
    let received = 0;
    const receiver = createServer((req, res) => {
      open += 1;
      maxOpen = Math.max(maxOpen, open);
      req.resume();
      req.on('end', () => {
        const answer = () => {
          open -= 1;
          received += 1;
          res.writeHead(204).end();
        };
        if (holding) held.push(answer);
        else answer();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/status`;
    const sandbox = await startTestSandbox();
    try {
      const messages = 40;
      for (let index = 0; index < messages; index += 1) {
        expect((await send(sandbox, { To: `+1415555${String(1000 + index)}`, StatusCallback: url })).status).toBe(201);
      }
      // Every message has a callback to send; only 32 may be out, the others queue.
      while (held.length < 32 || sandbox.callbacks.queued < messages - 32) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(sandbox.callbacks.inFlight).toBe(32);
      expect(open).toBe(32);
      holding = false;
      for (const answer of held.splice(0)) answer();
      held = [];
      await sandbox.callbacks.idle();
      // sending, sent and delivered for each message.
      expect(received).toBe(messages * 3);
      expect(maxOpen).toBe(32);
      expect(sandbox.callbacks.inFlight).toBe(0);
      expect(sandbox.callbacks.queued).toBe(0);
    } finally {
      await sandbox.close();
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
