/**
 * The CLI's pieces in-process, without spawning: the output sink (colour only on a terminal,
 * redaction), the config source (JSON positions, environment credentials) and the dispatcher with
 * a fake terminal.
 */
import { Readable } from 'node:stream';

import { run } from '../src/cli.js';
import { TemplateType } from '@logto/connector-kit';
import {
  ConnectorError,
  ConnectorErrorCodes,
  checkConfig,
  configKeys,
  previewConfigTemplates,
  templateKeys,
} from '@smsdesk/connector-twilio-sms';

import { parseCheckArgs } from '../src/commands/check.js';
import { parseSendArgs, sendThroughConnector, targetBaseUrl } from '../src/commands/send.js';
import { parseStartArgs } from '../src/commands/start.js';
import {
  ConfigSourceError,
  findJsonError,
  loadConfig,
  mergeEnvironmentCredentials,
  parseAccountsJson,
  parseConfigJson,
} from '../src/config-source.js';
import type { Io } from '../src/context.js';
import { Output } from '../src/output.js';
import { describeConnectorError, hintFor, isConnectorError } from '../src/report.js';
import { UsageError, checkLocale, checkServerUrl, flagOrEnv, parseHost } from '../src/args.js';

import { BufferSink, requiredTemplates } from './helpers.js';

/** The escape that starts every ANSI colour sequence. */
const ansi = '\u001B[';

describe('Output', () => {
  it('colours only a terminal, and not with NO_COLOR or --json', () => {
    const tty = new BufferSink(true);
    const coloured = new Output(tty, new BufferSink(), { env: {} });
    coloured.print(coloured.style.red('x'));
    expect(tty.text).toContain(ansi);

    for (const [sink, env, json] of [
      [new BufferSink(false), {}, false],
      [new BufferSink(true), { NO_COLOR: '1' }, false],
      [new BufferSink(true), {}, true],
      [new BufferSink(true), { TERM: 'dumb' }, false],
    ] as const) {
      const out = new Output(sink, new BufferSink(), { env, json });
      out.print(out.style.red('x'));
      out.spinner('working').stop();
      expect(sink.text).toBe('x\n');
    }
  });

  it('paints red with the terminal’s ANSI codes, and asks a real terminal whether it has colours', () => {
    const env = { TERM: 'xterm-256color' };
    const hasColors = vi.fn(() => true);
    const terminal = Object.assign(new BufferSink(true), { hasColors });
    const out = new Output(terminal, new BufferSink(), { env });
    out.print(out.style.red('x'));
    // ECMA-48 SGR: 31 turns the foreground red, 39 sets it back to the default.
    expect(terminal.text).toBe('\u001B[31mx\u001B[39m\n');
    expect(hasColors).toHaveBeenCalledWith(env);

    const monochrome = Object.assign(new BufferSink(true), { hasColors: () => false });
    const plain = new Output(monochrome, new BufferSink(), { env });
    plain.print(plain.style.red('x'));
    plain.spinner('working').stop();
    expect(monochrome.text).toBe('x\n');
  });

  it('redacts every registered secret on every path, longest first', () => {
    const stdout = new BufferSink();
    const stderr = new BufferSink();
    const out = new Output(stdout, stderr, { verbose: true });
    out.addSecrets('tok3n-value', 'dG9rM24tdmFsdWU=', '12', undefined);
    out.print('token tok3n-value');
    out.error('basic dG9rM24tdmFsdWU=');
    out.debug('again tok3n-value');
    out.result({ header: 'Basic dG9rM24tdmFsdWU=' });
    const text = stdout.text + stderr.text;
    expect(text).not.toContain('tok3n-value');
    expect(text).not.toContain('dG9rM24tdmFsdWU=');
    expect(text.match(/\[redacted]/g)).toHaveLength(4);
    // Too short to redact safely: left alone.
    out.print('12 items');
    expect(stdout.text).toContain('12 items');
  });
});

