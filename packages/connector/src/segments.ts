/**
 * SMS encoding and segment counting, as carriers (and Twilio's `num_segments`) count them.
 *
 * @doc https://www.twilio.com/docs/glossary/what-sms-character-limit
 * @module
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export type SegmentInfo = {
  /** GSM-7 when every character is in the GSM 03.38 basic or extension table, else UCS-2. */
  encoding: SmsEncoding;
  /** Billable parts the body is split into (0 for an empty body). */
  segments: number;
  /** Code units on the wire: septets for GSM-7 (extension characters count 2), UTF-16 units for UCS-2. */
  units: number;
  /** Units one segment holds at this length: 160/70 for a single part, 153/67 once concatenated. */
  unitsPerSegment: number;
  /** Characters as Twilio counts them against its 1,600-character body limit (UTF-16 units). */
  characters: number;
};

/** Twilio refuses a body longer than this (error 21617). */
export const maxBodyCharacters = 1600;

const gsmBasic =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
// Each of these costs two septets: the ESC character plus itself.
const gsmExtension = '^{}\\[~]|€\f';

// Septets per UTF-16 code unit, 0 where the character is not GSM-7. The highest GSM character is
// "€" (U+20AC), so a table this size answers every lookup on the hot path.
const septets = new Uint8Array(0x20ad);
for (const character of gsmBasic) {
  septets[character.charCodeAt(0)] = 1;
}
for (const character of gsmExtension) {
  septets[character.charCodeAt(0)] = 2;
}

const limits = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
} as const;

const septetsOf = (code: number) => (code < septets.length ? septets[code]! : 0);
const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * Encoding and segment count of a message body. Splitting never breaks a GSM-7 escape pair or a
 * UTF-16 surrogate pair across two segments, as Twilio's splitter does not.
 *
 * @example
 * countSegments('Your code is 123456').segments; // 1
 * countSegments('验证码 123456').encoding; // 'UCS-2'
 */
export function countSegments(body: string): SegmentInfo {
  let gsmUnits = 0;
  for (let index = 0; index < body.length; index += 1) {
    const width = septetsOf(body.charCodeAt(index));
    if (width === 0) {
      gsmUnits = -1;
      break;
    }
    gsmUnits += width;
  }

  const encoding: SmsEncoding = gsmUnits < 0 ? 'UCS-2' : 'GSM-7';
  const units = gsmUnits < 0 ? body.length : gsmUnits;
  const { single, multi } = limits[encoding];

  if (units <= single) {
    return { encoding, segments: units === 0 ? 0 : 1, units, unitsPerSegment: single, characters: body.length };
  }

  // Concatenated: fill each part, moving a character that would straddle two parts to the next.
  let segments = 1;
  let used = 0;
  for (let index = 0; index < body.length; index += 1) {
    const code = body.charCodeAt(index);
    let width = 1;
    if (encoding === 'GSM-7') {
      width = septetsOf(code);
    } else if (isHighSurrogate(code) && index + 1 < body.length) {
      width = 2;
      index += 1;
    }
    if (used + width > multi) {
      segments += 1;
      used = 0;
    }
    used += width;
  }
  return { encoding, segments, units, unitsPerSegment: multi, characters: body.length };
}
