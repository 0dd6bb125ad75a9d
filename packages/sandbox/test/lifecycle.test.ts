import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startSandbox, type MessageRecord, type Sandbox } from '../src/index.js';
import { accountA, accountB, messagePath, request, send, startTestSandbox, waitForStatus, newMessage } from './helpers.js';

const rfc2822 = /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

/** Collects the statuses a message passes through. */
function recordStatuses(sandbox: Sandbox): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  sandbox.store.on('message', (record) => seen.set(record.sid, [record.status]));
  sandbox.store.on('status', (record) => seen.get(record.sid)?.push(record.status));
  return seen;
}

describe('message life cycle', () => {
  let sandbox: Sandbox;
  let statuses: Map<string, string[]>;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    statuses = recordStatuses(sandbox);
  });
  afterAll(() => sandbox.close());

  test('queued → sending → sent → delivered, with date_sent, price and segments', async () => {
    const created = await send(sandbox, { Body: 'a'.repeat(200) });
    expect(created.json.status).toBe('queued');
    await waitForStatus(sandbox, created.json.sid, 'delivered');
    expect(statuses.get(created.json.sid)).toEqual(['queued', 'sending', 'sent', 'delivered']);
    const fetched = await request(sandbox, messagePath(accountA.accountSid, created.json.sid));
    expect(fetched.json).toMatchObject({
      status: 'delivered',
      num_segments: '2',
      price: '-0.01580',
      price_unit: 'USD',
      error_code: null,
      error_message: null,
    });
    expect(fetched.json.date_sent).toMatch(rfc2822);
    expect(Date.parse(fetched.json.date_updated)).toBeGreaterThanOrEqual(Date.parse(fetched.json.date_created));
  });

  test('a Messaging Service send: accepted → queued (sender picked, segments counted) → … → delivered', async () => {
    const created = await send(sandbox, { From: '', MessagingServiceSid: `MG${'e'.repeat(32)}` });
    const delivered = await waitForStatus(sandbox, created.json.sid, 'delivered');
    expect(statuses.get(created.json.sid)).toEqual(['accepted', 'queued', 'sending', 'sent', 'delivered']);
    expect(delivered).toMatchObject({ from: '+15005550006', numSegments: 1 });
  });

  test.each([
    ['+15005553003', 30003],
    ['+15005553004', 30004],
    ['+15005553005', 30005],
    ['+15005553006', 30006],
    ['+15005553007', 30007],
    ['+15005553008', 30008],
  ])('To %s ends undelivered with %i after sent', async (to, code) => {
    const created = await send(sandbox, { To: to });
    expect(created.status).toBe(201);
    await waitForStatus(sandbox, created.json.sid, 'undelivered');
    expect(statuses.get(created.json.sid)).toEqual(['queued', 'sending', 'sent', 'undelivered']);
    const fetched = await request(sandbox, messagePath(accountA.accountSid, created.json.sid));
    expect(fetched.json).toMatchObject({ status: 'undelivered', error_code: code, error_message: expect.any(String) });
    expect(fetched.json.price).not.toBeNull();
  });

  test("the inbox's view carries the error's meaning, so the page needs no table of codes", async () => {
    const created = await send(sandbox, { To: '+15005553003' });
    await waitForStatus(sandbox, created.json.sid, 'undelivered');
    const inbox = await request(sandbox, `/api/messages/${created.json.sid}`);
    expect(inbox.json.message).toMatchObject({ errorCode: 30003, errorMessage: 'Unreachable destination handset' });
  });

  test('To +15005553001 fails in the queue with 30001 and is never billed', async () => {
    const created = await send(sandbox, { To: '+15005553001' });
    await waitForStatus(sandbox, created.json.sid, 'failed');
    expect(statuses.get(created.json.sid)).toEqual(['queued', 'failed']);
    const fetched = await request(sandbox, messagePath(accountA.accountSid, created.json.sid));
    expect(fetched.json).toMatchObject({ status: 'failed', error_code: 30001, price: null, date_sent: null });
  });

  test('a finished message can then be deleted', async () => {
    const created = await send(sandbox);
    await waitForStatus(sandbox, created.json.sid, 'delivered');
    const response = await request(sandbox, messagePath(accountA.accountSid, created.json.sid), { method: 'DELETE' });
    expect(response.status).toBe(204);
  });

  test('a scheduled message is queued at SendAt and then delivered', async () => {
    const now = Date.now();
    const record = sandbox.store.insert(
      newMessage({
        messagingServiceSid: `MG${'e'.repeat(32)}`,
        from: null,
        body: 'scheduled',
        status: 'scheduled',
        numSegments: 0,
        sendAt: now + 20,
        dateCreated: now,
        dateUpdated: now,
      })
    );
    sandbox.lifecycle.track(record);
    await waitForStatus(sandbox, record.sid, 'delivered');
    expect(statuses.get(record.sid)).toEqual(['scheduled', 'queued', 'sending', 'sent', 'delivered']);
  });
});

