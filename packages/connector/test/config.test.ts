import { ConnectorError } from '@logto/connector-kit';

import { checkConfig, defaultTemplates, parseConfig } from '../src/index.js';

import { accountSid, authToken, messagingServiceSid } from './helpers/twilio-double.js';

const requiredTemplates = [
  { usageType: 'Register', content: 'code {{code}}' },
  { usageType: 'SignIn', content: 'code {{code}}' },
  { usageType: 'ForgotPassword', content: 'code {{code}}' },
  { usageType: 'Generic', content: 'code {{code}}' },
];

// Configs as Logto's official Twilio connector stores them (its console form and its tests).
const officialConfigs = {
  'the console form with its default templates': {
    accountSID: accountSid,
    authToken,
    fromMessagingServiceSID: messagingServiceSid,
    templates: defaultTemplates,
  },
  'risk check disabled': {
    accountSID: accountSid,
    authToken,
    fromMessagingServiceSID: messagingServiceSid,
    disableRiskCheck: true,
    templates: requiredTemplates,
  },
  'a template without {{code}}, a duplicate, an extra type and unknown keys': {
    accountSID: accountSid,
    authToken,
    fromMessagingServiceSID: messagingServiceSid,
    templates: [
      ...requiredTemplates,
      { usageType: 'SignIn', content: 'Welcome back!' },
      { usageType: 'Test', content: 'This is for testing purposes only. Your verification code is {{code}}.' },
    ],
    somethingLogtoAddedLater: { nested: true },
  },
};

// This connector's 1.0 added host, region, edge and baseUrl (the official connector has none).
const regionalHostConfig = {
  host: 'API.Dublin.IE1.twilio.com',
  accountSID: accountSid,
  authToken,
  fromMessagingServiceSID: messagingServiceSid,
  disableRiskCheck: false,
  templates: requiredTemplates,
};

