import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { AccountConfigError, startSandbox, type Sandbox } from '../src/index.js';
import {
  accountA,
  accountB,
  basic,
  defaultSend,
  expectTwilioError,
  messagePath,
  messagesPath,
  request,
  send,
  startTestSandbox,
} from './helpers.js';

describe('authentication', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ statusDelayMs: 60_000 });
  });
  afterAll(() => sandbox.close());

  const create = (auth: string | undefined, accountSid = accountA.accountSid) =>
    request(sandbox, messagesPath(accountSid), { account: null, auth, form: defaultSend });

  test.each([
    ['no Authorization header', undefined],
    ['a wrong auth token', basic(accountA.accountSid, 'wrong')],
    ['an unknown account', basic(`AC${'f'.repeat(32)}`, accountA.authToken)],
    ['a wrong API key secret', basic(accountA.apiKeys[0]!.sid, 'wrong')],
    ['an unknown API key', basic(`SK${'f'.repeat(32)}`, 'secret-of-key-a')],
    ['another scheme', `Bearer ${accountA.authToken}`],
    ['Basic without a colon', `Basic ${Buffer.from('no-colon').toString('base64')}`],
    ['Basic with garbage', 'Basic %%%'],
  ])('%s → 401 / 20003 with WWW-Authenticate', async (_name, auth) => {
    const response = await create(auth);
    expectTwilioError(response, 401, 20003);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="Twilio API"');
  });

  test('Account SID + auth token authenticates', async () => {
    expect((await create(basic(accountA.accountSid, accountA.authToken))).status).toBe(201);
  });

  test('an API key of the account authenticates, and the message belongs to the account', async () => {
    const response = await create(basic(accountA.apiKeys[0]!.sid, accountA.apiKeys[0]!.secret));
    expect(response.status).toBe(201);
    expect(response.json.account_sid).toBe(accountA.accountSid);
  });

  test('credentials of one account on another account’s path → 401', async () => {
    expectTwilioError(await create(basic(accountA.accountSid, accountA.authToken), accountB.accountSid), 401, 20003);
    expectTwilioError(
      await create(basic(accountA.apiKeys[0]!.sid, accountA.apiKeys[0]!.secret), accountB.accountSid),
      401,
      20003
    );
  });

  test('a malformed Account SID in the path → 401', async () => {
    expectTwilioError(await create(basic(accountA.accountSid, accountA.authToken), 'ACnotasid'), 401, 20003);
  });

  test('every Twilio route requires authentication', async () => {
    const sid = `SM${'0'.repeat(32)}`;
    for (const [method, route] of [
      ['GET', messagesPath(accountA.accountSid)],
      ['GET', messagePath(accountA.accountSid, sid)],
      ['POST', messagePath(accountA.accountSid, sid)],
      ['DELETE', messagePath(accountA.accountSid, sid)],
      ['GET', `/2010-04-01/Accounts/${accountA.accountSid}/Usage/Records.json`],
    ] as const) {
      const response = await request(sandbox, route, { method, account: null });
      expectTwilioError(response, 401, 20003);
    }
  });
});

describe('account isolation', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ statusDelayMs: 60_000 });
  });
  afterAll(() => sandbox.close());

  test('an account never sees, changes or deletes another account’s messages', async () => {
    const ofA = await send(sandbox, {}, accountA);
    const ofB = await send(sandbox, {}, accountB);
    sandbox.store.update(ofA.json.sid, null, { status: 'delivered', dateUpdated: Date.now() });

    const asB = { account: accountB };
    expectTwilioError(await request(sandbox, messagePath(accountB.accountSid, ofA.json.sid), asB), 404, 20404);
    expectTwilioError(
      await request(sandbox, messagePath(accountB.accountSid, ofA.json.sid), { ...asB, form: { Body: '' } }),
      404,
      20404
    );
    expectTwilioError(
      await request(sandbox, messagePath(accountB.accountSid, ofA.json.sid), { ...asB, method: 'DELETE' }),
      404,
      20404
    );
    const listB = await request(sandbox, messagesPath(accountB.accountSid), asB);
    expect(listB.json.messages.map((message: { sid: string }) => message.sid)).toEqual([ofB.json.sid]);
    expect(sandbox.store.get(ofA.json.sid)?.body).toBe(defaultSend.Body);
  });
});

