import type { MessageStatus, Sandbox } from '../src/index.js';
import { newSid } from '../src/twilio/sids.js';
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
    seed(1, 1, 'sent');
    seed(10, 3, 'undelivered');
    seed(40, 1);
    // Not billed: never left the platform, or not yet sent.
    seed(0, 5, 'failed');
    seed(0, 5, 'canceled');
    for (const status of ['accepted', 'scheduled', 'queued', 'sending'] as const) {
      seed(0, 4, status);
    }
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
      usage_unit: 'segments',
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
    expect(
      response.json.usage_records.map((record: { category: string; count: string }) => [record.category, record.count])
    ).toEqual([
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

  test.each([
    ['StartDate=2024-02-30'],
    ['StartDate=last-week'],
    ['EndDate=2024/01/01'],
    ['PageSize=0'],
    ['Page=1e20'],
    ['PageSize=0x10'],
    ['PageSize=1.0'],
  ])('%s is a Twilio-shaped 400', async (query) => {
    expectTwilioError(await request(sandbox, `${usagePath()}?${query}`), 400, 400);
  });

  test('out-of-range dates are a 400 at once, never a walk over the years', async () => {
    for (const query of [
      'StartDate=-99999years',
      'EndDate=%2B99999years',
      'StartDate=%2B8000years',
      'StartDate=-99999months',
      'EndDate=10000-01-01',
    ]) {
      expectTwilioError(await request(sandbox, `${usagePath('/Daily')}?${query}`), 400, 400);
      expectTwilioError(await request(sandbox, `${usagePath()}?${query}`), 400, 400);
    }
    // 10,000 years of days is more records than a list may have.
    expectTwilioError(await request(sandbox, `${usagePath('/Daily')}?StartDate=0000-01-01&EndDate=9999-12-31`), 400, 400);
  });

  test('one record over years 0000–9999 is one SQL aggregate', async () => {
    const response = await request(sandbox, `${usagePath()}?Category=sms&StartDate=0000-01-01&EndDate=9999-12-31`);
    expect(response.status).toBe(200);
    expect(response.json.usage_records).toEqual([
      expect.objectContaining({ start_date: '0000-01-01', end_date: '9999-12-31', count: '5', usage: '8' }),
    ]);
    const offset = await request(sandbox, `${usagePath()}?Category=sms&StartDate=-2000years`);
    expect(offset.json.usage_records[0]).toMatchObject({ count: '5', end_date: isoDate(today) });
  });

  test('Yearly over years 0000–9999 pages through 10,000 records, built page by page', async () => {
    const path = `${usagePath('/Yearly')}?Category=sms&StartDate=0000-01-01&EndDate=9999-12-31&PageSize=1000`;
    const first = await request(sandbox, path);
    expect(first.json.usage_records).toHaveLength(1000);
    expect(first.json.usage_records[0]).toMatchObject({ start_date: '0000-01-01', end_date: '0000-12-31', count: '0' });
    expect(first.json.usage_records[99]).toMatchObject({ start_date: '0099-01-01', end_date: '0099-12-31' });
    const last = await request(sandbox, `${path}&Page=9`);
    expect(last.json).toMatchObject({ start: 9000, end: 9999, next_page_uri: null });
    expect(last.json.usage_records.at(-1)).toMatchObject({ start_date: '9999-01-01', end_date: '9999-12-31' });
    const year = new Date(today).getUTCFullYear();
    const current = await request(sandbox, `${path}&Page=${Math.floor(year / 1000)}`);
    const billed = current.json.usage_records
      .filter((record: { start_date: string }) => [year - 1, year].includes(Number(record.start_date.slice(0, 4))))
      .reduce((sum: number, record: { count: string }) => sum + Number(record.count), 0);
    expect(billed).toBe(5);
  });

  test('Monthly records are calendar months clipped to the range', async () => {
    const response = await request(sandbox, `${usagePath('/Monthly')}?Category=sms&StartDate=2024-01-15&EndDate=2024-03-10`);
    expect(
      response.json.usage_records.map((record: { start_date: string; end_date: string }) => [record.start_date, record.end_date])
    ).toEqual([
      ['2024-01-15', '2024-01-31'],
      ['2024-02-01', '2024-02-29'],
      ['2024-03-01', '2024-03-10'],
    ]);
  });

  test('usage is scoped to the account', async () => {
    const response = await request(sandbox, `/2010-04-01/Accounts/${accountB.accountSid}/Usage/Records.json?Category=sms`, {
      account: accountB,
    });
    expect(response.json.usage_records[0]).toMatchObject({ account_sid: accountB.accountSid, count: '1', usage: '7' });
  });
});
