import type { MessageStatus, Sandbox } from '../src/index.js';
import { newSid } from '../src/sids.js';
import { accountA, accountB, expectTwilioError, request, startTestSandbox } from './helpers.js';

const day = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const usagePath = (sub = '') => `/2010-04-01/Accounts/${accountA.accountSid}/Usage/Records${sub}.json`;

describe('Usage Records', () => {
  let sandbox: Sandbox;
  const today = Math.floor(Date.now() / day) * day;

  const seed = (daysAgo: number, segments: number, status: MessageStatus = 'delivered', accountSid = accountA.accountSid) => {
    const at = today - daysAgo * day + 3_600_000;
    sandbox.store.insert({
      sid: newSid('SM'),
      accountSid,
      messagingServiceSid: null,
      to: '+14155551234',
      from: '+15005550006',
      body: 'x',
      status,
      numSegments: segments,
      segments,
      encoding: 'GSM-7',
      numMedia: 0,
      price: null,
      errorCode: null,
      errorMessage: null,
      statusCallback: null,
      validityPeriod: null,
      sendAt: null,
      dateCreated: at,
      dateUpdated: at,
      dateSent: at,
    });
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox({ statusDelayMs: 60_000 });
    seed(0, 1);
    seed(0, 2);
    seed(1, 1);
    seed(10, 3);
    seed(40, 1);
    seed(0, 5, 'failed');
    seed(0, 5, 'canceled');
    seed(0, 7, 'delivered', accountB.accountSid);
  });
  afterAll(() => sandbox.close());

  test('Category=sms with StartDate: what a connector’s getUsage reads (count = billed messages)', async () => {
    const startDate = isoDate(today - 5 * day);
    const response = await request(sandbox, `${usagePath()}?Category=sms&StartDate=${startDate}`);
    expect(response.status).toBe(200);
    expect(response.json.usage_records).toHaveLength(1);
    const [record] = response.json.usage_records;
    expect(record).toEqual({
      account_sid: accountA.accountSid,
      api_version: '2010-04-01',
      as_of: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/),
      category: 'sms',
      count: '3',
      count_unit: 'messages',
      description: 'SMS',
      end_date: isoDate(today),
      price: (4 * 0.0079).toFixed(5),
      price_unit: 'usd',
      start_date: startDate,
      subresource_uris: expect.objectContaining({
        daily: `/2010-04-01/Accounts/${accountA.accountSid}/Usage/Records/Daily.json?Category=sms`,
        all_time: `/2010-04-01/Accounts/${accountA.accountSid}/Usage/Records/AllTime.json?Category=sms`,
      }),
      uri: `${usagePath()}?Category=sms&StartDate=${startDate}&EndDate=${isoDate(today)}`,
      usage: '4',
      usage_unit: 'messages',
    });
    expect(response.json).toMatchObject({
      page: 0,
      page_size: 50,
      start: 0,
      end: 0,
      uri: `${usagePath()}?Category=sms&StartDate=${startDate}&PageSize=50&Page=0`,
      next_page_uri: null,
      previous_page_uri: null,
    });
  });

  test('StartDate accepts offsets such as -30days', async () => {
    const response = await request(sandbox, `${usagePath()}?Category=sms&StartDate=-30days`);
    expect(response.json.usage_records[0]).toMatchObject({ count: '4', usage: '7', start_date: isoDate(today - 30 * day) });
  });

  test('without dates the whole history counts, in sms and sms-outbound', async () => {
    const response = await request(sandbox, usagePath());
    expect(response.json.usage_records.map((record: { category: string; count: string }) => [record.category, record.count])).toEqual([
      ['sms', '5'],
      ['sms-outbound', '5'],
    ]);
    expect(response.json.usage_records[0].start_date).toBe(isoDate(today - 40 * day));
  });

  test('EndDate bounds the range', async () => {
    const response = await request(
      sandbox,
      `${usagePath()}?Category=sms-outbound&StartDate=${isoDate(today - 60 * day)}&EndDate=${isoDate(today - 2 * day)}`
    );
    expect(response.json.usage_records[0]).toMatchObject({ category: 'sms-outbound', count: '2', usage: '4' });
  });

  test('an unknown category has no records', async () => {
    const response = await request(sandbox, `${usagePath()}?Category=calls`);
    expect(response.json.usage_records).toEqual([]);
  });

  test('Today and Yesterday', async () => {
    const todayResponse = await request(sandbox, `${usagePath('/Today')}?Category=sms`);
    expect(todayResponse.json.usage_records).toEqual([
      expect.objectContaining({ count: '2', usage: '3', start_date: isoDate(today), end_date: isoDate(today) }),
    ]);
    const yesterday = await request(sandbox, `${usagePath('/Yesterday')}?Category=sms`);
    expect(yesterday.json.usage_records[0]).toMatchObject({ count: '1', start_date: isoDate(today - day) });
  });

  test('Daily has one record per day in the range, paged', async () => {
    const response = await request(sandbox, `${usagePath('/Daily')}?Category=sms&StartDate=-10days&PageSize=5`);
    expect(response.json.usage_records).toHaveLength(5);
    expect(response.json.usage_records[0]).toMatchObject({ start_date: isoDate(today - 10 * day), count: '1', usage: '3' });
    expect(response.json.next_page_uri).toBe(`${usagePath('/Daily')}?Category=sms&StartDate=-10days&PageSize=5&Page=1`);
    const all: Array<{ count: string }> = [];
    let next: string | null = response.json.next_page_uri;
    all.push(...response.json.usage_records);
    while (next) {
      const page = await request(sandbox, next);
      all.push(...page.json.usage_records);
      next = page.json.next_page_uri;
    }
    expect(all).toHaveLength(11);
    expect(all.reduce((sum, record) => sum + Number(record.count), 0)).toBe(4);
  });

  test('AllTime, Monthly, Yearly, ThisMonth and LastMonth answer in the same shape', async () => {
    for (const sub of ['/AllTime', '/Monthly', '/Yearly', '/ThisMonth', '/LastMonth']) {
      const response = await request(sandbox, `${usagePath(sub)}?Category=sms`);
      expect(response.status).toBe(200);
      expect(Array.isArray(response.json.usage_records)).toBe(true);
      expect(response.json.usage_records.length).toBeGreaterThan(0);
    }
    const allTime = await request(sandbox, `${usagePath('/AllTime')}?Category=sms`);
    expect(allTime.json.usage_records[0].count).toBe('5');
  });

  test('an unknown subresource is 404 / 20404', async () => {
    expectTwilioError(await request(sandbox, usagePath('/Hourly')), 404, 20404);
  });

  test.each([['StartDate=2024-02-30'], ['StartDate=last-week'], ['EndDate=2024/01/01'], ['PageSize=0'], ['Page=1e20'], ['PageSize=0x10'], ['PageSize=1.0']])(
    '%s is a Twilio-shaped 400',
    async (query) => {
      expectTwilioError(await request(sandbox, `${usagePath()}?${query}`), 400, 400);
    }
  );

  test('usage is scoped to the account', async () => {
    const response = await request(sandbox, `/2010-04-01/Accounts/${accountB.accountSid}/Usage/Records.json?Category=sms`, {
      account: accountB,
    });
    expect(response.json.usage_records[0]).toMatchObject({ account_sid: accountB.accountSid, count: '1', usage: '7' });
  });
});
