/**
 * Numbered SQL migrations (`migrations/NNN-name.sql`), applied in order at start and recorded in
 * `schema_migrations`, each in its own transaction.
 *
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';

import type { Database } from 'better-sqlite3';

import { packagePath } from '../package.js';

const migrationsDirectory = packagePath('migrations/');

export type Migration = { version: number; name: string; sql: string };

export function loadMigrations(directory = migrationsDirectory): Migration[] {
  return readdirSync(directory)
    .map((file) => /^(\d+)-([\w-]+)\.sql$/.exec(file))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({
      version: Number(match[1]),
      name: match[2]!,
      sql: readFileSync(`${directory}/${match[0]}`, 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
}

/** The database records migrations this build does not have: a newer version wrote it. */
export class UnknownMigrationsError extends Error {
  constructor(
    readonly unknown: number[],
    readonly latestKnown: number
  ) {
    super(`The database has migrations this version does not know: ${unknown.join(', ')} (it knows up to ${latestKnown})`);
    this.name = 'UnknownMigrationsError';
  }
}

/**
 * Applies every migration not yet recorded; returns the versions it applied. Refuses (with
 * {@link UnknownMigrationsError}, changing nothing) a database that records a migration it does not
 * know: its schema may differ in ways this build would misread or damage.
 */
export function migrate(db: Database, migrations = loadMigrations()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(
    db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
      .all()
      .map((row) => row.version)
  );
  const known = new Set(migrations.map((migration) => migration.version));
  const unknown = [...applied].filter((version) => !known.has(version)).sort((a, b) => a - b);
  if (unknown.length > 0) {
    throw new UnknownMigrationsError(unknown, Math.max(0, ...known));
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const done: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) {
      continue;
    }
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    })();
    done.push(migration.version);
  }
  return done;
}
