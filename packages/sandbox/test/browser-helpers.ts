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

/**
 * Saves a screenshot to test-results/ for a person to look at, and fails unless it shows the page:
 * the viewport's size, and more than a few colours (a blank or single-colour frame is a page that
 * did not render, whatever the DOM says).
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  // Finite animations (a dialog popping in, a bubble arriving) are shown finished.
  const png = await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  // Decoded by the browser itself: no PNG library for one check.
  const image = await page.evaluate(async (bytes) => {
    const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    const colours = new Set<number>();
    for (let index = 0; index < data.length; index += 4) {
      colours.add((data[index]! << 16) | (data[index + 1]! << 8) | data[index + 2]!);
    }
    return { width: bitmap.width, height: bitmap.height, colours: colours.size };
  }, Array.from(png));
  expect({ name, width: image.width, height: image.height }).toEqual({ name, ...page.viewportSize() });
  expect(image.colours, `${name}.png has ${image.colours} colours`).toBeGreaterThan(16);
  return file;
}
