/**
 * Accounts the sandbox accepts, and HTTP Basic authentication against them.
 *
 * Sources, all merged: `startSandbox({ accounts })`, an accounts JSON file, and the environment
 * (`TWILIO_ACCOUNT_SID` + `TWILIO_AUTH_TOKEN`, plus `TWILIO_API_KEY` + `TWILIO_API_SECRET` as a key of
 * that account, so one environment drives both a client and the sandbox). With none, a dev account
 * is generated once and kept in the database.
 *
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

import type { MessageStore } from '../storage/store.js';
import { newSecret, newSid, sidPatterns } from './sids.js';

export type SandboxApiKey = { sid: string; secret: string };

export type SandboxAccount = {
  accountSid: string;
  /** Authenticates requests and signs StatusCallback requests (`X-Twilio-Signature`). */
  authToken: string;
  apiKeys: SandboxApiKey[];
  friendlyName: string;
};

/** An account as configured; `apiKeys` and `friendlyName` are optional. */
export type SandboxAccountInput = {
  accountSid: string;
  authToken: string;
  apiKeys?: SandboxApiKey[];
  friendlyName?: string;
};

export class AccountConfigError extends Error {
  override name = 'AccountConfigError' as const;
}

function normalizeAccount(input: unknown, where: string): SandboxAccount {
  if (typeof input !== 'object' || input === null) {
    throw new AccountConfigError(`${where}: expected an object`);
  }
  const { accountSid, authToken, apiKeys = [], friendlyName } = input as Record<string, unknown>;
  if (typeof accountSid !== 'string' || !sidPatterns.account.test(accountSid)) {
    throw new AccountConfigError(`${where}: accountSid must match AC followed by 32 hex digits`);
  }
  if (typeof authToken !== 'string' || authToken.length === 0) {
    throw new AccountConfigError(`${where}: authToken must be a non-empty string`);
  }
  if (!Array.isArray(apiKeys)) {
    throw new AccountConfigError(`${where}: apiKeys must be an array`);
  }
  const keys = apiKeys.map((key: unknown, index) => {
    const { sid, secret } = (key ?? {}) as Record<string, unknown>;
    if (typeof sid !== 'string' || !sidPatterns.apiKey.test(sid)) {
      throw new AccountConfigError(`${where}: apiKeys[${index}].sid must match SK followed by 32 hex digits`);
    }
    if (typeof secret !== 'string' || secret.length === 0) {
      throw new AccountConfigError(`${where}: apiKeys[${index}].secret must be a non-empty string`);
    }
    return { sid, secret };
  });
  if (friendlyName !== undefined && typeof friendlyName !== 'string') {
    throw new AccountConfigError(`${where}: friendlyName must be a string`);
  }
  return { accountSid, authToken, apiKeys: keys, friendlyName: friendlyName ?? accountSid };
}

