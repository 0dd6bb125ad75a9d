/**
 * The guard as Logto meets it: through the connector's sendMessage, against a local server that
 * counts every request that would have reached Twilio.
 */
import { ConnectorError, ConnectorErrorCodes, TemplateType } from '@logto/connector-kit';

import createConnector, {
  checkConfig,
  sendSms,
  configSecrets,
  defaultMetadata,
  ipKey,
  maskNumber,
  parseConfig,
  regionOf,
} from '../../src/index.js';
import { type TwilioDouble, accountSid, authToken, messagingServiceSid, startTwilioDouble } from '../helpers/twilio-double.js';

let twilio: TwilioDouble;
beforeAll(async () => {
  twilio = await startTwilioDouble();
});
afterAll(async () => {
  await twilio.close();
});

const templates = [
  { usageType: 'Register', content: 'Register code {{code}}' },
  { usageType: 'SignIn', content: 'Sign-in code {{code}}' },
  { usageType: 'ForgotPassword', content: 'Reset code {{code}}' },
  { usageType: 'Generic', content: 'Code {{code}}' },
];
const code = '739204';
const configWith = (extra: Record<string, unknown> = {}) => ({
  accountSID: accountSid,
  authToken,
  fromMessagingServiceSID: messagingServiceSid,
  baseUrl: twilio.url,
  templates,
  ...extra,
});

const connectorFor = async (config: Record<string, unknown>) => createConnector({ getConfig: async () => config });
const failureOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorError) {
      return error;
    }
    throw error;
  }
  throw new Error('Expected the send to fail');
};
const send = (to: string, ip?: string) => ({ to, type: TemplateType.SignIn, payload: { code }, ...(ip && { ip }) });

const captureWarnings = () => {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  return { lines, restore: () => spy.mockRestore() };
};

describe('destination country', () => {
  it('is the number’s real region, else its calling code’s main region', () => {
    expect(regionOf('+18765551234')).toBe('JM');
    expect(regionOf('+14155552671')).toBe('US');
    expect(regionOf('+16045551234')).toBe('CA');
    expect(regionOf('+447912345678')).toBe('GB');
    // Guernsey numbers share +44 with the UK.
    expect(regionOf('+447911123456')).toBe('GG');
    // +1 500 is no region's range: it counts as the calling code's main region.
    expect(regionOf('+15005550006')).toBe('US');
  });

  it('masks the subscriber part in what people see', () => {
    expect(maskNumber('+447911123456')).toBe('+44 7911 12****');
    expect(maskNumber('+14155552671')).toBe('+1 415 555 ****');
  });
});

