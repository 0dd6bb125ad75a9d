/**
 * WAL checkpoints off the main thread. SQLite's automatic checkpoint runs inside a commit on the
 * connection that crosses the threshold: copying ~1,000 pages and an fsync, i.e. a ~10 ms stall
 * of the event loop every few thousand messages. Instead, a worker thread with its own connection
 * runs passive checkpoints (which never block the writer) on an interval, and the main connection
 * only checkpoints itself as a safety net when the WAL outgrows {@link safetyNetPages} (a burst the
 * worker cannot keep up with; a WAL only restarts once fully checkpointed). Should the worker die,
 * the default automatic checkpoint comes back.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

import type { SandboxLogger } from '../logger.js';
import type { MessageStore } from './store.js';

// Runs as CommonJS (an `eval` worker), so it loads the driver by the absolute path resolved here.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or closing: the next interval tries again.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export type Checkpointer = { close(): Promise<void> };

/** WAL size (pages) at which the main connection checkpoints after all (~40 MB). */
const safetyNetPages = 10_000;

/** Starts background checkpoints for a file database (a no-op for `:memory:`). */
export function startCheckpointer(store: MessageStore, logger: SandboxLogger, intervalMs = 100): Checkpointer {
  if (store.file === ':memory:') {
    return { close: async () => {} };
  }
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(workerSource, { eval: true, workerData: { driver, file: store.file, intervalMs } });
  worker.unref();
  store.db.pragma(`wal_autocheckpoint = ${safetyNetPages}`);
  // Once restarted after a burst, the WAL file is truncated back to this size.
  store.db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  let closing = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('error', (error) => {
    logger.warn(`background checkpoints stopped (${error.message}); checkpointing on commit instead`);
  });
  void exited.then(() => {
    if (!closing && store.db.open) {
      store.db.pragma('wal_autocheckpoint = 1000');
    }
  });
  return {
    async close() {
      closing = true;
      worker.postMessage('close');
      const deadline = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(deadline);
    },
  };
}