/** Reads an accounts file: a JSON array of `{ accountSid, authToken, apiKeys?, friendlyName? }`. */
export function readAccountsFile(file: string): SandboxAccount[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AccountConfigError(`Cannot read accounts file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(parsed)) {
    throw new AccountConfigError(`Accounts file ${file}: expected a JSON array of accounts`);
  }
  return parsed.map((entry, index) => normalizeAccount(entry, `Accounts file ${file}, entry ${index}`));
}

/**
 * The account described by `TWILIO_ACCOUNT_SID` + `TWILIO_AUTH_TOKEN` (and an API key from
 * `TWILIO_API_KEY` + `TWILIO_API_SECRET`), or undefined when `TWILIO_ACCOUNT_SID` is unset. With
 * only an API key, the account gets a random auth token (used to sign callbacks).
 */
export function accountFromEnv(env: Record<string, string | undefined>): SandboxAccount | undefined {
  const accountSid = env.TWILIO_ACCOUNT_SID;
  if (!accountSid) {
    return undefined;
  }
  const apiKeys = env.TWILIO_API_KEY && env.TWILIO_API_SECRET ? [{ sid: env.TWILIO_API_KEY, secret: env.TWILIO_API_SECRET }] : [];
  if (!env.TWILIO_AUTH_TOKEN && apiKeys.length === 0) {
    throw new AccountConfigError('TWILIO_ACCOUNT_SID is set without TWILIO_AUTH_TOKEN or TWILIO_API_KEY + TWILIO_API_SECRET');
  }
  return normalizeAccount(
    { accountSid, authToken: env.TWILIO_AUTH_TOKEN || newSecret(), apiKeys, friendlyName: 'From environment' },
    'Environment'
  );
}

/** The generated dev account, created on first start and reused from the database afterwards. */
export function loadOrCreateDevAccount(store: MessageStore): SandboxAccount {
  let row = store.getDevAccount();
  if (!row) {
    row = {
      accountSid: newSid('AC'),
      authToken: newSecret(),
      apiKeySid: newSid('SK'),
      apiKeySecret: newSecret(),
      dateCreated: Date.now(),
    };
    store.saveDevAccount(row);
  }
  return {
    accountSid: row.accountSid,
    authToken: row.authToken,
    apiKeys: [{ sid: row.apiKeySid, secret: row.apiKeySecret }],
    friendlyName: 'Sandbox dev account',
  };
}

/**
 * Constant-time comparison. Only a length mismatch returns early (after a comparison of the same
 * cost), which reveals the length, never the content, of the secret.
 */
function secretsEqual(given: string, expected: string): boolean {
  const givenBytes = Buffer.from(given, 'utf8');
  const expectedBytes = Buffer.from(expected, 'utf8');
  if (givenBytes.length !== expectedBytes.length) {
    timingSafeEqual(givenBytes, givenBytes);
    return false;
  }
  return timingSafeEqual(givenBytes, expectedBytes);
}
const unknownSecret = newSecret();

export class AccountRegistry {
  readonly #accounts = new Map<string, SandboxAccount>();
  readonly #keys = new Map<string, { account: SandboxAccount; secret: string }>();

  constructor(accounts: Iterable<SandboxAccount> = []) {
    for (const account of accounts) {
      this.add(account);
    }
  }

  /** Adds (or replaces) an account; a later duplicate SID wins. */
  add(input: SandboxAccountInput): SandboxAccount {
    const sid = (input as { accountSid?: unknown } | null | undefined)?.accountSid;
    const account = normalizeAccount(input, typeof sid === 'string' ? `Account ${sid}` : 'Account');
    this.#accounts.set(account.accountSid, account);
    for (const key of account.apiKeys) {
      this.#keys.set(key.sid, { account, secret: key.secret });
    }
    return account;
  }

  get(accountSid: string): SandboxAccount | undefined {
    return this.#accounts.get(accountSid);
  }

  list(): SandboxAccount[] {
    return [...this.#accounts.values()];
  }

  get size(): number {
    return this.#accounts.size;
  }

  /**
   * The account an `Authorization: Basic …` header authenticates (Account SID + auth token, or API
   * key SID + secret), or undefined. Secrets are compared in constant time.
   */
  authenticate(header: string | undefined): SandboxAccount | undefined {
    if (!header || header.length > 1024 || !/^basic /i.test(header)) {
      return undefined;
    }
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    if (separator === -1) {
      return undefined;
    }
    const username = decoded.slice(0, separator);
    const password = decoded.slice(separator + 1);
    // An unknown username still costs one comparison, so timing does not reveal which SIDs exist.
    if (username.startsWith('AC')) {
      const account = this.#accounts.get(username);
      const matches = secretsEqual(password, account?.authToken ?? unknownSecret);
      return account && matches ? account : undefined;
    }
    const key = this.#keys.get(username);
    const matches = secretsEqual(password, key?.secret ?? unknownSecret);
    return key && matches ? key.account : undefined;
  }
}
