import { checkConfig, previewConfigTemplates } from '../src/index.js';

import { accountSid, authToken } from './helpers/twilio-double.js';

const templates = [
  { usageType: 'SignIn', content: 'Your code is {{code}}' },
  { usageType: 'Register', content: '验证码 {{ code }}', locale: ' zh-CN ' },
  { usageType: 'ForgotPassword', content: 'Reset with {{code}}' },
  { usageType: 'Generic', content: 'No code here' },
];

describe('previewConfigTemplates', () => {
  it('renders each template of a valid config with the sample code, with its cost', () => {
    const input = { accountSID: accountSid, authToken, from: '+15005550006', templates };
    const { config } = checkConfig(input);
    const previews = previewConfigTemplates(input, config);
    expect(previews.map(({ index }) => index)).toEqual([0, 1, 2, 3]);
    expect(previews[0]).toEqual({
      index: 0,
      usageType: 'SignIn',
      body: 'Your code is 123456',
      encoding: 'GSM-7',
      segments: 1,
      characters: 19,
      units: 19,
      unitsPerSegment: 160,
      hasCode: true,
    });
    expect(previews[1]).toMatchObject({ locale: 'zh-CN', body: '验证码 123456', encoding: 'UCS-2', hasCode: true });
    expect(previews[3]).toMatchObject({ usageType: 'Generic', hasCode: false });
  });

  it('previews what it can of a config that does not parse, and the same locale as a parsed one would', () => {
    const input = {
      accountSID: 'nope',
      templates: [...templates, { usageType: 'SignIn' }, 'text', { usageType: 'SignIn', content: 'x {{code}}', locale: '  ' }],
    };
    expect(checkConfig(input).ok).toBe(false);
    const previews = previewConfigTemplates(input);
    expect(previews.map(({ index }) => index)).toEqual([0, 1, 2, 3, 6]);
    expect(previews[1]).toMatchObject({ locale: 'zh-CN' });
    expect(previews[4]).not.toHaveProperty('locale');
    expect(previewConfigTemplates({ templates: 'none' })).toEqual([]);
    expect(previewConfigTemplates(null)).toEqual([]);
  });
});
