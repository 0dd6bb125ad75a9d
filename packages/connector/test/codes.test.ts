import { randomCode, renderTemplate, sampleCode } from '../src/index.js';

describe('codes', () => {
  it('makes 6-digit codes, leading zeros kept, that differ', () => {
    const codes = Array.from({ length: 200 }, () => randomCode());
    for (const code of codes) {
      expect(code).toMatch(/^\d{6}$/);
    }
    expect(new Set(codes).size).toBeGreaterThan(190);
  });

  it('renders previews with a sample code of the same shape', () => {
    expect(renderTemplate('Code {{code}}', { code: sampleCode })).toMatch(/^Code \d{6}$/);
  });
});
