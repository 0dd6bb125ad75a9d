/**
 * The verification code of a message body: the one definition behind `InboxMessage.code` (and
 * `codeIndex`), so `/api/messages/latest`, the inbox's highlight and its Copy button agree. The
 * inbox reads both fields from the server's JSON and never detects a code itself.
 *
 * A candidate is a standalone token: 4–12 ASCII digits, or 4–12 of A–Z and 0–9 with at least one
 * of each (Logto's codes are 6 digits; templates may carry other codes, e.g. `smsdesk send --code`).
 * Never a candidate: a part of a longer number (`1,234.56`, `2025-01-31`, `415 555 0123`, `12:30`,
 * digits inside a word), a phone number (`+1 415…`), an amount (`$1234`, `1234 EUR`, `50%`) or a
 * reference (`#123456`).
 *
 * 1. A label (code, código, Code, codice, kod, код, 验证码, 認証コード, 인증번호, OTP, PIN, passcode,
 *    verification, password …) in the same clause, at most 40 characters away: the candidate it
 *    introduces ("code: 482913", "验证码是123456") wins over one it follows ("482913 is your code"),
 *    the nearer over the farther; two different codes equally near are no answer. A year-like number (1900–2099) counts only right after its label ("PIN 2025").
 * 2. Without a label, a message whose only plausible number (4–8 digits, not a year) is one value:
 *    "Acme: 482913".
 * 3. Otherwise null: several unlabelled numbers, or none.
 *
 * @example
 * detectCode('Order 123456, code 654321'); // { value: '654321', index: 19 }
 * detectCode('© 2025 Acme. Your code: 482913'); // { value: '482913', index: 24 }
 * detectCode('Order 123456 shipped, invoice 654321'); // null
 * @module
 */

/** A detected code and where it starts in the body (a UTF-16 index, as `String.prototype.indexOf`). */
export type DetectedCode = { value: string; index: number };

type Token = { text: string; index: number; end: number };
type Candidate = Token & { digitsOnly: boolean; year: boolean };
type Label = { index: number; end: number };

/** Letters of scripts that separate words with spaces: a code glued to them is part of a word. */
const wordLetter = String.raw`\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{M}`;
/** Tokens: runs of those letters and ASCII digits. CJK, kana, Hangul and Thai end a token ("123456입니다"). */
const tokenPattern = new RegExp(`[${wordLetter}0-9]+`, 'gu');

/** Stems that name a code anywhere inside a word: Bestätigungscode, passcode, kodunuz, vahvistuskoodi. */
const labelStem = new RegExp(
  [
    'code',
    'c[oó]dig',
    'codice',
    'codul',
    'k[oó]d',
    'kood',
    'код',
    'κωδικ',
    'password',
    'passwort',
    'contrase[ñn]a',
    'senha',
    'пароль',
    'şifre',
    'verif',
    'weryfik',
    'bestätig',
    'bestaetig',
    'подтвержд',
    'doğrula',
    'vahvist',
    'authenti',
  ].join('|'),
  'iu'
);
/** Short labels that count only as whole words (pin, not "shopping"). */
const labelWords = new Set(['pin', 'otp', 'mã']);
const wordPattern = new RegExp(`[${wordLetter}]+`, 'gu');
/** Labels in other scripts: whole words where words have spaces, substrings where they do not (号码, a phone number, is not 码). */
const otherLabels = new RegExp(
  [
    '(?<![\\p{L}\\p{M}])(?:رمز|كود|קוד|कोड|ओटीपी|सत्यापन)(?![\\p{L}\\p{M}])',
    '验证|驗證|校验|校驗|认证|認證|动态码|動態碼|确认码|確認碼|安全码|密码|密碼',
    'コード|認証|確認番号|暗証番号|パスワード',
    '인증|코드|확인번호|승인번호|비밀번호|รหัส',
  ].join('|'),
  'gu'
);

