/**
 * Status timers: every message walks Twilio's outbound life cycle, one step per `stepMs`:
 *
 *   accepted (Messaging Service) → queued → sending → sent → delivered
 *   scheduled ──(at SendAt)──────→ queued → …
 *
 * or ends `failed`/`undelivered` for the numbers in {@link deliveryFailure}, or `failed` with 30036
 * when it waited in the queue longer than its ValidityPeriod (counted from SendAt for a scheduled
 * message). The queue is a single FIFO (all steps share one delay) served by one timer, and due
 * steps are applied in one transaction, so thousands of messages in flight cost a handful of
 * timers and commits, not one per message. A step that fails (a locked or full database) is logged
 * and retried later; a timer never throws.
 *
 * Who hears of a step: whoever listens to the store's `status` event (the inbox's event hub, the
 * StatusCallback dispatcher). The life cycle listens too, so a scheduled message that is canceled
 * or deleted by anyone loses its timer.
 *
 * @module
 */
import { sandboxSender } from '@smsdesk/connector-twilio-sms';

import type { SandboxLogger } from '../logger.js';
import type { MessagePatch, MessageRecord, MessageStatus, MessageStore } from '../storage/store.js';
import { deliveryFailure } from './magic.js';
import { messagePrice } from './pricing.js';

// setTimeout fires at once for delays above 2^31-1 ms (~24.8 days); SendAt may be 35 days away.
const maxTimerDelay = 2 ** 31 - 1;

/** After a failed step (a locked or full database), the messages are retried this much later at least. */
const minRetryMs = 1000;

type Pending = { due: number; record: MessageRecord };

