import type { Sandbox } from '../src/index.js';
import { accountA, accountB, expectTwilioError, messagesPath, request, send, startTestSandbox, newMessage } from './helpers.js';

const day = 86_400_000;

describe('Messages list', () => {
  let sandbox: Sandbox;
  const sids: string[] = [];

  beforeAll(async () => {
    sandbox = await startTestSandbox({ statusDelayMs: 60_000 });
    for (let index = 0; index < 7; index += 1) {
      const response = await send(sandbox, { Body: `message ${index}`, To: index % 2 === 0 ? '+14155551234' : '+14155550000' });
      sids.push(response.json.sid);
    }
    await send(sandbox, { Body: 'for B' }, accountB);
  });
  afterAll(() => sandbox.close());

  test('lists the account’s messages newest first with the default page size', async () => {
    const response = await request(sandbox, messagesPath(accountA.accountSid));
    expect(response.status).toBe(200);
    const path = messagesPath(accountA.accountSid);
    expect(response.json).toMatchObject({
      page: 0,
      page_size: 50,
      start: 0,
      end: 6,
      uri: `${path}?PageSize=50&Page=0`,
      first_page_uri: `${path}?PageSize=50&Page=0`,
      next_page_uri: null,
      previous_page_uri: null,
    });
    expect(response.json.messages.map((message: { sid: string }) => message.sid)).toEqual([...sids].reverse());
  });

  test('pages with start/end, and next_page_uri followed verbatim reaches the end', async () => {
    const path = messagesPath(accountA.accountSid);
    let next: string | null = `${path}?PageSize=3`;
    const pages: Array<{ start: number; end: number; page: number; sids: string[] }> = [];
    while (next) {
      const response = await request(sandbox, next);
      expect(response.status).toBe(200);
      pages.push({
        start: response.json.start,
        end: response.json.end,
        page: response.json.page,
        sids: response.json.messages.map((message: { sid: string }) => message.sid),
      });
      next = response.json.next_page_uri;
      if (pages.length > 1) {
        expect(response.json.previous_page_uri).toMatch(/[?&]Page=\d+&PageToken=PBSM[0-9a-f]{32}$/);
      }
    }
    expect(pages.map(({ page, start, end }) => [page, start, end])).toEqual([
      [0, 0, 2],
      [1, 3, 5],
      [2, 6, 6],
    ]);
    expect(pages.flatMap((page) => page.sids)).toEqual([...sids].reverse());
  });

  test('next_page_uri carries a PA token and previous_page_uri leads back to the same page', async () => {
    const path = messagesPath(accountA.accountSid);
    const first = await request(sandbox, `${path}?PageSize=2`);
    expect(first.json.next_page_uri).toBe(`${path}?PageSize=2&Page=1&PageToken=PA${first.json.messages[1].sid}`);
    const second = await request(sandbox, first.json.next_page_uri);
    const back = await request(sandbox, second.json.previous_page_uri);
    expect(back.json.messages.map((message: { sid: string }) => message.sid)).toEqual(
      first.json.messages.map((message: { sid: string }) => message.sid)
    );
  });

  test('an empty page after page 0 reports end 0, as Twilio does', async () => {
    const response = await request(sandbox, `${messagesPath(accountA.accountSid)}?PageSize=2&Page=10`);
    expect(response.json).toMatchObject({ messages: [], page: 10, start: 20, end: 0, next_page_uri: null });
    expect(response.json.previous_page_uri).toBe(`${messagesPath(accountA.accountSid)}?PageSize=2&Page=9`);
  });

  test('Page × PageSize up to the cap is answered', async () => {
    const response = await request(sandbox, `${messagesPath(accountA.accountSid)}?PageSize=1000&Page=1000000`);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ messages: [], start: 1_000_000_000, end: 0 });
  });

  test('Page without a token pages by offset', async () => {
    const response = await request(sandbox, `${messagesPath(accountA.accountSid)}?PageSize=2&Page=3`);
    expect(response.json).toMatchObject({ page: 3, start: 6, end: 6, next_page_uri: null });
    expect(response.json.messages.map((message: { sid: string }) => message.sid)).toEqual([sids[0]]);
  });

  test('an empty first page reports start 0, end 0', async () => {
    const response = await request(sandbox, `${messagesPath(accountA.accountSid)}?To=%2B19995550000`);
    expect(response.json).toMatchObject({ messages: [], start: 0, end: 0, next_page_uri: null });
  });

  test('filters by To and From and echoes them in every URI', async () => {
    const path = messagesPath(accountA.accountSid);
    const response = await request(sandbox, `${path}?To=%2B14155551234&From=%2B15005550006&PageSize=2`);
    expect(response.json.messages).toHaveLength(2);
    for (const message of response.json.messages) {
      expect(message.to).toBe('+14155551234');
    }
    expect(response.json.uri).toBe(`${path}?To=%2B14155551234&From=%2B15005550006&PageSize=2&Page=0`);
    expect(response.json.first_page_uri).toBe(response.json.uri);
    expect(response.json.next_page_uri).toMatch(/^.*\?To=%2B14155551234&From=%2B15005550006&PageSize=2&Page=1&PageToken=PA/);
    const rest = await request(sandbox, response.json.next_page_uri);
    expect(rest.json.messages).toHaveLength(2);
    expect(rest.json.next_page_uri).toBeNull();
    const none = await request(sandbox, `${path}?From=%2B19999999999`);
    expect(none.json.messages).toEqual([]);
  });

  test('filters by DateSent, DateSent< and DateSent>', async () => {
    // Its own sandbox: the messages it seeds would change what the other tests list.
    const dated = await startTestSandbox({ statusDelayMs: 60_000 });
    try {
      const base = Date.UTC(2024, 0, 10, 12);
      const seeded = [-2, -1, 0, 1].map((offset) => {
        const { sid } = dated.store.insert(
          newMessage({
            to: '+14155559999',
            body: `day ${offset}`,
            status: 'delivered',
            price: '-0.00790',
            dateCreated: base + offset * day,
            dateUpdated: base + offset * day,
            dateSent: base + offset * day,
          })
        );
        return { sid, offset };
      });
      const list = async (query: string) =>
        (await request(dated, `${messagesPath(accountA.accountSid)}?To=%2B14155559999&${query}`)).json.messages.map(
          (message: { body: string }) => message.body
        );
      expect(await list('DateSent=2024-01-10')).toEqual(['day 0']);
      expect(await list('DateSent%3C=2024-01-09')).toEqual(['day -1', 'day -2']);
      expect(await list('DateSent%3E=2024-01-10')).toEqual(['day 1', 'day 0']);
      expect(await list('DateSent%3E=2024-01-09&DateSent%3C=2024-01-10')).toEqual(['day 0', 'day -1']);
      // A date-time counts as its GMT date, whatever its time of day or zone.
      expect(await list('DateSent=2024-01-10T23:59:59Z')).toEqual(['day 0']);
      expect(await list('DateSent=2024-01-11T01:00:00%2B02:00')).toEqual(['day 0']);
      expect(await list('DateSent%3C=2024-01-09T00:00:00Z')).toEqual(['day -1', 'day -2']);
      expect(await list('DateSent%3E=2024-01-10T18:00:00.000Z')).toEqual(['day 1', 'day 0']);
      const echoed = await request(dated, `${messagesPath(accountA.accountSid)}?DateSent%3E=2024-01-09`);
      expect(echoed.json.uri).toContain('DateSent%3E=2024-01-09&PageSize=50&Page=0');
      expect(seeded).toHaveLength(4);
    } finally {
      await dated.close();
    }
  });

  test.each([
    ['PageSize=0'],
    ['PageSize=1001'],
    ['PageSize=ten'],
    ['Page=-1'],
    ['PageToken=garbage'],
    ['DateSent=yesterday'],
    ['DateSent%3C=2024-13-45'],
    ['Page=1e20'],
    ['Page=99999999999999999999'],
    ['Page=1.5'],
    ['PageSize=0x10'],
    ['PageSize=1.0'],
    ['PageSize=%2010'],
    ['PageSize=%2B10'],
    ['PageSize='],
    ['PageSize=1000&Page=1000001'],
    ['DateSent=2024-02-30'],
    ['DateSent=2024-01-10T25:00:00Z'],
    ['DateSent=2024-01-10Tnoon'],
  ])('%s is a Twilio-shaped 400', async (query) => {
    expectTwilioError(await request(sandbox, `${messagesPath(accountA.accountSid)}?${query}`), 400, 400);
  });

  test('PageSize=1000 is allowed', async () => {
    const response = await request(sandbox, `${messagesPath(accountA.accountSid)}?PageSize=1000`);
    expect(response.json.page_size).toBe(1000);
  });
});
