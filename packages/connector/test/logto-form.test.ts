/**
 * The form in Logto's admin console, evaluated as the console evaluates it (helpers/logto-console-form.ts
 * is ported from Logto's source): what an admin sees for stored configs of the official connector
 * and of this connector's 1.0, for a new connector and for each choice, and what Test and Save send.
 */
import { type ConnectorConfigFormItem } from '@logto/connector-kit';

import { defaultMetadata, defaultTemplates, parseConfig, resolveBaseUrl } from '../src/index.js';

import { openInConsole } from './helpers/logto-console-form.js';
import { accountSid, authToken, messagingServiceSid } from './helpers/twilio-double.js';

const formItems = defaultMetadata.formItems as ConnectorConfigFormItem[];
const apiKeySID = 'SK0123456789abcdef0123456789abcdef';
const apiKeySecret = 'a-secret-of-an-api-key';
const templates = defaultTemplates;

const credentialAndSenderKeys = ['authToken', 'apiKeySID', 'apiKeySecret', 'fromMessagingServiceSID', 'from'];
const advancedKeys = [
  'baseUrl',
  'validityPeriod',
  'statusCallback',
  'timeoutMs',
  'maxRetries',
  'phoneValidation',
  'smartEncoded',
  'disableRiskCheck',
];

// Stored configs: none has authType, senderType or advanced (they did not exist).
const storedConfigs: Record<string, Record<string, unknown>> = {
  'official: its console form': { accountSID: accountSid, authToken, fromMessagingServiceSID: messagingServiceSid, templates },
  'official: risk check disabled': {
    accountSID: accountSid,
    authToken,
    fromMessagingServiceSID: messagingServiceSid,
    disableRiskCheck: true,
    templates,
  },
  '1.0: a From number': { accountSID: accountSid, authToken, from: '+15005550006', templates },
  '1.0: a sender ID and a service': {
    accountSID: accountSid,
    authToken,
    fromMessagingServiceSID: messagingServiceSid,
    from: 'ACME-Bank',
    templates,
  },
  '1.0: an API key and a service': {
    accountSID: accountSid,
    apiKeySID,
    apiKeySecret,
    fromMessagingServiceSID: messagingServiceSid,
    templates,
  },
  '1.0: an API key and a From number': { accountSID: accountSid, apiKeySID, apiKeySecret, from: '+15005550006', templates },
  '1.0: an auth token and an API key': {
    accountSID: accountSid,
    authToken,
    apiKeySID,
    apiKeySecret,
    fromMessagingServiceSID: messagingServiceSid,
    templates,
  },
  '1.0: region and edge': {
    accountSID: accountSid,
    authToken,
    fromMessagingServiceSID: messagingServiceSid,
    region: 'ie1',
    edge: 'dublin',
    templates,
  },
  '1.0: host': {
    accountSID: accountSid,
    authToken,
    fromMessagingServiceSID: messagingServiceSid,
    host: 'api.dublin.ie1.twilio.com',
    templates,
  },
  '1.0: baseUrl (the sandbox)': {
    accountSID: accountSid,
    authToken,
    from: '+15005550006',
    baseUrl: 'http://127.0.0.1:4010',
    templates,
  },
  '1.0: every extra setting': {
    accountSID: accountSid,
    authToken,
    fromMessagingServiceSID: messagingServiceSid,
    validityPeriod: 600,
    statusCallback: 'https://example.com/twilio/status',
    timeoutMs: 5000,
    maxRetries: 1,
    smartEncoded: true,
    disableRiskCheck: true,
    templates,
  },
};

const duplicatesOf = (keys: string[]) => keys.filter((key, index) => keys.indexOf(key) !== index);

describe('a stored config without the new choices, in Logto’s form', () => {
  it.each(Object.entries(storedConfigs))('%s: its credentials and sender are shown', (_, stored) => {
    const form = openInConsole(formItems, stored);
    const shown = form.shownKeys();
    const expected = ['accountSID', 'templates', ...credentialAndSenderKeys.filter((key) => key in stored)];
    expect(shown).toEqual(expect.arrayContaining(expected));
    expect(duplicatesOf(shown)).toEqual([]);
    // Shown with the choice unset, the fields are not required: the admin can save as it is.
    expect(form.requiredKeys()).toEqual(['accountSID', 'templates']);
  });

  it.each(Object.entries(storedConfigs))('%s: Test and Save send a config that means the same', (_, stored) => {
    const form = openInConsole(formItems, stored);
    const meaning = parseConfig(stored);
    expect(parseConfig(form.testConfig())).toEqual(meaning);
    expect(parseConfig(form.savedConfig())).toEqual(meaning);
    // Including the endpoint of a 1.0 config, which the form no longer offers as host/region/edge.
    expect(resolveBaseUrl(parseConfig(form.testConfig()))).toBe(resolveBaseUrl(meaning));
  });
});

