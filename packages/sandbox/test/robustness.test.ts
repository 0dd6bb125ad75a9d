import { connect } from 'node:net';

import { createConsoleLogger, type RequestLogEntry, type Sandbox, type SandboxLogger } from '../src/index.js';
import { accountA, basic, defaultSend, expectTwilioError, messagesPath, request, send, startTestSandbox } from './helpers.js';

/** Sends raw bytes and returns everything the server answers until it closes the connection. */
function rawRequest(sandbox: Sandbox, data: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(sandbox.port, '127.0.0.1', () => socket.write(data));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(answer) : reject(error)));
  });
}

const jsonOf = (raw: string) => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as { code: number; status: number };

describe('malformed requests get a Twilio-shaped 4xx and the server keeps answering', () => {
  let sandbox: Sandbox;
  const entries: RequestLogEntry[] = [];
  const lines: string[] = [];
  const logger: SandboxLogger = {
    info: (line) => lines.push(line),
    warn: (line) => lines.push(line),
    error: (line) => lines.push(line),
    request: (entry) => entries.push(entry),
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox({ statusDelayMs: 60_000, logger });
  });
  afterAll(() => sandbox.close());
  afterEach(async () => {
    expect((await request(sandbox, '/api/health', { account: null })).status).toBe(200);
    expect((await send(sandbox)).status).toBe(201);
  });

  const post = (body: string | Buffer, contentType = 'application/x-www-form-urlencoded') =>
    request(sandbox, messagesPath(accountA.accountSid), { body, headers: { 'Content-Type': contentType } });

  test.each([
    ['a bad percent escape', 'To=%ZZ&From=%2B15005550006&Body=hi'],
    ['a truncated percent escape', 'To=%2B14155551234&From=%2B15005550006&Body=hi%'],
    ['percent-encoded invalid UTF-8', 'To=%2B14155551234&From=%2B15005550006&Body=%FF%FE'],
  ])('%s → 400', async (_name, body) => {
    expectTwilioError(await post(body), 400, 400);
  });

  test('raw invalid UTF-8 bytes → 400', async () => {
    const body = Buffer.concat([Buffer.from('To=%2B14155551234&From=%2B15005550006&Body='), Buffer.from([0xc3, 0x28, 0xff])]);
    expectTwilioError(await post(body), 400, 400);
  });

  test('raw UTF-8 (not percent-encoded) in a form body is accepted', async () => {
    const response = await post(`To=%2B14155551234&From=%2B15005550006&Body=${'Код 1234'}`);
    expect(response.status).toBe(201);
    expect(response.json.body).toBe('Код 1234');
  });

  test.each([
    ['JSON', 'application/json', JSON.stringify(defaultSend)],
    ['text/plain', 'text/plain', new URLSearchParams(defaultSend).toString()],
    [
      'multipart',
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="To"\r\n\r\n+14155551234\r\n--x--',
    ],
  ])('a %s body is not a form, so To is missing → 21604', async (_name, contentType, body) => {
    expectTwilioError(await post(body, contentType), 400, 21604);
  });

  test('a body over 64 KB → 413 / 20413', async () => {
    const response = await post(`To=%2B14155551234&From=%2B15005550006&Body=${'a'.repeat(100_000)}`);
    expectTwilioError(response, 413, 20413);
  });

  test('a chunked body over the limit → 413 / 20413', async () => {
    const chunk = 'a'.repeat(70_000);
    const raw = await rawRequest(
      sandbox,
      `POST ${messagesPath(accountA.accountSid)} HTTP/1.1\r\nHost: x\r\n` +
        `Authorization: ${basic(accountA.accountSid, accountA.authToken)}\r\n` +
        'Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n' +
        `${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`
    );
    expect(raw).toMatch(/^HTTP\/1\.1 413/);
    expect(jsonOf(raw)).toMatchObject({ code: 20413, status: 413 });
  });

  test('a declared 1 GB body is refused at once with 413', async () => {
    const raw = await rawRequest(
      sandbox,
      `POST ${messagesPath(accountA.accountSid)} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
        'Content-Length: 1000000000\r\n\r\nTo=%2B1'
    );
    expect(raw).toMatch(/^HTTP\/1\.1 413/);
    expect(jsonOf(raw)).toMatchObject({ code: 20413 });
  });

  // A client that keeps sending an oversized body, each kind in its own process, is in
  // robustness.slow.test.ts (it spawns six clients of 12 MiB each).
  test('a chunked body the client paces, within the drained bound, ends cleanly after the 413', async () => {
    const auth = basic(accountA.accountSid, accountA.authToken);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(sandbox.port, '127.0.0.1', async () => {
        socket.write(
          `POST ${messagesPath(accountA.accountSid)} HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\n` +
            'Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n'
        );
        const chunk = 'a'.repeat(256 * 1024);
        for (let index = 0; index < 8; index += 1) {
          // Each write waits until the kernel took it: a client writing at the network's pace.
          await new Promise((done) => socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`, done));
        }
        socket.write('0\r\n\r\n');
      });
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (data: string) => (received += data));
      socket.on('end', () => resolve(received));
      // Within the bound nothing is reset: an error here fails the test.
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    expect(jsonOf(answer)).toMatchObject({ code: 20413, status: 413 });
  });

  test('a garbage request line → 400 JSON from the HTTP parser', async () => {
    const raw = await rawRequest(sandbox, 'THIS IS NOT HTTP\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(jsonOf(raw)).toMatchObject({ code: 400, status: 400 });
  });

  test('a raw ../ path in a Twilio route → 404 / 20404', async () => {
    const raw = await rawRequest(
      sandbox,
      `GET /2010-04-01/Accounts/${accountA.accountSid}/Messages/../../../../etc/passwd HTTP/1.1\r\nHost: x\r\n` +
        `Authorization: ${basic(accountA.accountSid, accountA.authToken)}\r\nConnection: close\r\n\r\n`
    );
    expect(raw).toMatch(/^HTTP\/1\.1 404/);
    expect(jsonOf(raw)).toMatchObject({ code: 20404 });
  });

  test('a bad percent escape in a list query → 400', async () => {
    expectTwilioError(await request(sandbox, `${messagesPath(accountA.accountSid)}?To=%E0%A4%A`), 400, 400);
  });

  test('request log lines hold method, path and status, never credentials, queries or bodies', async () => {
    entries.length = 0;
    await send(sandbox, { Body: 'Your code is 918273', StatusCallback: 'https://example.com/cb?secret=abc' });
    await request(sandbox, `${messagesPath(accountA.accountSid)}?To=%2B14155551234`);
    await request(sandbox, messagesPath(accountA.accountSid), {
      account: { accountSid: accountA.accountSid, authToken: 'guess' },
      form: defaultSend,
    });
    expect(entries.map(({ method, path, status }) => [method, path, status])).toEqual([
      ['POST', messagesPath(accountA.accountSid), 201],
      ['GET', messagesPath(accountA.accountSid), 200],
      ['POST', messagesPath(accountA.accountSid), 401],
    ]);
    const text = JSON.stringify(entries) + lines.join('\n');
    for (const secret of [accountA.authToken, 'guess', '918273', 'secret=abc', 'Basic ', '14155551234']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('createConsoleLogger', () => {
  test('writes one line per request', () => {
    const out: string[] = [];
    const logger = createConsoleLogger(
      (line) => out.push(line),
      (line) => out.push(line)
    );
    logger.request!({ method: 'POST', path: '/2010-04-01/Accounts/AC1/Messages.json', status: 201, ms: 1.234 });
    logger.warn('careful');
    expect(out).toEqual(['POST /2010-04-01/Accounts/AC1/Messages.json 201 1.2ms', 'warning: careful']);
  });
});
