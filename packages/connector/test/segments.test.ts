import { countSegments } from '../src/index.js';

describe('countSegments', () => {
  it.each([
    ['', 'GSM-7', 0, 0],
    ['Your Logto verification code is 123456.', 'GSM-7', 1, 39],
    ['a'.repeat(160), 'GSM-7', 1, 160],
    ['a'.repeat(161), 'GSM-7', 2, 161],
    ['a'.repeat(306), 'GSM-7', 2, 306],
    ['a'.repeat(307), 'GSM-7', 3, 307],
    ['€'.repeat(80), 'GSM-7', 1, 160], // extension characters cost two septets
    ['€'.repeat(81), 'GSM-7', 2, 162],
    ['Ünïcödé? Ñ is GSM, but ï is not', 'UCS-2', 1, 31],
    ['验'.repeat(70), 'UCS-2', 1, 70],
    ['验'.repeat(71), 'UCS-2', 2, 71],
    ['😀'.repeat(35), 'UCS-2', 1, 70], // one emoji is two UTF-16 units
    ['😀'.repeat(36), 'UCS-2', 2, 72],
  ] as const)('%j: %s, %i segment(s), %i units', (body, encoding, segments, units) => {
    expect(countSegments(body)).toMatchObject({ encoding, segments, units });
  });

  it('never splits an escape pair across segments', () => {
    // 152 septets, then "€" (2): it does not fit the first 153-septet part, so it opens the second.
    const body = `${'a'.repeat(152)}€${'a'.repeat(153)}`;
    expect(countSegments(body)).toMatchObject({ units: 307, segments: 3, unitsPerSegment: 153 });
    expect(countSegments(`${'a'.repeat(151)}€${'a'.repeat(153)}`).segments).toBe(2);
  });

  it('never splits a surrogate pair across segments', () => {
    const body = `${'验'.repeat(66)}😀${'验'.repeat(67)}`;
    expect(countSegments(body)).toMatchObject({ units: 135, segments: 3, unitsPerSegment: 67 });
  });

  it('counts characters as Twilio’s 1,600 limit does', () => {
    expect(countSegments('😀'.repeat(800)).characters).toBe(1600);
  });
});
