/**
 * An oversized body still gets its 413 to a real client that keeps sending, each kind of client in
 * its own process (see the fixture), and the sandbox keeps answering. Slow tier: six client
 * processes of 12 MiB each; the in-process cases are in robustness.test.ts.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import type { Sandbox } from '../src/index.js';
import { accountA, basic, messagesPath, request, send, startTestSandbox } from './helpers.js';

const oversizedClient = fileURLToPath(new URL('fixtures/oversized-client.mjs', import.meta.url));

describe('an oversized body still gets its 413 to a client that keeps sending', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ statusDelayMs: 60_000 });
  });
  afterAll(() => sandbox.close());
  afterEach(async () => {
    expect((await request(sandbox, '/api/health', { account: null })).status).toBe(200);
    expect((await send(sandbox)).status).toBe(201);
  });

  // Beyond what the sandbox drains (64 KiB + 8 MiB): it must close while the client still sends.
  const size = 12 * 1024 * 1024;

  /** The client runs in its own process: see the fixture. */
  const sendOversized = async (kind: 'raw' | 'node-http' | 'undici') => {
    const client = spawn(
      process.execPath,
      [
        oversizedClient,
        kind,
        `${sandbox.url}${messagesPath(accountA.accountSid)}`,
        basic(accountA.accountSid, accountA.authToken),
        String(size),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] }
    );
    let output = '';
    client.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    await new Promise((resolve) => client.once('close', resolve));
    return JSON.parse(output) as { status?: number; body?: string; error?: string };
  };

  test.each(['raw', 'node-http', 'undici'] as const)('%s', async (kind) => {
    // Several tries: before the fix, each client lost the answer to EPIPE often, not always.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const result = await sendOversized(kind);
      expect(result).toEqual({ status: 413, body: expect.any(String) });
      expect(JSON.parse(result.body!)).toMatchObject({ code: 20413, status: 413 });
    }
  });
});
