/**
 * The one place messages live: a better-sqlite3 database in WAL mode, written only through
 * {@link MessageStore} (one ingestion path for the Twilio API, the inbox and the CLI).
 *
 * Durability: `journal_mode=WAL` + `synchronous=NORMAL`. An insert is committed (written to the
 * WAL) before `insert()` returns or `enqueue()` resolves, so a message acknowledged with 201
 * survives the process being killed (`kill -9`); only an OS crash or power loss can lose the last
 * transactions (NORMAL does not fsync each commit).
 *
 * Group commit: `enqueue()` gathers the inserts of one event-loop turn and commits them in one
 * transaction (one WAL write instead of one per message) before resolving any of them.
 *
 * @module
 */
import { EventEmitter } from 'node:events';
import { homedir } from 'node:os';
import path from 'node:path';

import type Database from 'better-sqlite3';

import { openDatabase } from './database-file.js';
import { billedStatuses, inFlightStatuses, sqlStatusList, type MessageStatus } from './statuses.js';

export type { MessageStatus } from './statuses.js';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** A stored message. Dates are milliseconds since the epoch. */
export type MessageRecord = {
  /** Insertion order; never reused. */
  seq: number;
  sid: string;
  accountSid: string;
  messagingServiceSid: string | null;
  to: string;
  from: string | null;
  body: string;
  status: MessageStatus;
  /** As the API shows it: 0 while a Messaging Service has not picked a sender yet. */
  numSegments: number;
  /** Billable segments of the body as sent (kept after redaction). */
  segments: number;
  encoding: SmsEncoding;
  numMedia: number;
  price: string | null;
  errorCode: number | null;
  errorMessage: string | null;
  statusCallback: string | null;
  validityPeriod: number | null;
  sendAt: number | null;
  dateCreated: number;
  dateUpdated: number;
  dateSent: number | null;
};

export type NewMessage = Omit<MessageRecord, 'seq'>;

/** A MediaUrl of a message, listed as a Media resource (`ME…`). */
export type StoredMedia = { sid: string; url: string; contentType: string };

/** Fields a status transition may change. */
export type MessagePatch = Partial<
  Pick<MessageRecord, 'status' | 'from' | 'numSegments' | 'price' | 'errorCode' | 'errorMessage' | 'dateSent' | 'body'>
> & { dateUpdated: number };

/** Filters of the Twilio list endpoint. Date bounds are inclusive/exclusive milliseconds. */
export type MessageFilter = {
  to?: string;
  from?: string;
  dateSentFrom?: number;
  dateSentBefore?: number;
};

/** Where a page starts: after an offset, or relative to a message (page tokens). */
export type PageCursor = { kind: 'offset'; offset: number } | { kind: 'before'; seq: number } | { kind: 'after'; seq: number };

export type UsageTotals = { count: number; segments: number };
export type DailyUsage = UsageTotals & { day: number };

/**
 * What the store tells its listeners, always after the commit. `status` is the one status-transition
 * event: the life cycle's steps, a cancel and any other update that sets a status all emit it, so
 * the inbox's event hub, the StatusCallback dispatcher and the life cycle's timers learn of a
 * transition the same way. A message's initial status comes with `message`, never `status`.
 */
export type StoreEvents = {
  /** A message was stored. */
  message: [MessageRecord];
  /** A message moved to `record.status`. */
  status: [MessageRecord];
  /** A message changed without a status transition (a redacted body). */
  updated: [MessageRecord];
  deleted: [{ sid: string }];
  cleared: [];
};

/** Listeners for some of the store's events, as {@link MessageStore.subscribe} takes them. */
export type StoreListeners = { [Event in keyof StoreEvents]?: (...args: StoreEvents[Event]) => void };

export type DevAccountRow = {
  accountSid: string;
  authToken: string;
  apiKeySid: string;
  apiKeySecret: string;
  dateCreated: number;
};

