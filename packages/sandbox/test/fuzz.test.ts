/**
 * Generated requests against the Twilio routes: whatever the method, path, content type, headers
 * and bytes, the sandbox answers 2xx or a Twilio-shaped 4xx, never a 5xx, and keeps answering.
 */
import fc from 'fast-check';
import { request as undiciRequest } from 'undici';

import type { Sandbox } from '../src/index.js';
import { accountA, basic, send, startTestSandbox } from './helpers.js';

const segment = fc.oneof(
  fc.constantFrom(
    '2010-04-01',
    'Accounts',
    accountA.accountSid,
    'Messages.json',
    'Messages',
    'Usage',
    'Records.json',
    'Records',
    'Today.json',
    '..',
    '%2e%2e',
    '.',
    '',
    '%00',
    '%ZZ',
    'SM0123456789abcdef0123456789abcdef.json',
    'Media.json',
    'api',
    'faults'
  ),
  fc.string({ maxLength: 12 }).map(encodeURIComponent)
);
const path = fc
  .tuple(
    fc.constantFrom('/2010-04-01/Accounts/', '/'),
    fc.array(segment, { maxLength: 6 }),
    fc.constantFrom('', '?PageSize=2', '?PageSize=-1&Page=x', '?To=%ZZ', '?DateSent%3E=not-a-date')
  )
  .map(([prefix, parts, query]) => `${prefix}${parts.join('/')}${query}`);
const contentType = fc.constantFrom(
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=latin1',
  'application/json',
  'text/plain',
  'multipart/form-data; boundary=x',
  ''
);
const formField = fc.tuple(
  fc.constantFrom(
    'To',
    'From',
    'Body',
    'MessagingServiceSid',
    'StatusCallback',
    'ValidityPeriod',
    'SendAt',
    'ScheduleType',
    'MediaUrl',
    'Status',
    'x'
  ),
  fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom('+15005550006', '+14155551234', 'MG0123', '-1', '99999999', 'fixed', 'canceled', '')
  )
);
const body = fc.oneof(
  fc
    .array(formField, { maxLength: 8 })
    .map((fields) => fields.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&')),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom('%', '%%%', 'To=%E0%A4%A', '{"To":"+14155551234"}', '&&&=&=')
);
const auth = fc.constantFrom(
  basic(accountA.accountSid, accountA.authToken),
  basic(accountA.accountSid, 'wrong'),
  'Basic !!!',
  'Bearer x',
  ''
);

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox({ statusDelayMs: 60_000 });
});
afterAll(() => sandbox.close());

it('answers 1,000 generated requests with 2xx or a Twilio-shaped 4xx, and keeps serving', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH'),
      path,
      contentType,
      body,
      auth,
      async (method, target, type, payload, authorization) => {
        const response = await undiciRequest(`${sandbox.url}${target}`, {
          method,
          headers: { ...(type && { 'content-type': type }), ...(authorization && { authorization }) },
          body: method === 'GET' ? undefined : payload,
        });
        const text = await response.body.text();
        expect(response.statusCode).toBeLessThan(500);
        // As sent: the client resolves dot segments (/2010-04-01/Accounts/../../api is /api).
        const sentPath = new URL(`${sandbox.url}${target}`).pathname;
        if (response.statusCode >= 400 && sentPath.startsWith('/2010-04-01/')) {
          const error = JSON.parse(text) as Record<string, unknown>;
          expect(error).toMatchObject({ status: response.statusCode });
          expect(typeof error.code).toBe('number');
          expect(typeof error.message).toBe('string');
          expect(error.more_info).toMatch(/^https:\/\/www\.twilio\.com\/docs\/errors\/\d+$/);
        }
      }
    ),
    { numRuns: 1000 }
  );

  expect((await send(sandbox)).status).toBe(201);
});
