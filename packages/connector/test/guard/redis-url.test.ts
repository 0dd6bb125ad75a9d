/**
 * Logto's REDIS_URL forms as the guard reads them, and what happens when no Redis answers at all.
 */
import { createGuard, createRedisStore, describeRedisUrl, parseRedisUrl, resolveRedisUrl } from '../../src/guard/index.js';

import { optionsFor } from './helpers.js';

describe('REDIS_URL, as Logto reads it', () => {
  it('"true" and "1" mean the client’s default, localhost:6379', () => {
    expect(parseRedisUrl('true')).toMatchObject({ cluster: false, url: undefined, shown: 'redis://localhost:6379' });
    expect(parseRedisUrl('1')).toMatchObject({ cluster: false, url: undefined });
  });

  it('rediss: turns TLS on; certificate checks follow reject_unauthorized, as in Logto', () => {
    expect(parseRedisUrl('rediss://:pw@cache.example.com:6380/2')).toMatchObject({
      cluster: false,
      url: 'rediss://:pw@cache.example.com:6380/2',
      socket: { tls: true, rejectUnauthorized: false },
      shown: 'rediss://cache.example.com:6380/2',
    });
    expect(parseRedisUrl('rediss://cache.example.com?reject_unauthorized=true')).toMatchObject({
      socket: { tls: true, rejectUnauthorized: true },
    });
  });

  it('the cluster form: every host a root node, decoded credentials as defaults', () => {
    expect(parseRedisUrl('redis://user:p%5Ess@10.0.0.1:7000?cluster=1&host=10.0.0.2:7000&host=10.0.0.3:7000')).toMatchObject({
      cluster: true,
      rootNodes: [{ url: 'redis://10.0.0.1:7000' }, { url: 'redis://10.0.0.2:7000' }, { url: 'redis://10.0.0.3:7000' }],
      defaults: { username: 'user', password: 'p^ss' },
      shown: 'redis://10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000 (cluster)',
    });
    expect(describeRedisUrl('redis://:secret@host:6379')).toBe('redis://host:6379');
  });

  it('the config’s redisUrl wins over REDIS_URL; other REDIS_URL values mean no Redis', () => {
    expect(resolveRedisUrl({ redisUrl: 'redis://a:6379' }, { REDIS_URL: 'redis://b:6379' })).toBe('redis://a:6379');
    expect(resolveRedisUrl({ redisUrl: undefined }, { REDIS_URL: 'redis://b:6379' })).toBe('redis://b:6379');
    expect(resolveRedisUrl({ redisUrl: undefined }, { REDIS_URL: 'TRUE' })).toBe('TRUE');
    expect(resolveRedisUrl({ redisUrl: undefined }, { REDIS_URL: '' })).toBeUndefined();
    expect(resolveRedisUrl({ redisUrl: undefined }, { REDIS_URL: 'false' })).toBeUndefined();
  });
});

describe('no Redis answering', () => {
  it('decides in memory; a fail-closed budget refuses because its shared counter cannot be read', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const store = createRedisStore({
      url: 'redis://127.0.0.1:1',
      accountSid: 'AC' + '0'.repeat(32),
      log: (line) => lines.push(line),
    });
    try {
      const open = createGuard(optionsFor({ budget: { perDay: 1000 } }), { store, log: () => undefined });
      expect(await open.check({ to: '+14155552671' })).toEqual({ allowed: true });

      const closed = createGuard(optionsFor({ budget: { perDay: 1000, failClosed: true } }), { store, log: () => undefined });
      expect(await closed.check({ to: '+14155552672' })).toMatchObject({ allowed: false, rule: 'budget-day' });
      expect(lines).toEqual([
        expect.objectContaining({ event: 'sms_guard_redis_fallback', redis: 'redis://127.0.0.1:1', fallback: 'memory' }),
      ]);
    } finally {
      await store.close();
    }
  });
});