describe('config', () => {
  it.each(Object.entries(officialConfigs))('accepts an official connector config: %s', (_, config) => {
    const parsed = parseConfig(config);
    expect(parsed.accountSID).toBe(accountSid);
    expect(parsed.fromMessagingServiceSID).toBe(messagingServiceSid);
    expect(parsed.templates).toHaveLength(config.templates.length);
    expect(parsed.timeoutMs).toBe(10_000);
    expect(parsed.maxRetries).toBe(2);
  });

  it('lowercases the host setting of a 1.0 config', () => {
    expect(parseConfig(regionalHostConfig).host).toBe('api.dublin.ie1.twilio.com');
  });

  it('warns about what parses but is probably a mistake', () => {
    const { ok, issues } = checkConfig(
      officialConfigs['a template without {{code}}, a duplicate, an extra type and unknown keys']
    );
    expect(ok).toBe(true);
    expect(issues).toEqual([
      {
        path: 'somethingLogtoAddedLater',
        message: 'Unknown key "somethingLogtoAddedLater" is ignored',
        severity: 'warning',
        kind: 'unknownKey',
      },
      {
        path: 'templates[4].content',
        message: 'The SignIn template has no {{code}} placeholder',
        severity: 'warning',
        kind: 'noCodePlaceholder',
      },
      {
        path: 'templates[4]',
        message: 'Duplicate SignIn template: templates[1] is used and this one never is',
        severity: 'warning',
        kind: 'duplicateTemplate',
      },
    ]);
  });

  it('names every missing required template', () => {
    const config = { ...officialConfigs['risk check disabled'], templates: [requiredTemplates[1]] };
    expect(() => parseConfig(config)).toThrowError(ConnectorError);
    // invalid_config's data carries the kind too, so a tool never matches the wording.
    expect(() => parseConfig(config)).toThrowError(
      expect.objectContaining({
        data: expect.objectContaining({ issues: [expect.objectContaining({ path: 'templates', kind: 'missingTemplates' })] }),
      })
    );
    expect(checkConfig(config).issues).toEqual([
      {
        path: 'templates',
        message: 'Template with UsageType (Register, ForgotPassword, Generic) should be provided!',
        severity: 'error',
        kind: 'missingTemplates',
      },
    ]);
  });

  it('throws invalid_config listing every problem by path, never a value', () => {
    const secret = 'not-a-valid-sid-but-a-secret';
    try {
      parseConfig({ accountSID: secret, authToken: 42, templates: 'nope' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConnectorError);
      const { code, data, message } = error as ConnectorError;
      expect(code).toBe('invalid_config');
      expect((data as { issues: Array<{ path: string }> }).issues.map(({ path }) => path)).toEqual([
        'accountSID',
        'authToken',
        'templates',
      ]);
      expect((data as { message: string }).message).toBe(
        'Invalid Twilio SMS connector config: accountSID: Account SID must be "AC" followed by 32 hexadecimal characters; authToken: Expected string, received number; templates: Expected array, received string'
      );
      expect(message).not.toContain(secret);
    }
  });

  it('accepts an API key instead of the auth token, and a From number instead of a service', () => {
    const config = parseConfig({
      accountSID: accountSid,
      apiKeySID: 'SK0123456789abcdef0123456789abcdef',
      apiKeySecret: 'secret',
      from: '+15005550006',
      templates: requiredTemplates,
    });
    expect(config.authToken).toBeUndefined();
    expect(config.from).toBe('+15005550006');
  });

  it.each([
    [{ apiKeySID: 'SK0123456789abcdef0123456789abcdef' }, 'apiKeySecret', 'API Key Secret is required with an API Key SID'],
    [{ apiKeySecret: 'secret', authToken: 'token' }, 'apiKeySID', 'API Key SID is required with an API Key Secret'],
    [{}, 'authToken', 'Auth Token is required (or an API Key SID with its secret)'],
  ])('requires complete credentials: %j', (credentials, path, message) => {
    const result = checkConfig({ accountSID: accountSid, from: 'Logto', templates: requiredTemplates, ...credentials });
    expect(result.ok).toBe(false);
    expect(result.issues).toContainEqual({ path, message, severity: 'error' });
  });

  it('requires a sender, and treats a blank service SID (as Logto’s form stores it) as none', () => {
    const base = { accountSID: accountSid, authToken, templates: requiredTemplates };
    expect(checkConfig({ ...base, fromMessagingServiceSID: '' }).issues).toContainEqual({
      path: 'fromMessagingServiceSID',
      message: 'A sender is required: set fromMessagingServiceSID (MG…) or from',
      severity: 'error',
    });
    expect(parseConfig({ ...base, fromMessagingServiceSID: ' ', from: 'Logto' }).fromMessagingServiceSID).toBeUndefined();
  });

  it.each(['+15005550006', '12345', 'Logto', 'My Company', `MG${'a'.repeat(32)}`])('accepts the sender %j', (from) => {
    expect(parseConfig({ accountSID: accountSid, authToken, from, templates: requiredTemplates }).from).toBe(from);
  });

  it.each(['15005550006x', 'Company Name Too Long', '+0123', '!!', '12'])('refuses the sender %j', (from) => {
    expect(checkConfig({ accountSID: accountSid, authToken, from, templates: requiredTemplates }).issues[0]?.path).toBe('from');
  });

  it('refuses a template that can render past Twilio’s 1,600 characters, naming it', () => {
    const templates = [
      ...requiredTemplates,
      { usageType: 'MfaVerification', locale: 'de', content: `${'x'.repeat(1590)} {{code}}` },
    ];
    // 1,590 + a space + an 8-character code: 1,599.
    expect(checkConfig({ accountSID: accountSid, authToken, from: 'Logto', templates }).issues).toEqual([]);
    templates[4]!.content = `${'x'.repeat(1593)} {{code}}`;
    expect(checkConfig({ accountSID: accountSid, authToken, from: 'Logto', templates }).issues).toEqual([
      {
        path: 'templates[4].content',
        message: 'The MfaVerification (de) template can render to 1602 characters; Twilio refuses messages over 1600',
        severity: 'error',
        kind: 'templateTooLong',
      },
    ]);
  });

  it.each([
    [{ locale: 'not a locale!' }, 'templates[0].locale'],
    [{ content: '' }, 'templates[0].content'],
  ])('validates each template: %j', (change, path) => {
    const templates = [{ ...requiredTemplates[0]!, ...change }, ...requiredTemplates.slice(1)];
    expect(checkConfig({ accountSID: accountSid, authToken, from: 'Logto', templates }).issues[0]?.path).toBe(path);
  });

  it.each([
    [{ validityPeriod: 0 }, 'validityPeriod'],
    [{ validityPeriod: 36_001 }, 'validityPeriod'],
    [{ validityPeriod: 1.5 }, 'validityPeriod'],
    [{ timeoutMs: 10 }, 'timeoutMs'],
    [{ maxRetries: 9 }, 'maxRetries'],
    [{ baseUrl: 'ftp://example.com' }, 'baseUrl'],
    [{ baseUrl: 'https://user:pass@example.com' }, 'baseUrl'],
    [{ statusCallback: 'not a url' }, 'statusCallback'],
    [{ host: 'api.example.com' }, 'host'],
    [{ region: 'Ireland' }, 'region'],
    [{ edge: 'Dublin!' }, 'edge'],
  ])('validates the extra settings: %j', (change, path) => {
    const result = checkConfig({ accountSID: accountSid, authToken, from: 'Logto', templates: requiredTemplates, ...change });
    expect(result.ok).toBe(false);
    expect(result.issues.map((issue) => issue.path)).toEqual([path]);
  });

  it('treats a blank or null optional field as unset, however it was saved', () => {
    const config = parseConfig({
      accountSID: accountSid,
      authToken,
      fromMessagingServiceSID: messagingServiceSid,
      from: '',
      apiKeySID: '  ',
      region: null,
      edge: '',
      host: '',
      baseUrl: null,
      statusCallback: '',
      validityPeriod: Number.NaN, // null in JSON
      timeoutMs: null,
      disableRiskCheck: null,
      templates: requiredTemplates,
    });
    expect(config).toMatchObject({ timeoutMs: 10_000, maxRetries: 2 });
    for (const key of [
      'from',
      'apiKeySID',
      'region',
      'edge',
      'host',
      'baseUrl',
      'statusCallback',
      'validityPeriod',
      'disableRiskCheck',
    ]) {
      expect(config).not.toHaveProperty(key);
    }
    // A required key stays required.
    expect(checkConfig({ accountSID: '', authToken, from: 'Logto', templates: requiredTemplates }).issues[0]?.path).toBe(
      'accountSID'
    );
  });

  it('hands out a frozen config: a caller cannot change what later sends use', () => {
    const config = parseConfig(officialConfigs['risk check disabled']);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.templates[0])).toBe(true);
    expect(() => {
      (config.templates as unknown[]).length = 0;
    }).toThrow(TypeError);
    expect(parseConfig(officialConfigs['risk check disabled']).templates).toHaveLength(4);
  });

  it.each(['ACME-Bank', 'A+B_C&D', 'Logto 2FA'])('accepts the alphanumeric sender ID %j', (from) => {
    expect(parseConfig({ accountSID: accountSid, authToken, from, templates: requiredTemplates }).from).toBe(from);
  });

  it.each(['https://example.com/?a=b', 'https://example.com/#x'])(
    'refuses a base URL with a query or fragment: %j',
    (baseUrl) => {
      expect(
        checkConfig({ accountSID: accountSid, authToken, from: 'Logto', templates: requiredTemplates, baseUrl }).issues[0]?.path
      ).toBe('baseUrl');
    }
  );

  it('trims pasted values and strips a trailing slash from the base URL', () => {
    const config = parseConfig({
      accountSID: ` ${accountSid}\n`,
      authToken: ` ${authToken} `,
      fromMessagingServiceSID: messagingServiceSid,
      baseUrl: 'http://127.0.0.1:4010/',
      templates: requiredTemplates,
    });
    expect(config.accountSID).toBe(accountSid);
    expect(config.authToken).toBe(authToken);
    expect(config.baseUrl).toBe('http://127.0.0.1:4010');
  });

  it.each([
    ['whatsapp:+15005550006', 'WhatsApp is not supported, only SMS: use an SMS sender without the "whatsapp:" prefix'],
    ['WhatsApp:+15005550006', 'WhatsApp is not supported, only SMS: use an SMS sender without the "whatsapp:" prefix'],
    [
      'messenger:1234567890',
      'The messenger channel is not supported, only SMS: use an SMS sender without the "messenger:" prefix',
    ],
  ])('refuses the channel sender %j, saying the channel is not supported', (from, message) => {
    expect(checkConfig({ accountSID: accountSid, authToken, from, templates: requiredTemplates }).issues).toEqual([
      { path: 'from', message, severity: 'error' },
    ]);
  });

  it('says what a sender may be', () => {
    expect(
      checkConfig({ accountSID: accountSid, authToken, from: 'ACME Bank Ltd', templates: requiredTemplates }).issues
    ).toEqual([
      {
        path: 'from',
        message:
          'The sender must be an E.164 phone number (+15005550006), a short code (3 to 8 digits), an alphanumeric sender ID (up to 11 letters, digits, spaces or + - _ &, with at least one letter) or a Messaging Service SID (MG…)',
        severity: 'error',
      },
    ]);
  });
});

