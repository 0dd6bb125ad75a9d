/**
 * Installs the packed connector the way `logto connector add` does — npm pack, extract into
 * packages/core/connectors/, install nothing — next to a packages/core/node_modules that holds
 * only what Logto core ships and the connector may use, then loads it the way Logto does. Then
 * the README's install commands, run with Logto's own CLI (@logto/cli) and loaded with its loader.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import type * as ConnectorKit from '@logto/connector-kit';
import type * as connectorSources from '../src/index.js';
import { toE164 } from '../src/index.js';

import {
  type TwilioDouble,
  accountSid,
  authToken,
  messagingServiceSid,
  startTwilioDouble,
  twilioError,
} from './helpers/twilio-double.js';

const connectorDirectory = fileURLToPath(new URL('..', import.meta.url));
const rootModules = fileURLToPath(new URL('../../../node_modules', import.meta.url));
// Logto core's own dependencies that connector-kit and this connector may resolve at run time.
const hostModules = ['@logto/connector-kit', '@logto/language-kit', 'ky', 'zod'];

let logto: string;
let installed: string;
/** The packed package, as `npm pack` names it. */
let tarball: string;
let twilio: TwilioDouble;

/** A folder Logto's CLI accepts as an instance (packages/core is @logto/core), with core's modules. */
async function createLogtoInstance() {
  const instance = await mkdtemp(path.join(tmpdir(), 'logto-'));
  await mkdir(path.join(instance, 'packages/core'), { recursive: true });
  await writeFile(path.join(instance, 'packages/core/package.json'), JSON.stringify({ name: '@logto/core', version: '1.0.0' }));
  for (const name of hostModules) {
    await cp(path.join(rootModules, name), path.join(instance, 'packages/core/node_modules', name), { recursive: true });
  }
  return instance;
}

beforeAll(async () => {
  logto = await createLogtoInstance();
  const [{ filename }] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', logto], { cwd: connectorDirectory, encoding: 'utf8' })
  ) as [{ filename: string }];
  tarball = path.join(logto, path.basename(filename));

  // The README's manual install, word for word.
  installed = path.join(logto, 'packages/core/connectors/smsdesk-connector-twilio-sms');
  await mkdir(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);

  twilio = await startTwilioDouble();
});

afterAll(async () => {
  await twilio?.close();
  await rm(logto, { recursive: true, force: true });
});

/** The part of the loaded connector these tests call, with the template type as the plain string Logto passes. */
interface LoadedConnector {
  metadata: { id: string };
  sendMessage: (data: { to: string; type: string; payload: Record<string, unknown> }, config?: unknown) => Promise<unknown>;
}

const loadAsLogto = async () => {
  const manifest = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8')) as {
    name: string;
    dependencies: Record<string, string>;
  };
  const { default: createConnector } = (await import(pathToFileURL(path.join(installed, 'lib/index.js')).href)) as {
    default: (options: { getConfig: () => Promise<unknown> }) => Promise<LoadedConnector>;
  };
  const kit = (await import(
    pathToFileURL(path.join(logto, 'packages/core/node_modules/@logto/connector-kit/lib/index.js')).href
  )) as typeof ConnectorKit;
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

  it('checks numbers exactly as the sources do (the bundled libphonenumber-js and its metadata)', async () => {
    const bundled = (await import(pathToFileURL(path.join(installed, 'lib/index.js')).href)) as typeof connectorSources;
    const inputs = [
      '+14155552671',
      '14155552671',
      '+1 (415) 555-2671',
      '+11234567890',
      '+4520123456',
      '+4512345678',
      '+447700900123',
      '+447911123456',
      '+8613800138000',
      '+81312345678',
      '+5511987654321',
      '+33612345678',
      '+919876543210',
      '+61412345678',
      '+34600123456',
      '+1415',
      '+999123456789',
      '+15005550006',
      'call me',
    ];
    // Twice: a second round, on whatever the bundle has kept from the first, must answer alike.
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

describe('installed with Logto’s CLI (@logto/cli), as the README says', () => {
  const logtoCli = path.join(rootModules, '@logto/cli/bin/logto.js');
  const connectorId = 'twilio-short-message-service';
  let instance: string;
  let connectors: string;

  /** `logto …` as a person runs it, without the npm_* variables of the `npm test` running this. */
  const runLogto = async (args: string[]) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [logtoCli, ...args], {
      cwd: instance,
      env,
      timeout: 120_000,
    });
    return stdout + stderr;
  };

  /** What Logto core loads from packages/core/connectors/, with @logto/cli's own loader. */
  const loadAsLogtoCore = async () => {
    const { getConnectorPackagesFromDirectory } = await import('@logto/cli/lib/utils.js');
    const { loadConnectorFactories } = await import('@logto/cli/lib/connector/index.js');
    const packages = await getConnectorPackagesFromDirectory(connectors);
    return { packages, factories: await loadConnectorFactories(packages, false) };
  };

  beforeAll(async () => {
    instance = await createLogtoInstance();
    connectors = path.join(instance, 'packages/core/connectors');
  });

  afterAll(async () => {
    await rm(instance, { recursive: true, force: true });
  });

  it('`connector add <path>` fails for the tarball and for the package folder: it prefixes connector- to the last segment', async () => {
    // One run for both (it adds packages in parallel): each failure costs it two retries.
    const output = await runLogto(['connector', 'add', tarball, connectorDirectory.replace(/\/$/, ''), '--path', instance]);
    expect(output).toContain('Finished with 2 errors');
    expect(output).toContain(path.join(path.dirname(tarball), `connector-${path.basename(tarball)}`));
    expect(output).toContain(path.join(path.dirname(connectorDirectory), 'connector-connector'));
    expect(existsSync(connectors) ? await readdir(connectors) : []).toEqual([]);
  }, 240_000);

  it('`connector add` takes the tarball under a file name that starts with connector-, replacing the official connector', async () => {
    // An instance with the official connector, as `logto connector add --official` leaves it.
    await cp(path.join(rootModules, '@logto/connector-twilio-sms'), path.join(connectors, '@logto-connector-twilio-sms'), {
      recursive: true,
    });

    // The README's commands: remove the official connector (same id), then add ours.
    expect(await runLogto(['connector', 'remove', '@logto/connector-twilio-sms', '--path', instance])).toContain(
      'Removed 1 connectors'
    );
    const renamed = path.join(path.dirname(tarball), 'connector-smsdesk-twilio-sms.tgz');
    await copyFile(tarball, renamed);
    const added = await runLogto(['connector', 'add', renamed, '--path', instance]);
    expect(added).toContain('Added @smsdesk/connector-twilio-sms v1.0.0');
    expect(added).not.toContain('Failed');

    expect(await readdir(connectors)).toEqual(['@smsdesk-connector-twilio-sms']);
    const { packages, factories } = await loadAsLogtoCore();
    expect(packages.map(({ name }) => name)).toEqual(['@smsdesk/connector-twilio-sms']);
    // Logto core refuses to start with two factories of one id (more_than_one_connector_factory).
    expect(factories.map(({ metadata, type }) => ({ id: metadata.id, type }))).toEqual([{ id: connectorId, type: 'Sms' }]);
  }, 240_000);
});
