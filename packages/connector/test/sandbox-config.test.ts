import { checkConfig, defaultMetadata, isValidSender, sandboxConnectorConfig, sandboxSender } from '../src/index.js';

import { accountSid, authToken } from './helpers/twilio-double.js';

describe('sandboxConnectorConfig', () => {
  const url = 'http://127.0.0.1:4010';

  it('is a config the connector accepts without a warning, sending from a valid sender to the server', () => {
    const input = sandboxConnectorConfig({ url, accountSid, authToken });
    expect(isValidSender(sandboxSender)).toBe(true);
    const { ok, issues, config } = checkConfig(input);
    expect({ ok, issues }).toEqual({ ok: true, issues: [] });
    expect(config).toMatchObject({ accountSID: accountSid, authToken, from: sandboxSender, baseUrl: url });
    // Logto's form shows baseUrl only with the advanced fields.
    expect(input).toMatchObject({ senderType: 'from', authType: 'authToken', advanced: true });
  });

  it('keeps the order of Logto’s form with the templates last, and a fresh copy of its defaults', () => {
    const input = sandboxConnectorConfig({ url, accountSid, authToken });
    // A key the form shows two ways (required once chosen, optional before) counts once.
    const formOrder = [...new Set((defaultMetadata.formItems ?? []).map(({ key }) => key))].filter((key) => key !== 'templates');
    const keys = Object.keys(input);
    expect(keys).toEqual([...formOrder.filter((key) => keys.includes(key)), 'templates']);
    expect(keys.slice(0, 7)).toEqual(['accountSID', 'authType', 'authToken', 'senderType', 'from', 'advanced', 'baseUrl']);
    (input.templates as Array<{ content: string }>)[0]!.content = 'changed';
    expect(JSON.stringify(sandboxConnectorConfig({ url, accountSid }))).not.toContain('changed');
  });

  it('leaves a token it is not given out, so a check asks for it', () => {
    const input = sandboxConnectorConfig({ url, accountSid });
    expect(input).not.toHaveProperty('authToken');
    expect(checkConfig(input).issues).toContainEqual(expect.objectContaining({ path: 'authToken', severity: 'error' }));
  });
});
