/**
 * The secret detector on its own: every form a server could echo a secret in is found, and the
 * texts Twilio really sends are not mistaken for one (they would be withheld for nothing).
 */
import { createSecretDetector } from '../src/twilio/secret-detector.js';

const accountSID = 'AC5d0c8e2b1a7f4936c0de4b8a2f61e97d';
const authToken = 'f3a9c1e07b2d48e6a5c4b3d2e1f0a9b8';
const credentials = Buffer.from(`${accountSID}:${authToken}`).toString('base64');
const code = '918273';
const reveals = createSecretDetector([authToken, credentials, code]);

const bytesOf = (text: string) => [...Buffer.from(text)];

describe('createSecretDetector', () => {
  it.each([
    ['the token', authToken],
    ['9 characters of the token', authToken.slice(11, 20)],
    ['the token upper-cased, in a sentence', `token=${authToken.toUpperCase()}.`],
    ['the token reversed', [...authToken].reverse().join('')],
    ['the token with a space between characters', [...authToken].join(' ')],
    ['the token in full-width letters', String.fromCharCode(...[...authToken].map((c) => c.charCodeAt(0) + 0xfe_e0))],
    [
      'the token as \\x escapes',
      bytesOf(authToken)
        .map((b) => `\\x${b.toString(16)}`)
        .join(''),
    ],
    [
      'the token as octal escapes',
      bytesOf(authToken)
        .map((b) => `\\${b.toString(8).padStart(3, '0')}`)
        .join(''),
    ],
    [
      'the token as 0x bytes',
      bytesOf(authToken)
        .map((b) => `0x${b.toString(16)}`)
        .join(', '),
    ],
    ['the token as a serialised Buffer', JSON.stringify(Buffer.from(authToken))],
    ['the token wrapped in JSON (\\n escapes)', JSON.stringify(authToken.match(/.{1,6}/g)!.join('\n'))],
    [
      'the token as HTML entities without semicolons',
      bytesOf(authToken)
        .map((b) => `&#${b}`)
        .join(''),
    ],
    ['the token in base64 at the third alignment', Buffer.from(`ab${authToken}`).toString('base64')],
    ['the token in base64 of UTF-16', Buffer.from(authToken, 'utf16le').toString('base64')],
    ['the credentials, 12 characters of the token part', credentials.slice(-20, -8)],
    [
      'the credentials lower-cased, URL-encoded twice',
      encodeURIComponent(encodeURIComponent(`Basic ${credentials.toLowerCase()}`)),
    ],
    [
      'the credentials quoted-printable, wrapped',
      `${[...credentials]
        .map((c) => `=${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .join('')
        .match(/.{1,60}/g)!
        .join('=\r\n')}`,
    ],
    [
      'the credentials base64-encoded again, wrapped at 76',
      Buffer.from(credentials)
        .toString('base64')
        .match(/.{1,76}/g)!
        .join('\n'),
    ],
    // Deliberate: any piece of the Authorization header counts, the part encoding the SID too.
    ['the start of the credentials (the SID part only)', credentials.slice(0, 40)],
    ['the code in a form body', `To=%2B14155552671&Body=Your+code+is+${code}.`],
    ['the code in base64 of the body', Buffer.from(`Body=Your code is ${code}.`).toString('base64')],
  ])('finds %s', (_, text) => {
    expect(reveals(text)).toBe(true);
  });

  it.each([
    "The 'To' number +14155552671 is not a valid phone number.",
    'Authenticate',
    `The requested resource /2010-04-01/Accounts/${accountSID}/Messages.json was not found`,
    'https://www.twilio.com/docs/errors/21211',
    "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +447911123456.",
    'Attempt to send to unsubscribed recipient',
    `Message SM0123456789abcdef0123456789abcdef from MG0f1e2d3c4b5a69788796a5b4c3d2e1f0 failed`,
  ])('does not mistake %j for a secret', (text) => {
    expect(reveals(text)).toBe(false);
  });

  it('finds nothing without secrets, and ignores blank ones', () => {
    expect(createSecretDetector([])(authToken)).toBe(false);
    expect(createSecretDetector(['', '  ', undefined])('anything at all')).toBe(false);
  });
});
