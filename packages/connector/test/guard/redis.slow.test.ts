/**
 * Shared limits on real Redis: several connector processes (the built lib/, as Logto loads it)
 * share one limit; Logto's REDIS_URL is picked up; a private redis-server that stops answering or
 * dies mid-run sends decisions to the in-memory fallback and sends keep going.
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { ConnectorError, TemplateType } from '@logto/connector-kit';

import createConnector from '../../src/index.js';
import { createGuard, createRedisStore, parseGuardOptions } from '../../src/guard/index.js';
import { type TwilioDouble, authToken, messagingServiceSid, startTwilioDouble } from '../helpers/twilio-double.js';

import { redisUrl, startPrivateRedis } from './helpers.js';

const run = promisify(execFile);
const lib = pathToFileURL(fileURLToPath(new URL('../../lib/index.js', import.meta.url))).href;

// Each test its own Twilio account SID: the guard namespaces keys by it, so runs never meet.
const freshAccount = () => `AC${randomBytes(16).toString('hex')}`;
const accounts: string[] = [];

let twilio: TwilioDouble;
beforeAll(async () => {
  twilio = await startTwilioDouble();
});
afterAll(async () => {
  await twilio.close();
  for (const accountSid of accounts) {
    const store = createRedisStore({ url: redisUrl, accountSid, log: () => undefined });
    await store.reset();
    await store.close();
  }
});

const templates = [
  { usageType: 'Register', content: 'Register code {{code}}' },
  { usageType: 'SignIn', content: 'Sign-in code {{code}}' },
  { usageType: 'ForgotPassword', content: 'Reset code {{code}}' },
  { usageType: 'Generic', content: 'Code {{code}}' },
];
const configFor = (accountSID: string, extra: Record<string, unknown> = {}) => ({
  accountSID,
  authToken,
  fromMessagingServiceSID: messagingServiceSid,
  baseUrl: twilio.url,
  templates,
  ...extra,
});

const requestsFor = (accountSid: string) => twilio.requests.filter(({ path }) => path.includes(accountSid));

// A connector process: loads the built lib/ as Logto does, sends to each number, prints outcomes.
const childScript = `
const [lib, configJson, numbersJson] = process.argv.slice(1);
const { default: createConnector, parseGuardOptions, storeFor } = await import(lib);
const config = JSON.parse(configJson);
const connector = await createConnector({ getConfig: async () => config });
// A running Logto has long been connected: wait for it here (a busy CI host can take seconds to
// import the client), so every decision below is Redis's.
await storeFor(parseGuardOptions(config)).ready?.();
const outcomes = [];
for (const to of JSON.parse(numbersJson)) {
  try {
    await connector.sendMessage({ to, type: 'SignIn', payload: { code: '551177' } });
    outcomes.push('sent');
  } catch (error) {
    outcomes.push(error.code ?? String(error));
  }
}
process.stdout.write(JSON.stringify(outcomes));
process.exit(0);
`;

const runConnectorProcess = async (config: unknown, numbers: string[], env: NodeJS.ProcessEnv = {}) => {
  const { stdout, stderr } = await run(
    process.execPath,
    ['--input-type=module', '-e', childScript, lib, JSON.stringify(config), JSON.stringify(numbers)],
    { env: { ...process.env, REDIS_URL: '', ...env }, timeout: 60_000 }
  );
  return { outcomes: JSON.parse(stdout) as string[], stderr };
};

describe('one Redis, several Logto processes', () => {
  it('three connector processes enforce one number-block limit: at most 10 reach Twilio', async () => {
    const accountSid = freshAccount();
    accounts.push(accountSid);
    const config = configFor(accountSid, { redisUrl });
    // 30 different numbers of one block, 10 per process, all at once.
    const numbers = Array.from({ length: 30 }, (_, index) => `+1415555${String(7000 + index)}`);
    const results = await Promise.all(
      [0, 1, 2].map(async (part) =>
        runConnectorProcess(
          config,
          numbers.filter((_, index) => index % 3 === part)
        )
      )
    );

    const outcomes = results.flatMap(({ outcomes }) => outcomes);
    expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(10);
    expect(outcomes.filter((outcome) => outcome === 'rate_limit_exceeded')).toHaveLength(20);
    expect(requestsFor(accountSid)).toHaveLength(10);
    // Refusals were logged (masked), the code never.
    const logs = results.map(({ stderr }) => stderr).join('\n');
    expect(logs).toContain('"rule":"number-block"');
    expect(logs).not.toContain('551177');
  });

  it('picks up Logto’s REDIS_URL ("true" is redis://localhost:6379)', async () => {
    const accountSid = freshAccount();
    accounts.push(accountSid);
    const numbers = Array.from({ length: 3 }, (_, index) => `+1415666${String(1000 + index * 100)}`);
    const { outcomes } = await runConnectorProcess(configFor(accountSid), numbers, { REDIS_URL: 'true' });
    expect(outcomes).toEqual(['sent', 'sent', 'sent']);

    const store = createRedisStore({ url: redisUrl, accountSid, log: () => undefined });
    try {
      const status = await store.status();
      expect(status.sendsThisHour).toBe(3);
      expect(status.countries).toEqual([expect.objectContaining({ country: 'US', sendsThisHour: 3 })]);
    } finally {
      await store.close();
    }
  });
});

describe('a Redis that stops answering, then dies', () => {
  let server: { port: number; child: ChildProcess } | undefined;
  afterAll(() => {
    if (server?.child.exitCode === null) {
      server.child.kill('SIGCONT');
      server.child.kill('SIGKILL');
    }
  });

  it('falls back to in-memory counting, logs it once, and every send goes through', async () => {
    server = await startPrivateRedis();
    const accountSid = freshAccount();
    const url = `redis://127.0.0.1:${server.port}`;
    const connector = await createConnector({ getConfig: async () => configFor(accountSid, { redisUrl: url, timeoutMs: 5000 }) });
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    const sendTo = async (to: string) => {
      try {
        await connector.sendMessage({ to, type: TemplateType.SignIn, payload: { code: '551177' } });
        return 'sent';
      } catch (error) {
        return error instanceof ConnectorError ? error.code : String(error);
      }
    };

    try {
      // Counted in the private Redis.
      expect(await sendTo('+14155551001')).toBe('sent');
      const { stdout } = await run('redis-cli', [
        '-p',
        String(server.port),
        '--scan',
        '--pattern',
        `{smsdesk:guard:${accountSid}}:*`,
      ]);
      expect(stdout.split('\n').filter(Boolean).length).toBeGreaterThan(0);

      // Blackholed: the process is stopped, its socket stays open and nothing answers.
      server.child.kill('SIGSTOP');
      const whileStopped = [];
      for (let index = 0; index < 5; index += 1) {
        whileStopped.push(await sendTo(`+1415555${String(2001 + index * 100)}`));
      }
      expect(whileStopped).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);

      // Dead: connections refused.
      server.child.kill('SIGCONT');
      server.child.kill('SIGKILL');
      await new Promise((resolve) => {
        server!.child.once('exit', resolve);
      });
      expect(await sendTo('+14155553001')).toBe('sent');

      // The fallback still enforces the limits, in memory.
      const walked = [];
      for (let index = 0; index < 12; index += 1) {
        walked.push(await sendTo(`+1415777${String(4000 + index)}`));
      }
      expect(walked.filter((outcome) => outcome === 'sent')).toHaveLength(10);
      expect(walked.slice(10)).toEqual(['rate_limit_exceeded', 'rate_limit_exceeded']);

      expect(requestsFor(accountSid)).toHaveLength(1 + 5 + 1 + 10);
      const fallbackLines = lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter(({ event }) => event === 'sms_guard_redis_fallback');
      // At most one a minute, however many sends and errors there were.
      expect(fallbackLines).toHaveLength(1);
      expect(fallbackLines[0]).toMatchObject({ store: 'redis', redis: `redis://127.0.0.1:${server.port}`, fallback: 'memory' });
    } finally {
      spy.mockRestore();
    }
  });
});

describe('a Redis that accepts connections and never answers, from the start', () => {
  // A hung server (stopped, overloaded, or not Redis at all): the client's connect() never
  // settles, so the first connection attempt neither succeeds nor fails.
  let silent: Server | undefined;
  const sockets = new Set<Socket>();
  afterAll(async () => {
    for (const socket of sockets) {
      socket.destroy();
    }
    await new Promise((resolve) => {
      silent?.close(resolve);
    });
  });

  it.each([
    ['a password-protected Redis (AUTH never answered)', (port: number) => `redis://:secret-pass@127.0.0.1:${port}`],
    ['a Redis Cluster root node (CLUSTER SLOTS never answered)', (port: number) => `redis://127.0.0.1:${port}?cluster=1`],
  ])(
    '%s: only the process’s first decisions wait for it, later ones fall back at once; status, reset and close do not hang',
    async (_, urlFor) => {
      silent ??= await new Promise<Server>((resolve) => {
        const server = createServer((socket) => {
          sockets.add(socket);
        });
        server.listen(0, '127.0.0.1', () => {
          resolve(server);
        });
      });
      const { port } = silent.address() as AddressInfo;
      const accountSid = freshAccount();
      const notices: Array<Record<string, unknown>> = [];
      const store = createRedisStore({ url: urlFor(port), accountSid, log: (line) => notices.push(line), statusDeadlineMs: 500 });
      const guard = createGuard(parseGuardOptions({ accountSID: accountSid }), { store, log: () => undefined });
      try {
        // The first decision waits for the connection (at most firstConnectionDeadlineMs, 3 s), then
        // the fallback decides it.
        expect(await guard.check({ to: '+14155550101' })).toEqual({ allowed: true });
        expect(notices).toEqual([
          expect.objectContaining({ event: 'sms_guard_redis_fallback', reason: 'Redis is not connected' }),
        ]);
        expect(JSON.stringify(notices)).not.toContain('secret-pass');

        // Later decisions do not wait for that connection again: five of them take less than one
        // such wait (they took one each: every send of the process 3 s slower, for good).
        const started = Date.now();
        for (let index = 0; index < 5; index += 1) {
          expect(await guard.check({ to: `+1415555020${index}` })).toEqual({ allowed: true });
        }
        expect(Date.now() - started).toBeLessThan(3000);

        // `smsdesk guard status` and `reset` say so rather than hang, and closing does not hang either.
        await expect(store.status()).rejects.toThrow(
          /^redis:\/\/127\.0\.0\.1:\d+( \(cluster\))? did not answer within 0\.5 s: .* cannot be read\.$/
        );
        await expect(store.reset()).rejects.toThrow(/did not answer within 0\.5 s: .* were not cleared\.$/);
      } finally {
        await store.close();
      }
    }
  );
});
