import { checkSender } from '@smsdesk/connector-twilio-sms';

import type { Sandbox } from '../src/index.js';
import {
  accountA,
  accountB,
  defaultSend,
  expectTwilioError,
  messagePath,
  messagesPath,
  request,
  send,
  startTestSandbox,
} from './helpers.js';

const rfc2822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;
const serviceSid = `MG${'c'.repeat(32)}`;

describe('Messages API', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    // Statuses stay put during these tests.
    sandbox = await startTestSandbox({ statusDelayMs: 60_000 });
  });
  afterAll(() => sandbox.close());

  describe('create', () => {
    test('answers 201 with the Message resource exactly as Twilio shapes it', async () => {
      const response = await send(sandbox);
      expect(response.status).toBe(201);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const message = response.json;
      expect(Object.keys(message)).toEqual([
        'account_sid',
        'api_version',
        'body',
        'date_created',
        'date_sent',
        'date_updated',
        'direction',
        'error_code',
        'error_message',
        'from',
        'messaging_service_sid',
        'num_media',
        'num_segments',
        'price',
        'price_unit',
        'sid',
        'status',
        'subresource_uris',
        'to',
        'uri',
      ]);
      expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
      expect(message).toMatchObject({
        account_sid: accountA.accountSid,
        api_version: '2010-04-01',
        body: 'Your code is 123456',
        date_sent: null,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from: '+15005550006',
        messaging_service_sid: null,
        num_media: '0',
        num_segments: '1',
        price: null,
        price_unit: 'USD',
        status: 'queued',
        to: '+14155551234',
        uri: `/2010-04-01/Accounts/${accountA.accountSid}/Messages/${message.sid}.json`,
        subresource_uris: {
          media: `/2010-04-01/Accounts/${accountA.accountSid}/Messages/${message.sid}/Media.json`,
          feedback: `/2010-04-01/Accounts/${accountA.accountSid}/Messages/${message.sid}/Feedback.json`,
        },
      });
      expect(message.date_created).toMatch(rfc2822);
      expect(message.date_updated).toBe(message.date_created);
      expect(sandbox.store.get(message.sid)?.body).toBe('Your code is 123456');
    });

    test('counts segments and encoding like Twilio', async () => {
      const long = await send(sandbox, { Body: 'a'.repeat(161) });
      expect(long.json.num_segments).toBe('2');
      const unicode = await send(sandbox, { Body: 'Code 123456 👍' });
      expect(unicode.json.num_segments).toBe('1');
      expect(sandbox.store.get(unicode.json.sid)?.encoding).toBe('UCS-2');
      const unicodeLong = await send(sandbox, { Body: 'é€'.repeat(20) + '👍'.repeat(20) });
      expect(unicodeLong.json.num_segments).toBe('2');
    });

    test('a Messaging Service send is accepted, with no sender and 0 segments yet', async () => {
      const response = await send(sandbox, { From: '', MessagingServiceSid: serviceSid });
      expect(response.status).toBe(201);
      expect(response.json).toMatchObject({
        status: 'accepted',
        from: null,
        messaging_service_sid: serviceSid,
        num_segments: '0',
      });
    });

    test('an MG SID passed in From is a Messaging Service send', async () => {
      const response = await send(sandbox, { From: serviceSid });
      expect(response.json).toMatchObject({ status: 'accepted', from: null, messaging_service_sid: serviceSid });
    });

    test('short codes and alphanumeric sender IDs are valid senders', async () => {
      expect((await send(sandbox, { From: '12345' })).json.from).toBe('12345');
      expect((await send(sandbox, { From: 'Acme Inc' })).json.from).toBe('Acme Inc');
    });

    test('alphanumeric sender IDs with - + _ & are valid senders, as Twilio and the connector take them', async () => {
      for (const from of ['ACME-Bank', 'A+B_C&D', 'Logto 2FA']) {
        const response = await send(sandbox, { From: from });
        expect(response.status).toBe(201);
        expect(response.json.from).toBe(from);
      }
    });

    test('accepts exactly the senders the connector’s rule accepts', async () => {
      const senders = [
        '+15005550006',
        '12345',
        'Acme Inc',
        'ACME-Bank',
        'A+B_C&D',
        'ABCDEFGHIJK',
        'ABCDEFGHIJKL',
        '12',
        '123456789',
        '+0123',
        '-_+&',
        'Lo.gto',
        'Café',
        'whatsapp:+15005550006',
        'messenger:1234567890',
      ];
      for (const from of senders) {
        const response = await send(sandbox, { From: from });
        expect({ from, status: response.status }).toEqual({ from, status: checkSender(from).ok ? 201 : 400 });
      }
    });

    test('a whatsapp: sender gets 21212 saying that WhatsApp is not supported', async () => {
      const response = await send(sandbox, { From: 'whatsapp:+15005550006' });
      expectTwilioError(response, 400, 21212);
      expect(response.json.message).toBe(
        'The \'From\' number whatsapp:+15005550006 is not a valid phone number, shortcode, or alphanumeric sender ID. WhatsApp is not supported, only SMS: use an SMS sender without the "whatsapp:" prefix.'
      );
    });

    test('accepts RiskCheck, ValidityPeriod, StatusCallback and SmartEncoded', async () => {
      const response = await send(sandbox, {
        Body: '“Your code” – 123456…',
        RiskCheck: 'disable',
        ValidityPeriod: '600',
        StatusCallback: 'https://example.com/status?tenant=7',
        SmartEncoded: 'true',
      });
      expect(response.status).toBe(201);
      expect(response.json.body).toBe('"Your code" - 123456...');
      const stored = sandbox.store.get(response.json.sid)!;
      expect(stored).toMatchObject({
        encoding: 'GSM-7',
        validityPeriod: 600,
        statusCallback: 'https://example.com/status?tenant=7',
      });
    });

    test('MediaUrl makes an MM message and counts media', async () => {
      const response = await send(sandbox, { Body: '', MediaUrl: ['https://example.com/a.png', 'https://example.com/b.png'] });
      expect(response.status).toBe(201);
      expect(response.json.sid).toMatch(/^MM[0-9a-f]{32}$/);
      expect(response.json.num_media).toBe('2');
    });

    test('ScheduleType=fixed with SendAt creates a scheduled message', async () => {
      const sendAt = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}/, '');
      const response = await send(sandbox, { MessagingServiceSid: serviceSid, ScheduleType: 'fixed', SendAt: sendAt });
      expect(response.status).toBe(201);
      expect(response.json.status).toBe('scheduled');
    });
  });

  describe('create validation, in order', () => {
    test.each([
      ['no parameters at all → To first', {}, 400, 21604],
      ['missing To', { From: '+15005550006', Body: 'x' }, 400, 21604],
      ['missing sender', { To: '+14155551234', Body: 'x' }, 400, 21603],
      ['missing content', { To: '+14155551234', From: '+15005550006' }, 400, 21602],
      ['empty Body', { To: '+14155551234', From: '+15005550006', Body: '' }, 400, 21602],
      ['missing content on a service send', { To: '+14155551234', MessagingServiceSid: serviceSid }, 400, 21619],
      ['malformed MessagingServiceSid', { To: '+14155551234', MessagingServiceSid: 'MG123', Body: 'x' }, 400, 21705],
      ['malformed MG SID in From', { To: '+14155551234', From: `MG${'z'.repeat(32)}`, Body: 'x' }, 400, 21705],
      ['body over 1,600 characters', { ...defaultSend, Body: 'a'.repeat(1601) }, 400, 21617],
      ['To without +', { ...defaultSend, To: '4155551234' }, 400, 21211],
      ['To too short', { ...defaultSend, To: '+1555' }, 400, 21211],
      ['To not a real number', { ...defaultSend, To: '+15551234567' }, 400, 21211],
      ['From not a number or sender ID', { ...defaultSend, From: 'not-a-sender!' }, 400, 21212],
      ['alphanumeric sender over 11 characters', { ...defaultSend, From: 'Acme Company Ltd' }, 400, 21212],
      ['ValidityPeriod 0', { ...defaultSend, ValidityPeriod: '0' }, 400, 21624],
      ['ValidityPeriod 36001', { ...defaultSend, ValidityPeriod: '36001' }, 400, 21624],
      ['ValidityPeriod not a number', { ...defaultSend, ValidityPeriod: 'soon' }, 400, 21624],
      ['StatusCallback not a URL', { ...defaultSend, StatusCallback: 'not a url' }, 400, 21609],
      ['StatusCallback host with underscore', { ...defaultSend, StatusCallback: 'https://my_host.example/cb' }, 400, 21609],
      ['RiskCheck with an unknown value', { ...defaultSend, RiskCheck: 'maybe' }, 400, 400],
      [
        'more than 10 MediaUrl',
        { ...defaultSend, MediaUrl: Array.from({ length: 11 }, (_, i) => `https://e.com/${i}.png`) },
        400,
        21623,
      ],
      ['ScheduleType without a service', { ...defaultSend, ScheduleType: 'fixed', SendAt: '2099-01-01T00:00:00Z' }, 400, 35118],
      ['ScheduleType without SendAt', { ...defaultSend, MessagingServiceSid: serviceSid, ScheduleType: 'fixed' }, 400, 35111],
      [
        'SendAt too soon',
        {
          ...defaultSend,
          MessagingServiceSid: serviceSid,
          ScheduleType: 'fixed',
          SendAt: new Date(Date.now() + 60_000).toISOString(),
        },
        400,
        35114,
      ],
      [
        'SendAt not a date',
        { ...defaultSend, MessagingServiceSid: serviceSid, ScheduleType: 'fixed', SendAt: 'tomorrow' },
        400,
        35114,
      ],
    ])('%s → %i / %i', async (_name, form, status, code) => {
      const response = await request(sandbox, messagesPath(accountA.accountSid), { form });
      expectTwilioError(response, status, code);
    });

    test('a JSON body is not parsed, so To is missing (21604), as on Twilio', async () => {
      const response = await request(sandbox, messagesPath(accountA.accountSid), {
        body: JSON.stringify(defaultSend),
        headers: { 'Content-Type': 'application/json' },
      });
      expectTwilioError(response, 400, 21604);
    });

    test('the error message names the offending number', async () => {
      const response = await send(sandbox, { To: '4155551234' });
      expect(response.json.message).toBe("The 'To' number 4155551234 is not a valid phone number.");
    });

    test('nothing is stored for a refused create', async () => {
      const before = sandbox.store.search({ limit: 1000 }).length;
      await send(sandbox, { To: '' });
      await send(sandbox, { Body: 'a'.repeat(1601) });
      expect(sandbox.store.search({ limit: 1000 })).toHaveLength(before);
    });
  });

  describe('magic test numbers (every account)', () => {
    test.each([
      ['From', '+15005550001', 21212],
      ['From', '+15005550007', 21606],
      ['From', '+15005550008', 21611],
      ['To', '+15005550001', 21211],
      ['To', '+15005550002', 21612],
      ['To', '+15005550003', 21408],
      ['To', '+15005550004', 21610],
      ['To', '+15005550009', 21614],
    ])('%s %s → 400 / %i', async (field, number, code) => {
      expectTwilioError(await send(sandbox, { [field]: number }), 400, code);
    });

    test('From +15005550006 succeeds', async () => {
      expect((await send(sandbox, { From: '+15005550006', To: '+15005550006' })).status).toBe(201);
    });
  });

  describe('fetch', () => {
    test('returns the stored message', async () => {
      const created = await send(sandbox);
      const fetched = await request(sandbox, messagePath(accountA.accountSid, created.json.sid));
      expect(fetched.status).toBe(200);
      expect(fetched.json).toEqual(created.json);
    });

    test('an unknown SID is 404 / 20404 with the resource path', async () => {
      const path = messagePath(accountA.accountSid, `SM${'0'.repeat(32)}`);
      const response = await request(sandbox, path);
      expectTwilioError(response, 404, 20404);
      expect(response.json.message).toBe(`The requested resource ${path} was not found`);
    });

    test.each([
      ['malformed SID', 'SMnothex'],
      ['wrong prefix', `XX${'0'.repeat(32)}`],
      ['encoded path traversal', '..%2F..%2F..%2Fetc%2Fpasswd'],
      ['bad percent-encoding', '%E0%A4%A'],
    ])('a %s is 404 / 20404', async (_name, sid) => {
      expectTwilioError(await request(sandbox, `/2010-04-01/Accounts/${accountA.accountSid}/Messages/${sid}.json`), 404, 20404);
    });
  });

  describe('update', () => {
    test('Body="" redacts the body', async () => {
      const created = await send(sandbox);
      const response = await request(sandbox, messagePath(accountA.accountSid, created.json.sid), { form: { Body: '' } });
      expect(response.status).toBe(200);
      expect(response.json.body).toBe('');
      expect(response.json.sid).toBe(created.json.sid);
      expect(sandbox.store.get(created.json.sid)?.body).toBe('');
    });

    test('Status=canceled cancels a scheduled message', async () => {
      const sendAt = new Date(Date.now() + 3_600_000).toISOString();
      const created = await send(sandbox, { MessagingServiceSid: serviceSid, ScheduleType: 'fixed', SendAt: sendAt });
      const response = await request(sandbox, messagePath(accountA.accountSid, created.json.sid), {
        form: { Status: 'canceled' },
      });
      expect(response.status).toBe(200);
      expect(response.json.status).toBe('canceled');
      expect(sandbox.store.get(created.json.sid)?.status).toBe('canceled');
    });

    test('Status=canceled on a message that is not scheduled is 30409', async () => {
      const created = await send(sandbox);
      const response = await request(sandbox, messagePath(accountA.accountSid, created.json.sid), {
        form: { Status: 'canceled' },
      });
      expectTwilioError(response, 400, 30409);
      expect(sandbox.store.get(created.json.sid)?.status).toBe('queued');
    });

    test.each([
      ['neither Body nor Status', {}],
      ['both Body and Status', { Body: '', Status: 'canceled' }],
      ['a non-empty Body', { Body: 'new text' }],
      ['another Status', { Status: 'delivered' }],
    ])('%s is 30400', async (_name, form) => {
      const created = await send(sandbox);
      expectTwilioError(await request(sandbox, messagePath(accountA.accountSid, created.json.sid), { form }), 400, 30400);
    });

    test('an unknown SID is 404 / 20404', async () => {
      const response = await request(sandbox, messagePath(accountA.accountSid, `SM${'1'.repeat(32)}`), { form: { Body: '' } });
      expectTwilioError(response, 404, 20404);
    });
  });

  describe('delete', () => {
    test('a message still in flight cannot be deleted (20009)', async () => {
      const created = await send(sandbox);
      const response = await request(sandbox, messagePath(accountA.accountSid, created.json.sid), { method: 'DELETE' });
      expectTwilioError(response, 409, 20009);
      expect(sandbox.store.get(created.json.sid)).toBeDefined();
    });

    test('a sent message still waits for its delivery receipt and cannot be deleted (20009), as on Twilio', async () => {
      const created = await send(sandbox);
      sandbox.store.update(created.json.sid, null, { status: 'sent', dateUpdated: Date.now() });
      const response = await request(sandbox, messagePath(accountA.accountSid, created.json.sid), { method: 'DELETE' });
      expectTwilioError(response, 409, 20009);
    });

    test('a finished message is deleted with 204 and is gone afterwards', async () => {
      const created = await send(sandbox);
      sandbox.store.update(created.json.sid, null, { status: 'delivered', dateUpdated: Date.now() });
      const response = await request(sandbox, messagePath(accountA.accountSid, created.json.sid), { method: 'DELETE' });
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      expectTwilioError(await request(sandbox, messagePath(accountA.accountSid, created.json.sid)), 404, 20404);
    });

    test('an unknown SID is 404 / 20404', async () => {
      const response = await request(sandbox, messagePath(accountA.accountSid, `SM${'2'.repeat(32)}`), { method: 'DELETE' });
      expectTwilioError(response, 404, 20404);
    });
  });

  describe('media and feedback', () => {
    const base = (sid: string) => `/2010-04-01/Accounts/${accountA.accountSid}/Messages/${sid}`;

    test('a message without MediaUrl has num_media "0" and an empty Media list', async () => {
      const created = await send(sandbox);
      expect(created.json.num_media).toBe('0');
      const response = await request(sandbox, `${base(created.json.sid)}/Media.json`);
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({ media_list: [], page: 0, start: 0, end: 0, next_page_uri: null });
    });

    test('each MediaUrl is a Media resource, as many as num_media, each fetchable by its uri', async () => {
      const created = await send(sandbox, {
        Body: 'see attached',
        MediaUrl: ['https://example.com/a.JPG', 'https://example.com/card.vcf?x=1', 'https://example.com/blob'],
      });
      expect(created.json.num_media).toBe('3');
      const listed = await request(sandbox, `${base(created.json.sid)}/Media.json`);
      expect(listed.json.media_list).toHaveLength(Number(created.json.num_media));
      expect(listed.json.media_list.map((media: { content_type: string }) => media.content_type)).toEqual([
        'image/jpeg',
        'text/vcard',
        'application/octet-stream',
      ]);
      const [first] = listed.json.media_list;
      expect(first).toEqual({
        account_sid: accountA.accountSid,
        content_type: 'image/jpeg',
        date_created: created.json.date_created,
        date_updated: created.json.date_created,
        parent_sid: created.json.sid,
        sid: expect.stringMatching(/^ME[0-9a-f]{32}$/),
        uri: `${base(created.json.sid)}/Media/${first.sid}.json`,
      });
      expect((await request(sandbox, first.uri)).json).toEqual(first);
      expectTwilioError(await request(sandbox, `${base(created.json.sid)}/Media/ME${'0'.repeat(32)}.json`), 404, 20404);
      // Another account sees neither the message nor its media.
      expectTwilioError(
        await request(sandbox, first.uri.replace(accountA.accountSid, accountB.accountSid), { account: accountB }),
        404,
        20404
      );
    });

    test('a MediaUrl that is not an absolute http(s) URL is 21620', async () => {
      expectTwilioError(await send(sandbox, { MediaUrl: 'ftp://example.com/a.png' }), 400, 21620);
      expectTwilioError(await send(sandbox, { MediaUrl: '/relative.png' }), 400, 21620);
    });

    test('subresource_uris.feedback leads to a working Feedback route', async () => {
      const created = await send(sandbox);
      const response = await request(sandbox, created.json.subresource_uris.feedback, { form: { Outcome: 'unconfirmed' } });
      expect(response.status).toBe(201);
      expect(response.json).toEqual({
        account_sid: accountA.accountSid,
        message_sid: created.json.sid,
        outcome: 'unconfirmed',
        date_created: expect.stringMatching(/\+0000$/),
        date_updated: expect.stringMatching(/\+0000$/),
        uri: created.json.subresource_uris.feedback,
      });
      expect((await request(sandbox, created.json.subresource_uris.feedback, { method: 'POST' })).json.outcome).toBe('confirmed');
      expectTwilioError(await request(sandbox, created.json.subresource_uris.feedback, { form: { Outcome: 'maybe' } }), 400, 400);
      expectTwilioError(await request(sandbox, `${base(`SM${'3'.repeat(32)}`)}/Feedback.json`, { form: {} }), 404, 20404);
    });
  });

  describe('routing', () => {
    test('an unknown path is 404 / 20404', async () => {
      expectTwilioError(await request(sandbox, `/2010-04-01/Accounts/${accountA.accountSid}/Calls.json`), 404, 20404);
      expectTwilioError(await request(sandbox, '/no/such/thing'), 404, 20404);
    });

    test('a path without .json is 404 / 20404 (the sandbox speaks JSON only)', async () => {
      expectTwilioError(await request(sandbox, `/2010-04-01/Accounts/${accountA.accountSid}/Messages`), 404, 20404);
    });

    test('a wrong method is 405 / 20004 with Allow', async () => {
      const response = await request(sandbox, messagesPath(accountA.accountSid), { method: 'PUT', body: 'x' });
      expectTwilioError(response, 405, 20004);
      expect(response.headers.get('allow')).toBe('POST, GET, HEAD');
    });

    test('HEAD answers like GET, without a body', async () => {
      const created = await send(sandbox);
      for (const path of [
        messagesPath(accountA.accountSid),
        messagePath(accountA.accountSid, created.json.sid),
        '/',
        '/inbox.css',
      ]) {
        const get = await request(sandbox, path);
        const head = await request(sandbox, path, { method: 'HEAD' });
        expect(head.status).toBe(200);
        expect(head.text).toBe('');
        expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
        if (path !== messagesPath(accountA.accountSid)) {
          // (The list's dates move on between the two requests; a single message's do not.)
          expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
        }
      }
      const unauthenticated = await request(sandbox, messagesPath(accountA.accountSid), { method: 'HEAD', account: null });
      expect(unauthenticated.status).toBe(401);
      expect(unauthenticated.text).toBe('');
      const missing = await request(sandbox, messagePath(accountA.accountSid, `SM${'4'.repeat(32)}`), { method: 'HEAD' });
      expect(missing.status).toBe(404);
      expect(missing.text).toBe('');
    });
  });
});
