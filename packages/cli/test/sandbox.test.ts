/**
 * `smsdesk sandbox` and `smsdesk start` on free ports: they print a working URL and account, serve
 * requests, and stop cleanly (exit 0). Through `run()` in-process, stopped as Ctrl-C would; spawned
 * from the built binary where real SIGTERM/SIGINT are under test.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';

import Database from 'better-sqlite3';

import {
  RunningCli,
  RunningInProcess,
  assertBuilt,
  baseEnv,
  basic,
  expectNoSecrets,
  freePort,
  runInProcess,
  tempDir,
  writeJson,
} from './helpers.js';

type InboxMessage = { sid: string; to: string; body: string; code: string | null; accountSid: string };

const inbox = async (url: string): Promise<InboxMessage[]> => {
  const response = await fetch(`${url}/api/messages`);
  return ((await response.json()) as { messages: InboxMessage[] }).messages;
};

/** The JSON block printed after "Connector config for Logto". */
function printedConfig(stdout: string): Record<string, unknown> {
  const start = stdout.indexOf('\n{', stdout.indexOf('Connector config for Logto'));
  const end = stdout.indexOf('\n}\n', start);
  return JSON.parse(stdout.slice(start + 1, end + 2)) as Record<string, unknown>;
}

const running: Array<RunningCli | RunningInProcess> = [];
/** As a process: for the tests of real signals. */
const spawnCli = (args: string[], env?: Record<string, string>) => {
  const cli = new RunningCli(args, env);
  running.push(cli);
  return cli;
};
/** In this process, stopped as Ctrl-C would: for everything else. */
const startCli = (args: string[], env?: Record<string, string>) => {
  const cli = new RunningInProcess(args, env);
  running.push(cli);
  return cli;
};

beforeAll(() => {
  assertBuilt();
});

afterEach(async () => {
  // A failed assertion must not leave a server behind.
  await Promise.all(running.splice(0).map(async (cli) => (cli.running ? cli.stop('SIGKILL') : undefined)));
});

