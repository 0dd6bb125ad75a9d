/**
 * The sandbox's context: the services a route handler works with, wired once by `startSandbox`.
 *
 * @module
 */
import type { EventHub } from './api/events.js';
import type { FaultInjector } from './twilio/faults.js';
import type { HostAllowlist } from './http/host-allowlist.js';
import type { SandboxLogger } from './logger.js';
import type { MessageStore } from './storage/store.js';
import type { AccountRegistry, SandboxAccount } from './twilio/accounts.js';
import type { Lifecycle } from './twilio/lifecycle.js';

/**
 * Everything a route handler may use. One per running sandbox, made once it listens (so its URL and
 * the addresses it answers are known) and frozen: nothing in it changes while it serves.
 */
export type SandboxContext = {
  readonly store: MessageStore;
  readonly accounts: AccountRegistry;
  readonly faults: FaultInjector;
  readonly lifecycle: Lifecycle;
  /** SSE clients and long-poll waiters of the inbox. */
  readonly hub: EventHub;
  readonly logger: SandboxLogger;
  /** The sandbox's package version. */
  readonly version: string;
  /** The sandbox's own base URL, e.g. `http://127.0.0.1:4010`. */
  readonly url: string;
  /** The Host names the /api/ routes answer. */
  readonly hosts: HostAllowlist;
  /** The generated account when none was configured, else null. */
  readonly devAccount: SandboxAccount | null;
  /** Limit for request bodies, in bytes. */
  readonly maxBodyBytes: number;
  /** Directory of the web inbox's static files. */
  readonly publicDir: string;
  /** Aborted when the sandbox closes (ends long-polls and event streams). */
  readonly closing: AbortSignal;
};