describe('account sources', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'sandbox-accounts-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  test('the environment provides an account and its API key; no dev account is made', async () => {
    const sandbox = await startSandbox({
      port: 0,
      db: ':memory:',
      env: {
        TWILIO_ACCOUNT_SID: accountA.accountSid,
        TWILIO_AUTH_TOKEN: accountA.authToken,
        TWILIO_API_KEY: accountA.apiKeys[0]!.sid,
        TWILIO_API_SECRET: accountA.apiKeys[0]!.secret,
      },
    });
    try {
      expect(sandbox.devAccount).toBeNull();
      expect(sandbox.accounts.map((account) => account.accountSid)).toEqual([accountA.accountSid]);
      expect((await send(sandbox)).status).toBe(201);
      const withKey = await request(sandbox, messagesPath(accountA.accountSid), {
        account: null,
        auth: basic(accountA.apiKeys[0]!.sid, accountA.apiKeys[0]!.secret),
        form: defaultSend,
      });
      expect(withKey.status).toBe(201);
    } finally {
      await sandbox.close();
    }
  });

  test('an API key alone in the environment is accepted as the account', async () => {
    const sandbox = await startSandbox({
      port: 0,
      db: ':memory:',
      env: {
        TWILIO_ACCOUNT_SID: accountB.accountSid,
        TWILIO_API_KEY: accountB.apiKeys[0]!.sid,
        TWILIO_API_SECRET: accountB.apiKeys[0]!.secret,
      },
    });
    try {
      const response = await request(sandbox, messagesPath(accountB.accountSid), {
        account: null,
        auth: basic(accountB.apiKeys[0]!.sid, accountB.apiKeys[0]!.secret),
        form: defaultSend,
      });
      expect(response.status).toBe(201);
    } finally {
      await sandbox.close();
    }
  });

  test('an invalid environment account refuses to start, naming the variable but no secret', async () => {
    const start = startSandbox({
      port: 0,
      db: ':memory:',
      env: { TWILIO_ACCOUNT_SID: 'ACbad', TWILIO_AUTH_TOKEN: 'super-secret-token' },
    });
    await expect(start).rejects.toBeInstanceOf(AccountConfigError);
    await expect(start).rejects.not.toThrow(/super-secret-token/);
  });

  test.each([
    ['a malformed Account SID', [{ accountSid: 'ACnope', authToken: 'x' }]],
    ['a missing auth token', [accountA, { accountSid: accountB.accountSid }]],
    ['a bad API key', [{ ...accountA, apiKeys: [{ sid: 'SKnope', secret: 's' }] }]],
    ['not an object', [null]],
  ])('%s is refused before the database is created or opened', async (_name, accounts) => {
    const db = path.join(directory, `nested-${Math.random()}`, 'sandbox.db');
    const start = startSandbox({ port: 0, db, env: {}, accounts: accounts as never });
    await expect(start).rejects.toBeInstanceOf(AccountConfigError);
    expect(existsSync(path.dirname(db))).toBe(false);
  });

  test('an accounts file provides accounts with API keys', async () => {
    const file = path.join(directory, 'accounts.json');
    writeFileSync(file, JSON.stringify([accountA, { accountSid: accountB.accountSid, authToken: accountB.authToken }]));
    const sandbox = await startSandbox({ port: 0, db: ':memory:', env: {}, accountsFile: file });
    try {
      expect(sandbox.accounts.map((account) => account.accountSid)).toEqual([accountA.accountSid, accountB.accountSid]);
      expect((await send(sandbox, {}, accountB)).status).toBe(201);
      const withKey = await request(sandbox, messagesPath(accountA.accountSid), {
        account: null,
        auth: basic(accountA.apiKeys[0]!.sid, accountA.apiKeys[0]!.secret),
        form: defaultSend,
      });
      expect(withKey.status).toBe(201);
    } finally {
      await sandbox.close();
    }
  });

  test.each([
    ['not JSON', '{'],
    ['not an array', '{}'],
    ['a bad account SID', JSON.stringify([{ accountSid: 'AC1', authToken: 'x' }])],
    ['a missing token', JSON.stringify([{ accountSid: accountA.accountSid }])],
    ['a bad API key SID', JSON.stringify([{ ...accountA, apiKeys: [{ sid: 'SK1', secret: 'x' }] }])],
  ])('an accounts file with %s refuses to start', async (_name, content) => {
    const file = path.join(directory, `bad-${Math.random()}.json`);
    writeFileSync(file, content);
    await expect(startSandbox({ port: 0, db: ':memory:', env: {}, accountsFile: file })).rejects.toBeInstanceOf(
      AccountConfigError
    );
  });

  test('without accounts a dev account is generated, kept across restarts, and works', async () => {
    const db = path.join(directory, 'dev.db');
    const first = await startSandbox({ port: 0, db, env: {} });
    const dev = first.devAccount!;
    try {
      expect(dev.accountSid).toMatch(/^AC[0-9a-f]{32}$/);
      expect(dev.authToken).toMatch(/^[0-9a-f]{32}$/);
      expect(dev.apiKeys[0]!.sid).toMatch(/^SK[0-9a-f]{32}$/);
      expect(first.accounts).toEqual([dev]);
      const response = await request(first, messagesPath(dev.accountSid), { account: dev, form: defaultSend });
      expect(response.status).toBe(201);
    } finally {
      await first.close();
    }
    const second = await startSandbox({ port: 0, db, env: {} });
    try {
      expect(second.devAccount).toEqual(dev);
    } finally {
      await second.close();
    }
  });
});
