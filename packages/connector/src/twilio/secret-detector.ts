/**
 * Finding secrets in text a server sent back, whatever form they were echoed in.
 *
 * A proxy or a debugging gateway can repeat the Authorization header or the form body in an error:
 * URL-encoded, JSON- or HTML-escaped, upper- or lower-cased, wrapped across lines, base64- or
 * hex-encoded, or cut short. Exact matching misses all of these. So the text is decoded every way
 * it could have been encoded, folded to lower-case letters and digits only, and searched for every
 * 8-character piece of every form of every secret. A text that matches is never shown: callers
 * withhold it whole rather than trust a mask to cover every overlapping form.
 *
 * @module
 */

/** A run this long of a secret's (folded) form counts as a leak. */
const pieceLength = 8;

/** Lower-case ASCII letters and digits only: what survives case changes, wrapping and separators. */
const fold = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replaceAll(/[^\da-z]/g, '');

const namedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const fromCodePoint = (value: number) => (value <= 0x10_ff_ff ? String.fromCodePoint(value) : '');

/** One round of undoing the escapes a server or proxy could have applied. */
const unescapeOnce = (text: string) =>
  text
    // Percent-encoding (also %uXXXX).
    .replaceAll(/%u([\dA-Fa-f]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replaceAll(/%([\dA-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    // JSON and JavaScript escapes; an escaped line break is a wrap, not a letter.
    .replaceAll(/\\u{([\dA-Fa-f]{1,6})}/g, (_, hex: string) => fromCodePoint(Number.parseInt(hex, 16)))
    .replaceAll(/\\u([\dA-Fa-f]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replaceAll(/\\x([\dA-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replaceAll(/\\([0-3][0-7]{2})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)))
    .replaceAll(/\b0x([\dA-Fa-f]{2})\b/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replaceAll(/\\[bfnrtv0]/g, ' ')
    // HTML character references; any other named one is dropped (it cannot be a letter of a secret).
    .replaceAll(/&#x([\dA-Fa-f]{1,6});?/g, (_, hex: string) => fromCodePoint(Number.parseInt(hex, 16)))
    .replaceAll(/&#(\d{1,7});?/g, (_, digits: string) => fromCodePoint(Number(digits)))
    .replaceAll(/&([A-Za-z]{2,8});/g, (_, name: string) => namedEntities[name.toLowerCase()] ?? ' ')
    // Quoted-printable, soft line breaks included.
    .replaceAll(/=\r?\n/g, '')
    .replaceAll(/=([\dA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

/** Runs that could be base64 (standard or URL-safe), possibly wrapped, and runs of hex digits. */
const base64Run = /[\w+/-](?:[\w+/-]|\s(?=[\w+/-])){11,}/g;
const hexRun = /[\dA-Fa-f](?:[\dA-Fa-f]|\s(?=[\dA-Fa-f])){15,}/g;
/** Bytes as decimal numbers, as a serialised Buffer or byte array shows them: `[81,85,77,…]`. */
const byteList = /\b\d{1,3}(?:\s*[,;]\s*\d{1,3}){7,}\b/g;

/** The texts the runs in `text` decode to, at every alignment a cut-out run could have. */
function decodedRuns(text: string): string[] {
  const decoded: string[] = [];
  for (const [run] of text.matchAll(base64Run)) {
    const compact = run.replaceAll(/\s/g, '');
    for (let offset = 0; offset < 4; offset += 1) {
      decoded.push(Buffer.from(compact.slice(offset), 'base64').toString('latin1'));
    }
  }
  for (const [run] of text.matchAll(hexRun)) {
    const compact = run.replaceAll(/\s/g, '');
    for (let offset = 0; offset < 2; offset += 1) {
      decoded.push(Buffer.from(compact.slice(offset), 'hex').toString('latin1'));
    }
  }
  for (const [list] of text.matchAll(byteList)) {
    const bytes = list.split(/\s*[,;]\s*/).map(Number);
    if (bytes.every((byte) => byte < 256)) {
      decoded.push(Buffer.from(bytes).toString('latin1'));
    }
  }
  return decoded;
}

/** Every reading of `text`: as is, unescaped round after round, and its encoded runs decoded (twice over). */
function readingsOf(text: string): string[] {
  const readings = new Set<string>();
  const add = (value: string, depth: number) => {
    let current = value;
    for (let round = 0; round < 4 && !readings.has(current); round += 1) {
      readings.add(current);
      if (depth < 2) {
        for (const decoded of decodedRuns(current)) {
          add(decoded, depth + 1);
        }
      }
      current = unescapeOnce(current);
    }
  };
  add(text, 0);
  return [...readings];
}

/** The base64 characters of `secret` that do not depend on what surrounds it, at each byte alignment. */
function base64Forms(secret: Buffer): string[] {
  return [0, 1, 2].map((alignment) => {
    const encoded = Buffer.concat([Buffer.alloc(alignment), secret])
      .toString('base64')
      .replace(/=+$/, '');
    // The first group mixes in the bytes before, the last one the bytes after.
    return encoded.slice(alignment ? 4 : 0, -4);
  });
}

/** The forms a secret can be echoed in, before folding: as written and reversed, hex, base64. */
const formsOf = (secret: string) => {
  const bytes = Buffer.from(secret, 'utf8');
  return [secret, [...secret].reverse().join(''), bytes.toString('hex'), ...base64Forms(bytes)];
};

/**
 * Whether a text reveals any of `secrets` (or a run of 8 characters of one) in any form.
 * Secrets shorter than 8 characters (a verification code) count when whole.
 */
export type RevealsSecret = (text: string) => boolean;

export function createSecretDetector(secrets: Array<string | undefined>): RevealsSecret {
  const raw = [...new Set(secrets.filter((secret): secret is string => Boolean(secret?.trim())))];
  // Built on first use: most sends never fail.
  let pieces: Set<string> | undefined;
  let lengths: number[] = [];

  const build = () => {
    pieces = new Set();
    const found = new Set<number>();
    for (const secret of raw) {
      for (const [index, form] of formsOf(secret).entries()) {
        const folded = fold(form);
        if (folded.length >= pieceLength) {
          for (let start = 0; start + pieceLength <= folded.length; start += 1) {
            pieces.add(folded.slice(start, start + pieceLength));
          }
          found.add(pieceLength);
        } else if (index === 0 && folded) {
          // A short secret as written; its short encodings would match too much unrelated text.
          pieces.add(folded);
          found.add(folded.length);
        }
      }
    }
    lengths = [...found];
    return pieces;
  };

  const hasPiece = (folded: string, known: Set<string>) =>
    lengths.some((length) => {
      for (let start = 0; start + length <= folded.length; start += 1) {
        if (known.has(folded.slice(start, start + length))) {
          return true;
        }
      }
      return false;
    });

  return (text) => {
    if (raw.length === 0 || !text) {
      return false;
    }
    if (raw.some((secret) => text.includes(secret))) {
      return true;
    }
    const known = pieces ?? build();
    return readingsOf(text).some((reading) => hasPiece(fold(reading), known));
  };
}
