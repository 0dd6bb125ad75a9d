/**
 * What people read in Logto when a send fails, rendered as Logto's connector error handler renders
 * it: the admin pressing Test in the console (the config comes with the call) reads what is wrong
 * and how to fix it; the person signing in (the saved config) reads one sentence without config
 * details. A rate limit keeps Logto's own 429 phrase for both.
 */
import { ConnectorError, TemplateType } from '@logto/connector-kit';

import createConnector from '../src/index.js';

import { type LogtoErrorResponse, renderLogtoError } from './helpers/logto-error.js';
import {
  type Behaviour,
  type FaultTarget,
  behaviours,
  refusedTarget,
  startHttpFaultServer,
} from './reliability/helpers/fault-server.js';
import { accountSID, code, configFor, findSecrets } from './reliability/helpers/secrets.js';

type Case = {
  name: string;
  start: () => Promise<FaultTarget>;
  /** The start of what the admin reads after "Error occurred in connector: ". */
  console: string;
  /** What the person signing in reads. */
  live: string;
  status?: number;
};

const prefix = 'Error occurred in connector: ';
const failed = `${prefix}We couldn't send the SMS right now. Please try again later.`;
const maybeSent = `${prefix}We couldn't confirm that the SMS was sent. If it doesn't arrive within a few minutes, please try again.`;
const twilio = (status: number, twilioCode: number, message: string): Behaviour =>
  behaviours.twilioError(status, twilioCode, message);
const http = async (behaviour: Behaviour) => startHttpFaultServer(behaviour);

const cases: Case[] = [
  {
    name: 'credentials refused (20003)',
    start: async () => http(twilio(401, 20_003, 'Authenticate')),
    console: 'Twilio did not accept the credentials: check accountSID with authToken',
    live: failed,
  },
  {
    name: 'wrong sender (21212)',
    start: async () =>
      http(twilio(400, 21_212, "The 'From' number abc is not a valid phone number, shortcode, or alphanumeric sender ID.")),
    console: 'The From value is not a valid phone number, short code or alphanumeric sender ID: set from to a number',
    live: failed,
  },
  {
    name: 'sender not of this account (21660)',
    start: async () => http(twilio(400, 21_660, "Mismatch between the 'From' number and the account")),
    console: 'The From number does not belong to this account',
    live: failed,
  },
  {
    name: 'Messaging Service without senders (21703)',
    start: async () => http(twilio(400, 21_703, 'The Messaging Service does not have a phone number available')),
    console: 'The Messaging Service has no sender available for this destination: add a phone number',
    live: failed,
  },
  {
    name: 'destination not a mobile number (21614)',
    start: async () => http(twilio(400, 21_614, "'To' number is not a valid mobile number")),
    console: 'The destination is not a mobile number, so it cannot receive SMS',
    live: `${prefix}This phone number can't receive SMS. Please check the number, with its country code, or use another one.`,
  },
  {
    name: 'country not enabled (21408)',
    start: async () => http(twilio(400, 21_408, 'Permission to send an SMS has not been enabled for the region')),
    console: 'SMS to this country is not enabled: enable it in the Twilio Console',
    live: `${prefix}We can't send SMS to phone numbers in this country. Please use another number.`,
  },
  {
    name: 'connection refused',
    start: refusedTarget,
    console: 'Could not connect to Twilio (ECONNREFUSED) after 3 attempts. Check that this server can reach the Twilio API',
    live: failed,
  },
  {
    name: 'timeout after sending',
    start: async () => http(behaviours.hang()),
    console: 'Twilio did not answer within 1000 ms. The message may still have been sent',
    live: maybeSent,
  },
  {
    name: '5xx with Twilio JSON (20500)',
    start: async () => http(twilio(500, 20_500, 'An internal server error has occurred')),
    console: 'Twilio answered HTTP 500. Twilio says: “An internal server error has occurred” (error 20500',
    live: maybeSent,
  },
  {
    name: '502 HTML page from a proxy',
    start: async () => http(behaviours.htmlError(502)),
    console: 'Unexpected response from Twilio (HTTP 502, text/html, ',
    live: maybeSent,
  },
];

