/**
 * Test helpers: a sandbox on 127.0.0.1:0 with an in-memory database and two known accounts, and a
 * thin fetch wrapper for Twilio-style requests.
 */
import { startSandbox, type MessageRecord, type MessageStatus, type Sandbox, type SandboxOptions } from '../src/index.js';
import { newSid } from '../src/twilio/sids.js';
import type { NewMessage } from '../src/storage/store.js';

export const accountA = {
  accountSid: `AC${'a'.repeat(32)}`,
  authToken: 'token-of-account-a',
  apiKeys: [{ sid: `SK${'a'.repeat(32)}`, secret: 'secret-of-key-a' }],
  friendlyName: 'Account A',
};

export const accountB = {
  accountSid: `AC${'b'.repeat(32)}`,
  authToken: 'token-of-account-b',
  apiKeys: [{ sid: `SK${'b'.repeat(32)}`, secret: 'secret-of-key-b' }],
  friendlyName: 'Account B',
};

export type TestAccount = { accountSid: string; authToken: string };

/** A sandbox with accounts A and B, no environment accounts and an instant life cycle. */
export function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({
    port: 0,
    db: ':memory:',
    env: {},
    accounts: [accountA, accountB],
    statusDelayMs: 0,
    ...options,
  });
}

export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export const messagesPath = (accountSid: string) => `/2010-04-01/Accounts/${accountSid}/Messages.json`;
export const messagePath = (accountSid: string, sid: string) => `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`;

export type TestResponse = {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any JSON the server answers; the tests assert its shape
  json: any;
};

export type RequestOptions = {
  method?: string;
  account?: TestAccount | null;
  auth?: string;
  form?: Record<string, string | string[]>;
  body?: string | Buffer;
  headers?: Record<string, string>;
};

/** A request to the sandbox; `form` is sent form-encoded, `account` as Basic auth (default A). */
export async function request(sandbox: Sandbox, path: string, options: RequestOptions = {}): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  const account = options.account === undefined ? accountA : options.account;
  if (options.auth !== undefined) {
    headers.Authorization = options.auth;
  } else if (account) {
    headers.Authorization = basic(account.accountSid, account.authToken);
  }
  let body: string | Buffer | undefined = options.body;
  if (options.form) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(options.form)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        params.append(name, item);
      }
    }
    body = params.toString();
    headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
  }
  const response = await fetch(`${sandbox.url}${path}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export const defaultSend = { To: '+14155551234', From: '+15005550006', Body: 'Your code is 123456' };

/** Creates a message for the account (default A) and returns the response. */
export function send(
  sandbox: Sandbox,
  form: Record<string, string | string[]> = {},
  account: TestAccount = accountA
): Promise<TestResponse> {
  return request(sandbox, messagesPath(account.accountSid), { account, form: { ...defaultSend, ...form } });
}

/** Expects a Twilio error body with this HTTP status and code. */
export function expectTwilioError(response: TestResponse, status: number, code: number): void {
  expect({ status: response.status, code: response.json?.code }).toEqual({ status, code });
  expect(response.json).toEqual({
    code,
    message: expect.any(String),
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  });
}

/** Resolves when the stored message reaches the status (checked now and on every change). */
export function waitForStatus(sandbox: Sandbox, sid: string, status: MessageStatus): Promise<MessageRecord> {
  return new Promise((resolve) => {
    const current = sandbox.store.get(sid);
    if (current?.status === status) {
      resolve(current);
      return;
    }
    const onStatus = (record: MessageRecord) => {
      if (record.sid === sid && record.status === status) {
        sandbox.store.off('status', onStatus);
        resolve(record);
      }
    };
    sandbox.store.on('status', onStatus);
  });
}

/** A message as the store takes it, for tests that fill the store directly. */
export const newMessage = (overrides: Partial<NewMessage> = {}): NewMessage => ({
  sid: newSid('SM'),
  accountSid: accountA.accountSid,
  messagingServiceSid: null,
  to: '+14155551234',
  from: '+15005550006',
  body: 'hello',
  status: 'queued',
  numSegments: 1,
  segments: 1,
  encoding: 'GSM-7',
  numMedia: 0,
  price: null,
  errorCode: null,
  errorMessage: null,
  statusCallback: null,
  validityPeriod: null,
  sendAt: null,
  dateCreated: Date.now(),
  dateUpdated: Date.now(),
  dateSent: null,
  ...overrides,
});
