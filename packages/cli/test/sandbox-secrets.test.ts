/**
 * What `sandbox` and `start` may print about credentials: the dev account's auth token (documented),
 * nothing else in any form; and their own argument and accounts-file messages.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { UsageError } from '../src/args.js';
import { launchSandbox, parseSandboxArgs } from '../src/commands/sandbox.js';
import type { Context } from '../src/context.js';
import { Output } from '../src/output.js';

import { BufferSink, basic, runInProcess, tempDir } from './helpers.js';

const context = (env: Record<string, string>): Context => ({
  stdin: process.stdin,
  env,
  cwd: process.cwd(),
  waitForStop: async () => new Promise(() => {}),
});

/** Prints each text through a fresh line of `out` and returns what came out. */
const printed = (out: Output, sink: BufferSink, texts: string[]) => {
  sink.text = '';
  for (const text of texts) {
    out.print(text);
  }
  return sink.text.trimEnd().split('\n');
};

describe('sandbox and start output', () => {
  it('redacts every form of an environment account’s credentials, Basic base64 included', async () => {
    const env = {
      TWILIO_ACCOUNT_SID: `AC${'e'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'env-token-never-shown',
      TWILIO_API_KEY: `SK${'e'.repeat(32)}`,
      TWILIO_API_SECRET: 'env-key-secret-never-shown',
    };
    const stdout = new BufferSink();
    const out = new Output(stdout, new BufferSink());
    const launched = await launchSandbox({ port: 0, host: '127.0.0.1', db: ':memory:' }, out, context(env));
    try {
      expect(launched.origin).toBe('environment');
      const lines = printed(out, stdout, [
        env.TWILIO_AUTH_TOKEN,
        env.TWILIO_API_SECRET,
        basic(env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN),
        basic(env.TWILIO_API_KEY, env.TWILIO_API_SECRET),
        env.TWILIO_ACCOUNT_SID,
      ]);
      expect(lines).toEqual(['[redacted]', '[redacted]', '[redacted]', '[redacted]', env.TWILIO_ACCOUNT_SID]);
    } finally {
      await launched.sandbox.close();
    }
  });

  it('shows the dev account’s auth token, and no form of its API key secret', async () => {
    const stdout = new BufferSink();
    const out = new Output(stdout, new BufferSink());
    const launched = await launchSandbox({ port: 0, host: '127.0.0.1', db: ':memory:' }, out, context({}));
    try {
      expect(launched.origin).toBe('dev');
      const { authToken, apiKeys } = launched.account;
      const [key] = apiKeys;
      expect(key).toBeDefined();
      const lines = printed(out, stdout, [authToken, key!.secret, basic(key!.sid, key!.secret)]);
      expect(lines).toEqual([authToken, '[redacted]', '[redacted]']);
    } finally {
      await launched.sandbox.close();
    }
  });

  it('redacts an accounts file’s tokens and API key secrets in every form', async () => {
    const directory = await tempDir();
    const account = {
      accountSid: `AC${'f'.repeat(32)}`,
      authToken: 'file-token-never-shown',
      apiKeys: [{ sid: `SK${'f'.repeat(32)}`, secret: 'file-key-secret-never-shown' }],
    };
    const file = path.join(directory, 'accounts.json');
    await writeFile(file, JSON.stringify([account]));
    const stdout = new BufferSink();
    const out = new Output(stdout, new BufferSink());
    const launched = await launchSandbox({ port: 0, host: '127.0.0.1', db: ':memory:', accounts: file }, out, context({}));
    try {
      expect(launched.origin).toBe('file');
      const lines = printed(out, stdout, [
        account.authToken,
        basic(account.accountSid, account.authToken),
        account.apiKeys[0]!.secret,
        basic(account.apiKeys[0]!.sid, account.apiKeys[0]!.secret),
      ]);
      expect(lines).toEqual(['[redacted]', '[redacted]', '[redacted]', '[redacted]']);
    } finally {
      await launched.sandbox.close();
    }
  });

  it('refuses a blank --host or TWILIO_SANDBOX_HOST value from the flag, and takes a blank variable as unset', () => {
    expect(() => parseSandboxArgs(['--host', ' '])).toThrow(UsageError);
    expect(() => parseSandboxArgs(['--host', ''])).toThrow('--host needs an interface');
    expect(parseSandboxArgs([], { TWILIO_SANDBOX_HOST: ' ' }).host).toBe('127.0.0.1');
    expect(parseSandboxArgs([], { TWILIO_SANDBOX_HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('says an empty accounts file is an empty accounts file, not a config', async () => {
    const directory = await tempDir();
    const file = path.join(directory, 'accounts.json');
    await writeFile(file, '');
    const empty = await runInProcess(['sandbox', '--port', '0', '--db', ':memory:', '--accounts', file]);
    expect(empty.code).toBe(1);
    expect(empty.stderr.trim()).toBe(
      `smsdesk sandbox: ${file} is empty: expected a JSON array of { accountSid, authToken, apiKeys? }`
    );
    expect(empty.stderr).not.toContain('connector config');

    await writeFile(file, '{"accountSid": "x"}');
    const object = await runInProcess(['sandbox', '--port', '0', '--db', ':memory:', '--accounts', file]);
    expect(object.code).toBe(1);
    expect(object.stderr).toContain(`${file} holds an object; expected a JSON array of { accountSid, authToken, apiKeys? }`);
  });
});