export type LifecycleOptions = {
  store: MessageStore;
  /** Delay of each step in milliseconds. */
  stepMs: number;
  /** Where failed steps are reported (never with a body or a credential). */
  logger?: SandboxLogger;
};

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class Lifecycle {
  readonly #store: MessageStore;
  readonly #stepMs: number;
  readonly #retryMs: number;
  readonly #logger: SandboxLogger | undefined;
  readonly #unsubscribe: () => void;
  #queue: Pending[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #scheduled = new Map<string, NodeJS.Timeout>();
  readonly #retries = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor({ store, stepMs, logger }: LifecycleOptions) {
    this.#store = store;
    this.#stepMs = stepMs;
    this.#retryMs = Math.max(stepMs, minRetryMs);
    this.#logger = logger;
    this.#unsubscribe = store.subscribe({
      status: (record) => {
        if (record.status !== 'scheduled') this.#unschedule(record.sid);
      },
      deleted: ({ sid }) => this.#unschedule(sid),
      cleared: () => this.#unscheduleAll(),
    });
  }

  /** Starts (or continues) a message's life cycle. */
  track(record: MessageRecord): void {
    if (this.#closed) {
      return;
    }
    if (record.status === 'scheduled') {
      if (record.sendAt !== null) {
        this.#scheduleAt(record.sid, record.sendAt);
      }
      return;
    }
    if (nextPatch(record, Date.now()) !== undefined) {
      this.#queue.push({ due: Date.now() + this.#stepMs, record });
      this.#arm();
    }
  }

  /** Resumes every unfinished message in the store (after a restart). */
  resume(): number {
    const unfinished = this.#store.unfinished();
    for (const record of unfinished) {
      this.track(record);
    }
    return unfinished.length;
  }

  close(): void {
    this.#closed = true;
    this.#unsubscribe();
    clearTimeout(this.#timer);
    this.#unscheduleAll();
    for (const timer of this.#retries) {
      clearTimeout(timer);
    }
    this.#retries.clear();
    this.#queue = [];
    this.#head = 0;
  }

  #arm(): void {
    if (this.#timer !== undefined || this.#closed || this.#head >= this.#queue.length) {
      return;
    }
    const delay = Math.max(0, this.#queue[this.#head]!.due - Date.now());
    this.#timer = setTimeout(() => this.#run(), delay);
    this.#timer.unref();
  }

  #run(): void {
    this.#timer = undefined;
    if (this.#closed) {
      return;
    }
    const now = Date.now();
    const due: MessageRecord[] = [];
    while (this.#head < this.#queue.length && this.#queue[this.#head]!.due <= now) {
      due.push(this.#queue[this.#head]!.record);
      this.#head += 1;
    }
    // Compact now and then instead of shifting on every item.
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    const steps = due.flatMap((record) => {
      const patch = nextPatch(record, now);
      return patch ? [{ record, patch }] : [];
    });
    let changed: MessageRecord[] = [];
    try {
      // One transaction; conditional on the status each snapshot has, so a deleted or canceled
      // message stays so.
      changed = this.#store.advanceAll(steps);
    } catch (error) {
      // A locked or full database: nothing of this batch was applied. Try again later.
      this.#logger?.error(
        `status update of ${due.length} message(s) failed (${reasonOf(error)}); retrying in ${this.#retryMs} ms`
      );
      this.#retry(() => {
        const at = Date.now();
        for (const record of due) this.#queue.push({ due: at, record });
        this.#arm();
      });
    }
    for (const record of changed) {
      this.track(record);
    }
    this.#arm();
  }

  /** Forgets a scheduled message's timer (it was sent, canceled or deleted). */
  #unschedule(sid: string): void {
    const timer = this.#scheduled.get(sid);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.#scheduled.delete(sid);
    }
  }

  #unscheduleAll(): void {
    for (const timer of this.#scheduled.values()) {
      clearTimeout(timer);
    }
    this.#scheduled.clear();
  }

  #retry(action: () => void): void {
    if (this.#closed) {
      return;
    }
    const timer = setTimeout(() => {
      this.#retries.delete(timer);
      if (!this.#closed) action();
    }, this.#retryMs);
    timer.unref();
    this.#retries.add(timer);
  }

  #scheduleAt(sid: string, sendAt: number): void {
    this.#unschedule(sid);
    const delay = sendAt - Date.now();
    const timer = setTimeout(
      () => {
        this.#scheduled.delete(sid);
        if (this.#closed) {
          return;
        }
        if (delay > maxTimerDelay) {
          this.#scheduleAt(sid, sendAt);
          return;
        }
        let updated: MessageRecord | undefined;
        try {
          const record = this.#store.get(sid);
          if (!record || record.status !== 'scheduled') {
            return;
          }
          updated = this.#store.advance(record, queuedPatch(record, Date.now()));
        } catch (error) {
          // Never let a timer throw (it would end the process): report it and try again.
          this.#logger?.error(
            `scheduled message ${sid} could not be queued (${reasonOf(error)}); retrying in ${this.#retryMs} ms`
          );
          this.#scheduleAt(sid, Date.now() + this.#retryMs);
          return;
        }
        if (updated) {
          this.track(updated);
        }
      },
      Math.min(Math.max(0, delay), maxTimerDelay)
    );
    timer.unref();
    this.#scheduled.set(sid, timer);
  }
}

type StepPatch = MessagePatch & { status: MessageStatus };

function queuedPatch(record: MessageRecord, now: number): StepPatch {
  return {
    status: 'queued',
    // Without a From, a Messaging Service "picks" the sender the connector's sandbox config uses.
    from: record.from ?? sandboxSender,
    numSegments: record.segments,
    dateUpdated: now,
  };
}

/** The next step of a message's life cycle, or undefined when it has reached a final status. */
function nextPatch(record: MessageRecord, now: number): StepPatch | undefined {
  const failure = deliveryFailure(record.to);
  switch (record.status) {
    case 'accepted':
      return queuedPatch(record, now);
    case 'queued':
      if (failure?.status === 'failed') {
        return { status: 'failed', errorCode: failure.code, errorMessage: failure.message, dateUpdated: now };
      }
      // ValidityPeriod counts from when the message entered the queue: its SendAt when scheduled.
      if (record.validityPeriod !== null && now - (record.sendAt ?? record.dateCreated) > record.validityPeriod * 1000) {
        return { status: 'failed', errorCode: 30036, errorMessage: 'Validity Period Expired', dateUpdated: now };
      }
      return { status: 'sending', dateUpdated: now };
    case 'sending':
      return {
        status: 'sent',
        dateSent: now,
        price: messagePrice(record.segments),
        dateUpdated: now,
      };
    case 'sent':
      if (failure) {
        return { status: 'undelivered', errorCode: failure.code, errorMessage: failure.message, dateUpdated: now };
      }
      return { status: 'delivered', dateUpdated: now };
    default:
      return undefined;
  }
}
