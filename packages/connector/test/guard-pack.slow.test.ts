/**
 * The packed connector's abuse guard as Logto loads it: `redis` is never bundled, so it comes from
 * Logto core's node_modules when there (counters shared through Redis) and the guard counts in
 * memory when not. Two Logto layouts, installed the way `logto connector add` does.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { createRedisStore } from '../src/guard/index.js';

import { type TwilioDouble, authToken, messagingServiceSid, startTwilioDouble } from './helpers/twilio-double.js';

const connectorDirectory = fileURLToPath(new URL('..', import.meta.url));
const rootModules = fileURLToPath(new URL('../../../node_modules', import.meta.url));
const hostModules = ['@logto/connector-kit', '@logto/language-kit', 'ky', 'zod'];
// Logto core's redis v4 and what it needs.
const redisModules = [
  'redis',
  '@redis/client',
  '@redis/bloom',
  '@redis/graph',
  '@redis/json',
  '@redis/search',
  '@redis/time-series',
  'cluster-key-slot',
  'generic-pool',
  'yallist',
];
const redisUrl = 'redis://127.0.0.1:6379';

let root: string;
let twilio: TwilioDouble;
const accounts: string[] = [];

const installLogto = async (name: string, tarball: string, modules: string[]) => {
  const logto = path.join(root, name);
  const installed = path.join(logto, 'packages/core/connectors/connector-twilio-sms');
  await mkdir(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  for (const module of modules) {
    await cp(path.join(rootModules, module), path.join(logto, 'packages/core/node_modules', module), { recursive: true });
  }
  return path.join(installed, 'lib/index.js');
};

let withoutRedis: string;
let withRedis: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'logto-guard-'));
  const [{ filename }] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', root], { cwd: connectorDirectory, encoding: 'utf8' })
  ) as [{ filename: string }];
  const tarball = path.join(root, path.basename(filename));
  withoutRedis = await installLogto('logto-plain', tarball, hostModules);
  withRedis = await installLogto('logto-redis', tarball, [...hostModules, ...redisModules]);
  twilio = await startTwilioDouble();
});

afterAll(async () => {
  await twilio?.close();
  for (const accountSid of accounts) {
    const store = createRedisStore({ url: redisUrl, accountSid, log: () => undefined });
    await store.reset();
    await store.close();
  }
  await rm(root, { recursive: true, force: true });
});

const templates = [
  { usageType: 'Register', content: 'Register code {{code}}' },
  { usageType: 'SignIn', content: 'Sign-in code {{code}}' },
  { usageType: 'ForgotPassword', content: 'Reset code {{code}}' },
  { usageType: 'Generic', content: 'Code {{code}}' },
];

const sendAll = async (lib: string, accountSID: string, numbers: string[]) => {
  const { default: createConnector } = (await import(pathToFileURL(lib).href)) as {
    default: (options: { getConfig: () => Promise<unknown> }) => Promise<{ sendMessage: (data: unknown) => Promise<unknown> }>;
  };
  const connector = await createConnector({
    getConfig: async () => ({
      accountSID,
      authToken,
      fromMessagingServiceSID: messagingServiceSid,
      baseUrl: twilio.url,
      templates,
      redisUrl,
    }),
  });
  const outcomes: string[] = [];
  for (const to of numbers) {
    try {
      await connector.sendMessage({ to, type: 'SignIn', payload: { code: '864209' } });
      outcomes.push('sent');
    } catch (error) {
      outcomes.push((error as { code?: string }).code ?? String(error));
    }
  }
  return outcomes;
};

const walk = (block: string) => Array.from({ length: 12 }, (_, index) => `${block}${String(index).padStart(3, '0')}`);

describe('the packed guard in Logto', () => {
  it('without redis in Logto’s layout: counts in memory, says so once, and still limits', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    try {
      const accountSid = `AC${randomBytes(16).toString('hex')}`;
      const outcomes = await sendAll(withoutRedis, accountSid, walk('+14155559'));
      expect(outcomes).toEqual([...Array.from({ length: 10 }, () => 'sent'), 'rate_limit_exceeded', 'rate_limit_exceeded']);
      const events = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(events.filter(({ event }) => event === 'sms_guard_redis_fallback')).toEqual([
        expect.objectContaining({ reason: 'the redis module is not installed next to Logto', fallback: 'memory' }),
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it('with Logto’s redis: the counters are in Redis, shared', async () => {
    const accountSid = `AC${randomBytes(16).toString('hex')}`;
    accounts.push(accountSid);
    const outcomes = await sendAll(withRedis, accountSid, walk('+14155558'));
    expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(10);

    const store = createRedisStore({ url: redisUrl, accountSid, log: () => undefined });
    try {
      const status = await store.status();
      expect(status.sendsThisHour).toBe(10);
      expect(status.tripped).toEqual([expect.objectContaining({ kind: 'number-block', key: '+14155558' })]);
    } finally {
      await store.close();
    }
  });
});
