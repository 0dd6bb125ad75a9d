import { configSecrets, createRedactor, redactionMark } from '../src/index.js';

describe('createRedactor', () => {
  it('redacts longest secrets first and ignores tiny ones', () => {
    const redact = createRedactor(['abc', 'abcdef', 'x', undefined]);
    expect(redact('abcdef abc x')).toBe(`${redactionMark} ${redactionMark} x`);
  });

  it('takes a token with its Basic credential, so neither form is left', () => {
    const config = { accountSID: `AC${'1'.repeat(32)}`, authToken: 'tok3n-value', templates: [] };
    const basic = Buffer.from(`${config.accountSID}:tok3n-value`).toString('base64');
    const redact = createRedactor(configSecrets(config));
    expect(redact(`token tok3n-value, header Basic ${basic}`)).toBe(`token ${redactionMark}, header Basic ${redactionMark}`);
  });
});