/** A label and its code share a clause: no sentence end, comma or blank line between them ("$1,250.00" is neither). */
const clauseBreak = /[.!?;,](?!\S)|[。！？；，、]|\n\s*\n/;
const maxLabelGap = 40;
/** "PIN 2025", "code: 1999": nothing but spacing and punctuation between label and number. */
const tightGap = /^[\s:：=#\-–—[(（【「]*$/;

/** `+1 (415) 555-0123`, `+44 7911 123456`: a plus sign, then 7–15 digits with spacing. */
const phonePattern = /\+\s?\(?\d(?:[\s().-]{0,2}\d){6,14}/g;
/** Joins tokens with digits into one longer number: 1,234.56 · 2025-01-31 · 12:30 · 1/2. */
const numberJoiner = /^[.,:/-]$/;

const currencyCodes =
  'USD|EUR|GBP|JPY|CNY|RMB|HKD|TWD|KRW|INR|BRL|CAD|AUD|NZD|CHF|MXN|RUB|TRY|PLN|SEK|NOK|DKK|CZK|HUF|ZAR|SGD|AED|SAR|IDR|THB|VND|PHP|MYR|ILS';
/** Before a number: a currency sign or code, or a reference mark (`#123456`, `№ 1234`). */
const amountOrReferenceBefore = new RegExp(
  `(?:\\p{Sc}|[#№]|(?<!\\p{L})(?:${currencyCodes}|Rs\\.?|Rp|kr|zł|Kč|Ft|руб\\.?))\\s?$`,
  'u'
);
/** After a number: a currency sign, code or name, or a percent sign. */
const amountAfter = new RegExp(
  `^\\s?(?:\\p{Sc}|[%‰元円圓원]|(?:${currencyCodes})(?!\\p{L})|(?:dollars?|euros?|pounds?|yuan|yen|won|rupees?|reais|pesos?|kr|zł|руб)(?!\\p{L}))`,
  'iu'
);

const digitsOnly = /^\d+$/;
const alphanumericCode = /^(?=[A-Z]*\d)(?=\d*[A-Z])[A-Z\d]{4,12}$/;
const yearLike = /^(?:19|20)\d\d$/;

/**
 * The verification code in a message body and its index, or null when no number is confidently
 * the code (see the module comment for the rules).
 */
export function detectCode(body: string): DetectedCode | null {
  const candidates = findCandidates(body);
  if (candidates.length === 0) {
    return null;
  }
  const labelled = nearestLabelled(body, candidates);
  if (labelled !== undefined) {
    return labelled && { value: labelled.text, index: labelled.index };
  }
  const plain = candidates.filter((candidate) => candidate.digitsOnly && candidate.text.length <= 8 && !candidate.year);
  const values = new Set(plain.map((candidate) => candidate.text));
  return values.size === 1 ? { value: plain[0]!.text, index: plain[0]!.index } : null;
}

function findCandidates(body: string): Candidate[] {
  const tokens: Token[] = [];
  for (const match of body.matchAll(tokenPattern)) {
    tokens.push({ text: match[0], index: match.index, end: match.index + match[0].length });
  }
  const phones = [...body.matchAll(phonePattern)].map((match) => ({ index: match.index, end: match.index + match[0].length }));

  const candidates: Candidate[] = [];
  tokens.forEach((token, position) => {
    const digits = digitsOnly.test(token.text);
    if (!digits && !alphanumericCode.test(token.text)) {
      return;
    }
    if (digits && (token.text.length < 4 || token.text.length > 12)) {
      return;
    }
    const partOfNumber =
      joinsNumber(body, tokens[position - 1], token) ||
      joinsNumber(body, token, tokens[position + 1]) ||
      body[token.index - 1] === '+' ||
      phones.some((phone) => phone.index < token.end && token.index < phone.end);
    const amountOrReference =
      amountOrReferenceBefore.test(body.slice(Math.max(0, token.index - 12), token.index)) ||
      amountAfter.test(body.slice(token.end, token.end + 12));
    if (partOfNumber || amountOrReference) {
      return;
    }
    candidates.push({ ...token, digitsOnly: digits, year: digits && yearLike.test(token.text) });
  });
  return candidates;
}

/** Whether two neighbouring tokens are one longer number (`1,234`, `2025-01-31`, `415 555 0123`). */
function joinsNumber(body: string, left: Token | undefined, right: Token | undefined): boolean {
  if (!left || !right || !/\d/.test(left.text) || !/\d/.test(right.text)) {
    return false;
  }
  const between = body.slice(left.end, right.index);
  if (numberJoiner.test(between)) {
    return true;
  }
  // Digit groups of a spaced-out number; a code next to a short number ("code 482913 10 min") is not one.
  return (
    between === ' ' &&
    digitsOnly.test(left.text) &&
    digitsOnly.test(right.text) &&
    left.text.length <= 4 &&
    right.text.length <= 4
  );
}

function findLabels(body: string): Label[] {
  const labels: Label[] = [];
  for (const match of body.matchAll(wordPattern)) {
    if (labelStem.test(match[0]) || labelWords.has(match[0].normalize('NFC').toLowerCase())) {
      labels.push({ index: match.index, end: match.index + match[0].length });
    }
  }
  for (const match of body.matchAll(otherLabels)) {
    labels.push({ index: match.index, end: match.index + match[0].length });
  }
  return labels;
}

/**
 * The candidate nearest to a label: one the label introduces first, then one it follows. Undefined
 * when no label is near a candidate; null when two different codes are equally near.
 */
function nearestLabelled(body: string, candidates: Candidate[]): Candidate | null | undefined {
  const labels = findLabels(body);
  let best: { candidate: Candidate; introduced: boolean; gap: number } | undefined;
  let tie = false;
  for (const label of labels) {
    for (const candidate of candidates) {
      const introduced = label.end <= candidate.index;
      if (!introduced && candidate.end > label.index) {
        continue; // The label overlaps the candidate ("CODE1234").
      }
      if ((introduced ? candidate.index - label.end : label.index - candidate.end) > maxLabelGap) {
        continue;
      }
      const gapText = introduced ? body.slice(label.end, candidate.index) : body.slice(candidate.end, label.index);
      if (clauseBreak.test(gapText) || (candidate.year && !(introduced && tightGap.test(gapText)))) {
        continue;
      }
      const gap = gapText.length;
      const better = !best || (introduced && !best.introduced) || (introduced === best.introduced && gap < best.gap);
      if (better) {
        best = { candidate, introduced, gap };
        tie = false;
      } else if (introduced === best!.introduced && gap === best!.gap && candidate.text !== best!.candidate.text) {
        tie = true;
      }
    }
  }
  if (!best) {
    return undefined;
  }
  return tie ? null : best.candidate;
}