describe('country policy', () => {
  it('refuses a blocked country with a sentence Logto shows, and never calls Twilio', async () => {
    const warnings = captureWarnings();
    try {
      const connector = await connectorFor(configWith({ blockedCountries: ['JM'] }));
      const before = twilio.requests.length;
      const error = await failureOf(connector.sendMessage(send('18765551234')));
      expect(error.code).toBe(ConnectorErrorCodes.General);
      expect(error.data).toMatchObject({
        errorDescription: 'Verification codes cannot be sent to +1 876 555 ****: this service does not send SMS to Jamaica (JM).',
      });
      expect(twilio.requests.length).toBe(before);

      // The US shares +1 and is not blocked.
      await connector.sendMessage(send('14155552671'));
      expect(twilio.requests.length).toBe(before + 1);

      const [line] = warnings.lines.map((text) => JSON.parse(text) as Record<string, unknown>);
      expect(line).toMatchObject({ event: 'sms_guard_refused', rule: 'country-blocked', to: '+1 876 555 ****', country: 'JM' });
      expect(warnings.lines.join('\n')).not.toContain(code);
      expect(warnings.lines.join('\n')).not.toContain('5551234');
    } finally {
      warnings.restore();
    }
  });

  it('applies to the console’s Test (the unsaved config as the second argument)', async () => {
    const connector = await connectorFor(configWith());
    const before = twilio.requests.length;
    const error = await failureOf(
      connector.sendMessage(send('18765551234'), configWith({ allowedCountries: ['United States (US)', 'CA'] }))
    );
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toMatchObject({
      errorDescription: expect.stringContaining('sends SMS only to selected countries, and Jamaica (JM) is not one of them'),
    });
    expect(twilio.requests.length).toBe(before);
  });

  it('blocks a country that is in both lists', async () => {
    const connector = await connectorFor(configWith({ allowedCountries: ['GB', 'US'], blockedCountries: ['gb'] }));
    const error = await failureOf(connector.sendMessage(send('+447912345678')));
    expect(error.data).toMatchObject({ rule: 'country-blocked' });
  });

  it('refuses unknown country codes as invalid_config, by path', () => {
    const result = checkConfig(configWith({ allowedCountries: ['US', 'XX', 'Atlantis'] }));
    expect(result.ok).toBe(false);
    expect(result.issues.map(({ path }) => path)).toEqual(['allowedCountries[1]', 'allowedCountries[2]']);
    expect(result.issues[0]?.message).toBe(
      '"XX" is not an ISO 3166-1 alpha-2 country code with phone numbers (such as "JM" for Jamaica)'
    );
    expect(() => parseConfig(configWith({ blockedCountries: 'JM' }))).toThrow(ConnectorError);
  });

  it('reads the form’s "Name (CC)" values and plain codes alike', () => {
    const config = parseConfig(configWith({ allowedCountries: ['Jamaica (JM)', 'us'], guard: '{"mode":"monitor"}' }));
    expect(config.allowedCountries).toEqual(['JM', 'US']);
    expect(config.guard).toEqual({ mode: 'monitor' });
  });

  it('shows country names in Logto’s MultiSelect, which displays each value as it is', () => {
    const item = defaultMetadata.formItems?.find(({ key }) => key === 'allowedCountries');
    expect(item?.type).toBe('MultiSelect');
    const values = item && 'selectItems' in item ? item.selectItems.map(({ value }) => value) : [];
    expect(values).toContain('Jamaica (JM)');
    expect(values).toContain('United Kingdom (GB)');
    expect(values.length).toBeGreaterThan(200);
    // Every value parses back to its code.
    expect(parseConfig(configWith({ blockedCountries: values })).blockedCountries).toHaveLength(values.length);
  });

  it('keeps the country items in the metadata as Logto copies it at start and serves it to the console (JSON)', () => {
    const served = JSON.parse(JSON.stringify({ ...defaultMetadata })) as typeof defaultMetadata;
    for (const key of ['allowedCountries', 'blockedCountries']) {
      const item = served.formItems?.find((formItem) => formItem.key === key);
      const values = item && 'selectItems' in item ? item.selectItems.map(({ value }) => value) : [];
      expect(values).toContain('Jamaica (JM)');
      expect(values.length).toBeGreaterThan(200);
    }
  });
});

