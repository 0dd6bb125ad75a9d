import { ConnectorError } from '@logto/connector-kit';

import { defaultTemplates, sendSms, toE164 } from '../src/index.js';

import { type TwilioDouble, accountSid, authToken, messagingServiceSid, startTwilioDouble } from './helpers/twilio-double.js';

// Possible (a country code and a length that country's numbers have) but not valid today: area
// code 621 is not in service, as a range allocated after the bundled metadata was built would be.
const newerRangeNumber = '+16215552671';

const messageOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe('invalid_request_parameters');
    expect((error as ConnectorError).data).toMatchObject({ field: 'to' });
    return ((error as ConnectorError).data as { message: string }).message;
  }
  throw new Error('expected toE164 to refuse the number');
};

describe('toE164', () => {
  it.each([
    ['+14155552671', '+14155552671'],
    ['14155552671', '+14155552671'], // Logto passes digits without "+"
    ['+1 (415) 555-2671', '+14155552671'],
    ['0014155552671', '+14155552671'],
    ['4520123456', '+4520123456'],
    ['353861234567', '+353861234567'],
    ['+86 138 0013 8000', '+8613800138000'],
    ['+33.6.12.34.56.78', '+33612345678'],
    ['+15005550006', '+15005550006'], // Twilio's magic test numbers
    // Possible but not in a range the metadata knows: Twilio judges them.
    [newerRangeNumber, newerRangeNumber],
    ['+11234567890', '+11234567890'],
    ['4512345678', '+4512345678'],
  ])('%j → %s', (input, expected) => {
    expect(toE164(input)).toBe(expected);
  });

  it.each([
    ['', 'is not a phone number'],
    ['+1415', 'is too short'],
    ['+1234567890123456', 'is too long'],
    ['call me', 'is not a phone number'],
    ['+1415555CALL', 'is not a phone number'],
    ['+٤١٥٥٥٥٢٦٧١', 'is not a phone number'],
    ['+999123456789', 'does not start with a valid country calling code'],
    ['+1\u0000415', 'is not a phone number'],
    ['9'.repeat(100), 'is too long'],
    ['1234567890123456', 'is too long'],
    // Too few digits to be a national number either.
    ['12', 'is too short'],
  ])('refuses %j: %s', (input, reason) => {
    expect(messageOf(() => toE164(input))).toContain(reason);
  });

  it.each([
    // A US number as typed at home: read as +41 555 52671, too short for Switzerland.
    '4155552671',
    '(415) 555-2671',
    // A UK number with its trunk 0: no country calling code starts with 0.
    '07700900123',
  ])('says that %j is missing its country code, not that it is too short', (input) => {
    expect(messageOf(() => toE164(input))).toBe(
      `The phone number ${JSON.stringify(input)} is missing its country code. Send it in international format, such as +14155552671.`
    );
  });

  it('with phoneValidation "strict", also refuses numbers outside the ranges the metadata knows', () => {
    expect(toE164('+14155552671', 'strict')).toBe('+14155552671');
    expect(messageOf(() => toE164(newerRangeNumber, 'strict'))).toBe(
      `The phone number "${newerRangeNumber}" is not a valid number for country code +1. Send it in international format, such as +14155552671.`
    );
    expect(messageOf(() => toE164('+4512345678', 'strict'))).toContain('is not a valid number in DK');
    expect(messageOf(() => toE164('+1415', 'strict'))).toContain('is too short');
  });
});

describe('sending to a number from a range newer than the metadata', () => {
  let twilio: TwilioDouble;
  beforeEach(async () => {
    twilio = await startTwilioDouble();
  });
  afterEach(async () => {
    await twilio.close();
  });

  const config = (overrides: Record<string, unknown> = {}) => ({
    accountSID: accountSid,
    authToken,
    fromMessagingServiceSID: messagingServiceSid,
    baseUrl: twilio.url,
    templates: defaultTemplates,
    ...overrides,
  });
  const message = { to: newerRangeNumber.slice(1), type: 'SignIn', payload: { code: '918273' } };

  it('is sent, in E.164, by default', async () => {
    const sent = await sendSms(config(), message);
    expect(sent.to).toBe(newerRangeNumber);
    expect(twilio.requests.map(({ form }) => form.To)).toEqual([newerRangeNumber]);
  });

  it('is refused before Twilio sees it with phoneValidation "strict"', async () => {
    await expect(sendSms(config({ phoneValidation: 'strict' }), message)).rejects.toMatchObject({
      code: 'invalid_request_parameters',
    });
    expect(twilio.requests).toEqual([]);
  });
});