describe('validity period', () => {
  test('a message that waits in the queue longer than ValidityPeriod fails with 30036', async () => {
    const sandbox = await startTestSandbox({ statusDelayMs: 1100 });
    try {
      const created = await send(sandbox, { ValidityPeriod: '1' });
      const failed = await waitForStatus(sandbox, created.json.sid, 'failed');
      expect(failed.errorCode).toBe(30036);
    } finally {
      await sandbox.close();
    }
  });
});

describe('scheduled messages and ValidityPeriod', () => {
  test('ValidityPeriod counts from SendAt: a message scheduled further ahead than its validity is still sent', async () => {
    const sandbox = await startTestSandbox();
    try {
      const sendAt = new Date(Date.now() + 600_000).toISOString();
      const created = await send(sandbox, {
        From: '',
        MessagingServiceSid: `MG${'e'.repeat(32)}`,
        ScheduleType: 'fixed',
        SendAt: sendAt,
        ValidityPeriod: '60',
      });
      expect(created.json.status).toBe('scheduled');
      // Ten minutes later: SendAt has come, long after the message was created.
      const now = Date.now();
      sandbox.store.db
        .prepare('UPDATE messages SET send_at = ?, date_created = ? WHERE sid = ?')
        .run(now, now - 600_000, created.json.sid);
      sandbox.lifecycle.track(sandbox.store.get(created.json.sid)!);
      const finished = await Promise.race([
        waitForStatus(sandbox, created.json.sid, 'delivered'),
        waitForStatus(sandbox, created.json.sid, 'failed'),
      ]);
      expect(finished.status).toBe('delivered');
      const fetched = await request(sandbox, messagePath(accountA.accountSid, created.json.sid));
      expect(fetched.json).toMatchObject({ status: 'delivered', error_code: null });
    } finally {
      await sandbox.close();
    }
  });
});

describe('failed steps', () => {
  const capture = () => {
    const lines: string[] = [];
    const logger = { info: () => {}, warn: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
    return { lines, logger };
  };

  test('a step whose transaction fails is logged without the body and retried, not dropped', async () => {
    const { lines, logger } = capture();
    const sandbox = await startTestSandbox({ logger });
    try {
      const original = sandbox.store.transaction.bind(sandbox.store);
      let failures = 0;
      sandbox.store.transaction = <T>(fn: () => T): T => {
        if (failures === 0) {
          failures += 1;
          throw new Error('database is locked');
        }
        return original(fn);
      };
      const created = await send(sandbox, { Body: 'Your secret code is 246810' });
      await waitForStatus(sandbox, created.json.sid, 'delivered');
      expect(failures).toBe(1);
      expect(lines.join('\n')).toContain('database is locked');
      expect(lines.join('\n')).toContain('retrying');
      expect(lines.join('\n')).not.toContain('246810');
      const fetched = await request(sandbox, messagePath(accountA.accountSid, created.json.sid));
      expect(fetched.json.status).toBe('delivered');
    } finally {
      await sandbox.close();
    }
  });

  test('a scheduled message whose queueing fails is retried, and the process does not crash', async () => {
    const { lines, logger } = capture();
    const sandbox = await startTestSandbox({ logger });
    try {
      const created = await send(sandbox, {
        From: '',
        MessagingServiceSid: `MG${'e'.repeat(32)}`,
        ScheduleType: 'fixed',
        SendAt: new Date(Date.now() + 600_000).toISOString(),
      });
      sandbox.store.db.prepare('UPDATE messages SET send_at = ? WHERE sid = ?').run(Date.now(), created.json.sid);
      const record = sandbox.store.get(created.json.sid)!;
      const delivered = waitForStatus(sandbox, created.json.sid, 'delivered');
      const original = sandbox.store.get.bind(sandbox.store);
      let failures = 0;
      sandbox.store.get = (sid: string) => {
        if (sid === created.json.sid && failures === 0) {
          failures += 1;
          throw new Error('disk I/O error');
        }
        return original(sid);
      };
      sandbox.lifecycle.track(record);
      await delivered;
      expect(failures).toBe(1);
      expect(lines.join('\n')).toContain('disk I/O error');
    } finally {
      await sandbox.close();
    }
  });
});

describe('restart', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'sandbox-lifecycle-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  test('messages in flight when the sandbox stopped finish after a restart', async () => {
    const db = path.join(directory, 'restart.db');
    const accounts = [accountA, accountB];
    const first = await startSandbox({ port: 0, db, env: {}, accounts, statusDelayMs: 60_000 });
    let sid: string;
    try {
      sid = (await send(first)).json.sid;
    } finally {
      await first.close();
    }
    const second = await startSandbox({ port: 0, db, env: {}, accounts, statusDelayMs: 0 });
    try {
      const delivered: MessageRecord = await waitForStatus(second, sid, 'delivered');
      expect(delivered.dateSent).not.toBeNull();
    } finally {
      await second.close();
    }
  });
});
