/**
 * The CLI against a real sandbox in this process: check, preview, send, help and usage errors, and
 * that no output ever holds a secret, through `run()` in-process. The built `smsdesk` binary runs
 * as a subprocess only where the process itself is under test: the bin shim before a build, a
 * closed pipe, Ctrl-C.
 */
import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import { type AddressInfo, type Socket, createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

import { type Sandbox, startSandbox } from '@smsdesk/sandbox';

import {
  assertBuilt,
  baseEnv,
  basic,
  bin,
  expectNoSecrets,
  RunningCli,
  requiredTemplates,
  runInProcess,
  tempDir,
  writeJson,
} from './helpers.js';

let sandbox: Sandbox;
let directory: string;
let accountSid: string;
let authToken: string;
let apiKeySid: string;
let apiKeySecret: string;
/** Every form of the dev account's credentials that must never be printed. */
let secrets: string[];
let configFile: string;

type InboxMessage = { sid: string; to: string; body: string; code: string | null };

const inbox = async (): Promise<InboxMessage[]> => {
  const response = await fetch(`${sandbox.url}/api/messages`);
  return ((await response.json()) as { messages: InboxMessage[] }).messages;
};

const config = (extra: Record<string, unknown> = {}) => ({
  accountSID: accountSid,
  authToken,
  from: '+15005550006',
  baseUrl: sandbox.url,
  templates: requiredTemplates,
  ...extra,
});

beforeAll(async () => {
  assertBuilt();
  sandbox = await startSandbox({ port: 0, db: ':memory:', env: {}, statusDelayMs: 0 });
  const dev = sandbox.devAccount!;
  accountSid = dev.accountSid;
  authToken = dev.authToken;
  apiKeySid = dev.apiKeys[0]!.sid;
  apiKeySecret = dev.apiKeys[0]!.secret;
  secrets = [authToken, apiKeySecret, basic(accountSid, authToken), basic(apiKeySid, apiKeySecret)];
  directory = await tempDir();
  configFile = await writeJson(directory, 'config.json', config());
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(async () => {
  await fetch(`${sandbox.url}/api/faults`, { method: 'DELETE' });
});

describe('help and version', () => {
  it('prints the tool help with the commands and exit codes', async () => {
    const { code, stdout } = await runInProcess(['--help']);
    expect(code).toBe(0);
    for (const command of ['check', 'preview', 'send', 'sandbox', 'start']) {
      expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    expect(stdout).toContain('Exit codes');
    expect(stdout).toMatch(/2 {2}usage/);
  });

  it.each(['check', 'preview', 'send', 'sandbox', 'start'])('prints help for %s', async (command) => {
    const { code, stdout } = await runInProcess([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: smsdesk ${command}`);
    expect(stdout).toContain('Exit codes');
    const viaHelp = await runInProcess(['help', command]);
    expect(viaHelp.stdout).toBe(stdout);
  });

  it('asks for a build, instead of failing on a missing module, when lib/ is not built', async () => {
    // The executable alone, as a fresh clone has it before `npm run build`.
    const unbuilt = path.join(directory, 'unbuilt', 'bin', 'smsdesk.js');
    await mkdir(path.dirname(unbuilt), { recursive: true });
    await copyFile(bin, unbuilt);
    const result = await promisify(execFile)(process.execPath, [unbuilt, '--help'], { env: baseEnv() }).catch(
      (error: { code: number; stdout: string; stderr: string }) => error
    );
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(
      'smsdesk: the CLI is not built yet (packages/cli/lib/ is missing): run `npm run build` at the repository root first.\n'
    );
  });

  it('prints the package version', async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const { code, stdout } = await runInProcess(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(version);
  });
});

describe('usage errors exit 2', () => {
  it('rejects an unknown command, suggesting the closest', async () => {
    const { code, stderr, stdout } = await runInProcess(['sedn']);
    expect(code).toBe(2);
    expect(stderr).toContain('Unknown command "sedn" (did you mean send?)');
    expect(stdout).toBe('');
  });

  it('rejects an unknown flag', async () => {
    const { code, stderr } = await runInProcess(['check', configFile, '--bogus']);
    expect(code).toBe(2);
    expect(stderr).toContain('Unknown option --bogus for check');
    expect(stderr).toContain('smsdesk check --help');
  });

  it('rejects send without --to', async () => {
    const before = (await inbox()).length;
    const { code, stderr } = await runInProcess(['send', configFile]);
    expect(code).toBe(2);
    expect(stderr).toContain('Missing --to');
    expect(await inbox()).toHaveLength(before);
  });

  it('rejects a command without its config argument, and preview without --type', async () => {
    expect((await runInProcess(['check'])).code).toBe(2);
    const preview = await runInProcess(['preview', configFile]);
    expect(preview.code).toBe(2);
    expect(preview.stderr).toContain('Missing --type');
  });

  it('rejects invalid flag values', async () => {
    const cases = [
      ['send', configFile, '--to', '+14155550100', '--sandbox', 'ftp://example.com'],
      ['send', configFile, '--to', '+14155550100', '--code', '12'],
      ['preview', configFile, '--type', 'SignIn', '--locale', 'not a locale!'],
      ['sandbox', '--port', '70000'],
      ['sandbox', '--fault', 'not json'],
      ['sandbox', '--fault', '{"count":0,"status":429}'],
      ['check', configFile, '--json=yes'],
    ];
    for (const args of cases) {
      const { code, stderr } = await runInProcess(args);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(stderr).toMatch(/^smsdesk \w+: /);
    }
  });

  it('also prints one JSON object on stdout with --json', async () => {
    const { code, stdout } = await runInProcess(['send', configFile, '--json']);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toEqual({ ok: false, error: { code: 'usage_error', message: expect.stringContaining('--to') } });
  });
});

describe('check', () => {
  it('accepts a valid config and summarises each template', async () => {
    const { code, stdout, stderr } = await runInProcess(['check', configFile]);
    expect(code).toBe(0);
    expect(stdout).toContain('✓ Valid');
    expect(stdout).toMatch(/\[1\]\s+SignIn\s+fr\s+GSM-7\s+35\s+1/);
    expectNoSecrets(stdout + stderr, secrets);
  });

  it('reports templates, encodings and segments as JSON', async () => {
    const file = await writeJson(
      directory,
      'unicode.json',
      config({
        templates: [...requiredTemplates, { usageType: 'MfaVerification', content: `验证码 {{code}} ${'x'.repeat(70)}` }],
      })
    );
    const { code, stdout } = await runInProcess(['check', file, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      ok: true,
      okWithEnvironment: true,
      errors: 0,
      warnings: 0,
      baseUrl: sandbox.url,
      auth: 'authToken',
    });
    expect(report.templates[0]).toEqual({
      index: 0,
      usageType: 'SignIn',
      body: 'Your sign-in code is 123456.',
      encoding: 'GSM-7',
      characters: 'Your sign-in code is 123456.'.length,
      units: 'Your sign-in code is 123456.'.length,
      unitsPerSegment: 160,
      segments: 1,
      hasCode: true,
    });
    expect(report.templates[5]).toMatchObject({ usageType: 'MfaVerification', encoding: 'UCS-2', segments: 2 });
  });

  it('lists every problem with its JSON path and a fix, and exits 1', async () => {
    const file = await writeJson(directory, 'invalid.json', {
      accountSID: 'AC123',
      authToken,
      templates: [{ usageType: 'SignIn', content: 'Code {{code}}', locale: 'not a locale!' }],
    });
    const { code, stdout, stderr } = await runInProcess(['check', file, '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(false);
    const paths = report.issues.map(({ path: issuePath }: { path: string }) => issuePath);
    expect(paths).toEqual(expect.arrayContaining(['accountSID', 'fromMessagingServiceSID', 'templates', 'templates[0].locale']));
    for (const issue of report.issues) {
      expect(issue.severity).toBe('error');
      expect(issue.hint.length).toBeGreaterThan(10);
    }
    expect(report.issues.find((issue: { path: string }) => issue.path === 'templates').message).toContain('Register');
    expectNoSecrets(stdout + stderr, secrets);

    const human = await runInProcess(['check', file]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/error\s+accountSID: Account SID must be/);
    expect(human.stdout).toContain('fix: Copy the Account SID');
    expect(human.stdout).toContain('✗ Invalid');
  });

  it('warns about a template without {{code}}, a duplicate and an unknown key, and still exits 0', async () => {
    const file = await writeJson(directory, 'warnings.json', {
      ...config(),
      accountSid: 'typo of accountSID',
      templates: [...requiredTemplates, { usageType: 'Generic', content: 'No code here' }],
    });
    const { code, stdout } = await runInProcess(['check', file, '--json']);
    expect(code).toBe(0);
    const { issues, warnings } = JSON.parse(stdout);
    expect(warnings).toBe(3);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'accountSid', severity: 'warning', hint: expect.stringContaining('"accountSID"') }),
        expect.objectContaining({ path: 'templates[5].content', message: expect.stringContaining('{{code}}') }),
        expect.objectContaining({ path: 'templates[5]', message: expect.stringContaining('Duplicate') }),
      ])
    );
  });

  it('reads the config from stdin with -', async () => {
    const { code, stdout } = await runInProcess(['check', '-', '--json'], { input: JSON.stringify(config()) });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, source: 'stdin' });
  });

  it('fills credentials the config leaves out from TWILIO_* variables, without printing them', async () => {
    const { authToken: _token, accountSID: _sid, ...withoutCredentials } = config();
    const file = await writeJson(directory, 'no-credentials.json', withoutCredentials);
    const env = baseEnv({ TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken });
    const { code, stdout, stderr } = await runInProcess(['check', file, '--json', '--verbose'], { env });
    // Logto never sees the environment: the file as stored is invalid, the completed config works.
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ ok: false, okWithEnvironment: true });
    expect(report.credentialsFromEnvironment).toEqual(['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN']);
    expect(report.issues.map(({ path: issuePath }: { path: string }) => issuePath)).toEqual(
      expect.arrayContaining(['accountSID'])
    );
    expect(stderr).toContain('authToken from TWILIO_AUTH_TOKEN');
    expectNoSecrets(stdout + stderr, secrets);

    const human = await runInProcess(['check', file], { env });
    expect(human.code).toBe(1);
    expect(human.stdout).not.toContain('Logto will accept');
    expect(human.stdout).toContain('Logto would refuse this config');
    expect(human.stdout).toContain(
      "✓ Valid with the environment's credentials (accountSID from TWILIO_ACCOUNT_SID, authToken from TWILIO_AUTH_TOKEN)"
    );
    expect(human.stdout).toContain('Logto never reads the environment: put accountSID, authToken in the config');
    expectNoSecrets(human.stdout + human.stderr, secrets);

    const without = await runInProcess(['check', file, '--json'], { env: baseEnv() });
    expect(without.code).toBe(1);
    expect(JSON.parse(without.stdout)).toMatchObject({ ok: false, okWithEnvironment: false, credentialsFromEnvironment: [] });

    // send still uses the completed config.
    const sent = await runInProcess(['send', file, '--to', '+14155550110', '--json'], { env });
    expect(sent.code).toBe(0);
  });

  it('says a file is missing, in one line', async () => {
    const { code, stderr, stdout } = await runInProcess(['check', path.join(directory, 'nope.json')]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`smsdesk check: Config file not found: ${path.join(directory, 'nope.json')}`);
    expect(stdout).toBe('');
  });

  it('locates invalid JSON by line and column without quoting the file', async () => {
    const text = `{\n  "accountSID": "${accountSid}",\n  "authToken": "${authToken}"\n  "from": "+15005550006"\n}`;
    const file = await writeJson(directory, 'broken.json', text);
    const { code, stderr } = await runInProcess(['check', file]);
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid JSON in');
    expect(stderr).toContain('at line 4, column 3');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expectNoSecrets(stderr, secrets);
    expect(stderr).not.toContain('at JSON.parse'); // No stack trace.

    const json = await runInProcess(['check', '-', '--json'], { input: '{"authToken": "' + authToken + '" oops' });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      error: { code: 'config_unreadable', message: expect.stringMatching(/^Invalid JSON in stdin at line 1, column \d+/) },
    });
    expectNoSecrets(json.stdout + json.stderr, secrets);
  });

  it('refuses a config that is not a JSON object', async () => {
    const { code, stderr } = await runInProcess(['check', '-'], { input: '[1, 2]' });
    expect(code).toBe(1);
    expect(stderr).toContain('holds an array');
  });
});

describe('senders: the connector’s one rule, in check and in a send to the sandbox', () => {
  it('accepts the alphanumeric sender ID ACME-Bank, and the sandbox takes the send', async () => {
    const file = await writeJson(directory, 'acme-bank.json', config({ from: 'ACME-Bank' }));
    expect((await runInProcess(['check', file])).code).toBe(0);

    const { code, stdout, stderr } = await runInProcess(['send', file, '--to', '+14155550111', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const { sid } = JSON.parse(stdout) as { sid: string };
    const { message } = (await (await fetch(`${sandbox.url}/api/messages/${sid}`)).json()) as { message: { from: string } };
    expect(message.from).toBe('ACME-Bank');
  });

  it('refuses a whatsapp: sender, saying that WhatsApp is not supported', async () => {
    const file = await writeJson(directory, 'whatsapp.json', config({ from: 'whatsapp:+15005550006' }));
    const { code, stdout } = await runInProcess(['check', file]);
    expect(code).toBe(1);
    expect(stdout).toContain('from: WhatsApp is not supported, only SMS: use an SMS sender without the "whatsapp:" prefix');
    expect(stdout).toContain('fix: Use one of your Twilio senders: an E.164 phone number (+15005550006)');
  });
});

describe('preview', () => {
  it('shows the exact message, the chosen template and why, with the sample code', async () => {
    const { code, stdout } = await runInProcess(['preview', configFile, '--type', 'SignIn', '--locale', 'fr-CA']);
    expect(code).toBe(0);
    expect(stdout).toContain('Votre code de connexion est 123456.');
    expect(stdout).toContain('templates[1] SignIn (fr)');
    expect(stdout).toMatch(/Why\s+SignIn template: locale fr has the language of fr-ca/);
    expect(stdout).toContain('123456 (sample');
    expect(stdout).toMatch(/GSM-7, 35 characters, 1 segment/);
  });

  it('renders a given code and falls back to Generic, as JSON', async () => {
    const { code, stdout } = await runInProcess([
      'preview',
      configFile,
      '--type',
      'mfaverification',
      '--code',
      '424242',
      '--json',
    ]);
    expect(code).toBe(0);
    const preview = JSON.parse(stdout);
    expect(preview).toMatchObject({
      ok: true,
      type: 'MfaVerification',
      code: '424242',
      sampleCode: false,
      template: { index: 4, usageType: 'Generic' },
      body: 'Your verification code is 424242.',
      encoding: 'GSM-7',
      segments: 1,
    });
    expect(preview.reason).toContain('Generic template (no MfaVerification template)');
  });

  it('exits 1 on an invalid config, listing the problems', async () => {
    const file = await writeJson(directory, 'preview-invalid.json', { ...config(), templates: [] });
    const { code, stdout } = await runInProcess(['preview', file, '--type', 'SignIn']);
    expect(code).toBe(1);
    expect(stdout).toContain('nothing to preview');
    expect(stdout).toMatch(/error\s+templates: Template with UsageType/);
  });
});

describe('send', () => {
  it('sends through the connector, prints the SID, and never the code or credentials', async () => {
    const { code, stdout, stderr } = await runInProcess([
      'send',
      configFile,
      '--to',
      '+14155550100',
      '--type',
      'SignIn',
      '--locale',
      'fr',
      '--code',
      '918273',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const sid = /✓ Sent (SM[0-9a-f]{32})/.exec(stdout)?.[1];
    expect(sid).toBeDefined();
    const stored = (await inbox()).find((message) => message.sid === sid);
    expect(stored).toMatchObject({ to: '+14155550100', body: 'Votre code de connexion est 918273.', code: '918273' });
    expect(stdout).toContain('Template SignIn (fr)');
    expect(stdout).toMatch(/Code\s+sent/);
    expectNoSecrets(stdout + stderr, [...secrets, '918273']);
  });

  it('prints one JSON object with the SID, status and segments', async () => {
    const { code, stdout, stderr } = await runInProcess([
      'send',
      configFile,
      '--to',
      '14155550101',
      '--code',
      '564738',
      '--json',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      ok: true,
      status: 'queued',
      to: '+14155550101',
      segments: 1,
      encoding: 'GSM-7',
      template: { usageType: 'Generic' },
    });
    const stored = (await inbox()).find((message) => message.sid === result.sid);
    expect(stored?.body).toBe('Your verification code is 564738.');
    expectNoSecrets(stdout + stderr, [...secrets, '564738']);
  });

  it('sends a random 6-digit code when --code is absent, and does not print it', async () => {
    const { code, stdout, stderr } = await runInProcess(['send', configFile, '--to', '+14155550102', '--json']);
    expect(code).toBe(0);
    const stored = (await inbox()).find((message) => message.sid === JSON.parse(stdout).sid);
    expect(stored?.code).toMatch(/^\d{6}$/);
    expectNoSecrets(stdout + stderr, [...secrets, stored!.code!]);
  });

  it('prints with --verbose what its help says: request lines and the body with the code masked, no secrets', async () => {
    const help = await runInProcess(['send', '--help']);
    expect(help.stdout).toContain('the message body with the code shown as <code>');
    expect(help.stdout).toContain('method, URL without query and response status (never headers)');

    const { code, stdout, stderr } = await runInProcess([
      'send',
      configFile,
      '--to',
      '+14155550103',
      '--code',
      '135790',
      '--verbose',
    ]);
    expect(code).toBe(0);
    expect(stderr).toContain(`base URL: ${sandbox.url}`);
    expect(stderr).toContain(`→ POST ${sandbox.url}/2010-04-01/Accounts/${accountSid}/Messages.json`);
    expect(stderr).toContain('← 201');
    expect(stderr).toContain('body: Your verification code is <code>.');
    expectNoSecrets(stdout + stderr, [...secrets, '135790']);
  });

  it('prints with --verbose the standard status phrase, never the reason text a server sends (it could echo a secret)', async () => {
    const echoing = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const json = JSON.stringify({ sid: `SM${'0'.repeat(32)}`, status: 'queued', to: '+14155550104' });
        response.writeHead(201, `Created for ${authToken}`, { 'content-type': 'application/json' }).end(json);
      });
    });
    await new Promise<void>((resolve) => echoing.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = echoing.address() as AddressInfo;
      const file = await writeJson(directory, 'echoing-reason.json', config({ baseUrl: `http://127.0.0.1:${port}` }));
      const { code, stdout, stderr } = await runInProcess(['send', file, '--to', '+14155550104', '--verbose']);
      expect(code).toBe(0);
      expect(stderr).toMatch(/← 201 Created\n/);
      expectNoSecrets(stdout + stderr, secrets);
    } finally {
      await new Promise((resolve) => echoing.close(resolve));
    }
  });

  it('prints a phone number that contains the code as it is (the code is in no printed field)', async () => {
    const to = '+14155552671';
    const human = await runInProcess(['send', configFile, '--to', to, '--code', '4155']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/To\s+\+14155552671\n/);
    expect(human.stdout + human.stderr).not.toContain('[redacted]');
    const sid = /✓ Sent (SM[0-9a-f]{32})/.exec(human.stdout)![1];
    expect((await inbox()).find((message) => message.sid === sid)?.body).toBe('Your verification code is 4155.');

    const json = await runInProcess(['send', configFile, '--to', to, '--code', '4155', '--json', '--verbose']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, to });
    expect(json.stderr).toContain(`to: ${to}`);
    expect(json.stdout + json.stderr).not.toContain('[redacted]');
  });

  it('names the base URL the connector resolves from host, as it sends', async () => {
    // An invalid number fails before any request: nothing goes to Twilio.
    const { baseUrl: _baseUrl, ...withoutBaseUrl } = config();
    const file = await writeJson(directory, 'dublin.json', { ...withoutBaseUrl, host: 'api.dublin.ie1.twilio.com' });
    const { code, stdout, stderr } = await runInProcess(['send', file, '--to', '12', '--json', '--verbose']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, baseUrl: 'https://api.dublin.ie1.twilio.com' });
    expect(stderr).toContain('base URL: https://api.dublin.ie1.twilio.com');
    expect(stderr).not.toContain('→');
  });

  it('authenticates with an API key, and reads the config from stdin', async () => {
    const { authToken: _token, ...rest } = config();
    const input = JSON.stringify({ ...rest, apiKeySID: apiKeySid, apiKeySecret });
    const { code, stdout, stderr } = await runInProcess(['send', '-', '--to', '+14155550104', '--code', '246801', '--json'], {
      input,
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).ok).toBe(true);
    expectNoSecrets(stdout + stderr, [...secrets, '246801']);
  });

  it('takes the credentials from the environment and the base URL from --sandbox', async () => {
    const file = await writeJson(directory, 'real-twilio.json', {
      fromMessagingServiceSID: `MG${'1'.repeat(32)}`,
      templates: requiredTemplates,
    });
    const env = baseEnv({ TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken });
    const { code, stdout, stderr } = await runInProcess(
      ['send', file, '--to', '+14155550105', '--code', '975310', '--sandbox', sandbox.url, '--json'],
      { env }
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, status: 'accepted', baseUrl: sandbox.url });
    expectNoSecrets(stdout + stderr, [...secrets, '975310']);
  });

  it('maps a Twilio error from a magic number: connector code, Twilio code, message and link', async () => {
    const human = await runInProcess(['send', configFile, '--to', '+15005550002', '--code', '112233']);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('✗ Send failed (invalid_request_parameters)');
    expect(human.stderr).toMatch(/Twilio\s+error 21612, HTTP 400: The 'To' phone number/);
    expect(human.stderr).toContain('https://www.twilio.com/docs/errors/21612');
    expectNoSecrets(human.stdout + human.stderr, [...secrets, '112233']);

    const json = await runInProcess(['send', configFile, '--to', '+15005550002', '--code', '112233', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_request_parameters',
        twilio: { status: 400, code: 21612, moreInfo: 'https://www.twilio.com/docs/errors/21612' },
      },
    });
  });

  it('reports a fault injected through POST /api/faults', async () => {
    const response = await fetch(`${sandbox.url}/api/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 1, status: 503 }),
    });
    expect(response.status).toBe(201);
    const before = (await inbox()).length;
    const { code, stdout } = await runInProcess(['send', configFile, '--to', '+14155550106', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).error).toMatchObject({ code: 'general', twilio: { status: 503, code: 20503 } });
    expect(await inbox()).toHaveLength(before);
  });

  it('reports rejected credentials as invalid_config without printing the wrong token', async () => {
    const file = await writeJson(directory, 'wrong-token.json', config({ authToken: 'not-the-right-token' }));
    const { code, stdout, stderr } = await runInProcess(['send', file, '--to', '+14155550107', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).error).toMatchObject({ code: 'invalid_config', twilio: { status: 401, code: 20003 } });
    expectNoSecrets(stdout + stderr, ['not-the-right-token', basic(accountSid, 'not-the-right-token')]);
  });

  it('says the sandbox is not reachable at the --sandbox URL (a closed port) and exits 1', async () => {
    // Port 1, never a released one: another test's server (in any worker) could be listening there.
    const url = 'http://127.0.0.1:1';
    const { code, stdout, stderr } = await runInProcess([
      'send',
      configFile,
      '--to',
      '+14155550108',
      '--code',
      '314159',
      '--sandbox',
      url,
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `✗ Send failed (general): The sandbox is not reachable at ${url} (ECONNREFUSED): start it with \`smsdesk sandbox\``
    );
    expect(stderr).not.toContain('Twilio (ECONNREFUSED)');
    expect(stderr).not.toContain('may have been sent');
    expect(stderr).not.toMatch(/\n\s+at /); // No stack trace.
    expectNoSecrets(stdout + stderr, [...secrets, '314159']);

    const json = await runInProcess(['send', configFile, '--to', '+14155550108', '--sandbox', url, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      error: { code: 'general', message: expect.stringContaining(`The sandbox is not reachable at ${url}`), requestSent: false },
    });
  });

  it('says a 5xx after the request left may have been sent, and to check before retrying', async () => {
    // Twilio's 5xx after commit: the sandbox stores the message, then answers 500.
    await fetch(`${sandbox.url}/api/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 2, status: 500, afterStore: true }),
    });
    const human = await runInProcess(['send', configFile, '--to', '+14155550112']);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('✗ Send failed (general)');
    expect(human.stderr).toContain('The request had gone out, so the SMS may have been sent: check the messages');
    expect(human.stderr).toContain('before sending again');
    expect((await inbox()).filter(({ to }) => to === '+14155550112')).toHaveLength(1);

    const json = await runInProcess(['send', configFile, '--to', '+14155550112', '--json']);
    expect(JSON.parse(json.stdout).error).toMatchObject({ twilio: { status: 500 }, mayHaveBeenSent: true });
  });

  it('does not say a refused request may have been sent', async () => {
    const { code, stdout } = await runInProcess(['send', configFile, '--to', '+15005550002', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).error).not.toHaveProperty('mayHaveBeenSent');
  });

  it('refuses an invalid config with its problems, before any request', async () => {
    const before = (await inbox()).length;
    const file = await writeJson(directory, 'send-invalid.json', config({ from: undefined }));
    const { code, stderr } = await runInProcess(['send', file, '--to', '+14155550109']);
    expect(code).toBe(1);
    expect(stderr).toContain('✗ Send failed (invalid_config)');
    expect(stderr).toMatch(/error\s+fromMessagingServiceSID: A sender is required/);
    expect(await inbox()).toHaveLength(before);
  });

  it('rejects an invalid phone number as Logto would', async () => {
    const { code, stderr } = await runInProcess(['send', configFile, '--to', '12']);
    expect(code).toBe(1);
    expect(stderr).toContain('invalid_request_parameters');
    expect(stderr).toContain('is too short');
  });
});

/** Runs the binary with its stdout or stderr pipe closed before it writes, as `| head` leaves it. */
async function runWithClosedPipe(args: string[], closed: 'stdout' | 'stderr') {
  const child = spawn(process.execPath, [bin, ...args], { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  child[closed].destroy();
  const open = closed === 'stdout' ? child.stderr : child.stdout;
  let text = '';
  open.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const [code, signal] = (await new Promise((resolve) => {
    child.once('close', (...result) => resolve(result));
  })) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  return { code, signal, text };
}

describe('a closed pipe (| head)', () => {
  it('ends quietly when stdout is closed, with no EPIPE stack trace', async () => {
    for (const args of [['--help'], ['check', configFile], ['check', configFile, '--json']]) {
      const { code, signal, text } = await runWithClosedPipe(args, 'stdout');
      expect({ args, code, signal, stderr: text }).toEqual({ args, code: 0, signal: null, stderr: '' });
    }
  });

  it('keeps its exit code when stderr is closed', async () => {
    const usage = await runWithClosedPipe(['sedn'], 'stderr');
    expect(usage).toMatchObject({ code: 2, text: '' });
    const missing = await runWithClosedPipe(['check', path.join(directory, 'nope.json'), '--json'], 'stderr');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.text)).toMatchObject({ ok: false, error: { code: 'config_unreadable' } });
  });
});

describe('Ctrl-C during a send', () => {
  it('after the request left: says the SMS may have been sent, and exits 130', async () => {
    // Accepts the request and never answers.
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const silent = http.createServer(() => arrived());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const cli = new RunningCli(['send', configFile, '--to', '+14155550113', '--code', '271828', '--sandbox', url]);
      await requestArrived;
      const { code, stdout, stderr } = await cli.stop('SIGINT');
      expect(code).toBe(130);
      expect(stdout).toBe('');
      expect(stderr).toContain(
        `✗ Interrupted (SIGINT) after the request was sent to ${url}: the SMS may have been sent; check the messages`
      );
      expect(stderr).not.toMatch(/\n\s+at /);
      expectNoSecrets(stdout + stderr, [...secrets, '271828']);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('before the request left: says no SMS was sent', async () => {
    // Accepts TCP connections but never answers the TLS handshake: the request cannot leave.
    let connected!: () => void;
    const connection = new Promise<void>((resolve) => (connected = resolve));
    const sockets = new Set<Socket>();
    const mute = createServer((socket) => {
      sockets.add(socket);
      connected();
    });
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(mute.address() as AddressInfo).port}`;
    try {
      const cli = new RunningCli(['send', configFile, '--to', '+14155550114', '--sandbox', url, '--json']);
      await connection;
      const { code, stdout, stderr } = await cli.stop('SIGINT');
      expect(code).toBe(130);
      expect(stderr).toBe('');
      expect(JSON.parse(stdout)).toEqual({
        ok: false,
        error: {
          code: 'interrupted',
          message: 'Interrupted (SIGINT) before the request left: no SMS was sent.',
          requestSent: false,
          mayHaveBeenSent: false,
        },
      });
    } finally {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => mute.close(() => resolve()));
    }
  });
});
