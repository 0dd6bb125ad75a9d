import { sidPattern } from '../src/sid.js';

describe('sidPattern', () => {
  it('takes a listed prefix and exactly 32 hexadecimal characters, in either case', () => {
    const message = sidPattern('SM', 'MM');
    expect(message.test(`SM${'a'.repeat(32)}`)).toBe(true);
    expect(message.test(`MM${'0123456789ABCDEF'.repeat(2)}`)).toBe(true);
    expect(message.test(`MG${'a'.repeat(32)}`)).toBe(false);
    expect(message.test(`SM${'a'.repeat(31)}`)).toBe(false);
    expect(message.test(`SM${'a'.repeat(33)}`)).toBe(false);
    expect(message.test(`SM${'g'.repeat(32)}`)).toBe(false);
    // Anchored as a whole: no SID inside a longer text.
    expect(message.test(` SM${'a'.repeat(32)}`)).toBe(false);
    expect(message.test(`xSM${'a'.repeat(32)}`)).toBe(false);
  });
});