describe('velocity limits', () => {
  it('refuses with rate_limit_exceeded once a block is walked, and the refused sends never reach Twilio', async () => {
    const warnings = captureWarnings();
    try {
      const connector = await connectorFor(configWith());
      const before = twilio.requests.length;
      const outcomes: string[] = [];
      for (let index = 0; index < 15; index += 1) {
        try {
          await connector.sendMessage(send(`+4479123450${String(index).padStart(2, '0')}`));
          outcomes.push('sent');
        } catch (error) {
          outcomes.push((error as ConnectorError).code);
        }
      }
      expect(outcomes).toEqual([
        ...Array.from({ length: 10 }, () => 'sent'),
        ...Array.from({ length: 5 }, () => 'rate_limit_exceeded'),
      ]);
      expect(twilio.requests.length - before).toBe(10);

      const lines = warnings.lines.map((text) => JSON.parse(text) as Record<string, unknown>);
      expect(lines).toHaveLength(5);
      expect(lines[0]).toMatchObject({
        event: 'sms_guard_refused',
        rule: 'number-block',
        to: '+44 7912 34****',
        country: 'GB',
        store: 'memory',
      });
      expect(warnings.lines.join('\n')).not.toContain(code);

      // Admitted numbers keep getting their codes.
      await connector.sendMessage(send('+447912345003'));
      expect(twilio.requests.length - before).toBe(11);
    } finally {
      warnings.restore();
    }
  });

  it('does not apply to the console’s Test', async () => {
    const connector = await connectorFor(configWith());
    const before = twilio.requests.length;
    for (let index = 0; index < 15; index += 1) {
      await connector.sendMessage(send(`+4479123460${String(index).padStart(2, '0')}`), configWith());
    }
    expect(twilio.requests.length - before).toBe(15);
  });

  it('the refusal tells Logto’s user what happened and when to retry', async () => {
    const connector = await connectorFor(configWith({ guard: { numberPerDay: 1 } }));
    await connector.sendMessage(send('+14155552671'));
    const error = await failureOf(connector.sendMessage(send('+14155552671')));
    expect(error.code).toBe(ConnectorErrorCodes.RateLimitExceeded);
    expect(error.data).toMatchObject({ rule: 'number-day', retryAfterSeconds: expect.any(Number) });
    expect((error.data as { message: string }).message).toMatch(
      /^\+1 415 555 \*{4} has received the most codes allowed in a day\. Try again in 2[34] hours\.$/
    );
  });

  it('monitor logs what it would refuse and sends; off sends without counting', async () => {
    const warnings = captureWarnings();
    try {
      const monitor = await connectorFor(configWith({ guard: { mode: 'monitor', numberPerDay: 1 } }));
      await monitor.sendMessage(send('+14155550001'));
      await monitor.sendMessage(send('+14155550001'));
      expect(warnings.lines.map((text) => JSON.parse(text) as Record<string, unknown>)).toEqual([
        expect.objectContaining({ event: 'sms_guard_would_refuse', rule: 'number-day', to: '+1 415 555 ****' }),
      ]);

      const off = await connectorFor(configWith({ guard: { mode: 'off', numberPerDay: 1 } }));
      const before = twilio.requests.length;
      for (let index = 0; index < 3; index += 1) {
        await off.sendMessage(send('+14155550002'));
      }
      expect(twilio.requests.length - before).toBe(3);
      expect(warnings.lines).toHaveLength(1);
    } finally {
      warnings.restore();
    }
  });

  it('per IP: an IPv6 /64 is one address; private and loopback addresses are never limited', async () => {
    const connector = await connectorFor(configWith({ guard: { ipPerHour: 2 } }));
    const results: string[] = [];
    const attempt = async (to: string, ip: string) => {
      try {
        await connector.sendMessage(send(to, ip));
        results.push('sent');
      } catch (error) {
        results.push((error as ConnectorError).code);
      }
    };
    await attempt('+14155550101', '2001:db8:1:2::1');
    await attempt('+14155550201', '2001:db8:1:2:ffff::9');
    await attempt('+14155550301', '2001:0db8:0001:0002::abcd');
    await attempt('+14155550401', '2001:db8:1:3::1');
    for (let index = 0; index < 4; index += 1) {
      await attempt(`+1415555${String(1000 + index * 100 + 1)}`, index % 2 ? '10.0.0.8' : '::1');
    }
    expect(results).toEqual(['sent', 'sent', 'rate_limit_exceeded', 'sent', 'sent', 'sent', 'sent', 'sent']);

    expect(ipKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(ipKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    for (const address of [
      '127.0.0.1',
      '192.168.1.4',
      '172.20.0.2',
      '100.64.1.1',
      'fd00::1',
      'fe80::1%eth0',
      '::1',
      'garbage',
      '',
    ]) {
      expect(ipKey(address)).toBeUndefined();
    }
  });

  it('invalid limits are invalid_config with the path and a sentence', async () => {
    // As a program outside Logto reads it (in Logto, a live send words it for the person signing in).
    const error = await failureOf(sendSms(configWith({ guard: { mode: 'strict', numberPerDay: 0 } }), send('+14155552671')));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect((error.data as { message: string }).message).toContain('guard.mode: guard.mode must be "enforce", "monitor" or "off"');
    expect((error.data as { message: string }).message).toContain('guard.numberPerDay: guard.numberPerDay must be at least 1');
  });

  it('the Redis URL is a secret', () => {
    const config = configWith({ redisUrl: 'rediss://guard:s3cr%40t-pass@redis.example.com:6380' });
    expect(configSecrets(config)).toEqual(
      expect.arrayContaining(['rediss://guard:s3cr%40t-pass@redis.example.com:6380', 's3cr%40t-pass', 's3cr@t-pass'])
    );
  });
});
