/**
 * The web inbox and console in a real Chromium: live delivery over SSE, code highlight and copy,
 * keyboard focus and screen-reader announcements through live updates, untrusted bodies rendered as
 * text, the console's validation and send through the real connector, delete and clear, dark mode
 * and a phone-sized screen. Each test has its own sandbox and page; the browser is shared.
 * Screenshots go to test-results/ (git-ignored).
 */
import { sampleCode } from '@smsdesk/connector-twilio-sms';
import type { Page } from 'playwright-core';

import { startSandbox, type Sandbox } from '../src/index.js';

import { launchChromium, screenshot, watchPage, type LaunchedBrowser } from './browser-helpers.js';
import { newMessage } from './helpers.js';

let launched: LaunchedBrowser;
let sandbox: Sandbox;
let page: Page;
let watched: ReturnType<typeof watchPage>;

/** Creates a message through the Twilio API with the dev account, as any app would. */
async function sendSms(to: string, body: string, sender: Record<string, string> = { From: '+15005550006' }): Promise<string> {
  const { accountSid, authToken } = sandbox.devAccount!;
  const response = await fetch(`${sandbox.url}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ To: to, ...sender, Body: body }),
  });
  expect({ status: response.status, body: response.status === 201 ? '' : await response.text() }).toEqual({
    status: 201,
    body: '',
  });
  return ((await response.json()) as { sid: string }).sid;
}

const message = (sid: string) => page.locator(`.message[data-sid="${sid}"]`);
const conversation = (to: string) => page.locator(`.conversation[data-to="${to}"]`);
/** What has keyboard focus, by its `data-focus` ("copy SM…", "conversation +1…"), or the tag name. */
const focused = () =>
  page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.focus ?? document.activeElement?.tagName);

/** Opens the inbox (or `#/console`) and waits until it is live, so later sends arrive over SSE. */
async function open(hash = '') {
  await page.goto(`${sandbox.url}/${hash}`);
  // Attached, not visible: a phone-sized layout hides the indicator.
  await page.locator('#live-status[data-state="open"]').waitFor({ state: 'attached' });
}

async function openConversation(to: string) {
  await conversation(to).click();
  await page.locator('.thread-number', { hasText: to }).waitFor();
}

beforeAll(async () => {
  launched = await launchChromium({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
});

afterAll(async () => {
  await launched?.close();
});

beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, db: ':memory:', env: {}, statusDelayMs: 100 });
  await launched.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sandbox.url });
  page = await launched.context.newPage();
  // Well under the test timeout, so a stuck wait names its locator.
  page.setDefaultTimeout(10_000);
  watched = watchPage(page);
});

afterEach(async () => {
  await page?.close();
  await sandbox?.close();
  // Every test also ran without page errors, CSP violations or dialogs.
  expect(watched.problems).toEqual([]);
  expect(watched.dialogs).toEqual([]);
});

