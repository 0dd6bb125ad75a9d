/**
 * Twilio Smart Encoding (`SmartEncoded=true`): Unicode look-alikes are replaced by GSM-7
 * characters before the encoding is chosen, so one curly quote does not turn a message into UCS-2.
 *
 * @doc https://www.twilio.com/docs/messaging/services/smart-encoding-char-list
 * @module
 */

const replacements = new Map<string, string>();
const add = (characters: string, replacement: string) => {
  for (const character of characters) {
    replacements.set(character, replacement);
  }
};

add('«»“”„‟″‶〝〞＂', '"');
add('‘’‚‛′‵＇`´', "'");
add('‐‑‒–—―−﹘﹣－', '-');
add('‹', '<');
add('›', '>');
add('\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000', ' ');
add('\u200b\u200c\u200d\u2060\ufeff', '');
replacements.set('…', '...');
replacements.set('ˆ', '^');
replacements.set('˜', '~');

/** The body with look-alike characters replaced; unchanged characters pass through. */
export function smartEncode(body: string): string {
  let result = '';
  for (const character of body) {
    result += replacements.get(character) ?? character;
  }
  return result;
}
