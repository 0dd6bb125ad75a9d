/**
 * A database file the sandbox cannot use is refused at start, with one error naming the file: a
 * directory that cannot be created (including under /proc, where Node's recursive mkdir hangs), a
 * file that cannot be written, a damaged file, a file written by a newer version.
 */
import { chmodSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';

import { DatabaseFileError, startSandbox } from '../src/index.js';
import { MessageStore } from '../src/storage/store.js';
import { accountA, newMessage, startTestSandbox } from './helpers.js';

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'sandbox-db-file-'));
});
afterEach(() => {
  chmodSync(directory, 0o700);
  rmSync(directory, { recursive: true, force: true });
});

/** Starts a sandbox on `db` and returns the error it is refused with. */
async function refusal(db: string): Promise<DatabaseFileError> {
  const started = startSandbox({ port: 0, db, env: {}, accounts: [accountA] });
  const error = await started.then(
    async (sandbox) => {
      await sandbox.close();
      throw new Error(`the sandbox started on ${db}`);
    },
    (reason: unknown) => reason
  );
  expect(error).toBeInstanceOf(DatabaseFileError);
  return error as DatabaseFileError;
}

/** A real database file with enough messages to span many pages, closed (and checkpointed). */
function filledDatabase(): string {
  const file = path.join(directory, 'sandbox.db');
  const store = new MessageStore(file);
  for (let index = 0; index < 150; index += 1) {
    store.insert(newMessage({ body: `message ${index} ${'x'.repeat(200)}`, status: 'delivered' }));
  }
  store.close();
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return file;
}

describe('a database file that cannot be used is refused at start, naming it', () => {
  test('a directory under a file cannot be created', async () => {
    writeFileSync(path.join(directory, 'a-file'), '');
    const db = path.join(directory, 'a-file', 'data', 'sandbox.db');
    const error = await refusal(db);
    expect(error.problem).toBe('unwritable');
    expect(error.message).toBe(
      `Cannot create the directory ${path.join(directory, 'a-file', 'data')} for the database ${db}: a part of the path is a file, not a directory (ENOTDIR)`
    );
  });

  // mkdir under /proc answers ENOENT although /proc exists: Node's recursive mkdir retried forever.
  test.skipIf(!existsSync('/proc/self'))('a directory under /proc is refused, not waited for', async () => {
    const error = await refusal('/proc/twilio-sms-sandbox/sandbox.db');
    expect(error.problem).toBe('unwritable');
    expect(error.message).toContain(
      'Cannot create the directory /proc/twilio-sms-sandbox for the database /proc/twilio-sms-sandbox/sandbox.db'
    );
  });

  test('a path that is a directory cannot be written as the database', async () => {
    const error = await refusal(directory);
    expect(error.problem).toBe('unwritable');
    expect(error.message).toBe(`Cannot write the database ${directory}: it is a directory (EISDIR)`);
  });

  // root writes anywhere: only a regular user sees a read-only directory refuse the file.
  test.skipIf(process.platform === 'win32' || process.getuid?.() === 0)('a file in a read-only directory', async () => {
    chmodSync(directory, 0o500);
    const db = path.join(directory, 'sandbox.db');
    const error = await refusal(db);
    expect(error.problem).toBe('unwritable');
    expect(error.message).toBe(`Cannot write the database ${db}: permission denied (EACCES)`);
  });

  test('a damaged file is found by the quick check, before any request', async () => {
    const file = filledDatabase();
    // Garbage over the second half of the pages (the messages), the schema on page 1 intact.
    const pageSize = 4096;
    const pages = statSync(file).size / pageSize;
    expect(pages).toBeGreaterThan(8);
    const first = Math.ceil(pages / 2);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc((pages - first) * pageSize, 0xa5), 0, (pages - first) * pageSize, first * pageSize);
    closeSync(fd);
    const error = await refusal(file);
    expect(error.problem).toBe('damaged');
    expect(error.message).toMatch(
      new RegExp(
        `^The database ${file.replaceAll('.', '\\.')} is damaged \\(SQLite's quick check: [^\\n]+\\): move it away to start with an empty one$`
      )
    );
  });

  test('a file that is not a database at all', async () => {
    const file = path.join(directory, 'notes.db');
    writeFileSync(file, 'These are my notes, not a database. '.repeat(200));
    const error = await refusal(file);
    expect(error.problem).toBe('damaged');
    expect(error.message).toContain(`The database ${file} is damaged or not a SQLite database`);
  });

  test('a file written by a newer version (a migration this build does not know) is refused and left as it was', async () => {
    const file = filledDatabase();
    const db = new Database(file);
    db.prepare(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (4, 'from-the-future', '2030-01-01T00:00:00.000Z')"
    ).run();
    db.close();
    const error = await refusal(file);
    expect(error.problem).toBe('newer');
    expect(error.message).toBe(
      `The database ${file} was written by a newer version of the sandbox (migration 4; this version knows up to 3): upgrade the sandbox, or use another database file`
    );
    const after = new Database(file, { readonly: true });
    expect(after.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
      { version: 4 },
    ]);
    expect(after.prepare('SELECT COUNT(*) AS count FROM messages').get()).toEqual({ count: 150 });
    after.close();
  });

  test('a healthy file opens again with its messages', async () => {
    const file = filledDatabase();
    const sandbox = await startTestSandbox({ db: file });
    try {
      expect(sandbox.store.count(accountA.accountSid)).toBe(150);
    } finally {
      await sandbox.close();
    }
  });
});