describe('web inbox', () => {
  it('shows an empty state that tells how to send a first message', async () => {
    await open();
    const empty = page.locator('.empty');
    await empty.waitFor();
    await page.locator('.facts dd', { hasText: sandbox.devAccount!.accountSid }).waitFor();
    const text = await empty.textContent();
    expect(text).toContain('No messages yet');
    expect(text).toContain(`${sandbox.url}/2010-04-01/Accounts/${sandbox.devAccount!.accountSid}/Messages.json`);
    // The numbers the server's example names (the CLI's demo numbers), not copies in the page's script.
    expect(text).toContain('--data-urlencode "To=+14155550100"');
    expect(text).toContain('--data-urlencode "From=+15005550006"');
    // The code previews show (the connector's sampleCode), from the server's example too.
    expect(text).toContain(`--data-urlencode "Body=Your verification code is ${sampleCode}"`);
    // The empty state names the account but never prints its token.
    expect(text).not.toContain(sandbox.devAccount!.authToken);
    await screenshot(page, 'inbox-empty');
  });

  it('receives a message live, highlights the code and copies it', async () => {
    await open();
    await page.evaluate(() => {
      (window as unknown as { loadedOnce: boolean }).loadedOnce = true;
    });
    const sid = await sendSms('+14155550100', 'Your Logto sign-in verification code is 482913. It expires in 10 minutes.');

    await message(sid).waitFor();
    // Same document: it arrived over SSE, not by a reload.
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
    expect(await message(sid).locator('mark.code').allTextContents()).toEqual(['482913']);
    expect(await message(sid).locator('.meta-chip').textContent()).toBe('GSM-7 · 1 segment');
    await message(sid).locator('.badge[data-status="delivered"]').waitFor();
    await page.locator('#thread .thread-number', { hasText: '+14155550100' }).waitFor();

    await message(sid).locator('.copy-code').click();
    await message(sid).locator('.copy-code', { hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('482913');
  });

  it('highlights and copies the number the message calls a code, never a copy inside a longer number, and nothing when unsure', async () => {
    const to = '+14155550110';
    const labelled = await sendSms(to, 'Order 123456, code 654321. Ref 1654321.');
    const unsure = await sendSms(to, 'Order 123456 shipped, invoice 654321');
    await open();
    await openConversation(to);
    await message(unsure).waitFor();

    expect(await message(labelled).locator('.body').textContent()).toBe('Order 123456, code 654321. Ref 1654321.');
    // Exactly one mark, on the labelled number: not the first number, not the digits inside 1654321.
    expect(
      await message(labelled)
        .locator('.body')
        .evaluate((body) =>
          Array.from(body.childNodes)
            .map((node) => (node instanceof HTMLElement ? `[${node.textContent}]` : node.textContent))
            .join('')
        )
    ).toBe('Order 123456, code [654321]. Ref 1654321.');
    expect(await message(labelled).locator('.code-bar-value').textContent()).toBe('654321');
    await message(labelled).locator('.copy-code').click();
    await message(labelled).locator('.copy-code', { hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('654321');

    expect(await message(unsure).locator('mark').count()).toBe(0);
    expect(await message(unsure).locator('.code-bar').count()).toBe(0);
  });

  it('renders an HTML/script body as literal text', async () => {
    const body = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const sid = await sendSms('+14155550166', body);
    await open();
    await openConversation('+14155550166');
    await message(sid).waitFor();
    expect(await message(sid).locator('.body').textContent()).toBe(body);
    expect(await page.locator('#thread img, #thread script, .conversations img').count()).toBe(0);
    expect(await conversation('+14155550166').locator('.conversation-preview').textContent()).toBe(body);
    expect(watched.dialogs).toEqual([]);
  });

  it('shows encoding, segments and failures per message, newest conversation first', async () => {
    await open();
    const unicode = await sendSms('+14155550100', '您的验证码是 739105，10 分钟内有效。');
    const long = await sendSms('+14155550100', `Your code is 551177. ${'This message is long. '.repeat(8)}`);
    const failed = await sendSms('+15005553003', 'Your verification code is 204816');
    await openConversation('+14155550100');
    await message(long).waitFor();
    expect(await message(unicode).locator('.meta-chip').textContent()).toBe('UCS-2 · 1 segment');
    expect(await message(unicode).locator('mark.code').allTextContents()).toEqual(['739105']);
    expect(await message(long).locator('.meta-chip').textContent()).toBe('GSM-7 · 2 segments');
    await openConversation('+15005553003');
    await message(failed).locator('.badge[data-status="undelivered"]', { hasText: '30003' }).waitFor();
    expect(await message(failed).locator('.meta-error').textContent()).toBe('Unreachable destination handset');
    await screenshot(page, 'inbox-failed');
    await openConversation('+14155550100');
    expect(
      await page.locator('.conversation').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.to))
    ).toEqual(['+15005553003', '+14155550100']);
    await page.mouse.move(0, 0);
    await screenshot(page, 'inbox-thread');
  });

  it('filters conversations with the search box', async () => {
    await sendSms('+14155550100', 'Your code is 551177.');
    await sendSms('+14155550100', '您的验证码是 739105，10 分钟内有效。');
    await sendSms('+14155550101', 'Your code is 204816');
    await sendSms('+14155550102', 'Welcome aboard');
    await open();
    await page.waitForFunction(() => document.querySelectorAll('.conversation').length === 3);
    await page.locator('#search').fill('739105');
    await page.waitForFunction(() => document.querySelectorAll('.conversation').length === 1);
    expect(await page.locator('.conversation').getAttribute('data-to')).toBe('+14155550100');
    await page.locator('.thread-filter').waitFor();
    expect(await page.locator('#thread .message').count()).toBe(1);
    await page.locator('#search').fill('nothing-matches-this');
    await page.locator('.conversations-empty').waitFor();
    await page.locator('#search').fill('');
    await page.waitForFunction(() => document.querySelectorAll('.conversation').length === 3);
  });

  it('keeps each thread in date order as messages and status changes arrive live', async () => {
    const to = '+14155550177';
    await open();
    const first = await sendSms(to, 'first, sent now');
    await openConversation(to);
    await message(first).waitFor();
    // A message created earlier (say, by a restarted sandbox's backlog) arrives after it.
    const earlier = Date.now() - 3_600_000;
    const older = sandbox.store.insert(
      newMessage({
        accountSid: sandbox.devAccount!.accountSid,
        to,
        body: 'older, arrived late',
        status: 'sent',
        dateCreated: earlier,
        dateUpdated: earlier,
        dateSent: earlier,
      })
    );
    await message(older.sid).waitFor();
    const order = () =>
      page.locator('#thread .message').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.sid));
    expect(await order()).toEqual([older.sid, first]);
    // A status change keeps its place, with its label.
    sandbox.store.update(older.sid, null, { status: 'partially_delivered', dateUpdated: Date.now() });
    await message(older.sid).locator('.badge[data-status="partially_delivered"]', { hasText: 'Partially delivered' }).waitFor();
    expect(await order()).toEqual([older.sid, first]);
  });

  it('keeps keyboard focus on the same control while messages and status changes arrive', async () => {
    await open();
    const sid = await sendSms('+14155550120', 'Your code is 482913');
    await openConversation('+14155550120');
    await message(sid).locator('.copy-code').focus();
    expect(await focused()).toBe(`copy ${sid}`);

    // Its own status changes and a new conversation rebuild the thread and the list.
    await sendSms('+14155550121', 'Your code is 111222');
    await conversation('+14155550121').waitFor();
    await message(sid).locator('.badge[data-status="delivered"]').waitFor();
    expect(await focused()).toBe(`copy ${sid}`);
    // Still usable from the keyboard: Enter copies.
    await page.keyboard.press('Enter');
    await message(sid).locator('.copy-code', { hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('482913');

    // A conversation in the list keeps focus while a newer one moves above it.
    await conversation('+14155550120').focus();
    await sendSms('+14155550122', 'Hello');
    await page.waitForFunction(() => document.querySelector('.conversation')?.getAttribute('data-to') === '+14155550122');
    expect(await focused()).toBe('conversation +14155550120');
  });

  it('moves focus to the next message when the focused message is deleted with the keyboard', async () => {
    const to = '+14155550130';
    const first = await sendSms(to, 'first');
    const second = await sendSms(to, 'second');
    await open();
    await openConversation(to);
    await message(first).locator('.delete-message').focus();
    await page.keyboard.press('Enter');
    await message(first).waitFor({ state: 'detached' });
    expect(await focused()).toBe(`delete ${second}`);
  });

  it('announces a new message to screen readers by its number, never its code', async () => {
    await open();
    const announcer = page.locator('#announcer');
    expect(await announcer.getAttribute('aria-live')).toBe('polite');
    expect(await announcer.getAttribute('role')).toBe('status');
    // The initial snapshot is not news.
    expect(await announcer.textContent()).toBe('');

    // Every sentence the region receives, in order (each is emptied first to be announced again).
    await page.evaluate(() => {
      const heard: string[] = [];
      (window as unknown as { heard: string[] }).heard = heard;
      const region = document.querySelector('#announcer')!;
      new MutationObserver(() => {
        if (region.textContent) heard.push(region.textContent);
      }).observe(region, { childList: true, characterData: true, subtree: true });
    });
    const heard = () => page.evaluate(() => (window as unknown as { heard: string[] }).heard);

    await sendSms('+14155550140', 'Your code is 482913');
    await page.waitForFunction(() => (window as unknown as { heard: string[] }).heard.length === 1);
    await sendSms('+14155550140', 'Your code is 593024');
    await page.waitForFunction(() => (window as unknown as { heard: string[] }).heard.length === 2);
    expect(await heard()).toEqual(['New message to +14155550140', 'New message to +14155550140']);
    expect(await announcer.textContent()).toBe('New message to +14155550140');
  });
});

describe('console', () => {
  it('validates the config live, then sends through the connector into the inbox', async () => {
    await open('#/console');
    const editor = page.locator('#config');
    await page.waitForFunction(() =>
      (document.querySelector<HTMLTextAreaElement>('#config')?.value ?? '').includes('"accountSID"')
    );
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
    // The example sends from a number (senderType "from"): a blank one is the second error.
    await editor.fill(JSON.stringify({ ...valid, accountSID: 'AC123', from: '' }, null, 2));
    await page.locator('.issue[data-severity="error"] .issue-path', { hasText: 'accountSID' }).waitFor();
    await page.locator('#validation-summary[data-state="error"]').waitFor();
    expect(await page.locator('.issue .issue-path', { hasText: /^from$/ }).count()).toBe(1);
    await screenshot(page, 'console-errors');

    // Fixed, with a custom SignIn template.
    const templates = valid.templates.map((template) =>
      template.usageType === 'SignIn' ? { ...template, content: 'Console test: your sign-in code is {{code}}' } : template
    );
    await editor.fill(JSON.stringify({ ...valid, templates }, null, 2));
    await page.locator('#validation-summary[data-state="ok"]').waitFor();
    await page
      .locator('.preview[data-usage-type="SignIn"] .preview-body', { hasText: 'Console test: your sign-in code is 123456' })
      .waitFor();

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

  it('shows the send result as a title, facts and a link, with no stray "null"', async () => {
    await open('#/console');
    await page.locator('#validation-summary[data-state="ok"]').waitFor();
    await page.locator('#send-to').fill('+14155550198');
    await page.locator('#send-button').click();
    await page.locator('#send-result[data-kind="ok"]').waitFor();
    const result = page.locator('#send-result');
    // Only elements: an absent optional part leaves no text node behind.
    expect(
      await result.evaluate((element) =>
        Array.from(element.childNodes).map((node) => (node instanceof Element ? node.tagName : `text:${node.textContent}`))
      )
    ).toEqual(['P', 'DL', 'BUTTON']);
    expect(await result.innerText()).not.toMatch(/\bnull\b|\bundefined\b/);
    expect(await result.locator('.result-title').textContent()).toBe('Sent to +14155550198');
  });

  it('shows the mapped connector error when a send fails', async () => {
    await open('#/console');
    await page.locator('#validation-summary[data-state="ok"]').waitFor();
    await page.locator('#send-to').fill('+15005550004');
    await page.locator('#send-button').click();
    await page.locator('#send-result[data-kind="error"] .result-code', { hasText: 'invalid_request_parameters' }).waitFor();
    expect(await page.locator('#send-result .result-text').textContent()).toContain('opted out');
    expect(await page.locator('#send-result').innerText()).not.toMatch(/\bnull\b|\bundefined\b/);
  });
});

describe('deleting', () => {
  it('deletes one message, then clears all after confirming', async () => {
    const to = '+14155550100';
    await sendSms(to, 'Your code is 551177.');
    await sendSms(to, 'Your code is 739105.');
    await open();
    await openConversation(to);
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
    expect(sandbox.store.search({ limit: 10 })).toHaveLength(1);

    await page.locator('#clear-all').click();
    await page.locator('#confirm-ok').click();
    await page.locator('.empty').waitFor();
    expect(sandbox.store.search({ limit: 10 })).toHaveLength(0);
    expect(await page.locator('.conversation').count()).toBe(0);
  });
});

describe('looks', () => {
  /** Relative luminance of a computed `rgb(…)` color, 0 (black) to 1 (white). */
  const luminance = (color: string) => {
    const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((channel) => {
      const value = Number(channel) / 255;
      return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };

  it('renders in dark mode: dark surfaces, light text', async () => {
    await sendSms('+14155550100', 'Your Logto verification code is 908172. The code will remain active for 10 minutes.');
    await page.emulateMedia({ colorScheme: 'dark' });
    await open();
    await openConversation('+14155550100');
    const colors = await page.evaluate(() => {
      const style = (selector: string) => getComputedStyle(document.querySelector(selector)!);
      return {
        page: style('body').backgroundColor,
        text: style('body').color,
        bubble: style('.bubble').backgroundColor,
        bubbleText: style('.bubble').color,
      };
    });
    expect(luminance(colors.page)).toBeLessThan(0.1);
    expect(luminance(colors.bubble)).toBeLessThan(0.2);
    expect(luminance(colors.text)).toBeGreaterThan(0.6);
    expect(luminance(colors.bubbleText)).toBeGreaterThan(0.6);
    await screenshot(page, 'inbox-dark');
    await page.locator('#tab-console').click();
    await page.locator('#validation-summary[data-state="ok"]').waitFor();
    // The console is dark too: its editor (the textarea is transparent over it) and the text in it.
    const editor = await page.evaluate(() => ({
      background: getComputedStyle(document.querySelector('.editor')!).backgroundColor,
      text: getComputedStyle(document.querySelector('#config')!).color,
    }));
    expect(editor.background).toMatch(/^rgb\(/); // opaque: a transparent rgba(0, 0, 0, 0) would pass as dark
    expect(luminance(editor.background)).toBeLessThan(0.2);
    expect(luminance(editor.text)).toBeGreaterThan(0.6);
    await screenshot(page, 'console-dark');
  });

  it('fits a Messaging Service thread on a 390 px screen, with the full SID and Copy in view', async () => {
    const service = `MG${'0123456789abcdef'.repeat(2)}`;
    await sendSms('+14155550100', 'Your Logto verification code is 908172. The code will remain active for 10 minutes.', {
      MessagingServiceSid: service,
    });
    await sendSms('+14155550100', 'Your Logto sign-in verification code is 204816.', {
      MessagingServiceSid: `MG${'f'.repeat(32)}`,
    });
    await sendSms('+447911123456', 'Dein Bestätigungscode lautet 664201.');
    await page.setViewportSize({ width: 390, height: 844 });
    await open();
    await conversation('+447911123456').waitFor();
    await screenshot(page, 'mobile-list');

    /** Boxes of everything matching that reach past the 390 px viewport (none expected). */
    const overflowing = (selector: string) =>
      page.locator(selector).evaluateAll((elements) =>
        elements
          .map((element) => element.getBoundingClientRect())
          .filter((box) => box.width === 0 || box.left < 0 || box.right > document.documentElement.clientWidth)
          .map((box) => `${box.left}–${box.right}`)
      );
    expect(await overflowing('.conversation')).toEqual([]);

    await conversation('+14155550100').click();
    await page.locator('.thread-back').waitFor();
    await page.locator('#thread .message').nth(1).waitFor();
    await screenshot(page, 'mobile-thread');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    expect(await page.locator('.copy-code').count()).toBe(2);
    expect(await overflowing('.thread-head, .bubble, .copy-code, .delete-message, .meta-from')).toEqual([]);
    // The whole SID is on screen, wrapped if it must be; the head names every sender in its title.
    expect(await page.locator('.meta-from').allTextContents()).toContain(`from ${service}`);
    expect(await page.locator('.thread-sub').getAttribute('title')).toContain(service);
  });

  it('on a phone, moves focus with the view: conversation → back button → conversation', async () => {
    await sendSms('+14155550100', 'Your code is 908172');
    await page.setViewportSize({ width: 390, height: 844 });
    await open();
    await conversation('+14155550100').focus();
    await page.keyboard.press('Enter');
    await page.locator('.thread-back').waitFor();
    expect(await focused()).toBe('back');
    await page.keyboard.press('Enter');
    await conversation('+14155550100').waitFor();
    expect(await focused()).toBe('conversation +14155550100');
  });
});
