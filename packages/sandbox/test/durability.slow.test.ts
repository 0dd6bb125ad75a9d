import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import { Agent, request } from 'undici';

import { MessageStore } from '../src/storage/store.js';
import { accountA, basic, defaultSend, messagesPath } from './helpers.js';

// The reliability promise's load: 32 clients × 5,000 creates, the process killed with requests
// still in flight.
const clients = 32;
const perClient = 5000;

const sandboxRoot = fileURLToPath(new URL('../', import.meta.url));
const connectorSource = fileURLToPath(new URL('../../connector/src/index.ts', import.meta.url));
// Same depth as src/ and lib/, so the bundle finds ../migrations and ../package.json.
const bundleDirectory = path.join(sandboxRoot, '.tmp');

/** Bundles the child entry (TypeScript) into one ESM file; packages stay external. */
async function buildChild(): Promise<string> {
  mkdirSync(bundleDirectory, { recursive: true });
  const outfile = path.join(bundleDirectory, `durability-child-${process.pid}.mjs`);
  await build({
    entryPoints: [fileURLToPath(new URL('fixtures/durability-child.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    plugins: [
      {
        name: 'workspace-sources',
        setup(pluginBuild) {
          pluginBuild.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path === '@smsdesk/connector-twilio-sms' ? { path: connectorSource } : { path: args.path, external: true }
          );
        },
      },
    ],
  });
  return outfile;
}

function startChild(script: string, db: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, db, JSON.stringify([accountA])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (output.includes('\n') && line) {
        resolve({ child, url: (JSON.parse(line) as { url: string }).url });
      }
    });
    child.once('exit', (code) => reject(new Error(`child exited with ${code}: ${errors}`)));
  });
}

describe('durability', () => {
  let directory: string;
  let script: string;

  beforeAll(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'sandbox-durability-'));
    script = await buildChild();
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
    rmSync(script, { force: true });
  });

  test(`every message acknowledged with 201 survives kill -9 (${clients} clients × ${perClient})`, async () => {
    const db = path.join(directory, 'sandbox.db');
    const { child, url } = await startChild(script, db);
    const acknowledged: string[] = [];
    // Every client still has a create in flight when the process dies.
    const killAt = clients * perClient - clients * 2;
    let killed = false;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const body = new URLSearchParams(defaultSend).toString();
    const headers = {
      Authorization: basic(accountA.accountSid, accountA.authToken),
      'Content-Type': 'application/x-www-form-urlencoded',
    };

    const agent = new Agent({ connections: clients });
    const client = async () => {
      for (let index = 0; index < perClient && !killed; index += 1) {
        try {
          const response = await request(`${url}${messagesPath(accountA.accountSid)}`, {
            method: 'POST',
            headers,
            body,
            dispatcher: agent,
          });
          const json = (await response.body.json()) as { sid: string };
          if (response.statusCode === 201) {
            acknowledged.push(json.sid);
          }
        } catch {
          // In flight when the process died: never acknowledged, so it may or may not be stored.
          return;
        }
        if (acknowledged.length >= killAt && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: clients }, client));
    if (!killed) {
      child.kill('SIGKILL');
    }
    await agent.destroy();
    // Killed, not shut down: nothing got the chance to flush on exit.
    expect(await exited).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(killAt);

    // Reopen the file as a restarted sandbox would (migrations run again, WAL is recovered).
    const store = new MessageStore(db);
    try {
      const missing = acknowledged.filter((sid) => store.get(sid) === undefined);
      expect(missing).toEqual([]);
      expect(store.get(acknowledged[0]!)).toMatchObject({ accountSid: accountA.accountSid, body: defaultSend.Body });
    } finally {
      store.close();
    }
  }, 300_000);
});
