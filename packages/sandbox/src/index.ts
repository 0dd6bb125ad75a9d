/**
 * A local server that speaks Twilio's Messages API (`/2010-04-01/Accounts/{AC}/Messages.json`,
 * Usage Records), stores messages in SQLite, walks them through Twilio's status life cycle with
 * signed StatusCallbacks, and serves a live web inbox plus sandbox-only JSON routes under `/api/`.
 *
 * @example
 * const sandbox = await startSandbox({ port: 0, db: ':memory:' });
 * const { accountSid, authToken } = sandbox.devAccount!;
 * // POST `${sandbox.url}/2010-04-01/Accounts/${accountSid}/Messages.json` with Basic auth
 * await sandbox.close();
 *
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { consoleRoutes } from './api/connector-console.js';
import { EventHub } from './api/events.js';
import { apiRoutes } from './api/sandbox-routes.js';
import type { SandboxContext } from './context.js';
import { HostAllowlist, normalizeAllowedHost } from './http/host-allowlist.js';
import type { Route } from './http/router.js';
import { createRequestListener, handleClientError } from './http/server.js';
import { silentLogger, type SandboxLogger } from './logger.js';
import { packagePath, version } from './package.js';
import { startCheckpointer, type Checkpointer } from './storage/checkpointer.js';
import { defaultDbPath, MessageStore } from './storage/store.js';
import {
  accountFromEnv,
  AccountRegistry,
  loadOrCreateDevAccount,
  readAccountsFile,
  type SandboxAccount,
  type SandboxAccountInput,
} from './twilio/accounts.js';
import { FaultInjector, type FaultRuleInput } from './twilio/faults.js';
import { Lifecycle } from './twilio/lifecycle.js';
import { messageRoutes } from './twilio/messages.js';
import { CallbackDispatcher } from './twilio/status-callbacks.js';
import { usageRoutes } from './twilio/usage.js';

export type SandboxOptions = {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1 (the /api/ routes have no authentication). */
  host?: string;
  /**
   * More `Host` names the /api/ routes answer (the inbox, the CLI, e2e tests), e.g. a name the
   * sandbox is reached by through Docker or a proxy. Loopback names and addresses, the bound
   * address and the machine's own addresses are always allowed; `.example.test` allows a domain
   * and its subdomains.
   */
  allowedHosts?: string[];
  /**
   * SQLite file, or `:memory:`; default {@link defaultDbPath} (`~/.local/share/twilio-sms-sandbox/sandbox.db`).
   * A file that cannot be created or written, is damaged, or was written by a newer version is
   * refused at start with a {@link DatabaseFileError}.
   */
  db?: string;
  /** Accounts to accept, in addition to `accountsFile` and the environment. */
  accounts?: SandboxAccountInput[];
  /** JSON file: `[{ "accountSid", "authToken", "apiKeys": [{ "sid", "secret" }], "friendlyName" }]`. */
  accountsFile?: string;
  /**
   * Environment to read `TWILIO_ACCOUNT_SID`/`TWILIO_AUTH_TOKEN`/`TWILIO_API_KEY`/`TWILIO_API_SECRET`
   * from; default `process.env`. Pass `{}` to ignore the environment.
   */
  env?: Record<string, string | undefined>;
  /** Delay of each status step (queued → sending → sent → delivered), in ms; default 300. */
  statusDelayMs?: number;
  /** Fault rules active from the start (see `POST /api/faults`). */
  faults?: FaultRuleInput[];
  /** Default: silent. {@link createConsoleLogger} logs one line per request. */
  logger?: SandboxLogger;
  /** Request body limit in bytes; default 64 KiB (larger → 413 / 20413). */
  maxBodyBytes?: number;
  /** Timeout of one StatusCallback request; default 5000 ms. */
  callbackTimeoutMs?: number;
  /** Interval of SSE heartbeat comments; default 15000 ms. */
  heartbeatMs?: number;
  /** Directory of the web inbox; default the package's `public/`. */
  publicDir?: string;
  /** Extra routes, matched after the built-in ones. */
  routes?: Route[];
};

