/**
 * `guard status|reset` through `run()` in-process, against the machine's Redis (a fresh Twilio
 * account SID per run, so the keys are this run's own) and with no Redis at all.
 */
import { randomBytes } from 'node:crypto';

import { blockOf, createRedisStore, parseGuardOptions, velocityLimits } from '@smsdesk/connector-twilio-sms';

import { baseEnv, requiredTemplates, runInProcess, tempDir, writeJson } from './helpers.js';

const redisUrl = 'redis://127.0.0.1:6379';
const accountSID = `AC${randomBytes(16).toString('hex')}`;
const config = (extra: Record<string, unknown> = {}) => ({
  accountSID,
  authToken: 'f'.repeat(32),
  fromMessagingServiceSID: `MG${'0'.repeat(32)}`,
  templates: requiredTemplates,
  ...extra,
});

let directory: string;
beforeAll(async () => {
  directory = await tempDir();
});
afterAll(async () => {
  const store = createRedisStore({ url: redisUrl, accountSid: accountSID, log: () => undefined });
  await store.reset();
  await store.close();
});

describe('guard status and reset', () => {
  it('says the counters live inside Logto’s process when nothing points to Redis', async () => {
    const file = await writeJson(directory, 'memory.json', config());
    const status = await runInProcess(['guard', 'status', file]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('they live inside Logto’s process');

    const reset = await runInProcess(['guard', 'reset', file, '--json']);
    expect(reset.code).toBe(1);
    expect(JSON.parse(reset.stdout)).toMatchObject({ ok: false, store: 'memory', accountSid: accountSID });
  });

  it('reads what is tripped in Redis, and clears it', async () => {
    // Walk one block past its limit, as three Logto instances would, straight into the store.
    const options = parseGuardOptions(config({ redisUrl }));
    // Waits for Redis however loaded the machine: a decision the in-memory fallback took (after
    // 100 ms by default) would not be in Redis for status to read.
    const notices: unknown[] = [];
    const store = createRedisStore({
      url: redisUrl,
      accountSid: accountSID,
      log: (line) => notices.push(line),
      decisionDeadlineMs: 30_000,
    });
    const now = Date.now();
    for (let index = 0; index < 11; index += 1) {
      const number = `+1415555${String(8000 + index)}`;
      await store.decide(
        {
          number,
          block: blockOf(number),
          country: 'US',
          ip: undefined,
          trusted: false,
          monitor: false,
          limits: velocityLimits(options),
        },
        now
      );
    }
    await store.close();
    expect(notices).toEqual([]);

    const file = await writeJson(directory, 'redis.json', config({ redisUrl }));
    const status = await runInProcess(['guard', 'status', file]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('+14155558xxx');
    expect(status.stdout).toMatch(/Sends this hour: 10; today \(UTC\): 10/);
    expect(status.stdout).toContain('United States (US)');

    const json = JSON.parse((await runInProcess(['guard', 'status', file, '--json'])).stdout) as {
      tripped: Array<{ kind: string; key: string }>;
    };
    expect(json.tripped).toEqual([expect.objectContaining({ kind: 'number-block', key: '+14155558' })]);

    const reset = await runInProcess(['guard', 'reset', file]);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/^Cleared \d+ guard keys of account AC\w+ in redis:\/\/127\.0\.0\.1:6379 \(1 tripped\)\.\n$/);
    const after = await runInProcess(['guard', 'status', file]);
    expect(after.stdout).toContain('Nothing is tripped.');
  });

  it('reads Logto’s REDIS_URL when the config has no redisUrl', async () => {
    const file = await writeJson(directory, 'env.json', config());
    const status = await runInProcess(['guard', 'status', file, '--json'], { env: baseEnv({ REDIS_URL: redisUrl }) });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ ok: true, store: 'redis', accountSid: accountSID });
  });

  it('says which Redis it could not reach', async () => {
    const file = await writeJson(directory, 'down.json', config({ redisUrl: 'redis://127.0.0.1:1' }));
    const status = await runInProcess(['guard', 'status', file]);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('Could not connect to Redis at redis://127.0.0.1:1');
  });

  it('refuses an unknown action as a usage error', async () => {
    const result = await runInProcess(['guard', 'flush', 'x.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown action "flush": use status or reset');
  });
});
