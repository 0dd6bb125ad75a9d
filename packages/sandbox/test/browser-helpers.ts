/**
 * Browser-test helpers: Debian's Chromium driven by playwright-core (never a downloaded browser),
 * a fresh profile per launch, and the page-side problems worth failing a test on.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where screenshots go: the repository's git-ignored test-results/. */
const resultsDir = fileURLToPath(new URL('../../../test-results/', import.meta.url));

export type LaunchedBrowser = { context: BrowserContext; close(): Promise<void> };

/**
 * Chromium with a fresh profile in a temp directory. Playwright takes the profile directory as
 * launchPersistentContext's argument (it refuses `--user-data-dir` in `args`), which gives one
 * context to open pages in.
 */
export async function launchChromium(options: BrowserContextOptions = {}): Promise<LaunchedBrowser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  const profile = await mkdtemp(path.join(tmpdir(), 'smsdesk-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      ...options,
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    return {
      context,
      async close() {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}

/** Page errors, console errors (CSP violations land there) and dialogs, collected as they happen. */
export function watchPage(page: Page): { problems: string[]; dialogs: string[] } {
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium logs every 4xx fetch; a refused console send is an expected answer, not a problem.
    const expected =
      /Failed to load resource: the server responded with a status of 4\d\d/.test(message.text()) &&
      new URL(message.location().url, 'http://x').pathname === '/api/console/send';
    if (!expected) problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { problems, dialogs };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  // Finite animations (a dialog popping in, a bubble arriving) are shown finished.
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  return file;
}
