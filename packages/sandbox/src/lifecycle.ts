/**
 * Status timers: every message walks Twilio's outbound life cycle, one step per `stepMs`:
 *
 *   accepted (Messaging Service) → queued → sending → sent → delivered
 *   scheduled ──(at SendAt)──────→ queued → …
 *
 * or ends `failed`/`undelivered` for the numbers in {@link deliveryFailure}, or `failed` with 30036
 * when it waited in the queue longer than its ValidityPeriod. The queue is a single FIFO (all steps
 * share one delay) served by one timer, and due steps are applied in one transaction, so thousands
 * of messages in flight cost a handful of timers and commits, not one per message.
 *
 * @module
 */
import type { MessagePatch, MessageRecord, MessageStatus, MessageStore } from './store.js';
import { deliveryFailure } from './twilio/magic.js';
import { messagePrice } from './twilio/pricing.js';

/** The sender a Messaging Service "picks" when the request had no From. */
export const serviceSender = '+15005550006';

// setTimeout fires at once for delays above 2^31-1 ms (~24.8 days); SendAt may be 35 days away.
const maxTimerDelay = 2 ** 31 - 1;

type Pending = { due: number; record: MessageRecord };

export type LifecycleOptions = {
  store: MessageStore;
  /** Delay of each step in milliseconds. */
  stepMs: number;
  /** Called after each status change (not for the initial status), outside the transaction. */
  onChange?: (record: MessageRecord) => void;
};

export class Lifecycle {
  readonly #store: MessageStore;
  readonly #stepMs: number;
  readonly #onChange: (record: MessageRecord) => void;
  #queue: Pending[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #scheduled = new Map<string, NodeJS.Timeout>();
  #closed = false;

  constructor({ store, stepMs, onChange = () => {} }: LifecycleOptions) {
    this.#store = store;
    this.#stepMs = stepMs;
    this.#onChange = onChange;
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

  /** Forgets a scheduled message's timer (after it was canceled). */
  unschedule(sid: string): void {
    clearTimeout(this.#scheduled.get(sid));
    this.#scheduled.delete(sid);
  }

  /** Messages waiting for a step (not counting scheduled ones). */
  get pending(): number {
    return this.#queue.length - this.#head;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const timer of this.#scheduled.values()) {
      clearTimeout(timer);
    }
    this.#scheduled.clear();
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
    let changed: MessageRecord[] = [];
    try {
      changed = this.#store.transaction(() => {
        const results: MessageRecord[] = [];
        for (const record of due) {
          const patch = nextPatch(record, now);
          // Conditional on the status we expect, so a deleted or canceled message stays so.
          const updated = patch && this.#store.advance(record, patch);
          if (updated) {
            results.push(updated);
          }
        }
        return results;
      });
    } catch {
      // The database is closing or gone; the messages keep their last status.
    }
    for (const record of changed) {
      this.#onChange(record);
      this.track(record);
    }
    this.#arm();
  }

  #scheduleAt(sid: string, sendAt: number): void {
    this.unschedule(sid);
    const delay = sendAt - Date.now();
    const timer = setTimeout(
      () => {
        this.#scheduled.delete(sid);
        if (delay > maxTimerDelay) {
          this.#scheduleAt(sid, sendAt);
          return;
        }
        const record = this.#store.get(sid);
        if (!record || record.status !== 'scheduled' || this.#closed) {
          return;
        }
        const updated = this.#store.advance(record, queuedPatch(record, Date.now()));
        if (updated) {
          this.#onChange(updated);
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
    from: record.from ?? serviceSender,
    numSegments: record.segments,
    dateUpdated: now,
  };
}

/** The next step of a message's life cycle, or undefined when it has reached a final status. */
export function nextPatch(record: MessageRecord, now: number): StepPatch | undefined {
  const failure = deliveryFailure(record.to);
  switch (record.status) {
    case 'accepted':
      return queuedPatch(record, now);
    case 'queued':
      if (failure?.status === 'failed') {
        return { status: 'failed', errorCode: failure.code, errorMessage: failure.message, dateUpdated: now };
      }
      if (record.validityPeriod !== null && now - record.dateCreated > record.validityPeriod * 1000) {
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
