/**
 * Slow tier (a fresh install of the whole workspace, a minute or more): in a clone of the
 * committed HEAD, `npm ci` links `node_modules/.bin/smsdesk` before anything is built, and
 * `npx smsdesk` runs this repository's CLI, never a registry package of that name.
 * `npm test` leaves this file out; `npm run test:slow` runs it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repository = fileURLToPath(new URL('../../..', import.meta.url));
const { version } = (await import('../package.json', { with: { type: 'json' } })).default;

let clone: string;
/**
 * The developer's environment without npm's own variables (`npm test` sets npm_config_prefix and
 * the like to this checkout).
 */
let env: Record<string, string>;

const inClone = async (file: string, args: string[], extraEnv: Record<string, string> = {}) =>
  run(file, args, {
    cwd: clone,
    env: { ...env, ...extraEnv },
    timeout: 300_000,
    maxBuffer: 16 * 1024 * 1024,
    killSignal: 'SIGKILL',
  });

/** npx offline: if the bin were not linked, it fails instead of fetching a stranger's package and running it. */
const npx = async (args: string[]) => inClone('npx', args, { npm_config_offline: 'true' });

beforeAll(async () => {
  clone = await mkdtemp(path.join(tmpdir(), 'smsdesk-clone-'));
  env = {
    ...(Object.fromEntries(
      Object.entries(process.env).filter(([name, value]) => !/^npm_/i.test(name) && value !== undefined)
    ) as Record<string, string>),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  const { stdout: head } = await run('git', ['-C', repository, 'rev-parse', 'HEAD']);
  await run('git', ['clone', '--quiet', '--no-checkout', repository, clone], { timeout: 120_000 });
  await run('git', ['-C', clone, 'checkout', '--quiet', '--detach', head.trim()], { timeout: 120_000 });
  // Install scripts only compile better-sqlite3's addon (minutes, and nothing here uses it):
  // they have no part in linking bins. Packages come from npm's cache when it has them.
  await inClone('npm', ['ci', '--ignore-scripts', '--prefer-offline']);
}, 600_000);

afterAll(async () => {
  if (clone) {
    await rm(clone, { recursive: true, force: true });
  }
});

describe('a fresh clone', () => {
  it('links smsdesk at install time, and npx runs ours: first asking for a build, then the CLI', async () => {
    expect(existsSync(path.join(clone, 'node_modules/.bin/smsdesk'))).toBe(true);
    expect(existsSync(path.join(clone, 'packages/cli/lib'))).toBe(false);

    const unbuilt = await npx(['smsdesk', '--help']).catch((error: { code?: number; stdout: string; stderr: string }) => error);
    expect(unbuilt).toMatchObject({ code: 1, stdout: '' });
    expect(unbuilt.stderr).toContain('smsdesk: the CLI is not built yet (packages/cli/lib/ is missing): run `npm run build`');

    await inClone('npm', ['run', 'build']);
    const { stdout } = await npx(['smsdesk', '--help']);
    expect(stdout).toContain(`smsdesk ${version}: check, preview and test-send a Logto Twilio SMS connector config`);
    expect(stdout).toContain('Usage: smsdesk <command> [options]');
  }, 600_000);
});
