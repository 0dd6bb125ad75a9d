import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

import type { Sandbox } from '../src/index.js';
import { accountA, accountB, startTestSandbox, waitForStatus, newMessage } from './helpers.js';

/**
 * The official SDK's own HTTP client, with `https://api.twilio.com` swapped for the sandbox. The SDK
 * takes a custom `httpClient` as a documented option, and builds every URL (including the
 * next_page_uri it follows) as api.twilio.com, so this one substitution covers all requests.
 */
class SandboxRequestClient extends twilio.RequestClient {
  constructor(private readonly baseUrl: string) {
    super();
  }

  override request<TData>(options: RequestClient.RequestOptions<TData>) {
    return super.request<TData>({ ...options, uri: options.uri.replace(/^https:\/\/api\.twilio\.com/, this.baseUrl) });
  }
}

describe('the official twilio SDK against the sandbox', () => {
  let sandbox: Sandbox;
  let client: twilio.Twilio;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    client = twilio(accountA.accountSid, accountA.authToken, { httpClient: new SandboxRequestClient(sandbox.url) });
  });
  afterAll(() => sandbox.close());

  test('creates, fetches, redacts and deletes a message', async () => {
    const created = await client.messages.create({ to: '+14155551234', from: '+15005550006', body: 'Your code is 135790' });
    expect(created.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(created).toMatchObject({
      accountSid: accountA.accountSid,
      to: '+14155551234',
      from: '+15005550006',
      body: 'Your code is 135790',
      status: 'queued',
      numSegments: '1',
      direction: 'outbound-api',
      apiVersion: '2010-04-01',
      priceUnit: 'USD',
    });
    expect(created.dateCreated).toBeInstanceOf(Date);
    expect(Number.isNaN(created.dateCreated.getTime())).toBe(false);

    await waitForStatus(sandbox, created.sid, 'delivered');
    const fetched = await client.messages(created.sid).fetch();
    expect(fetched).toMatchObject({ sid: created.sid, status: 'delivered', price: '-0.00790' });
    expect(fetched.dateSent).toBeInstanceOf(Date);

    const redacted = await client.messages(created.sid).update({ body: '' });
    expect(redacted.body).toBe('');
    expect(await client.messages(created.sid).remove()).toBe(true);
    await expect(client.messages(created.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  test('lists media and posts feedback through the SDK', async () => {
    const created = await client.messages.create({
      to: '+14155551234',
      from: '+15005550006',
      body: 'with a picture',
      mediaUrl: ['https://example.com/picture.png'],
    });
    expect(created.sid).toMatch(/^MM/);
    expect(created.numMedia).toBe('1');
    const media = await client.messages(created.sid).media.list();
    expect(media).toHaveLength(1);
    expect(media[0]).toMatchObject({ parentSid: created.sid, contentType: 'image/png' });
    expect((await client.messages(created.sid).media(media[0]!.sid).fetch()).sid).toBe(media[0]!.sid);
    const feedback = await client.messages(created.sid).feedback.create({ outcome: 'confirmed' });
    expect(feedback).toMatchObject({ messageSid: created.sid, outcome: 'confirmed' });
  });

  test('lists with paging the SDK follows by itself', async () => {
    const to = '+12025550143';
    const sids: string[] = [];
    for (let index = 0; index < 7; index += 1) {
      sids.push((await client.messages.create({ to, from: '+15005550006', body: `message ${index}` })).sid);
    }
    const listed = await client.messages.list({ to, pageSize: 3 });
    expect(listed.map((message) => message.sid)).toEqual([...sids].reverse());
    const limited = await client.messages.list({ to, pageSize: 2, limit: 5 });
    expect(limited).toHaveLength(5);
    const page = await client.messages.page({ to, pageSize: 3 });
    expect(page.instances).toHaveLength(3);
    const next = await page.nextPage();
    expect(next!.instances.map((message) => message.sid)).toEqual([...sids].reverse().slice(3, 6));
  });

  test('surfaces Twilio errors as RestException with code, status and moreInfo', async () => {
    await expect(client.messages.create({ to: '5551234', from: '+15005550006', body: 'x' })).rejects.toMatchObject({
      status: 400,
      code: 21211,
      moreInfo: 'https://www.twilio.com/docs/errors/21211',
    });
    await expect(client.messages.create({ to: '+15005550009', from: '+15005550006', body: 'x' })).rejects.toMatchObject({
      code: 21614,
    });
  });

  test('authenticates with an API key and the Account SID', async () => {
    const keyClient = twilio(accountA.apiKeys[0]!.sid, accountA.apiKeys[0]!.secret, {
      accountSid: accountA.accountSid,
      httpClient: new SandboxRequestClient(sandbox.url),
    });
    const created = await keyClient.messages.create({ to: '+14155551234', from: '+15005550006', body: 'via key' });
    expect(created.accountSid).toBe(accountA.accountSid);
  });

  test('wrong credentials are a 401 / 20003', async () => {
    const wrong = twilio(accountB.accountSid, 'not-the-token', { httpClient: new SandboxRequestClient(sandbox.url) });
    await expect(wrong.messages.list({ limit: 1 })).rejects.toMatchObject({ status: 401, code: 20003 });
  });

  test('filters by DateSent, DateSent< and DateSent> as whole GMT days, as the SDK sends them', async () => {
    // The SDK sends every date as a date-time (`DateSent=2026-11-26T15:30:00Z`); Twilio filters by day.
    const sentAt = {
      'late on the 25th': Date.UTC(2026, 10, 25, 23, 59, 59, 999),
      'start of the 26th': Date.UTC(2026, 10, 26, 0, 0, 0, 0),
      'end of the 26th': Date.UTC(2026, 10, 26, 23, 59, 59, 999),
      'start of the 27th': Date.UTC(2026, 10, 27, 0, 0, 0, 0),
    };
    for (const [body, dateSent] of Object.entries(sentAt)) {
      sandbox.store.insert(
        newMessage({
          accountSid: accountB.accountSid,
          to: '+14155550177',
          body,
          status: 'delivered',
          price: '-0.00790',
          dateCreated: dateSent,
          dateUpdated: dateSent,
          dateSent,
        })
      );
    }
    const clientB = twilio(accountB.accountSid, accountB.authToken, { httpClient: new SandboxRequestClient(sandbox.url) });
    const bodies = async (filter: { dateSent?: Date; dateSentBefore?: Date; dateSentAfter?: Date }) =>
      (await clientB.messages.list({ to: '+14155550177', ...filter })).map((message) => message.body);
    const afternoon = new Date(Date.UTC(2026, 10, 26, 15, 30));
    expect(await bodies({ dateSent: afternoon })).toEqual(['end of the 26th', 'start of the 26th']);
    expect(await bodies({ dateSent: new Date(Date.UTC(2026, 10, 26)) })).toEqual(['end of the 26th', 'start of the 26th']);
    expect(await bodies({ dateSentBefore: afternoon })).toEqual(['end of the 26th', 'start of the 26th', 'late on the 25th']);
    expect(await bodies({ dateSentAfter: afternoon })).toEqual(['start of the 27th', 'end of the 26th', 'start of the 26th']);
    expect(await bodies({ dateSentAfter: afternoon, dateSentBefore: afternoon })).toEqual([
      'end of the 26th',
      'start of the 26th',
    ]);
  });

  test('sends through a Messaging Service and reads Usage Records', async () => {
    const serviceSid = `MG${'f'.repeat(32)}`;
    const created = await client.messages.create({ to: '+14155551234', messagingServiceSid: serviceSid, body: 'service' });
    expect(created).toMatchObject({ status: 'accepted', messagingServiceSid: serviceSid, from: null });
    // Usage counts messages once sent: let every message of this file finish first.
    while (sandbox.store.unfinished().length > 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const records = await client.usage.records.list({ category: 'sms', startDate: new Date(Date.now() - 86_400_000) });
    expect(records).toHaveLength(1);
    expect(Number(records[0]!.count)).toBeGreaterThan(0);
    const today = await client.usage.records.today.list({ category: 'sms' });
    expect(today[0]!.count).toBe(records[0]!.count);
  });
});
