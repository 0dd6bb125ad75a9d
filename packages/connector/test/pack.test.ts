/**
 * Installs the packed connector the way `logto connector add` does — npm pack, extract into
 * packages/core/connectors/, install nothing — next to a packages/core/node_modules that holds
 * only what Logto core ships and the connector may use, then loads it the way Logto does.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { toE164 } from '../src/index.js';

import { type TwilioDouble, accountSid, authToken, messagingServiceSid, startTwilioDouble, twilioError } from './helpers/twilio-double.js';

const connectorDirectory = fileURLToPath(new URL('..', import.meta.url));
const rootModules = fileURLToPath(new URL('../../../node_modules', import.meta.url));
// Logto core's own dependencies that connector-kit and this connector may resolve at run time.
const hostModules = ['@logto/connector-kit', '@logto/language-kit', 'ky', 'zod'];

let logto: string;
let installed: string;
let twilio: TwilioDouble;

beforeAll(async () => {
  logto = await mkdtemp(path.join(tmpdir(), 'logto-'));
  const [{ filename }] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', logto], { cwd: connectorDirectory, encoding: 'utf8' })
  ) as [{ filename: string }];

  installed = path.join(logto, 'packages/core/connectors/connector-twilio-sms');
  await mkdir(installed, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(logto, path.basename(filename)), '-C', installed, '--strip-components=1']);

  for (const name of hostModules) {
    // eslint-disable-next-line no-await-in-loop
    await cp(path.join(rootModules, name), path.join(logto, 'packages/core/node_modules', name), { recursive: true });
  }

  twilio = await startTwilioDouble();
});

afterAll(async () => {
  await twilio?.close();
  await rm(logto, { recursive: true, force: true });
});

const loadAsLogto = async () => {
  const manifest = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8')) as {
    name: string;
    dependencies: Record<string, string>;
  };
  const { default: createConnector } = (await import(pathToFileURL(path.join(installed, 'lib/index.js')).href)) as {
    default: (options: { getConfig: () => Promise<unknown> }) => Promise<Record<string, any>>;
  };
  const kit = (await import(
    pathToFileURL(path.join(logto, 'packages/core/node_modules/@logto/connector-kit/lib/index.js')).href
  )) as typeof import('@logto/connector-kit');
  return { manifest, createConnector, kit };
};

const config = () => ({
  accountSID: accountSid,
  authToken,
  fromMessagingServiceSID: messagingServiceSid,
  baseUrl: twilio.url,
  templates: [
    { usageType: 'Register', content: 'Register code {{code}}' },
    { usageType: 'SignIn', content: 'Sign-in code {{code}}' },
    { usageType: 'ForgotPassword', content: 'Reset code {{code}}' },
    { usageType: 'Generic', content: 'Code {{code}}' },
  ],
});

const outcome = (check: (input: string) => string, input: string) => {
  try {
    return check(input);
  } catch (error) {
    return (error as { data?: { message?: string } }).data?.message ?? String(error);
  }
};

describe('installed as Logto installs it', () => {
  it('is a package Logto recognises, with what its metadata points to', async () => {
    const { manifest } = await loadAsLogto();
    expect(manifest.name).toMatch(/^(@[\w-]+\/)?connector-/);
    expect(manifest.dependencies['@logto/connector-kit']).toMatch(/^\^5\./);
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['@logto/connector-kit', 'zod']);
    const files = await readdir(installed);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'logo.svg', 'lib', 'package.json']));
    expect(files).not.toContain('node_modules');
    expect(files).not.toContain('src');
  });

  it('loads without any module Logto does not ship, and sends', async () => {
    const { createConnector } = await loadAsLogto();
    const connector = await createConnector({ getConfig: async () => config() });
    expect(connector.metadata.id).toBe('twilio-short-message-service');

    await connector.sendMessage({ to: '14155552671', type: 'SignIn', payload: { code: '246810' } });
    expect(twilio.requests.at(-1)?.form).toMatchObject({ To: '+14155552671', Body: 'Sign-in code 246810' });
  });

  it('checks numbers exactly as the sources do (the bundle memoizes libphonenumber-js patterns)', async () => {
    const bundled = (await import(pathToFileURL(path.join(installed, 'lib/index.js')).href)) as typeof import('../src/index.js');
    const inputs = [
      '+14155552671', '14155552671', '+1 (415) 555-2671', '+11234567890', '+4520123456', '+4512345678',
      '+447700900123', '+447911123456', '+8613800138000', '+81312345678', '+5511987654321', '+33612345678',
      '+919876543210', '+61412345678', '+34600123456', '+1415', '+999123456789', '+15005550006', 'call me',
    ];
    // Twice: the second round runs on patterns the bundle has already compiled.
    for (const input of [...inputs, ...inputs]) {
      expect(outcome(bundled.toE164, input)).toBe(outcome(toE164, input));
    }
  });

  it('fails with the host’s own ConnectorError class, so Logto maps it to an HTTP status', async () => {
    const { createConnector, kit } = await loadAsLogto();
    const connector = await createConnector({ getConfig: async () => config() });

    twilio.script(twilioError(400, 21211, 'Invalid To'));
    const failure = await connector
      .sendMessage({ to: '14155552671', type: 'SignIn', payload: { code: '246810' } })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(kit.ConnectorError);
    // A live send: the person signing in reads a sentence about their number.
    expect(failure).toMatchObject({
      code: kit.ConnectorErrorCodes.General,
      data: { errorDescription: expect.stringMatching(/^This phone number can't receive SMS/) },
    });

    // The console's Test: the admin reads what is wrong with the config.
    const invalid = await connector.sendMessage({ to: '1', type: 'SignIn', payload: {} }, {}).catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(kit.ConnectorError);
    expect(invalid).toMatchObject({
      code: kit.ConnectorErrorCodes.General,
      data: { errorDescription: expect.stringMatching(/^Invalid Twilio SMS connector config: /) },
    });
  });
});