const message = { to: '14155552671', type: TemplateType.SignIn, payload: { code } };

/** Sends through the connector as Logto does: live (saved config) or the console's Test. */
async function rendered(
  baseUrl: string,
  mode: 'console' | 'live',
  extra: Record<string, unknown> = {}
): Promise<LogtoErrorResponse> {
  // A long deadline (no case but the hang waits for it) keeps a loaded machine from timing out.
  const config = configFor(baseUrl, undefined, { maxRetries: 2, timeoutMs: 10_000, ...extra });
  const connector = await createConnector({ getConfig: async () => config });
  try {
    await (mode === 'console' ? connector.sendMessage(message, config) : connector.sendMessage(message));
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectorError);
    return renderLogtoError(error as ConnectorError);
  }
  throw new Error('expected the send to fail');
}

describe.concurrent('what Logto shows', () => {
  it.each(cases)('$name: the console’s Test says what to fix; sign-in reads one sentence', async (testCase) => {
    const target = await testCase.start();
    try {
      const timeout = testCase.name.startsWith('timeout') ? { timeoutMs: 1000 } : {};
      const admin = await rendered(target.baseUrl, 'console', timeout);
      expect(admin.status).toBe(400);
      expect(admin.code).toBe('connector.general');
      expect(admin.message.startsWith(`${prefix}${testCase.console}`)).toBe(true);
      // Twilio's fields stay in data for whoever reads the response.
      expect(admin.data).toMatchObject({ message: admin.message.slice(prefix.length) });

      const user = await rendered(target.baseUrl, 'live', timeout);
      expect(user).toMatchObject({ status: 400, code: 'connector.general', message: testCase.live });
      // No config detail for the person signing in, not even in data.
      const shown = JSON.stringify(user);
      for (const detail of ['accountSID', 'authToken', 'Messaging', 'From', 'baseUrl', String(target.port), accountSID]) {
        expect(shown).not.toContain(detail);
      }
      expect(findSecrets(JSON.stringify(admin) + shown)).toEqual([]);
    } finally {
      await target.close();
    }
  });

  it('a rate limit is Logto’s own 429 phrase, in both', async () => {
    const target = await http(twilio(429, 20_429, 'Too Many Requests'));
    try {
      for (const mode of ['console', 'live'] as const) {
        const response = await rendered(target.baseUrl, mode, { maxRetries: 0 });
        expect(response).toMatchObject({
          status: 429,
          code: 'connector.rate_limit_exceeded',
          message: 'Trigger rate limit. Please try again later.',
        });
      }
    } finally {
      await target.close();
    }
  });

  it('an invalid config: the console’s Test names the problem; sign-in reads the sentence', async () => {
    const target = await http(behaviours.created());
    try {
      const admin = await rendered(target.baseUrl, 'console', { fromMessagingServiceSID: 'MG123' });
      expect(admin.message).toBe(
        `${prefix}Invalid Twilio SMS connector config: fromMessagingServiceSID: Messaging Service SID must be "MG" followed by 32 hexadecimal characters`
      );
      const user = await rendered(target.baseUrl, 'live', { fromMessagingServiceSID: 'MG123' });
      expect(user.message).toBe(failed);
      expect(target.requests).toHaveLength(0);
    } finally {
      await target.close();
    }
  });

  it('a number that cannot be one: the console says why, sign-in asks to check it', async () => {
    const target = await http(behaviours.created());
    try {
      const config = configFor(target.baseUrl);
      const connector = await createConnector({ getConfig: async () => config });
      const bad = { ...message, to: '1' };
      const admin = await connector.sendMessage(bad, config).catch((error: ConnectorError) => renderLogtoError(error));
      expect((admin as LogtoErrorResponse).message).toMatch(/^Error occurred in connector: The phone number "1" /);
      const user = await connector.sendMessage(bad).catch((error: ConnectorError) => renderLogtoError(error));
      expect((user as LogtoErrorResponse).message).toBe(
        `${prefix}This phone number can't receive SMS. Please check the number, with its country code, or use another one.`
      );
      expect(target.requests).toHaveLength(0);
    } finally {
      await target.close();
    }
  });
});