describe('the form’s choices: authType, senderType, advanced, phoneValidation', () => {
  const apiKeySID = 'SK0123456789abcdef0123456789abcdef';
  const base = { accountSID: accountSid, templates: requiredTemplates };
  const everything = {
    ...base,
    authToken,
    apiKeySID,
    apiKeySecret: 'secret',
    fromMessagingServiceSID: messagingServiceSid,
    from: 'ACME-Bank',
  };

  it('without them, every credential and sender that is set is used, as in 1.0', () => {
    const config = parseConfig(everything);
    expect(config).toMatchObject({
      authToken,
      apiKeySID,
      apiKeySecret: 'secret',
      fromMessagingServiceSID: messagingServiceSid,
      from: 'ACME-Bank',
    });
    expect(config.phoneValidation).toBe('possible');
  });

  it.each([
    [{ authType: 'authToken' }, ['apiKeySID', 'apiKeySecret']],
    [{ authType: 'apiKey' }, ['authToken']],
    [{ senderType: 'messagingService' }, ['from']],
    [{ senderType: 'from' }, ['fromMessagingServiceSID']],
  ])('%j: what the form hides is neither validated nor used: %j', (choice, unused) => {
    const broken = Object.fromEntries(unused.map((key) => [key, 'not a valid value!']));
    const config = parseConfig({ ...everything, ...broken, ...choice });
    expect(config).toMatchObject(choice);
    for (const key of unused) {
      expect(config).not.toHaveProperty(key);
    }
  });

  it.each([
    [
      { authType: 'authToken', apiKeySID, apiKeySecret: 'secret' },
      'authToken',
      'Auth Token is required when authentication is Auth Token',
    ],
    [{ authType: 'apiKey', authToken }, 'apiKeySID', 'API Key SID is required when authentication is API key'],
    [{ authType: 'apiKey', authToken, apiKeySID }, 'apiKeySecret', 'API Key Secret is required when authentication is API key'],
  ])('requires the chosen credentials: %j', (credentials, path, message) => {
    const { ok, issues } = checkConfig({ ...base, from: 'Logto', ...credentials });
    expect(ok).toBe(false);
    expect(issues).toContainEqual({ path, message, severity: 'error' });
  });

  it.each([
    [
      { senderType: 'messagingService', from: 'Logto' },
      'fromMessagingServiceSID',
      'From Messaging Service SID (MG…) is required when Send from is Messaging Service',
    ],
    [
      { senderType: 'from', fromMessagingServiceSID: messagingServiceSid },
      'from',
      'From is required when Send from is a phone number, short code or sender ID',
    ],
  ])('requires the chosen sender: %j', (sender, path, message) => {
    expect(checkConfig({ ...base, authToken, ...sender }).issues).toEqual([{ path, message, severity: 'error' }]);
  });

  it.each([
    [{ authType: 'password' }, 'authType', 'Authentication must be "authToken" or "apiKey"'],
    [{ senderType: 'whatsapp' }, 'senderType', 'Sender type must be "messagingService" or "from"'],
    [{ phoneValidation: 'loose' }, 'phoneValidation', 'Phone validation must be "possible" or "strict"'],
    [{ advanced: 'yes' }, 'advanced', 'Expected boolean, received string'],
  ])('names the allowed values, not the one given: %j', (change, path, message) => {
    expect(checkConfig({ ...everything, ...change }).issues).toEqual([{ path, message, severity: 'error' }]);
  });

  it('warns about a stored value the choice leaves unused (Logto keeps hidden fields), naming the choice', () => {
    const { ok, issues } = checkConfig({ ...everything, authType: 'apiKey', senderType: 'from', apiKeySecret: 'secret' });
    expect(ok).toBe(true);
    expect(issues).toEqual([
      { path: 'authToken', message: 'authToken is not used: authType is "apiKey"', severity: 'warning', kind: 'unusedKey' },
      {
        path: 'fromMessagingServiceSID',
        message: 'fromMessagingServiceSID is not used: senderType is "from"',
        severity: 'warning',
        kind: 'unusedKey',
      },
    ]);
    // A blank leftover is no value: nothing to warn about.
    expect(
      checkConfig({ ...everything, authToken: '', fromMessagingServiceSID: ' ', authType: 'apiKey', senderType: 'from' }).issues
    ).toEqual([]);
  });

  it('accepts advanced (it only shows or hides fields) and phoneValidation "strict", without a warning', () => {
    const result = checkConfig({ ...everything, advanced: true, phoneValidation: 'strict' });
    expect(result.issues).toEqual([]);
    expect(result.config).toMatchObject({ advanced: true, phoneValidation: 'strict' });
  });
});
