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

const gsmBasic = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'
);
// Each of these costs two septets: the ESC character plus itself.
const gsmExtension = new Set('^{}\\[~]|€\f');

const limits = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
} as const;

/**
 * Encoding and segment count of a message body. Splitting never breaks a GSM-7 escape pair or a
 * UTF-16 surrogate pair across two segments, as Twilio's splitter does not.
 *
 * @example
 * countSegments('Your code is 123456').segments; // 1
 * countSegments('验证码 123456').encoding; // 'UCS-2'
 */
export function countSegments(body: string): SegmentInfo {
  // Per character: the units it occupies; a segment boundary may not fall inside one.
  const widths: number[] = [];
  let isGsm = true;
  for (const character of body) {
    if (gsmBasic.has(character)) {
      widths.push(1);
    } else if (gsmExtension.has(character)) {
      widths.push(2);
    } else {
      isGsm = false;
      break;
    }
  }

  const encoding: SmsEncoding = isGsm ? 'GSM-7' : 'UCS-2';
  if (!isGsm) {
    widths.length = 0;
    for (const character of body) {
      widths.push(character.length);
    }
  }

  const units = widths.reduce((sum, width) => sum + width, 0);
  const { single, multi } = limits[encoding];
  const base = { encoding, units, characters: body.length };

  if (units <= single) {
    return { ...base, segments: units === 0 ? 0 : 1, unitsPerSegment: single };
  }

  let segments = 1;
  let used = 0;
  for (const width of widths) {
    if (used + width > multi) {
      segments += 1;
      used = 0;
    }
    used += width;
  }
  return { ...base, segments, unitsPerSegment: multi };
}
