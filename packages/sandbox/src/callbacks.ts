/**
 * Signed StatusCallback requests, as Twilio sends them: a form POST per status change (never for
 * the initial status) with `X-Twilio-Signature` and `I-Twilio-Idempotency-Token`. Requests for one
 * message go out in order; at most 32 are in flight at once across all messages (the rest wait in
 * a queue, bounded at 10,000); a failing receiver is logged (URL without its query string) and
 * never affects the sandbox.
 *
 * @doc https://www.twilio.com/docs/usage/webhooks/webhooks-security
 * @module
 */
import { createHash, createHmac } from 'node:crypto';

import type { AccountRegistry } from './accounts.js';
import { redactUrl, type SandboxLogger } from './logger.js';
import type { MessageRecord } from './store.js';
import { apiVersion } from './twilio/resource.js';

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
export function callbackParams(record: MessageRecord): Array<[string, string]> {
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

  constructor({ accounts, logger, timeoutMs = 5000, maxInFlight = 32, maxQueued = 10_000 }: CallbackDispatcherOptions) {
    this.#accounts = accounts;
    this.#logger = logger;
    this.#timeoutMs = timeoutMs;
    this.#maxInFlight = maxInFlight;
    this.#maxQueued = maxQueued;
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
  send(record: MessageRecord): void {
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
      await Promise.all(this.#chains.values());
    }
  }

  /** Drops queued callbacks and aborts those in flight. */
  close(): void {
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
    const token = createHash('sha256').update(`${record.sid}:${record.status}`).digest('hex');
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'User-Agent': 'TwilioProxy/1.1',
          'X-Twilio-Signature': twilioSignature(account.authToken, url, params),
          'I-Twilio-Idempotency-Token': token,
        },
        body: new URLSearchParams(params).toString(),
        redirect: 'manual',
        signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(this.#timeoutMs)]),
      });
      // Read the body so the connection can be reused; its content is ignored, as Twilio does.
      await response.arrayBuffer().catch(() => undefined);
      if (response.status >= 400) {
        this.#logger.warn(
          `status callback ${redactUrl(url)} for ${record.sid} (${record.status}) answered HTTP ${response.status}`
        );
      }
    } catch (error) {
      if (this.#abort.signal.aborted) {
        return;
      }
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : 'unknown error';
      this.#logger.warn(`status callback ${redactUrl(url)} for ${record.sid} (${record.status}) failed: ${reason}`);
    }
  }
}