describe('sandbox', () => {
  it('prints the inbox URL and the dev account, serves requests, logs them, and stops on SIGTERM', async () => {
    const cli = spawnCli(['sandbox', '--port', '0', '--db', ':memory:', '--status-delay', '0']);
    const [, url] = await cli.waitFor(/running on (http:\/\/127\.0\.0\.1:\d+)/);
    await cli.waitFor(/Press Ctrl-C to stop/);
    expect(cli.stdout).toContain(`Inbox        ${url}/`);
    expect(cli.stdout).toContain(`API base URL ${url}`);
    const accountSid = /Account SID\s+(AC[0-9a-f]{32})/.exec(cli.stdout)![1]!;
    const authToken = /Auth Token\s+(\S+)/.exec(cli.stdout)![1]!;

    const health = await fetch(`${url}/api/health`);
    expect(await health.json()).toMatchObject({ ok: true });
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');

    // The printed config is ready to paste: check accepts it and send delivers with it.
    const config = printedConfig(cli.stdout);
    expect(config).toMatchObject({ accountSID: accountSid, authToken, baseUrl: url });
    const directory = await tempDir();
    const file = await writeJson(directory, 'pasted.json', config);
    expect((await runInProcess(['check', file])).code).toBe(0);
    const sent = await runInProcess(['send', file, '--to', '+14155550100', '--type', 'SignIn', '--code', '777888']);
    expect(sent.code).toBe(0);
    const [message] = await inbox(url!);
    expect(message).toMatchObject({ to: '+14155550100', code: '777888', accountSid });
    expectNoSecrets(sent.stdout + sent.stderr, [authToken, '777888']);

    await cli.waitFor(/POST \/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json 201/);
    expect(cli.stdout).toMatch(/GET \/api\/health 200/);

    const { code, signal, stdout } = await cli.stop('SIGTERM');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stdout).toContain('Stopped.');
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
  });

  it('stops cleanly on SIGINT too, keeping a file database', async () => {
    const directory = await tempDir();
    const db = path.join(directory, 'data', 'sandbox.db');
    const cli = spawnCli(['sandbox', '--port', '0', '--db', db]);
    await cli.waitFor(/Press Ctrl-C to stop/);
    expect(cli.stdout).toContain(`Database     ${db}`);
    const { code } = await cli.stop('SIGINT');
    expect(code).toBe(0);
    expect(existsSync(db)).toBe(true);
  });

  it('never prints a token that came from the environment or an accounts file', async () => {
    const directory = await tempDir();
    const fileAccount = {
      accountSid: `AC${'f'.repeat(32)}`,
      authToken: 'file-token-must-not-print',
      apiKeys: [{ sid: `SK${'f'.repeat(32)}`, secret: 'file-key-secret-hidden' }],
    };
    const accounts = await writeJson(directory, 'accounts.json', [fileAccount]);
    const fromFile = startCli(['sandbox', '--port', '0', '--db', ':memory:', '--accounts', accounts]);
    const [, url] = await fromFile.waitFor(/running on (http:\/\/[\d.:]+)/);
    await fromFile.waitFor(/Press Ctrl-C to stop/);
    expect(fromFile.stdout).toContain(fileAccount.accountSid);
    expect(printedConfig(fromFile.stdout)).not.toHaveProperty('authToken');
    // The file's account works, with the token the user already has.
    const config = await writeJson(directory, 'config.json', {
      ...printedConfig(fromFile.stdout),
      authToken: fileAccount.authToken,
    });
    expect((await runInProcess(['send', config, '--to', '+14155550100'])).code).toBe(0);
    expect(await inbox(url!)).toHaveLength(1);
    const stopped = await fromFile.stop();
    expect(stopped.code).toBe(0);
    expectNoSecrets(stopped.stdout + stopped.stderr, [fileAccount.authToken, 'file-key-secret-hidden']);

    const envAccount = { TWILIO_ACCOUNT_SID: `AC${'e'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'env-token-must-not-print' };
    const fromEnv = startCli(['sandbox', '--port', '0', '--db', ':memory:'], baseEnv(envAccount));
    await fromEnv.waitFor(/Press Ctrl-C to stop/);
    expect(fromEnv.stdout).toContain(envAccount.TWILIO_ACCOUNT_SID);
    expect(fromEnv.stdout).toContain('from TWILIO_ACCOUNT_SID');
    const result = await fromEnv.stop();
    expect(result.code).toBe(0);
    expectNoSecrets(result.stdout + result.stderr, [
      envAccount.TWILIO_AUTH_TOKEN,
      basic(envAccount.TWILIO_ACCOUNT_SID, envAccount.TWILIO_AUTH_TOKEN),
    ]);
  });

  it('applies --fault rules to message creates', async () => {
    const cli = startCli(['sandbox', '--port', '0', '--db', ':memory:', '--fault', '{"count":1,"status":400,"code":21610}']);
    const [, url] = await cli.waitFor(/running on (http:\/\/[\d.:]+)/);
    await cli.waitFor(/Press Ctrl-C to stop/);
    const directory = await tempDir();
    const file = await writeJson(directory, 'config.json', printedConfig(cli.stdout));
    const failed = await runInProcess(['send', file, '--to', '+14155550100', '--json']);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout).error).toMatchObject({ code: 'invalid_request_parameters', twilio: { code: 21610 } });
    // The rule was for one create only.
    expect((await runInProcess(['send', file, '--to', '+14155550100'])).code).toBe(0);
    expect(await inbox(url!)).toHaveLength(1);
    expect((await cli.stop()).code).toBe(0);
  });

  it('answers /api/ only for allowed Host names, with --allow-host adding names', async () => {
    const statusFor = (url: string, host: string) =>
      new Promise<number>((resolve, reject) => {
        const outgoing = httpRequest(`${url}/api/health`, { headers: { Host: host } }, (response) => {
          response.resume();
          resolve(response.statusCode!);
        });
        outgoing.on('error', reject);
        outgoing.end();
      });
    const cli = startCli([
      'sandbox',
      '--port',
      '0',
      '--db',
      ':memory:',
      '--allow-host',
      'sandbox.test',
      '--allow-host',
      '.dev.test',
    ]);
    const [, url] = await cli.waitFor(/running on (http:\/\/[\d.:]+)/);
    const port = new URL(url!).port;
    expect(await statusFor(url!, `sandbox.test:${port}`)).toBe(200);
    expect(await statusFor(url!, `inbox.dev.test:${port}`)).toBe(200);
    expect(await statusFor(url!, `localhost:${port}`)).toBe(200);
    expect(await statusFor(url!, `evil.example:${port}`)).toBe(403);
    expect((await cli.stop()).code).toBe(0);

    const invalid = await runInProcess(['sandbox', '--allow-host', 'http://sandbox.test:4010']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('--allow-host');
    const invalidEnv = await runInProcess(['sandbox'], { env: baseEnv({ TWILIO_SANDBOX_ALLOWED_HOSTS: 'ok.test, bad/name' }) });
    expect(invalidEnv.code).toBe(2);
    expect(invalidEnv.stderr).toContain('TWILIO_SANDBOX_ALLOWED_HOSTS');
  });

  it('documents and accepts an afterStore fault', async () => {
    const help = await runInProcess(['sandbox', '--help']);
    expect(help.stdout).toContain('"afterStore":true');
    const cli = startCli(['sandbox', '--port', '0', '--db', ':memory:', '--fault', '{"count":1,"status":500,"afterStore":true}']);
    const [, url] = await cli.waitFor(/running on (http:\/\/[\d.:]+)/);
    // The account is printed after the URL: read it once the last line is out.
    await cli.waitFor(/Press Ctrl-C to stop/);
    const accountSid = /Account SID\s+(AC[0-9a-f]{32})/.exec(cli.stdout)![1]!;
    const authToken = /Auth Token\s+(\S+)/.exec(cli.stdout)![1]!;
    const response = await fetch(`${url}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
      method: 'POST',
      headers: { Authorization: `Basic ${basic(accountSid, authToken)}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: '+14155550100', From: '+15005550006', Body: 'stored anyway' }).toString(),
    });
    expect(response.status).toBe(500);
    expect(await inbox(url!)).toEqual([expect.objectContaining({ body: 'stored anyway' })]);
    expect((await runInProcess(['sandbox', '--fault', '{"count":1,"status":429,"afterStore":true}'])).code).toBe(2);
    expect((await cli.stop()).code).toBe(0);
  });

  it('exits 1 with one line when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const { code, stderr } = await runInProcess(['sandbox', '--port', String(port), '--db', ':memory:']);
      expect(code).toBe(1);
      expect(stderr.trim()).toBe(
        `smsdesk sandbox: Port ${port} on 127.0.0.1 is in use: pick another with --port, or --port 0 for any free port`
      );
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('refuses a --db it cannot create or write with one line naming the path, never blaming the port', async () => {
    const directory = await tempDir();
    await writeFile(path.join(directory, 'a-file'), '');
    const paths = [
      path.join(directory, 'a-file', 'data', 'sandbox.db'),
      // mkdir under /proc answers ENOENT: Node's recursive mkdir retried it forever (a hang).
      ...(existsSync('/proc/self') ? ['/proc/twilio-sms-sandbox/sandbox.db'] : []),
      // EACCES from the file was reported as "No permission to listen on 127.0.0.1:0".
      ...(existsSync('/sys/kernel') ? ['/sys/twilio-sms-sandbox.db'] : []),
    ];
    for (const db of paths) {
      const { code, stdout, stderr } = await runInProcess(['sandbox', '--port', '0', '--db', db]);
      expect({ db, code }).toEqual({ db, code: 1 });
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(
        new RegExp(
          `^smsdesk sandbox: Cannot (create the directory \\S+ for the database|write the database) ${db.replaceAll('.', '\\.')}: .+: choose another path with --db\n$`
        )
      );
      expect(stderr).not.toMatch(/listen on|is in use/);
      expect(stdout).not.toContain('running on');
    }
  });

  it('refuses a database from a newer version and a damaged one, saying so', async () => {
    const directory = await tempDir();
    const newer = path.join(directory, 'newer.db');
    const db = new Database(newer);
    db.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
      INSERT INTO schema_migrations VALUES (1, 'init', 'x'), (2, 'indexes', 'x'), (3, 'media', 'x'), (99, 'future', 'x');`);
    db.close();
    const refusedNewer = await runInProcess(['sandbox', '--port', '0', '--db', newer]);
    expect(refusedNewer.code).toBe(1);
    expect(refusedNewer.stderr).toBe(
      `smsdesk sandbox: The database ${newer} was written by a newer version of the sandbox (migration 99; this version knows up to 3): upgrade the sandbox, or use another database file\n`
    );

    const damaged = await writeJson(directory, 'damaged.db', 'not a database '.repeat(500));
    const refusedDamaged = await runInProcess(['sandbox', '--port', '0', '--db', damaged]);
    expect(refusedDamaged.code).toBe(1);
    expect(refusedDamaged.stderr).toMatch(
      new RegExp(
        `^smsdesk sandbox: The database ${damaged.replaceAll('.', '\\.')} is damaged or not a SQLite database \\(.+\\): move it away to start with an empty one\n$`
      )
    );
  });

  it('reads its TWILIO_SANDBOX_* environment twins', async () => {
    const port = await freePort();
    const cli = startCli(['sandbox'], baseEnv({ TWILIO_SANDBOX_PORT: String(port), TWILIO_SANDBOX_DB: ':memory:' }));
    await cli.waitFor(new RegExp(`running on http://127\\.0\\.0\\.1:${port}`));
    // The Database line follows the URL: wait for the last line before reading it.
    await cli.waitFor(/Press Ctrl-C to stop/);
    expect(cli.stdout).toContain('Database     :memory:');
    expect((await cli.stop()).code).toBe(0);

    const invalid = await runInProcess(['sandbox'], { env: baseEnv({ TWILIO_SANDBOX_PORT: 'eighty' }) });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('TWILIO_SANDBOX_PORT must be a port number');
  });
});

