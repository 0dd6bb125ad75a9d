import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';

import { defaultDbPath, MessageStore, type MessageRecord } from '../src/storage/store.js';
import { loadMigrations, migrate } from '../src/storage/migrate.js';
import { newMessage } from './helpers.js';

const message = (overrides: Partial<MessageRecord> = {}) => newMessage({ accountSid: `AC${'a'.repeat(32)}`, ...overrides });

describe('indexes', () => {
  const plan = (store: MessageStore, sql: string, ...params: unknown[]) =>
    (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>)
      .map((row) => row.detail)
      .join('\n');

  test('unfinished() reads the partial in-flight index (its status list matches inFlightStatuses)', () => {
    const store = new MessageStore(':memory:');
    try {
      const queries: string[] = [];
      const prepare = store.db.prepare.bind(store.db);
      store.db.prepare = ((sql: string) => {
        queries.push(sql);
        return prepare(sql);
      }) as typeof store.db.prepare;
      store.unfinished();
      const unfinishedSql = queries.find((sql) => sql.includes('error_code IS NULL'))!;
      expect(plan(store, unfinishedSql)).toContain('messages_in_flight');
      store.usage(`AC${'a'.repeat(32)}`, 0, Date.now());
      const usageSql = queries.find((sql) => sql.includes('SUM(segments)'))!;
      expect(plan(store, usageSql, `AC${'a'.repeat(32)}`, 0, Date.now())).toContain('messages_by_account_created');
    } finally {
      store.close();
    }
  });
});

describe('database files', () => {
  test.skipIf(process.platform === 'win32')('directories it creates are 0700 and a new database file 0600', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'sandbox-modes-'));
    try {
      const file = path.join(directory, 'data', 'twilio-sms-sandbox', 'sandbox.db');
      const store = new MessageStore(file);
      store.close();
      expect(statSync(path.join(directory, 'data')).mode & 0o777).toBe(0o700);
      expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('migrations', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'sandbox-migrations-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  test('the shipped migrations are numbered from 001', () => {
    expect(loadMigrations().map(({ version, name }) => [version, name])).toEqual([
      [1, 'init'],
      [2, 'indexes'],
      [3, 'media'],
    ]);
  });

  test('are applied once, in order, and recorded', () => {
    const migrations = path.join(directory, 'migrations');
    mkdirSync(migrations);
    writeFileSync(path.join(migrations, '002-second.sql'), 'CREATE TABLE second (id INTEGER);');
    writeFileSync(path.join(migrations, '001-first.sql'), 'CREATE TABLE first (id INTEGER);');
    writeFileSync(path.join(migrations, 'README.md'), 'not a migration');
    const db = new Database(':memory:');
    expect(migrate(db, loadMigrations(migrations))).toEqual([1, 2]);
    expect(migrate(db, loadMigrations(migrations))).toEqual([]);
    writeFileSync(path.join(migrations, '003-third.sql'), 'CREATE TABLE third (id INTEGER);');
    expect(migrate(db, loadMigrations(migrations))).toEqual([3]);
    expect(db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1, name: 'first' },
      { version: 2, name: 'second' },
      { version: 3, name: 'third' },
    ]);
    db.close();
  });

  test('a database that records a migration this build does not know is refused, unchanged', () => {
    const migrations = path.join(directory, 'known');
    mkdirSync(migrations);
    writeFileSync(path.join(migrations, '001-first.sql'), 'CREATE TABLE first (id INTEGER);');
    writeFileSync(path.join(migrations, '002-second.sql'), 'CREATE TABLE second (id INTEGER);');
    const db = new Database(':memory:');
    migrate(db, loadMigrations(migrations).slice(0, 1));
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (7, 'future', 'x')").run();
    expect(() => migrate(db, loadMigrations(migrations))).toThrow(
      expect.objectContaining({ name: 'UnknownMigrationsError', unknown: [7], latestKnown: 2 })
    );
    // Migration 2 was not applied to a database from a newer version.
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'second'").get()).toBeUndefined();
    db.close();
  });

  test('a failing migration is rolled back and not recorded', () => {
    const migrations = path.join(directory, 'failing');
    mkdirSync(migrations);
    writeFileSync(path.join(migrations, '001-bad.sql'), 'CREATE TABLE ok (id INTEGER); THIS IS NOT SQL;');
    const db = new Database(':memory:');
    expect(() => migrate(db, loadMigrations(migrations))).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'ok'").get()).toBeUndefined();
    expect(db.prepare('SELECT COUNT(*) AS count FROM schema_migrations').get()).toEqual({ count: 0 });
    db.close();
  });
});