describe('config source', () => {
  it('locates JSON errors by line and column and never quotes the text', () => {
    const cases: Array<[string, number, RegExp]> = [
      ['{\n  "a": 1\n  "b": 2\n}', 3, /Expected ',' between values/],
      ['{"a": [1, 2,]}', 1, /a trailing comma/],
      ["{'a': 1}", 1, /take double quotes/],
      ['{"a": "x\ny"}', 1, /Unterminated string.*line break/],
      ['{"a": 1} extra', 1, /Unexpected character/],
      ['{"a": tru}', 1, /Unexpected character/],
      ['{"a": 1 /* note */}', 1, /Comments are not allowed/],
      ['{"a": "\\q"}', 1, /Invalid escape/],
      ['{"a": -}', 1, /Unexpected character/],
      ['{"a": "unterminated', 1, /Unterminated string/],
    ];
    for (const [text, line, message] of cases) {
      expect(() => JSON.parse(text)).toThrow();
      const error = (() => {
        try {
          parseConfigJson(text, 'config.json');
        } catch (caught) {
          return caught as Error;
        }
      })();
      expect(error).toBeInstanceOf(ConfigSourceError);
      expect(error!.message).toMatch(new RegExp(`^Invalid JSON in config\\.json at line ${line}, column \\d+: `));
      expect(error!.message).toMatch(message);
    }
    expect(findJsonError('{"a": [1, {"b": null}], "c": -1.5e3}')).toBeUndefined();
    expect(findJsonError('{\n  "authToken": "s3cr3t-value"\n  x')).toEqual({
      offset: 34,
      message: 'Unexpected character (strings and property names take double quotes)',
    });
  });

  it('refuses an empty input and non-objects', () => {
    expect(() => parseConfigJson('  \n', 'stdin')).toThrow('stdin is empty');
    expect(() => parseConfigJson('"text"', 'stdin')).toThrow('stdin holds a string');
    expect(() => parseConfigJson('null', 'stdin')).toThrow('stdin holds null');
    expect(parseConfigJson('\uFEFF{"a": 1}', 'stdin')).toEqual({ a: 1 });
  });

  it('fills left-out credentials from the environment without switching how the config signs in', () => {
    const env = {
      TWILIO_ACCOUNT_SID: 'ACenv',
      TWILIO_AUTH_TOKEN: 'env-token',
      TWILIO_API_KEY: 'SKenv',
      TWILIO_API_SECRET: 'env-secret',
    };

    const empty: Record<string, unknown> = { accountSID: '', templates: [] };
    expect(mergeEnvironmentCredentials(empty, env).fromEnvironment.map(({ variable }) => variable)).toEqual([
      'TWILIO_ACCOUNT_SID',
      'TWILIO_AUTH_TOKEN',
      'TWILIO_API_KEY',
      'TWILIO_API_SECRET',
    ]);
    expect(empty).toMatchObject({ accountSID: 'ACenv', authToken: 'env-token', apiKeySID: 'SKenv', apiKeySecret: 'env-secret' });

    const withToken: Record<string, unknown> = { accountSID: 'ACfile', authToken: 'file-token' };
    const merged = mergeEnvironmentCredentials(withToken, env);
    expect(withToken).toEqual({ accountSID: 'ACfile', authToken: 'file-token' });
    expect(merged.ignoredEnvironment).toEqual(['TWILIO_API_KEY', 'TWILIO_API_SECRET']);

    const withKey: Record<string, unknown> = { accountSID: 'ACfile', apiKeySID: 'SKfile' };
    mergeEnvironmentCredentials(withKey, env);
    expect(withKey).toEqual({ accountSID: 'ACfile', apiKeySID: 'SKfile', apiKeySecret: 'env-secret' });

    // The connector's choice (authenticationOf): a token with half an API key signs in with the
    // token, so the environment does not complete the key; null and blank count as unset.
    const tokenAndHalfKey: Record<string, unknown> = {
      accountSID: null,
      authToken: 'file-token',
      apiKeySID: 'SKfile',
      apiKeySecret: ' ',
    };
    expect(mergeEnvironmentCredentials(tokenAndHalfKey, env)).toEqual({
      fromEnvironment: [{ key: 'accountSID', variable: 'TWILIO_ACCOUNT_SID' }],
      ignoredEnvironment: ['TWILIO_API_SECRET'],
    });
  });

  it('takes from the environment only the kind of credential authType chooses', () => {
    const env = { TWILIO_AUTH_TOKEN: 'env-token', TWILIO_API_KEY: 'SKenv', TWILIO_API_SECRET: 'env-secret' };
    // A token left from before the switch to an API key is not used, so it does not block the key.
    const apiKey: Record<string, unknown> = { accountSID: 'ACfile', authType: 'apiKey', authToken: 'old-token' };
    expect(mergeEnvironmentCredentials(apiKey, env).fromEnvironment.map(({ key }) => key)).toEqual(['apiKeySID', 'apiKeySecret']);
    expect(apiKey).toMatchObject({ apiKeySID: 'SKenv', apiKeySecret: 'env-secret' });

    const token: Record<string, unknown> = { accountSID: 'ACfile', authType: 'authToken', apiKeySID: 'SKold' };
    expect(mergeEnvironmentCredentials(token, env).ignoredEnvironment).toEqual(['TWILIO_API_SECRET']);
    expect(token).toEqual({ accountSID: 'ACfile', authType: 'authToken', apiKeySID: 'SKold', authToken: 'env-token' });
  });

  it('keeps the file as stored apart from the config completed from the environment', async () => {
    const out = new Output(new BufferSink(), new BufferSink());
    const file = { accountSID: 'AC1', templates: [] };
    const source = await loadConfig('-', out, {
      stdin: Readable.from([JSON.stringify(file)]),
      env: { TWILIO_AUTH_TOKEN: 'env-token' },
      cwd: process.cwd(),
    });
    expect(source.stored).toEqual(file);
    expect(source.config).toEqual({ ...file, authToken: 'env-token' });
  });

  it('registers every printable form of the credentials, the connector’s configSecrets', async () => {
    const stdout = new BufferSink();
    const out = new Output(stdout, new BufferSink());
    const config = { accountSID: 'AC1', apiKeySID: 'SK1' };
    await loadConfig('-', out, {
      stdin: Readable.from([JSON.stringify(config)]),
      env: { TWILIO_API_SECRET: 'env-secret' },
      cwd: process.cwd(),
    });
    out.print(`${Buffer.from('SK1:env-secret').toString('base64')} env-secret`);
    expect(stdout.text).toBe('[redacted] [redacted]\n');
  });

  it('says what an accounts file must hold, not a config', () => {
    expect(() => parseAccountsJson('', 'accounts.json')).toThrow(
      'accounts.json is empty: expected a JSON array of { accountSid, authToken, apiKeys? }'
    );
    expect(() => parseAccountsJson('{}', 'accounts.json')).toThrow('accounts.json holds an object; expected a JSON array');
    expect(() => parseAccountsJson('[1,', 'accounts.json')).toThrow(/^Invalid JSON in accounts\.json at line 1/);
    expect(parseAccountsJson('[]', 'accounts.json')).toEqual([]);
  });
});