describe('a new connector in Logto’s form', () => {
  it('shows the fields the official connector has, with the new choices at their defaults', () => {
    const form = openInConsole(formItems);
    expect(form.values).toMatchObject({ authType: 'authToken', senderType: 'messagingService' });
    expect(form.shownKeys()).toEqual([
      'accountSID',
      'authType',
      'authToken',
      'senderType',
      'fromMessagingServiceSID',
      // The abuse guard's country policy, up front (empty: every country).
      'allowedCountries',
      'blockedCountries',
      'templates',
      'advanced',
    ]);
    expect(form.requiredKeys()).toEqual(['accountSID', 'authToken', 'fromMessagingServiceSID', 'templates']);
  });
});

describe('each choice shows the fields it needs, and only those', () => {
  it.each([
    [{ authType: 'authToken' }, ['authToken'], ['apiKeySID', 'apiKeySecret']],
    [{ authType: 'apiKey' }, ['apiKeySID', 'apiKeySecret'], ['authToken']],
    [{ senderType: 'messagingService' }, ['fromMessagingServiceSID'], ['from']],
    [{ senderType: 'from' }, ['from'], ['fromMessagingServiceSID']],
    [{ advanced: true }, advancedKeys, []],
    [{ advanced: false }, [], advancedKeys],
  ])('%j', (choice, shownAndRequired, hidden) => {
    const stored = { ...storedConfigs['1.0: an auth token and an API key'], from: '+15005550006', ...choice };
    const form = openInConsole(formItems, stored);
    expect(form.shownKeys()).toEqual(expect.arrayContaining(shownAndRequired));
    for (const key of hidden) {
      expect(form.shownKeys()).not.toContain(key);
    }
    if (!('advanced' in choice)) {
      expect(form.requiredKeys()).toEqual(expect.arrayContaining(shownAndRequired));
    }
  });

  it('in every combination: no field twice, the choices always, host/region/edge never', () => {
    for (const authType of [undefined, 'authToken', 'apiKey']) {
      for (const senderType of [undefined, 'messagingService', 'from']) {
        for (const advanced of [undefined, false, true]) {
          const shown = openInConsole(formItems, { ...storedConfigs['1.0: host'], authType, senderType, advanced }).shownKeys();
          expect(duplicatesOf(shown)).toEqual([]);
          expect(shown).toEqual(expect.arrayContaining(['accountSID', 'authType', 'senderType', 'templates', 'advanced']));
          expect(shown.filter((key) => ['host', 'region', 'edge'].includes(key))).toEqual([]);
          expect(shown.filter((key) => advancedKeys.includes(key))).toEqual(advanced ? advancedKeys : []);
        }
      }
    }
  });

  it('a switch to a From number sends from it, though the hidden service SID is kept', () => {
    const form = openInConsole(formItems, storedConfigs['official: its console form']);
    Object.assign(form.values, { senderType: 'from', from: '+15005550006' });
    expect(form.shownKeys()).not.toContain('fromMessagingServiceSID');

    expect(form.testConfig()).toMatchObject({ fromMessagingServiceSID: messagingServiceSid, from: '+15005550006' });
    const config = parseConfig(form.testConfig());
    expect(config.from).toBe('+15005550006');
    expect(config.fromMessagingServiceSID).toBeUndefined();
  });

  it('a switch to an API key authenticates with it, though the hidden auth token is kept', () => {
    const form = openInConsole(formItems, storedConfigs['official: its console form']);
    Object.assign(form.values, { authType: 'apiKey', apiKeySID, apiKeySecret });
    expect(form.shownKeys()).not.toContain('authToken');

    const config = parseConfig(form.savedConfig());
    expect(config).toMatchObject({ authType: 'apiKey', apiKeySID, apiKeySecret });
    expect(config.authToken).toBeUndefined();
  });
});