describe('MessageStore', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'sandbox-store-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  test('a file database uses WAL and creates its directory', () => {
    const file = path.join(directory, 'nested', 'dir', 'sandbox.db');
    const store = new MessageStore(file);
    try {
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    } finally {
      store.close();
    }
  });

  test('reopening keeps messages and does not re-run migrations', () => {
    const file = path.join(directory, 'reopen.db');
    const first = new MessageStore(file);
    const stored = first.insert(message({ body: 'kept' }));
    first.close();
    const second = new MessageStore(file);
    try {
      expect(second.get(stored.sid)).toEqual(stored);
      expect(second.db.prepare('SELECT COUNT(*) AS count FROM schema_migrations').get()).toEqual({
        count: loadMigrations().length,
      });
    } finally {
      second.close();
    }
  });

  test('enqueue commits a turn’s inserts together, then resolves and emits in order', async () => {
    const store = new MessageStore(':memory:');
    try {
      const emitted: string[] = [];
      store.on('message', (record) => emitted.push(record.sid));
      const records = await Promise.all([store.enqueue(message()), store.enqueue(message()), store.enqueue(message())]);
      expect(records.map((record) => record.seq)).toEqual([1, 2, 3]);
      expect(emitted).toEqual(records.map((record) => record.sid));
      for (const record of records) {
        expect(store.get(record.sid)).toEqual(record);
      }
    } finally {
      store.close();
    }
  });

  test('seq is never reused after a delete', () => {
    const store = new MessageStore(':memory:');
    try {
      const first = store.insert(message());
      store.delete(first.sid);
      expect(store.insert(message()).seq).toBe(first.seq + 1);
    } finally {
      store.close();
    }
  });

  test('advance only moves a message on from the status it is in, and keeps a redacted body', () => {
    const store = new MessageStore(':memory:');
    try {
      const record = store.insert(message({ body: 'secret 1234' }));
      store.update(record.sid, null, { body: '', dateUpdated: Date.now() });
      const sending = store.advance(record, { status: 'sending', dateUpdated: Date.now() });
      expect(sending).toMatchObject({ status: 'sending', body: '' });
      expect(store.advance(record, { status: 'sending', dateUpdated: Date.now() })).toBeUndefined();
      store.delete(record.sid);
      expect(store.advance(sending!, { status: 'sent', dateUpdated: Date.now() })).toBeUndefined();
    } finally {
      store.close();
    }
  });

  test('a body redacted while sent stays redacted when the message is delivered', () => {
    const store = new MessageStore(':memory:');
    try {
      const record = store.insert(message({ body: 'secret 1234', status: 'sent' }));
      store.update(record.sid, null, { body: '', dateUpdated: Date.now() });
      expect(store.advance(record, { status: 'delivered', dateUpdated: Date.now() })).toMatchObject({
        status: 'delivered',
        body: '',
      });
      expect(store.get(record.sid)?.body).toBe('');
    } finally {
      store.close();
    }
  });

  test('status transitions emit status (after the commit); a redaction emits updated; neither for the initial status', () => {
    const store = new MessageStore(':memory:');
    try {
      const events: string[] = [];
      store.on('status', (record) => events.push(`status ${record.status} ${String(store.get(record.sid)?.status)}`));
      store.on('updated', (record) => events.push(`updated ${record.status} body=${JSON.stringify(record.body)}`));
      const record = store.insert(message({ body: 'secret 1234' }));
      const sending = store.advance(record, { status: 'sending', dateUpdated: Date.now() })!;
      store.advanceAll([{ record: sending, patch: { status: 'sent', dateUpdated: Date.now() } }]);
      store.update(record.sid, null, { body: '', dateUpdated: Date.now() });
      store.update(record.sid, 'sent', { status: 'delivered', dateUpdated: Date.now() });
      expect(events).toEqual([
        'status sending sending',
        'status sent sent',
        'updated sent body=""',
        'status delivered delivered',
      ]);
    } finally {
      store.close();
    }
  });

  test('search escapes LIKE wildcards', () => {
    const store = new MessageStore(':memory:');
    try {
      store.insert(message({ body: '100% sure' }));
      store.insert(message({ body: 'under_score' }));
      store.insert(message({ body: 'plain' }));
      expect(store.search({ q: '%', limit: 10 }).map((record) => record.body)).toEqual(['100% sure']);
      expect(store.search({ q: '_', limit: 10 }).map((record) => record.body)).toEqual(['under_score']);
    } finally {
      store.close();
    }
  });

  test('the default path is under the user data directory', () => {
    expect(defaultDbPath({ XDG_DATA_HOME: '/data' })).toBe(
      process.platform === 'linux' ? '/data/twilio-sms-sandbox/sandbox.db' : defaultDbPath({ XDG_DATA_HOME: '/data' })
    );
    expect(defaultDbPath({})).toMatch(/twilio-sms-sandbox[\\/]sandbox\.db$/);
  });
});

describe('subscribe', () => {
  it('listens to the events it names and stops listening to all of them at once', () => {
    const store = new MessageStore(':memory:');
    try {
      const heard: string[] = [];
      const unsubscribe = store.subscribe({
        message: (record) => heard.push(`message ${record.body}`),
        deleted: ({ sid }) => heard.push(`deleted ${sid}`),
      });
      const record = store.insert(message({ body: 'one' }));
      store.delete(record.sid);
      expect(heard).toEqual(['message one', `deleted ${record.sid}`]);

      unsubscribe();
      expect(store.listenerCount('message') + store.listenerCount('deleted')).toBe(0);
      store.insert(message({ body: 'two' }));
      expect(heard).toHaveLength(2);
    } finally {
      store.close();
    }
  });
});

describe('count', () => {
  test('counts every stored message of one account, whatever its status', () => {
    const store = new MessageStore(':memory:');
    try {
      store.insert(message());
      store.insert(message({ status: 'delivered' }));
      store.insert(message({ accountSid: `AC${'b'.repeat(32)}` }));
      expect(store.count(`AC${'a'.repeat(32)}`)).toBe(2);
      expect(store.count(`AC${'c'.repeat(32)}`)).toBe(0);
    } finally {
      store.close();
    }
  });
});