describe('start', () => {
  it('starts the sandbox, sends a SignIn code through the connector, prints what to paste, stops on SIGTERM', async () => {
    const home = await tempDir();
    const port = await freePort();
    const cli = spawnCli(['start', '--port', String(port)], baseEnv({ HOME: home, XDG_DATA_HOME: path.join(home, 'data') }));
    await cli.waitFor(/Press Ctrl-C to stop/);
    const url = `http://127.0.0.1:${port}`;
    expect(cli.stdout).toContain(`running on ${url}`);
    expect(cli.stdout).toContain(`Read it in the inbox: ${url}/`);
    const sid = /✓ Sent a SignIn code to \+14155550100 through the connector: (SM[0-9a-f]{32})/.exec(cli.stdout)?.[1];
    expect(sid).toBeDefined();

    const [message] = await inbox(url);
    expect(message).toMatchObject({ sid, to: '+14155550100' });
    expect(message!.body).toContain('sign-in verification code');
    expect(message!.code).toMatch(/^\d{6}$/);
    expect(cli.stdout).not.toContain(message!.code!);

    // The printed dev credentials and config are the ones the sandbox accepts.
    const config = printedConfig(cli.stdout);
    expect(config.baseUrl).toBe(url);
    const directory = await tempDir();
    const file = await writeJson(directory, 'config.json', config);
    expect((await runInProcess(['send', file, '--to', '+14155550100', '--type', 'SignIn'])).code).toBe(0);

    // The database is a file at the sandbox's default path (under XDG_DATA_HOME here).
    const database = /Database\s+(\S+)/.exec(cli.stdout)![1]!;
    expect(database.startsWith(home)).toBe(true);
    expect(existsSync(database)).toBe(true);

    const { code, stdout } = await cli.stop('SIGTERM');
    expect(code).toBe(0);
    expect(stdout).toContain('Stopped.');
  });

  it('moves to the next free port when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const cli = startCli(['start', '--port', String(port), '--db', ':memory:']);
      await cli.waitFor(/Press Ctrl-C to stop/);
      const [, chosen] = /running on http:\/\/127\.0\.0\.1:(\d+)/.exec(cli.stdout)!;
      expect(Number(chosen)).toBeGreaterThan(port);
      expect(cli.stdout).toContain(`Port ${port} was taken; using ${chosen}.`);
      expect(await inbox(`http://127.0.0.1:${chosen}`)).toHaveLength(1);
      expect((await cli.stop('SIGINT')).code).toBe(0);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('refuses a blank --host instead of binding every interface', async () => {
    const { code, stdout, stderr } = await runInProcess(['start', '--host', '', '--port', '0', '--db', ':memory:']);
    expect(code).toBe(2);
    expect(stderr).toContain('smsdesk start: --host needs an interface');
    expect(stdout).not.toContain('running on');
  });

  it('keeps the environment’s token out of the output and still sends the demo code', async () => {
    const env = baseEnv({ TWILIO_ACCOUNT_SID: `AC${'d'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'env-token-for-start' });
    const cli = startCli(['start', '--port', '0', '--db', ':memory:'], env);
    await cli.waitFor(/Press Ctrl-C to stop/);
    expect(cli.stdout).toContain('✓ Sent a SignIn code');
    const { code, stdout, stderr } = await cli.stop();
    expect(code).toBe(0);
    expectNoSecrets(stdout + stderr, ['env-token-for-start', basic(env.TWILIO_ACCOUNT_SID!, 'env-token-for-start')]);
  });
});
