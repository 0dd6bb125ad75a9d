import { ConnectorError } from '@logto/connector-kit';

import { toE164 } from '../src/index.js';

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
  ])('%j → %s', (input, expected) => {
    expect(toE164(input)).toBe(expected);
  });

  it.each([
    ['', 'is not a phone number'],
    ['+1415', 'is too short'],
    ['+11234567890', 'is not a valid number for country code +1'],
    ['+4512345678', 'is not a valid number in DK'],
    ['+1234567890123456', 'is too long'],
    ['call me', 'is not a phone number'],
    ['+1415555CALL', 'is not a phone number'],
    ['+٤١٥٥٥٥٢٦٧١', 'is not a phone number'],
    ['+999123456789', 'does not start with a valid country calling code'],
    ['+1\u0000415', 'is not a phone number'],
    ['9'.repeat(100), 'is too long'],
  ])('refuses %j: %s', (input, reason) => {
    try {
      toE164(input);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).code).toBe('invalid_request_parameters');
      expect((error as ConnectorError).data).toMatchObject({ field: 'to' });
      expect(((error as ConnectorError).data as { message: string }).message).toContain(reason);
    }
  });
});
