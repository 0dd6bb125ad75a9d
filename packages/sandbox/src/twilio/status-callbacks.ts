/**
 * Signed StatusCallback requests, as Twilio sends them: a form POST per status transition the
 * store reports (its `status` event: never the initial status, never a redaction) with `X-Twilio-Signature` and `I-Twilio-Idempotency-Token`. Requests for one
 * message go out in order; at most 32 are in flight at once across all messages (the rest wait in
 * a queue, bounded at 10,000); a failing receiver is logged (URL without its userinfo and query,
 * the error by its code) and never affects the sandbox.
 *
 * A URL with userinfo (`https://user:password@host/cb`) is called as Twilio calls it: first without
 * credentials, then, when the receiver answers 401 with a Basic challenge, again with
 * `Authorization: Basic` from the userinfo. (fetch refuses URLs that hold credentials, so they are
 * taken out of the URL it is given; the signature still covers the URL as configured.)
 *
 * @doc https://www.twilio.com/docs/usage/webhooks/webhooks-security
 * @module
 */
import { createHash, createHmac } from 'node:crypto';

import { redactUrl, type SandboxLogger } from '../logger.js';
import type { MessageRecord, MessageStore } from '../storage/store.js';
import type { AccountRegistry } from './accounts.js';
import { apiVersion } from './resource.js';

/**
 * Twilio's request signature: HMAC-SHA1, keyed with the auth token, over the full URL followed by
 * each parameter's name and value, sorted by name (then value), base64-encoded.
 *
 * @example
 * twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', { Digits: '1234' });
 */
