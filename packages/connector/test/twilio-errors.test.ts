/**
 * The Twilio client's internal errors, as a real exchange produces them: each has a fixed `name`
 * and `code` (as undici's errors do), and a network failure's errno is `systemCode`, never an
 * ambiguous `code`. What Logto sees of them is pinned by the reliability tests.
 */
import { type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { type TwilioSmsConfig, parseConfig } from '../src/index.js';
import { createTwilioClient } from '../src/twilio/client.js';
import { TwilioError } from '../src/twilio/errors.js';

const accountSID = `AC${'a'.repeat(32)}`;

let server: Server;
let answer: (response: ServerResponse) => void;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((_, response) => {
    answer(response);
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => {
    server.close(resolve);
  });
});

const configFor = (url: string, timeoutMs = 5000): TwilioSmsConfig =>
  parseConfig({
    accountSID,
    authToken: 'token-for-the-error-tests',
    fromMessagingServiceSID: `MG${'b'.repeat(32)}`,
    baseUrl: url,
    timeoutMs,
    maxRetries: 0,
    templates: ['Register', 'SignIn', 'ForgotPassword', 'Generic'].map((usageType) => ({ usageType, content: '{{code}}' })),
  });

const failureOf = async (config: TwilioSmsConfig) =>
  createTwilioClient(config)
    .createMessage(new URLSearchParams({ To: '+14155552671', Body: '123456' }))
    .then(
      () => {
        throw new Error('the send should have failed');
      },
      (error: unknown) => error
    );

describe('the Twilio client’s errors', () => {
  it('an error answer is a TwilioApiError, TWILIO_API_ERROR', async () => {
    answer = (response) => {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 21211, message: 'Invalid To', more_info: 'https://www.twilio.com/docs/errors/21211' }));
    };
    const error = await failureOf(configFor(baseUrl));
    expect(error).toBeInstanceOf(TwilioError);
    expect(error).toMatchObject({ name: 'TwilioApiError', code: 'TWILIO_API_ERROR', status: 400, twilioCode: 21211 });
  });

  it('an answer that is not Twilio’s JSON is a TwilioResponseError, TWILIO_UNEXPECTED_RESPONSE', async () => {
    answer = (response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html>Bad gateway</html>');
    };
    const error = await failureOf(configFor(baseUrl));
    expect(error).toMatchObject({ name: 'TwilioResponseError', code: 'TWILIO_UNEXPECTED_RESPONSE', status: 502 });
  });

  it('no answer before the deadline is a TwilioTimeoutError, TWILIO_TIMEOUT', async () => {
    answer = () => {
      // Never answers.
    };
    const error = await failureOf(configFor(baseUrl, 1000));
    expect(error).toMatchObject({ name: 'TwilioTimeoutError', code: 'TWILIO_TIMEOUT', timeoutMs: 1000, requestSent: true });
  });

  it('a refused connection is a TwilioNetworkError, TWILIO_NETWORK_ERROR, with the errno as systemCode', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => {
      closed.listen(0, '127.0.0.1', resolve);
    });
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => {
      closed.close(resolve);
    });
    const error = await failureOf(configFor(`http://127.0.0.1:${port}`));
    expect(error).toMatchObject({
      name: 'TwilioNetworkError',
      code: 'TWILIO_NETWORK_ERROR',
      systemCode: 'ECONNREFUSED',
      requestSent: false,
    });
  });
});
