/**
 * Opening the sandbox's SQLite file, so that every way it can be unusable is found at start and
 * reported as one {@link DatabaseFileError} naming the file: a directory that cannot be created, a
 * file that cannot be written, a damaged file (SQLite's quick check), or a file written by a newer
 * sandbox (a migration this build does not know). Without these checks a damaged file answered 500
 * to every request, and a newer one was used as if it were current.
 *
 * @module
 */
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

import { migrate, UnknownMigrationsError } from './migrate.js';

/** What is wrong with the file: where it is, what is in it, or who wrote it. */
export type DatabaseProblem = 'unwritable' | 'damaged' | 'newer';

export class DatabaseFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: DatabaseProblem,
    message: string,
    options?: ErrorOptions
  ) {
    super(message, options);
    this.name = 'DatabaseFileError';
  }
}

const fsReasons: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory',
  ENOENT: 'the file system does not allow creating it there',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

const reasonOf = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${fsReasons[code] ?? 'error'} (${code})` : error instanceof Error ? error.message : String(error);
};

/**
 * Creates the missing directories of `directory`, each mode 0700, one at a time. Not
 * `mkdirSync(…, { recursive: true })`: when mkdir answers ENOENT although the parent exists (a path
 * under /proc or /sys), Node retries the parent and the child forever and the process hangs.
 */
function createDirectories(directory: string, file: string): void {
  const missing: string[] = [];
  for (let current = directory; !existsSync(current); current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const created of missing) {
    try {
      mkdirSync(created, { mode: 0o700 });
    } catch (error) {
      // Another process may have made it meanwhile: a problem only if it is still missing.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new DatabaseFileError(
          file,
          'unwritable',
          `Cannot create the directory ${created} for the database ${file}: ${reasonOf(error)}`,
          { cause: error }
        );
      }
    }
  }
}

/** SQLite's codes for a file that is not a database, or a damaged one. */
const damagedCodes = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);
/** …and for a file it cannot open or write (including its -wal and -shm files beside it). */
const unwritableCodes = /^SQLITE_(CANTOPEN|READONLY|IOERR|PERM|FULL)/;

/** A DatabaseFileError for SQLite's errors about the file itself; anything else is returned as is. */
function describeSqliteError(file: string, error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !(error instanceof Error)) {
    return error;
  }
  if (damagedCodes.has(code)) {
    return new DatabaseFileError(
      file,
      'damaged',
      `The database ${file} is damaged or not a SQLite database (${error.message}): move it away to start with an empty one`,
      { cause: error }
    );
  }
  if (unwritableCodes.test(code)) {
    return new DatabaseFileError(
      file,
      'unwritable',
      `Cannot write the database ${file}: ${error.message} (${code}); its directory must be writable too`,
      { cause: error }
    );
  }
  return error;
}

/**
 * Opens (creating it, with its directories, if needed) the database file, or `:memory:`, in WAL
 * mode, checks it and applies the migrations; throws a {@link DatabaseFileError} when it cannot be used.
 */
export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:' && file !== '' && !file.startsWith('file:')) {
    // The dev account's token lives in here: directories this creates are the user's alone
    // (0700), and so is a new database file (0600; SQLite gives its -wal and -shm files the same).
    createDirectories(path.dirname(path.resolve(file)), file);
    try {
      closeSync(openSync(file, 'a', 0o600));
    } catch (error) {
      throw new DatabaseFileError(file, 'unwritable', `Cannot write the database ${file}: ${reasonOf(error)}`, { cause: error });
    }
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    // Reads every page (not the slower cross-checks of integrity_check): a damaged page shows now,
    // not as a 500 on whichever request first touches it.
    const report = (db.pragma('quick_check(3)') as Array<{ quick_check: string }>).map((row) => row.quick_check);
    if (report[0] !== 'ok') {
      // One line: the first problems, without SQLite's "*** in database main ***" headings.
      const problems = report.flatMap((row) => row.split('\n')).filter((line) => line !== '' && !line.startsWith('***'));
      throw new DatabaseFileError(
        file,
        'damaged',
        `The database ${file} is damaged (SQLite's quick check: ${problems.slice(0, 3).join('; ')}): move it away to start with an empty one`
      );
    }
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof UnknownMigrationsError) {
      throw new DatabaseFileError(
        file,
        'newer',
        `The database ${file} was written by a newer version of the sandbox (migration ${error.unknown.join(', ')}; this version knows up to ${error.latestKnown}): upgrade the sandbox, or use another database file`,
        { cause: error }
      );
    }
    throw describeSqliteError(file, error);
  }
}