export type Sandbox = {
  /** Base URL, e.g. `http://127.0.0.1:4010`; Twilio paths go below it. */
  url: string;
  port: number;
  host: string;
  /** The SQLite file in use (or `:memory:`). */
  dbPath: string;
  store: MessageStore;
  /** Every account the sandbox accepts, with its credentials. */
  accounts: SandboxAccount[];
  /** The generated account when none was configured (print its credentials), else null. */
  devAccount: SandboxAccount | null;
  registry: AccountRegistry;
  faults: FaultInjector;
  lifecycle: Lifecycle;
  callbacks: CallbackDispatcher;
  /** What route handlers receive; handy for mounting more routes. */
  context: SandboxContext;
  server: Server;
  /** Stops timers, ends streams, closes connections and the database. */
  close(): Promise<void>;
};

function collectAccounts(options: SandboxOptions): SandboxAccountInput[] {
  const accounts: SandboxAccountInput[] = [...(options.accounts ?? [])];
  if (options.accountsFile) {
    accounts.push(...readAccountsFile(options.accountsFile));
  }
  const fromEnv = accountFromEnv(options.env ?? process.env);
  if (fromEnv) {
    accounts.push(fromEnv);
  }
  return accounts;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer`);
  }
  return value;
}

/**
 * The accounts, allowed hosts and fault rules, each checked: every account (options, file,
 * environment) is validated here, before the database exists.
 */
function checkedSetup(options: SandboxOptions) {
  const registry = new AccountRegistry();
  for (const account of collectAccounts(options)) {
    registry.add(account);
  }
  const allowedHosts = (options.allowedHosts ?? []).map(normalizeAllowedHost);
  const faults = new FaultInjector();
  if (options.faults?.length) {
    faults.add(options.faults);
  }
  return { registry, allowedHosts, faults };
}

/** Stops the sandbox in order (work, then connections, then storage): one run, however often it is called. */
function closer(parts: {
  closing: AbortController;
  lifecycle: Lifecycle;
  callbacks: CallbackDispatcher;
  hub: EventHub;
  server: Server;
  checkpointer: Checkpointer;
  store: MessageStore;
}): () => Promise<void> {
  let closed: Promise<void> | undefined;
  return () =>
    (closed ??= (async () => {
      parts.closing.abort();
      parts.lifecycle.close();
      parts.callbacks.close();
      parts.hub.close();
      await new Promise<void>((resolve) => {
        parts.server.close(() => resolve());
        parts.server.closeAllConnections();
      });
      await parts.checkpointer.close();
      parts.store.close();
    })());
}

/** The numeric options, defaulted and checked before anything is opened. */
function numericOptions(options: SandboxOptions) {
  const statusDelayMs = options.statusDelayMs ?? 300;
  if (!Number.isFinite(statusDelayMs) || statusDelayMs < 0) {
    throw new RangeError('statusDelayMs must be a non-negative number');
  }
  return {
    statusDelayMs,
    maxBodyBytes: positiveInteger('maxBodyBytes', options.maxBodyBytes, 64 * 1024),
    heartbeatMs: positiveInteger('heartbeatMs', options.heartbeatMs, 15_000),
    callbackTimeoutMs: positiveInteger('callbackTimeoutMs', options.callbackTimeoutMs, 5000),
  };
}

/**
 * Opens the database, with the dev account when no other is configured, and starts its
 * checkpointer; closes the database again if either fails.
 */
function openStore(
  dbPath: string,
  registry: AccountRegistry,
  logger: SandboxLogger
): { store: MessageStore; devAccount: SandboxAccount | null; checkpointer: Checkpointer } {
  const store = new MessageStore(dbPath);
  try {
    const devAccount = registry.size === 0 ? registry.add(loadOrCreateDevAccount(store)) : null;
    return { store, devAccount, checkpointer: startCheckpointer(store, logger) };
  } catch (error) {
    store.close();
    throw error;
  }
}

/** Resolves once the server listens, rejects if it cannot (the port is taken, the host unknown). */
function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Starts a sandbox and resolves once it listens.
 *
 * @example
 * const sandbox = await startSandbox({ port: 4010, statusDelayMs: 300, logger: createConsoleLogger() });
 * console.log(`Twilio sandbox on ${sandbox.url}`);
 */
/**
 * Every built-in route of the sandbox, in match order: the Twilio API, then `/api/` (the inbox's
 * and the console's). `startSandbox({ routes })` appends more after these.
 */
const sandboxRoutes = (): Route[] => [...messageRoutes, ...usageRoutes, ...apiRoutes, ...consoleRoutes];

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? silentLogger;
  const { statusDelayMs, maxBodyBytes, heartbeatMs, callbackTimeoutMs } = numericOptions(options);

  // Validate configuration before opening anything, so a bad option leaves nothing behind.
  const { registry, allowedHosts, faults } = checkedSetup(options);

  const dbPath = options.db ?? defaultDbPath();
  const { store, devAccount, checkpointer } = openStore(dbPath, registry, logger);

  // All three follow the store's events (see StoreEvents), so none of them calls another.
  const callbacks = new CallbackDispatcher({ store, accounts: registry, logger, timeoutMs: callbackTimeoutMs });
  const lifecycle = new Lifecycle({ store, stepMs: statusDelayMs, logger });
  const hub = new EventHub(store, heartbeatMs);
  const closing = new AbortController();

  const server = createServer();
  server.on('clientError', handleClientError);
  try {
    await listen(server, options.port ?? 0, host);
  } catch (error) {
    hub.close();
    await checkpointer.close();
    store.close();
    throw error;
  }
  const { port, address } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const context: SandboxContext = Object.freeze({
    store,
    accounts: registry,
    faults,
    lifecycle,
    hub,
    logger,
    version,
    url,
    hosts: new HostAllowlist([host, address], allowedHosts),
    devAccount,
    maxBodyBytes,
    publicDir: options.publicDir ?? packagePath('public/'),
    closing: closing.signal,
  });
  // Requests are handled from here on: 'listening' has just fired, and no connection is read
  // before this turn of the event loop ends.
  server.on('request', createRequestListener([...sandboxRoutes(), ...(options.routes ?? [])], context));
  lifecycle.resume();

  return {
    url,
    port,
    host,
    dbPath,
    store,
    accounts: registry.list(),
    devAccount,
    registry,
    faults,
    lifecycle,
    callbacks,
    context,
    server,
    close: closer({ closing, lifecycle, callbacks, hub, server, checkpointer, store }),
  };
}

// The public surface: what the CLI, the bench and custom routes use. Everything else is internal.
export { FaultRuleError, parseFaultRule, type FaultInjector, type FaultRule, type FaultRuleInput } from './twilio/faults.js';
export type { InboxMessage } from './api/inbox-message.js';
export type { SandboxContext } from './context.js';
export { HttpError, type HttpErrorOptions } from './http/errors.js';
export { normalizeAllowedHost } from './http/host-allowlist.js';
export type { Reply, Route, RouteHandler, SandboxRequest } from './http/router.js';
export { createConsoleLogger, type RequestLogEntry, type SandboxLogger } from './logger.js';
export { version } from './package.js';
export { DatabaseFileError, type DatabaseProblem } from './storage/database-file.js';
export type { MessageRecord, MessageStatus, MessageStore } from './storage/store.js';
export {
  AccountConfigError,
  type AccountRegistry,
  type SandboxAccount,
  type SandboxAccountInput,
  type SandboxApiKey,
} from './twilio/accounts.js';
export type { TwilioErrorBody } from './twilio/errors.js';
export { type Lifecycle } from './twilio/lifecycle.js';
export type { TwilioMessage } from './twilio/resource.js';
export type { CallbackDispatcher } from './twilio/status-callbacks.js';