const columns = `seq, sid, account_sid AS accountSid, messaging_service_sid AS messagingServiceSid,
  to_number AS "to", from_number AS "from", body, status, num_segments AS numSegments, segments,
  encoding, num_media AS numMedia, price, error_code AS errorCode, error_message AS errorMessage,
  status_callback AS statusCallback, validity_period AS validityPeriod, send_at AS sendAt,
  date_created AS dateCreated, date_updated AS dateUpdated, date_sent AS dateSent`;

const patchColumns: Record<keyof MessagePatch, string> = {
  status: 'status',
  from: 'from_number',
  numSegments: 'num_segments',
  price: 'price',
  errorCode: 'error_code',
  errorMessage: 'error_message',
  dateSent: 'date_sent',
  body: 'body',
  dateUpdated: 'date_updated',
};

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

/**
 * The default database file: `$XDG_DATA_HOME/twilio-sms-sandbox/sandbox.db`
 * (`~/.local/share/…` on Linux), `~/Library/Application Support/…` on macOS, `%LOCALAPPDATA%\…`
 * on Windows.
 */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  const home = homedir();
  const base =
    process.platform === 'win32'
      ? (env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'))
      : process.platform === 'darwin'
        ? path.join(home, 'Library', 'Application Support')
        : (env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'));
  return path.join(base, 'twilio-sms-sandbox', 'sandbox.db');
}

export class MessageStore extends EventEmitter<StoreEvents> {
  readonly db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #insert: Database.Statement<unknown[]>;
  #pending: Array<{
    message: NewMessage;
    media: StoredMedia[] | undefined;
    resolve: (record: MessageRecord) => void;
    reject: (error: unknown) => void;
  }> = [];
  readonly #insertBatch: (batch: Array<{ message: NewMessage; media: StoredMedia[] | undefined }>) => number[];
  readonly #bySid: Database.Statement<[string]>;
  readonly #byAccountAndSid: Database.Statement<[string, string]>;
  readonly #bySeq: Database.Statement<[number]>;
  readonly #seqOf: Database.Statement<[string], { seq: number }>;
  readonly #advance: Database.Statement<unknown[]>;

  /**
   * @param file A database path, or `:memory:`. Parent directories are created (mode 0700).
   * @throws {DatabaseFileError} when the file cannot be created or written, is damaged, or was
   *   written by a newer version.
   */

  /** Listens to each event named in `listeners`; the function returned removes them all. */
  subscribe(listeners: StoreListeners): () => void {
    const entries = Object.entries(listeners) as Array<[keyof StoreEvents, (...args: never[]) => void]>;
    for (const [event, listener] of entries) {
      this.on(event, listener);
    }
    return () => {
      for (const [event, listener] of entries) {
        this.off(event, listener);
      }
    };
  }
  constructor(readonly file: string) {
    super();
    this.setMaxListeners(0);
    this.db = openDatabase(file);

    this.#insert = this.db.prepare(`INSERT INTO messages (sid, account_sid, messaging_service_sid,
      to_number, from_number, body, status, num_segments, segments, encoding, num_media, price,
      error_code, error_message, status_callback, validity_period, send_at, date_created,
      date_updated, date_sent, media)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#insertBatch = this.db.transaction((batch: Array<{ message: NewMessage; media: StoredMedia[] | undefined }>) =>
      batch.map(({ message, media }) => this.#run(message, media))
    );
    this.#bySid = this.db.prepare(`SELECT ${columns} FROM messages WHERE sid = ?`);
    this.#byAccountAndSid = this.db.prepare(`SELECT ${columns} FROM messages WHERE account_sid = ? AND sid = ?`);
    this.#bySeq = this.db.prepare(`SELECT ${columns} FROM messages WHERE seq = ?`);
    this.#seqOf = this.db.prepare('SELECT seq FROM messages WHERE sid = ?');
    // No RETURNING: it triples the cost of this statement, the hottest one after the insert.
    this.#advance = this.db.prepare(
      `UPDATE messages SET status = ?, date_updated = ?, date_sent = COALESCE(?, date_sent),
       price = COALESCE(?, price), error_code = COALESCE(?, error_code),
       error_message = COALESCE(?, error_message), from_number = COALESCE(?, from_number),
       num_segments = COALESCE(?, num_segments)
       WHERE seq = ? AND status = ? AND (body = '') = ?`
    );
  }

  #prepare<Row = MessageRecord>(sql: string): Database.Statement<unknown[], Row> {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement as Database.Statement<unknown[], Row>;
  }

  // Positional binding: measurably faster than named parameters on the create path.
  #run(m: NewMessage, media?: StoredMedia[]): number {
    const result = this.#insert.run(
      m.sid,
      m.accountSid,
      m.messagingServiceSid,
      m.to,
      m.from,
      m.body,
      m.status,
      m.numSegments,
      m.segments,
      m.encoding,
      m.numMedia,
      m.price,
      m.errorCode,
      m.errorMessage,
      m.statusCallback,
      m.validityPeriod,
      m.sendAt,
      m.dateCreated,
      m.dateUpdated,
      m.dateSent,
      media === undefined || media.length === 0 ? null : JSON.stringify(media)
    );
    return Number(result.lastInsertRowid);
  }

  /** Stores a new message; it is committed when this returns. Emits `message`. */
  insert(message: NewMessage, media?: StoredMedia[]): MessageRecord {
    const record: MessageRecord = { seq: this.#run(message, media), ...message };
    this.emit('message', record);
    return record;
  }

  /**
   * Stores a new message with the others of this event-loop turn, in one transaction; resolves
   * once that transaction is committed. Emits `message` for each, after the commit.
   */
  enqueue(message: NewMessage, media?: StoredMedia[]): Promise<MessageRecord> {
    return new Promise((resolve, reject) => {
      if (this.#pending.length === 0) {
        setImmediate(() => this.#flush());
      }
      this.#pending.push({ message, media, resolve, reject });
    });
  }

  #flush(): void {
    const pending = this.#pending;
    this.#pending = [];
    let seqs: number[];
    try {
      seqs = this.#insertBatch(pending);
    } catch (error) {
      for (const item of pending) item.reject(error);
      return;
    }
    for (const [index, item] of pending.entries()) {
      const record: MessageRecord = { seq: seqs[index]!, ...item.message };
      this.emit('message', record);
      item.resolve(record);
    }
  }

  get(sid: string): MessageRecord | undefined {
    return this.#bySid.get(sid) as MessageRecord | undefined;
  }

  /** A message only if it belongs to the account (accounts never see each other's messages). */
  getForAccount(accountSid: string, sid: string): MessageRecord | undefined {
    return this.#byAccountAndSid.get(accountSid, sid) as MessageRecord | undefined;
  }

  /** The media of a message (of the account), in MediaUrl order. */
  mediaOf(accountSid: string, sid: string): StoredMedia[] {
    const row = this.#prepare<{ media: string | null }>('SELECT media FROM messages WHERE account_sid = ? AND sid = ?').get(
      accountSid,
      sid
    );
    return row?.media ? (JSON.parse(row.media) as StoredMedia[]) : [];
  }

  seqOf(sid: string): number | undefined {
    return this.#seqOf.get(sid)?.seq;
  }

  /**
   * Applies a patch if the message is still in `expected` status (so a transition never
   * resurrects a message that was deleted, canceled or advanced meanwhile). Emits `status` when
   * the patch sets a status, else `updated`.
   */
  update(sid: string, expected: MessageStatus | null, patch: MessagePatch): MessageRecord | undefined {
    const keys = Object.keys(patch) as Array<keyof MessagePatch>;
    const assignments = keys.map((key) => `${patchColumns[key]} = @${key}`).join(', ');
    const condition = expected === null ? '' : ' AND status = @expectedStatus';
    const statement = this.#prepare(`UPDATE messages SET ${assignments} WHERE sid = @sid${condition} RETURNING ${columns}`);
    const record = statement.get({ ...patch, sid, expectedStatus: expected });
    if (record) {
      this.emit(patch.status === undefined ? 'updated' : 'status', record);
    }
    return record;
  }

  /**
   * The life cycle's fast path: moves a message on from the status of `record` (a snapshot of it)
   * to `patch.status`, setting only the life-cycle fields. Returns the updated record, or undefined
   * when the message is gone or no longer in that status. Emits `status`.
   */
  advance(record: MessageRecord, patch: MessagePatch & { status: MessageStatus }): MessageRecord | undefined {
    const updated = this.#advanceRow(record, patch);
    if (updated) {
      this.emit('status', updated);
    }
    return updated;
  }

  /**
   * {@link advance} for many messages in one transaction; `status` is emitted once it is
   * committed. Throws (and applies nothing) when the transaction fails.
   */
  advanceAll(steps: ReadonlyArray<{ record: MessageRecord; patch: MessagePatch & { status: MessageStatus } }>): MessageRecord[] {
    if (steps.length === 0) {
      return [];
    }
    const updated = this.transaction(() =>
      steps.flatMap(({ record, patch }) => {
        const row = this.#advanceRow(record, patch);
        return row ? [row] : [];
      })
    );
    for (const record of updated) {
      this.emit('status', record);
    }
    return updated;
  }

  #advanceRow(record: MessageRecord, patch: MessagePatch & { status: MessageStatus }): MessageRecord | undefined {
    const { changes } = this.#advance.run(
      patch.status,
      patch.dateUpdated,
      patch.dateSent ?? null,
      patch.price ?? null,
      patch.errorCode ?? null,
      patch.errorMessage ?? null,
      patch.from ?? null,
      patch.numSegments ?? null,
      record.seq,
      record.status,
      record.body === '' ? 1 : 0
    );
    if (changes > 0) {
      return { ...record, ...patch };
    }
    // Only a redaction changes a body. When the snapshot still has one, the message may have been
    // redacted behind its back: re-read it, and advance it as it is now.
    if (record.body !== '') {
      const current = this.#bySeq.get(record.seq) as MessageRecord | undefined;
      if (current && current.status === record.status && current.body === '') {
        return this.#advanceRow(current, patch);
      }
    }
    return undefined;
  }

  /** Runs `fn` in one transaction (used to batch lifecycle transitions). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Deletes a message (of the account, when given). Emits `deleted`. */
  delete(sid: string, accountSid?: string): boolean {
    const result =
      accountSid === undefined
        ? this.#prepare('DELETE FROM messages WHERE sid = ?').run(sid)
        : this.#prepare('DELETE FROM messages WHERE sid = ? AND account_sid = ?').run(sid, accountSid);
    if (result.changes > 0) {
      this.emit('deleted', { sid });
      return true;
    }
    return false;
  }

  /** Deletes every message of every account. Emits `cleared`. */
  clear(): number {
    const { changes } = this.#prepare('DELETE FROM messages').run();
    this.emit('cleared');
    return changes;
  }

  /** One page of an account's messages, newest first. */
  list(accountSid: string, filter: MessageFilter, cursor: PageCursor, limit: number): MessageRecord[] {
    const conditions = ['account_sid = @accountSid'];
    if (filter.to !== undefined) conditions.push('to_number = @to');
    if (filter.from !== undefined) conditions.push('from_number = @from');
    if (filter.dateSentFrom !== undefined) conditions.push('date_sent >= @dateSentFrom');
    if (filter.dateSentBefore !== undefined) conditions.push('date_sent < @dateSentBefore');
    let order = 'DESC';
    let offset = 0;
    if (cursor.kind === 'before') {
      conditions.push('seq < @cursorSeq');
    } else if (cursor.kind === 'after') {
      conditions.push('seq > @cursorSeq');
      order = 'ASC';
    } else {
      offset = cursor.offset;
    }
    const statement = this.#prepare(
      `SELECT ${columns} FROM messages WHERE ${conditions.join(' AND ')}
       ORDER BY seq ${order} LIMIT @limit OFFSET @offset`
    );
    const rows = statement.all({
      ...filter,
      accountSid,
      cursorSeq: cursor.kind === 'offset' ? 0 : cursor.seq,
      limit,
      offset,
    });
    return order === 'ASC' ? rows.reverse() : rows;
  }

  /** The inbox view: every account, newest first; `q` matches body, to and from. */
  search({ q, to, limit }: { q?: string; to?: string; limit: number }): MessageRecord[] {
    const conditions: string[] = [];
    if (to !== undefined) conditions.push('to_number = @to');
    if (q !== undefined && q !== '') {
      conditions.push(
        `(body LIKE @pattern ESCAPE '\\' OR to_number LIKE @pattern ESCAPE '\\' OR from_number LIKE @pattern ESCAPE '\\')`
      );
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.#prepare(`SELECT ${columns} FROM messages ${where} ORDER BY seq DESC LIMIT @limit`).all({
      to,
      pattern: q === undefined ? undefined : `%${escapeLike(q)}%`,
      limit,
    });
  }

  /** The newest message to a number, optionally only those inserted after `afterSeq` / at `since`. */
  latest(to: string, afterSeq = 0, since = 0): MessageRecord | undefined {
    return this.#prepare(
      `SELECT ${columns} FROM messages WHERE to_number = ? AND seq > ? AND date_created >= ?
       ORDER BY seq DESC LIMIT 1`
    ).get(to, afterSeq, since);
  }

  /** Messages the lifecycle has not finished with (resumed after a restart). */
  unfinished(): MessageRecord[] {
    return this.#prepare(
      `SELECT ${columns} FROM messages WHERE status IN ${sqlStatusList(inFlightStatuses)}
       AND error_code IS NULL ORDER BY seq`
    ).all();
  }

  /** Every message an account has stored, whatever its status. */
  count(accountSid: string): number {
    return this.#prepare<{ count: number }>('SELECT COUNT(*) AS count FROM messages WHERE account_sid = ?').get(accountSid)!
      .count;
  }

  /** Billed messages and segments of an account created in [start, end). */
  usage(accountSid: string, start: number, end: number): UsageTotals {
    return this.#prepare<UsageTotals>(
      `SELECT COUNT(*) AS count, COALESCE(SUM(segments), 0) AS segments FROM messages
       WHERE account_sid = ? AND date_created >= ? AND date_created < ? AND status IN ${sqlStatusList(billedStatuses)}`
    ).get(accountSid, start, end)!;
  }

  /** Like {@link usage}, per UTC day (`day` = days since the epoch); days without usage are absent. */
  usageByDay(accountSid: string, start: number, end: number): DailyUsage[] {
    return this.#prepare<DailyUsage>(
      `SELECT date_created / 86400000 AS day, COUNT(*) AS count, COALESCE(SUM(segments), 0) AS segments
       FROM messages WHERE account_sid = ? AND date_created >= ? AND date_created < ?
       AND status IN ${sqlStatusList(billedStatuses)} GROUP BY day ORDER BY day`
    ).all(accountSid, start, end);
  }

  /** The oldest `date_created` of an account, for all-time usage ranges. */
  firstMessageDate(accountSid: string): number | undefined {
    return (
      this.#prepare<{ first: number | null }>('SELECT MIN(date_created) AS first FROM messages WHERE account_sid = ?').get(
        accountSid
      )?.first ?? undefined
    );
  }

  getDevAccount(): DevAccountRow | undefined {
    return this.#prepare<DevAccountRow>(
      `SELECT account_sid AS accountSid, auth_token AS authToken, api_key_sid AS apiKeySid,
       api_key_secret AS apiKeySecret, date_created AS dateCreated FROM dev_account WHERE id = 1`
    ).get();
  }

  saveDevAccount(account: DevAccountRow): void {
    this.#prepare(
      `INSERT OR REPLACE INTO dev_account (id, account_sid, auth_token, api_key_sid, api_key_secret, date_created)
       VALUES (1, @accountSid, @authToken, @apiKeySid, @apiKeySecret, @dateCreated)`
    ).run(account);
  }

  close(): void {
    this.removeAllListeners();
    if (this.db.open) {
      this.db.close();
    }
  }
}
