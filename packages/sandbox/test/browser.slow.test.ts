/**
 * The web inbox and console in a real Chromium: live delivery over SSE, code highlight and copy,
 * untrusted bodies rendered as text, the console's validation and send through the real
 * connector, delete and clear. Screenshots go to test-results/ (git-ignored).
 */
import type { BrowserContext, Page } from 'playwright-core';

import { startSandbox, type Sandbox } from '../src/index.js';

import { launchChromium, screenshot, watchPage, type LaunchedBrowser } from './browser-helpers.js';

let sandbox: Sandbox;
let launched: LaunchedBrowser;
let context: BrowserContext;
let page: Page;
let watched: ReturnType<typeof watchPage>;

/** Creates a message through the Twilio API with the dev account, as any app would. */
async function sendSms(to: string, body: string): Promise<string> {
  const { accountSid, authToken } = sandbox.devAccount!;
  const response = await fetch(`${sandbox.url}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ To: to, From: '+15005550006', Body: body }),
  });
  expect({ status: response.status, body: response.status === 201 ? '' : await response.text() }).toEqual({ status: 201, body: '' });
  return ((await response.json()) as { sid: string }).sid;
}

const message = (sid: string) => page.locator(`.message[data-sid="${sid}"]`);
const conversation = (to: string) => page.locator(`.conversation[data-to="${to}"]`);

async function openConversation(to: string) {
  await conversation(to).click();
  await page.locator('.thread-number', { hasText: to }).waitFor();
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, db: ':memory:', env: {}, statusDelayMs: 100 });
  launched = await launchChromium({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  context = launched.context;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sandbox.url });
  page = context.pages()[0] ?? (await context.newPage());
  // Well under the test timeout, so a stuck wait names its locator.
  page.setDefaultTimeout(10_000);
  watched = watchPage(page);
});

afterAll(async () => {
  await launched?.close();
  await sandbox?.close();
});

describe('web inbox', () => {
  it('shows an empty state that tells how to send a first message', async () => {
    await page.goto(sandbox.url);
    await page.locator('#live-status[data-state="open"]').waitFor();
    const empty = page.locator('.empty');
    await empty.waitFor();
    await page.locator('.facts dd', { hasText: sandbox.devAccount!.accountSid }).waitFor();
    const text = await empty.textContent();
    expect(text).toContain('No messages yet');
    expect(text).toContain(`${sandbox.url}/2010-04-01/Accounts/${sandbox.devAccount!.accountSid}/Messages.json`);
    // The empty state names the account but never prints its token.
    expect(text).not.toContain(sandbox.devAccount!.authToken);
    await screenshot(page, 'inbox-empty');
  });

  it('receives a message live, highlights the code and copies it', async () => {
    await page.evaluate(() => {
      (window as unknown as { loadedOnce: boolean }).loadedOnce = true;
    });
    const sid = await sendSms('+14155550100', 'Your Logto sign-in verification code is 482913. It expires in 10 minutes.');

    await message(sid).waitFor();
    // Same document: it arrived over SSE, not by a reload.
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
    expect(await message(sid).locator('mark.code').textContent()).toBe('482913');
    expect(await message(sid).locator('.meta-chip').textContent()).toBe('GSM-7 · 1 segment');
    await message(sid).locator('.badge[data-status="delivered"]').waitFor();
    await page.locator('#thread .thread-number', { hasText: '+14155550100' }).waitFor();

    await message(sid).locator('.copy-code').click();
    await message(sid).locator('.copy-code', { hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('482913');
  });

  it('renders an HTML/script body as literal text', async () => {
    const body = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const sid = await sendSms('+14155550166', body);
    await openConversation('+14155550166');
    await message(sid).waitFor();
    expect(await message(sid).locator('.body').textContent()).toBe(body);
    expect(await page.locator('#thread img, #thread script, .conversations img').count()).toBe(0);
    expect(await conversation('+14155550166').locator('.conversation-preview').textContent()).toBe(body);
    expect(watched.dialogs).toEqual([]);
  });

  it('shows encoding, segments and failures per message', async () => {
    const unicode = await sendSms('+14155550100', '您的验证码是 739105，10 分钟内有效。');
    const long = await sendSms('+14155550100', `Your code is 551177. ${'This message is long. '.repeat(8)}`);
    const failed = await sendSms('+15005553003', 'Your verification code is 204816');
    await openConversation('+14155550100');
    await message(long).waitFor();
    expect(await message(unicode).locator('.meta-chip').textContent()).toBe('UCS-2 · 1 segment');
    expect(await message(long).locator('.meta-chip').textContent()).toBe('GSM-7 · 2 segments');
    await openConversation('+15005553003');
    await message(failed).locator('.badge[data-status="undelivered"]', { hasText: '30003' }).waitFor();
    expect(await message(failed).locator('.meta-error').textContent()).toBe('Unreachable destination handset');
    await screenshot(page, 'inbox-failed');
    await openConversation('+14155550100');
    await page.waitForFunction(() => document.querySelectorAll('.conversation').length === 3);
    // Newest conversation first.
    expect(await page.locator('.conversation').first().getAttribute('data-to')).toBe('+15005553003');
    await page.mouse.move(0, 0);
    await screenshot(page, 'inbox-thread');
  });

  it('filters conversations with the search box', async () => {
    await page.locator('#search').fill('739105');
    await page.waitForFunction(() => document.querySelectorAll('.conversation').length === 1);
    await page.locator('.thread-filter').waitFor();
    expect(await page.locator('#thread .message').count()).toBe(1);
    await page.locator('#search').fill('nothing-matches-this');
    await page.locator('.conversations-empty').waitFor();
    await page.locator('#search').fill('');
    await page.waitForFunction(() => document.querySelectorAll('.conversation').length === 3);
  });

  it('keeps each thread in date order as messages and status changes arrive live', async () => {
    const to = '+14155550177';
    const first = await sendSms(to, 'first, sent now');
    await openConversation(to);
    await message(first).waitFor();
    // A message created earlier (say, by a restarted sandbox's backlog) arrives after it.
    const earlier = Date.now() - 3_600_000;
    const { accountSid } = sandbox.devAccount!;
    const older = sandbox.store.insert({
      sid: `SM${'7'.repeat(32)}`,
      accountSid,
      messagingServiceSid: null,
      to,
      from: '+15005550006',
      body: 'older, arrived late',
      status: 'sent',
      numSegments: 1,
      segments: 1,
      encoding: 'GSM-7',
      numMedia: 0,
      price: null,
      errorCode: null,
      errorMessage: null,
      statusCallback: null,
      validityPeriod: null,
      sendAt: null,
      dateCreated: earlier,
      dateUpdated: earlier,
      dateSent: earlier,
    });
    await message(older.sid).waitFor();
    const order = () => page.locator('#thread .message').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.sid));
    expect(await order()).toEqual([older.sid, first]);
    // A status change keeps its place, with its label.
    sandbox.store.update(older.sid, null, { status: 'partially_delivered', dateUpdated: Date.now() });
    await message(older.sid).locator('.badge[data-status="partially_delivered"]', { hasText: 'Partially delivered' }).waitFor();
    expect(await order()).toEqual([older.sid, first]);
  });
});

describe('console', () => {
  it('validates the config live, then sends through the connector into the inbox', async () => {
    await page.locator('#tab-console').click();
    const editor = page.locator('#config');
    await page.waitForFunction(() => (document.querySelector<HTMLTextAreaElement>('#config')?.value ?? '').includes('"accountSID"'));
    await page.locator('#validation-summary[data-state="ok"]').waitFor();
    await page.locator('.preview[data-usage-type="SignIn"] .preview-body', { hasText: '123456' }).waitFor();
    const valid = JSON.parse(await editor.inputValue()) as Record<string, unknown> & {
      templates: { usageType: string; content: string }[];
    };
    expect(valid.accountSID).toBe(sandbox.devAccount!.accountSid);
    expect(valid.baseUrl).toBe(sandbox.url);
    await screenshot(page, 'console-valid');

    // Broken JSON, then a config the connector's guard refuses.
    await editor.fill('{ "accountSID": ');
    await page.locator('.issue .issue-path', { hasText: '(json)' }).waitFor();
    await editor.fill(JSON.stringify({ ...valid, accountSID: 'AC123', fromMessagingServiceSID: '' }, null, 2));
    await page.locator('.issue[data-severity="error"] .issue-path', { hasText: 'accountSID' }).waitFor();
    await page.locator('#validation-summary[data-state="error"]').waitFor();
    expect(await page.locator('.issue', { hasText: 'fromMessagingServiceSID' }).count()).toBe(1);
    await screenshot(page, 'console-errors');

    // Fixed, with a custom SignIn template.
    const templates = valid.templates.map((template) =>
      template.usageType === 'SignIn' ? { ...template, content: 'Console test: your sign-in code is {{code}}' } : template
    );
    await editor.fill(JSON.stringify({ ...valid, templates }, null, 2));
    await page.locator('#validation-summary[data-state="ok"]').waitFor();
    await page.locator('.preview[data-usage-type="SignIn"] .preview-body', { hasText: 'Console test: your sign-in code is 123456' }).waitFor();

    await page.locator('#send-to').fill('+14155550199');
    await page.locator('#send-type').selectOption('SignIn');
    await page.locator('#send-button').click();
    await page.locator('#send-result[data-kind="ok"]').waitFor();
    const sid = (await page.locator('.result-sid').textContent())!;
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
    const resultText = (await page.locator('#send-result').textContent())!;
    await screenshot(page, 'console-sent');

    await page.locator('#send-result button', { hasText: 'View in inbox' }).click();
    await page.locator('#view-inbox:not([hidden])').waitFor();
    await message(sid).waitFor();
    const code = (await message(sid).locator('mark.code').textContent())!;
    expect(code).toMatch(/^\d{6}$/);
    expect(await message(sid).locator('.body').textContent()).toBe(`Console test: your sign-in code is ${code}`);
    // The send result shows the SID, never the code.
    expect(resultText).not.toContain(code);
  });

  it('shows the mapped connector error when a send fails', async () => {
    await page.locator('#tab-console').click();
    await page.locator('#send-to').fill('+15005550004');
    await page.locator('#send-button').click();
    await page.locator('#send-result[data-kind="error"] .result-code', { hasText: 'invalid_request_parameters' }).waitFor();
    expect(await page.locator('#send-result .result-text').textContent()).toContain('opted out');
    await page.locator('#tab-inbox').click();
  });
});

describe('deleting', () => {
  it('deletes one message, then clears all after confirming', async () => {
    await openConversation('+14155550100');
    const first = page.locator('#thread .message').first();
    const sid = (await first.getAttribute('data-sid'))!;
    await first.hover();
    await first.locator('.delete-message').click();
    await message(sid).waitFor({ state: 'detached' });
    expect(sandbox.store.get(sid)).toBeUndefined();

    await page.locator('#clear-all').click();
    await page.locator('#confirm-dialog[open]').waitFor();
    await screenshot(page, 'inbox-confirm-clear');
    await page.locator('#confirm-cancel').click();
    await page.locator('#confirm-dialog').waitFor({ state: 'hidden' });
    expect(sandbox.store.search({ limit: 10 }).length).toBeGreaterThan(0);

    await page.locator('#clear-all').click();
    await page.locator('#confirm-ok').click();
    await page.locator('.empty').waitFor();
    expect(sandbox.store.search({ limit: 10 })).toHaveLength(0);
    expect(await page.locator('.conversation').count()).toBe(0);
  });
});

describe('looks', () => {
  it('renders in dark mode and on a phone-sized screen', async () => {
    await sendSms('+14155550100', 'Your Logto verification code is 908172. The code will remain active for 10 minutes.');
    await sendSms('+447911123456', 'Dein Bestätigungscode lautet 664201.');
    await page.locator('.conversation').nth(1).waitFor();
    await page.emulateMedia({ colorScheme: 'dark' });
    await openConversation('+14155550100');
    await screenshot(page, 'inbox-dark');
    await page.locator('#tab-console').click();
    await page.locator('#validation-summary[data-state="ok"]').waitFor();
    await screenshot(page, 'console-dark');

    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#tab-inbox').click();
    await page.locator('.thread-back').click();
    await page.locator('.sidebar').waitFor();
    await screenshot(page, 'mobile-list');
    await conversation('+14155550100').click();
    await page.locator('.thread-back').waitFor();
    await screenshot(page, 'mobile-thread');
  });

  it('ran without page errors, CSP violations or dialogs', () => {
    expect(watched.problems).toEqual([]);
    expect(watched.dialogs).toEqual([]);
  });
});
