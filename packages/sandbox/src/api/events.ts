/**
 * Fans store changes out to the inbox: Server-Sent Events clients (`/api/events`) and long-poll
 * waiters (`/api/messages/latest?wait=`). Waiters wake on the store's insert event, never by
 * polling; nothing is serialized while nobody listens.
 *
 * The stream's events: `message` (stored), `status` (the message as it is now, after a status
 * transition or a redaction: the inbox replaces its copy either way), `deleted`, `cleared`.
 *
 * @module
 */
import type { ServerResponse } from 'node:http';

import type { MessageRecord, MessageStore } from '../storage/store.js';
import { toInboxMessage } from './inbox-message.js';

export type LatestWaiter = {
  to: string;
  afterSeq: number;
  since: number;
  resolve: (record: MessageRecord) => void;
};

/**
 * An event stream client with more than this much written but not yet taken by the socket has
 * stopped reading: it is dropped (EventSource reconnects and reloads the inbox).
 */
const maxBufferedBytes = 8 * 1024 * 1024;

export class EventHub {
  readonly #clients = new Set<ServerResponse>();
  readonly #waiters = new Map<string, Set<LatestWaiter>>();
  readonly #heartbeatMs: number;
  readonly #maxBufferedBytes: number;
  #heartbeat: NodeJS.Timeout | undefined;
  readonly #unsubscribe: () => void;

  constructor(store: MessageStore, heartbeatMs: number, maxBuffered = maxBufferedBytes) {
    this.#heartbeatMs = heartbeatMs;
    this.#maxBufferedBytes = maxBuffered;
    const onMessage = (record: MessageRecord) => {
      this.#wake(record);
      this.#broadcast('message', record);
    };
    const onChanged = (record: MessageRecord) => this.#broadcast('status', record);
    const onDeleted = (event: { sid: string }) => this.#send('deleted', JSON.stringify(event));
    const onCleared = () => this.#send('cleared', '{}');
    this.#unsubscribe = store.subscribe({
      message: onMessage,
      status: onChanged,
      updated: onChanged,
      deleted: onDeleted,
      cleared: onCleared,
    });
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** Long-poll requests waiting for a message. */
  get waiterCount(): number {
    let count = 0;
    for (const waiters of this.#waiters.values()) count += waiters.size;
    return count;
  }

  /** Streams events to a response whose SSE headers are already written, until it closes. */
  addClient(response: ServerResponse): void {
    this.#clients.add(response);
    response.once('close', () => {
      this.#clients.delete(response);
      if (this.#clients.size === 0) {
        clearInterval(this.#heartbeat);
        this.#heartbeat = undefined;
      }
    });
    if (!this.#heartbeat) {
      // Comments keep proxies and idle timeouts from closing a quiet stream.
      this.#heartbeat = setInterval(() => this.#write(': heartbeat\n\n'), this.#heartbeatMs);
      this.#heartbeat.unref();
    }
  }

  /** Registers a long-poll waiter; returns a function that removes it. */
  addWaiter(waiter: LatestWaiter): () => void {
    let waiters = this.#waiters.get(waiter.to);
    if (!waiters) {
      waiters = new Set();
      this.#waiters.set(waiter.to, waiters);
    }
    waiters.add(waiter);
    return () => {
      const current = this.#waiters.get(waiter.to);
      current?.delete(waiter);
      if (current?.size === 0) {
        this.#waiters.delete(waiter.to);
      }
    };
  }

  /** Ends every stream (the sandbox is closing). */
  close(): void {
    this.#unsubscribe();
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    for (const client of this.#clients) {
      client.end();
    }
    this.#clients.clear();
    this.#waiters.clear();
  }

  #wake(record: MessageRecord): void {
    const waiters = this.#waiters.get(record.to);
    if (!waiters) {
      return;
    }
    for (const waiter of [...waiters]) {
      if (record.seq > waiter.afterSeq && record.dateCreated >= waiter.since) {
        waiters.delete(waiter);
        waiter.resolve(record);
      }
    }
    if (waiters.size === 0) {
      this.#waiters.delete(record.to);
    }
  }

  #broadcast(event: 'message' | 'status', record: MessageRecord): void {
    if (this.#clients.size > 0) {
      this.#send(event, JSON.stringify(toInboxMessage(record)));
    }
  }

  #send(event: string, data: string): void {
    if (this.#clients.size === 0) {
      return;
    }
    this.#write(`event: ${event}\ndata: ${data}\n\n`);
  }

  #write(frame: string): void {
    for (const client of this.#clients) {
      if (client.writableLength > this.#maxBufferedBytes) {
        // It stopped reading; keeping on would buffer without bound. 'close' removes it.
        this.#clients.delete(client);
        client.destroy();
      } else {
        client.write(frame);
      }
    }
  }
}