export function twilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string> | Array<[string, string]>
): string {
  const entries = Array.isArray(params) ? [...params] : Object.entries(params);
  entries.sort(([nameA, valueA], [nameB, valueB]) =>
    nameA < nameB ? -1 : nameA > nameB ? 1 : valueA < valueB ? -1 : valueA > valueB ? 1 : 0
  );
  let data = url;
  for (const [name, value] of entries) {
    data += name + value;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** `YYMMDDhhmm` in UTC, Twilio's `RawDlrDoneDate`. */
function rawDlrDoneDate(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-05-06T07:08:09.000Z
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16);
}

/** The form parameters of a status callback for the message's current state. */
function callbackParams(record: MessageRecord): Array<[string, string]> {
  const params: Array<[string, string]> = [
    ['MessageSid', record.sid],
    ['MessageStatus', record.status],
    ['SmsSid', record.sid],
    ['SmsStatus', record.status],
    ['AccountSid', record.accountSid],
    ['From', record.from ?? ''],
    ['To', record.to],
    ['ApiVersion', apiVersion],
  ];
  if (record.messagingServiceSid) {
    params.push(['MessagingServiceSid', record.messagingServiceSid]);
  }
  if (record.errorCode !== null) {
    params.push(['ErrorCode', String(record.errorCode)]);
  }
  if (record.status === 'delivered' || record.status === 'undelivered') {
    params.push(['RawDlrDoneDate', rawDlrDoneDate(record.dateUpdated)]);
  }
  return params;
}

export type CallbackDispatcherOptions = {
  /** Whose status transitions are called back. */
  store: MessageStore;
  accounts: AccountRegistry;
  logger: SandboxLogger;
  timeoutMs?: number;
  /** Callback requests in flight at once, across all messages; default 32. */
  maxInFlight?: number;
  /** Callbacks waiting beyond those (dropped with a warning past this); default 10,000. */
  maxQueued?: number;
};

export class CallbackDispatcher {
  readonly #accounts: AccountRegistry;
  readonly #logger: SandboxLogger;
  readonly #timeoutMs: number;
  readonly #maxInFlight: number;
  readonly #maxQueued: number;
  // The tail of each message's chain, so its callbacks leave in status order.
  readonly #chains = new Map<string, Promise<void>>();
  readonly #abort = new AbortController();
  // Accepted and not yet finished; of those, the ones holding one of the maxInFlight slots.
  #pending = 0;
  #inFlight = 0;
  readonly #waiting: Array<() => void> = [];
  #dropping = false;
  readonly #unsubscribe: () => void;

  constructor({ store, accounts, logger, timeoutMs = 5000, maxInFlight = 32, maxQueued = 10_000 }: CallbackDispatcherOptions) {
    this.#accounts = accounts;
    this.#logger = logger;
    this.#timeoutMs = timeoutMs;
    this.#maxInFlight = maxInFlight;
    this.#maxQueued = maxQueued;
    const onStatus = (record: MessageRecord) => {
      // The store emits right after its commit, in the life cycle's timer: never throw into it.
      try {
        this.#send(record);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.#logger.error(`status change of ${record.sid} to ${record.status} was not reported: ${reason}`);
      }
    };
    this.#unsubscribe = store.subscribe({ status: onStatus });
  }

  /** Callback requests being sent right now (at most `maxInFlight`). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Callbacks accepted but not sent yet. */
  get queued(): number {
    return this.#pending - this.#inFlight;
  }

  /** Queues the callback for the message's current status (no-op without a StatusCallback). */
  #send(record: MessageRecord): void {
    if (!record.statusCallback || this.#abort.signal.aborted) {
      return;
    }
    if (this.#pending - this.#inFlight >= this.#maxQueued) {
      // Memory stays bounded when a receiver is much slower than the sandbox: say so once per burst.
      if (!this.#dropping) {
        this.#dropping = true;
        this.#logger.warn(`status callbacks dropped: more than ${this.#maxQueued} are waiting for slow receivers`);
      }
      return;
    }
    this.#dropping = false;
    this.#pending += 1;
    const previous = this.#chains.get(record.sid) ?? Promise.resolve();
    const next = previous.then(() => this.#throttled(record));
    this.#chains.set(record.sid, next);
    void next.finally(() => {
      this.#pending -= 1;
      if (this.#chains.get(record.sid) === next) {
        this.#chains.delete(record.sid);
      }
    });
  }

  /** Resolves once every queued callback has been attempted. */
  async idle(): Promise<void> {
    while (this.#chains.size > 0) {
      // eslint-disable-next-line no-await-in-loop -- callbacks queued while these run join the map: wait again until it is empty
      await Promise.all(this.#chains.values());
    }
  }

  /** Stops listening, drops queued callbacks and aborts those in flight. */
  close(): void {
    this.#unsubscribe();
    this.#abort.abort();
    // Hand every waiter a slot: each sees the abort and returns at once.
    for (const wake of this.#waiting.splice(0)) {
      this.#inFlight += 1;
      wake();
    }
  }

  async #throttled(record: MessageRecord): Promise<void> {
    if (this.#inFlight >= this.#maxInFlight) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#inFlight += 1;
    }
    // The slot is ours now (handed over by #release, or taken above).
    try {
      await this.#post(record);
    } finally {
      this.#release();
    }
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) {
      next();
    } else {
      this.#inFlight -= 1;
    }
  }

  async #post(record: MessageRecord): Promise<void> {
    if (this.#abort.signal.aborted) {
      return;
    }
    const account = this.#accounts.get(record.accountSid);
    // Twilio does not sign with the fragment (its `#rc=…` connection overrides) and does not send it.
    const url = record.statusCallback!.split('#', 1)[0]!;
    if (!account) {
      this.#logger.warn(`status callback for ${record.sid} skipped: account ${record.accountSid} is no longer configured`);
      return;
    }
    const params = callbackParams(record);
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      'User-Agent': 'TwilioProxy/1.1',
      'X-Twilio-Signature': twilioSignature(account.authToken, url, params),
      'I-Twilio-Idempotency-Token': createHash('sha256').update(`${record.sid}:${record.status}`).digest('hex'),
    };
    const body = new URLSearchParams(params).toString();
    const signal = AbortSignal.any([this.#abort.signal, AbortSignal.timeout(this.#timeoutMs)]);
    const what = `status callback ${redactUrl(url)} for ${record.sid} (${record.status})`;
    try {
      const { target, authorization } = withoutCredentials(url);
      let response = await post(target, headers, body, signal);
      if (response.status === 401 && authorization !== undefined) {
        if (/^\s*basic\b/i.test(response.headers.get('www-authenticate') ?? '')) {
          response = await post(target, { ...headers, Authorization: authorization }, body, signal);
        } else {
          this.#logger.warn(`${what} answered HTTP 401 without a Basic challenge: the sandbox sends only Basic credentials`);
          return;
        }
      }
      if (response.status >= 400) {
        this.#logger.warn(`${what} answered HTTP ${response.status}`);
      }
    } catch (error) {
      if (this.#abort.signal.aborted) {
        return;
      }
      this.#logger.warn(`${what} failed: ${failureReason(error, this.#timeoutMs)}`);
    }
  }
}

/** One POST of a callback, its response body read (so the connection can be reused) and ignored, as Twilio does. */
async function post(url: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<Response> {
  const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal });
  await response.arrayBuffer().catch(() => undefined);
  return response;
}

/** The URL parser keeps userinfo percent-encoded; a stray `%` is taken literally. */
function decodeUserinfo(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The URL without its userinfo, and the `Authorization` header the userinfo stands for (if any). */
function withoutCredentials(url: string): { target: string; authorization?: string } {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') {
    return { target: url };
  }
  const credentials = `${decodeUserinfo(parsed.username)}:${decodeUserinfo(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { target: parsed.href, authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

/**
 * Why a callback could not be delivered, by error code only (ECONNREFUSED, ENOTFOUND, a TLS code…):
 * fetch's messages and their causes may quote the whole URL, userinfo and query included.
 */
function failureReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `no answer within ${timeoutMs} ms`;
  }
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    const { code } = cause as NodeJS.ErrnoException;
    if (typeof code === 'string' && /^[\w.-]+$/.test(code)) {
      return code;
    }
  }
  return 'the request could not be sent';
}