describe('report', () => {
  it('has a specific fix for every key the connector reads', () => {
    for (const key of configKeys.filter((name) => name !== 'templates')) {
      expect(hintFor({ path: key }), key).not.toContain('See the connector README');
    }
    expect(hintFor({ path: 'statusCallback' })).toContain('http(s) URL');
    expect(hintFor({ path: 'host' })).toContain('api.dublin.ie1.twilio.com');
    expect(hintFor({ path: 'from' })).toContain('an alphanumeric sender ID (up to 11 letters, digits, spaces or + - _ &');
    expect(hintFor({ path: 'authToken', kind: 'unusedKey' })).toBe(
      'Leave it (Logto keeps a hidden field’s value) or remove it; change the choice to use it'
    );
    expect(hintFor({ path: 'hots', kind: 'unknownKey' })).toBe('Did you mean "host"? Otherwise remove it');
  });

  it('picks a fix by the issue’s kind, never by its wording', () => {
    expect(hintFor({ path: 'templates', kind: 'missingTemplates' })).toMatch(/^Add a \{ "usageType"/);
    expect(hintFor({ path: 'templates' })).toMatch(/^Set templates to an array/);
    expect(hintFor({ path: 'templates[0].content', kind: 'templateTooLong' })).toMatch(/^Shorten the template/);
    expect(hintFor({ path: 'templates[0].content', kind: 'noCodePlaceholder' })).toMatch(/^Put \{\{code\}\}/);
    expect(hintFor({ path: 'templates[0].content', kind: 'emptyTemplate' })).toMatch(/^Write the message text/);
    expect(hintFor({ path: 'templates[1]', kind: 'duplicateTemplate' })).toBe('Remove it, or give it a different locale');
    // A ConnectorError's issues keep their kind, whatever the message says.
    const error = new ConnectorError(ConnectorErrorCodes.InvalidConfig, {
      message: 'Invalid config',
      issues: [{ path: 'templates', message: 'Reworded one day', kind: 'missingTemplates' }],
    });
    expect(describeConnectorError(error).issues).toEqual([
      expect.objectContaining({ path: 'templates', kind: 'missingTemplates', hint: expect.stringMatching(/^Add a/) }),
    ]);
  });

  it('knows the keys of a template the connector keeps', () => {
    const { config } = checkConfig({
      accountSID: `AC${'0'.repeat(32)}`,
      authToken: 'token-value',
      from: '+15005550006',
      templates: requiredTemplates.map((template) => ({ locale: 'en', ...template, extra: true })),
    });
    expect(Object.keys(config!.templates[0]!).sort()).toEqual([...templateKeys].sort());
  });

  it('finds {{code}} as the connector does', () => {
    const templates = [
      { usageType: 'SignIn', content: 'Code: {{ code }}' },
      { usageType: 'Generic', content: 'Code: {code}' },
    ];
    expect(previewConfigTemplates({ templates }).map(({ hasCode }) => hasCode)).toEqual([true, false]);
  });

  it('recognises a ConnectorError by its class, not its message', () => {
    const real = new ConnectorError(ConnectorErrorCodes.General, { message: 'Twilio said no' });
    real.message = 'reworded by connector-kit';
    expect(isConnectorError(real)).toBe(true);
    const lookalike = Object.assign(new Error('ConnectorError: general'), { code: 'general', data: {} });
    expect(isConnectorError(lookalike)).toBe(false);
  });

  it('gets the class the connector throws from the connector package', async () => {
    const out = new Output(new BufferSink(), new BufferSink());
    const config = {
      accountSID: `AC${'0'.repeat(32)}`,
      authToken: 'token-value',
      from: '+15005550006',
      templates: requiredTemplates,
    };
    // An invalid number fails before any request.
    const outcome = await sendThroughConnector(config, { to: '12', type: 'SignIn', code: '123456' }, out);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_request_parameters' } });
  });

  it('names the base URL the connector sends to: baseUrl, else host, else region and edge', () => {
    const config = {
      accountSID: `AC${'0'.repeat(32)}`,
      authToken: 'token-value',
      from: '+15005550006',
      templates: requiredTemplates,
    };
    expect(targetBaseUrl({ ...config, host: 'api.dublin.ie1.twilio.com' })).toBe('https://api.dublin.ie1.twilio.com');
    expect(targetBaseUrl({ ...config, host: 'api.dublin.ie1.twilio.com', baseUrl: 'http://127.0.0.1:4010/' })).toBe(
      'http://127.0.0.1:4010'
    );
    expect(targetBaseUrl({ ...config, region: 'au1', edge: 'sydney' })).toBe('https://api.sydney.au1.twilio.com');
    expect(targetBaseUrl({ ...config, host: '', region: null })).toBe('https://api.twilio.com');
    expect(targetBaseUrl({ ...config, host: 'example.com' })).toBeUndefined();
  });

  it('masks the code only in the text the server sent', () => {
    const error = new ConnectorError(ConnectorErrorCodes.InvalidRequestParameters, {
      message: 'Twilio says: “body 4155 rejected”',
      status: 400,
      code: 21211,
      twilioMessage: 'body 4155 rejected',
    });
    expect(describeConnectorError(error, { code: '4155' })).toMatchObject({
      message: 'Twilio says: “body [redacted] rejected”',
      twilio: { status: 400, code: 21211, message: 'body [redacted] rejected' },
    });
  });
});

describe('argument parsing', () => {
  it('parses send flags, defaulting the type to Generic and normalising its case', () => {
    expect(parseSendArgs(['c.json', '--to', ' +14155550100 ', '--type', 'signin', '--code', '123456'])).toMatchObject({
      config: 'c.json',
      to: '+14155550100',
      type: 'SignIn',
      code: '123456',
    });
    expect(parseSendArgs(['c.json', '--to', '+1']).type).toBe('Generic');
  });

  it('takes every usage type Logto sends (connector-kit’s), in any case, as Logto spells it', () => {
    for (const type of Object.values(TemplateType)) {
      expect(parseSendArgs(['c.json', '--to', '+1', '--type', type.toLowerCase()]).type).toBe(type);
    }
    // A type connector-kit added late, so a stale copy of the list would miss it.
    expect(Object.values(TemplateType)).toContain('BindMfa');
    expect(parseSendArgs(['c.json', '--to', '+1', '--type', 'BINDMFA']).type).toBe('BindMfa');
  });

  it('refuses a blank --host for start (it would bind every interface), as for sandbox', () => {
    expect(() => parseStartArgs(['--host', ''])).toThrow(UsageError);
    expect(() => parseStartArgs(['--host', '  '])).toThrow('--host needs an interface');
    expect(parseStartArgs(['--host', ' 0.0.0.0 ']).host).toBe('0.0.0.0');
    expect(parseStartArgs([], { TWILIO_SANDBOX_HOST: '   ' }).host).toBe('127.0.0.1');
    expect(parseStartArgs([], { TWILIO_SANDBOX_HOST: '::1' }).host).toBe('::1');
    expect(() => parseHost('sandbox', { value: ' ', name: 'TWILIO_SANDBOX_HOST' }, '127.0.0.1')).toThrow(
      'TWILIO_SANDBOX_HOST needs an interface'
    );
  });

  it('takes a flag before its environment twin, and a blank variable as unset', () => {
    expect(flagOrEnv('1', { X: '2' }, 'X')).toEqual({ value: '1' });
    expect(flagOrEnv(undefined, { X: ' 2 ' }, 'X')).toEqual({ value: '2', name: 'X' });
    expect(flagOrEnv(undefined, { X: ' ' }, 'X')).toBeUndefined();
    expect(parseStartArgs(['--port', '0'], { TWILIO_SANDBOX_PORT: 'eighty' }).port).toBe(0);
    expect(() => parseStartArgs([], { TWILIO_SANDBOX_PORT: 'eighty' })).toThrow('TWILIO_SANDBOX_PORT must be a port number');
  });

  it('accepts only a server URL the connector accepts as baseUrl', () => {
    expect(checkServerUrl('send', 'sandbox', 'http://127.0.0.1:4010/')).toBe('http://127.0.0.1:4010');
    for (const url of ['ftp://x', 'http://user:pass@x', 'http://x/?a=1', 'http://x/#a', 'localhost:4010']) {
      expect(() => checkServerUrl('send', 'sandbox', url)).toThrow(UsageError);
    }
    // The connector's 2048-character limit holds for --sandbox too.
    const long = `http://127.0.0.1:4010/${'a'.repeat(2048 - 'http://127.0.0.1:4010/'.length)}`;
    expect(checkServerUrl('send', 'sandbox', long)).toBe(long);
    expect(() => checkServerUrl('send', 'sandbox', `${long}a`)).toThrow(UsageError);
  });

  it('accepts as --locale only what the connector accepts as a template locale', () => {
    expect(checkLocale('preview', ' fr-CA ')).toBe('fr-CA');
    expect(checkLocale('preview', undefined)).toBeUndefined();
    // An underscore is no BCP 47 tag: the connector refuses it in a template, and no template would match it.
    for (const locale of ['fr_CA', 'not a locale!', '']) {
      expect(() => checkLocale('preview', locale)).toThrow('--locale must be a BCP 47 language tag');
    }
  });

  it('turns parseArgs errors into usage errors that name the option', () => {
    expect(() => parseCheckArgs(['c.json', '--jsno'])).toThrow(UsageError);
    expect(() => parseCheckArgs(['c.json', '--jsno'])).toThrow('Unknown option --jsno for check (did you mean --json?)');
    expect(() => parseSendArgs(['c.json', '--to'])).toThrow('Option --to needs a value');
    expect(() => parseCheckArgs(['a.json', 'b.json'])).toThrow('check takes one config file');
  });
});

describe('run() in-process', () => {
  const io = (input: string, tty: boolean): Io & { stdout: BufferSink; stderr: BufferSink } => ({
    stdin: Readable.from([input]),
    stdout: new BufferSink(tty),
    stderr: new BufferSink(tty),
    env: {},
    cwd: process.cwd(),
    waitForStop: async () => new Promise(() => {}),
  });

  const config = {
    accountSID: `AC${'0'.repeat(32)}`,
    authToken: 'in-process-token',
    from: '+15005550006',
    templates: requiredTemplates,
  };

  it('checks a config from stdin with colour on a terminal, and plain text in a pipe', async () => {
    const terminal = io(JSON.stringify(config), true);
    expect(await run(['check', '-'], terminal)).toBe(0);
    expect(terminal.stdout.text).toContain(ansi);
    expect(terminal.stdout.text).toContain('Valid');

    const pipe = io(JSON.stringify(config), false);
    expect(await run(['check', '-'], pipe)).toBe(0);
    expect(pipe.stdout.text).not.toContain(ansi);
    expect(pipe.stdout.text).not.toContain('in-process-token');
  });

  it('says "did you mean" for misspelled keys, in a template too, even when the config has other errors', async () => {
    const { accountSID, from: _from, ...rest } = config;
    const misspelled = JSON.stringify({
      ...rest,
      acountSID: accountSID,
      fromMessagingServiceSid: `MG${'1'.repeat(32)}`,
      templates: [{ usagetype: 'SignIn', content: 'Code {{code}}' }, ...requiredTemplates.slice(1)],
    });
    const unknown = (path: string, key: string) => ({
      path,
      severity: 'warning',
      message: `Unknown key "${path.split('.').at(-1)}" is ignored`,
      kind: 'unknownKey',
      hint: `Did you mean "${key}"? Otherwise remove it`,
    });
    const rename = (path: string, typo: string) =>
      expect.objectContaining({
        path,
        severity: 'error',
        hint: expect.stringMatching(new RegExp(`^Rename "${typo}" to "${path.split('.').at(-1)}"`)),
      });

    const json = io(misspelled, false);
    expect(await run(['check', '-', '--json'], json)).toBe(1);
    const report = JSON.parse(json.stdout.text);
    expect(report.issues).toEqual(
      expect.arrayContaining([
        unknown('acountSID', 'accountSID'),
        unknown('fromMessagingServiceSid', 'fromMessagingServiceSID'),
        unknown('templates[0].usagetype', 'usageType'),
        rename('accountSID', 'acountSID'),
        rename('templates[0].usageType', 'usagetype'),
      ])
    );
    expect(report).toMatchObject({ errors: 2, warnings: 3 });

    const human = io(misspelled, false);
    expect(await run(['check', '-'], human)).toBe(1);
    expect(human.stdout.text).toContain('fix: Did you mean "accountSID"? Otherwise remove it');
    expect(human.stdout.text).toContain('fix: Rename "usagetype" to "usageType"');

    // preview and send refuse it the same way, naming the misspelling.
    const previewed = io(misspelled, false);
    expect(await run(['preview', '-', '--type', 'SignIn'], previewed)).toBe(1);
    expect(previewed.stdout.text).toContain('fix: Rename "acountSID" to "accountSID"');
    // With the other keys right, the missing sender is the error the misspelling causes.
    const sent = io(
      JSON.stringify({
        ...rest,
        accountSID,
        fromMessagingServiceSid: `MG${'1'.repeat(32)}`,
        templates: requiredTemplates.map((template, index) => (index === 0 ? { ...template, Locale: 'fr' } : template)),
      }),
      false
    );
    expect(await run(['send', '-', '--to', '+14155552671'], sent)).toBe(1);
    expect(sent.stderr.text).toContain('error   fromMessagingServiceSID: A sender is required');
    expect(sent.stderr.text).toContain('fix: Rename "fromMessagingServiceSid" to "fromMessagingServiceSID"');
    expect(sent.stderr.text).toContain('warning templates[0].Locale: Unknown key "Locale" is ignored');
    expect(sent.stderr.text).toContain('fix: Did you mean "locale"? Otherwise remove it');
  });

  it('reports each unknown key once when the config is otherwise valid', async () => {
    const valid = io(
      JSON.stringify({
        ...config,
        acountSid: 'x',
        templates: [...requiredTemplates, { usageType: 'MfaVerification', content: '{{code}}', Locale: 'fr' }],
      }),
      false
    );
    expect(await run(['check', '-', '--json'], valid)).toBe(0);
    const { issues } = JSON.parse(valid.stdout.text);
    expect(issues.map(({ path, hint }: { path: string; hint: string }) => [path, hint])).toEqual([
      ['acountSid', 'Did you mean "accountSID"? Otherwise remove it'],
      [`templates[${requiredTemplates.length}].Locale`, 'Did you mean "locale"? Otherwise remove it'],
    ]);
  });

  it('returns 2 for usage errors and 1 for unreadable input', async () => {
    const usage = io('', false);
    expect(await run(['preview', '-'], usage)).toBe(2);
    expect(usage.stderr.text).toContain('Missing --type');

    const invalid = io('{"authToken": "in-process-token",', false);
    expect(await run(['check', '-'], invalid)).toBe(1);
    expect(invalid.stderr.text).toMatch(/^smsdesk check: Invalid JSON in stdin at line 1, column 34: Expected a property name/);
    expect(invalid.stderr.text).not.toContain('in-process-token');
  });
});
