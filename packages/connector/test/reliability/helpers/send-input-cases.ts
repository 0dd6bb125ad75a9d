/**
 * Bad and odd send input: destinations, usage types, payloads.
 *
 * @module
 */
import { code } from './secrets.js';

/** Destinations that must be refused before any request, and the reason the message must give. */
export const invalidNumbers: Array<{ name: string; to: unknown; reason: RegExp }> = [
  { name: 'empty', to: '', reason: /is not a phone number/ },
  { name: 'only a plus', to: '+', reason: /is not a phone number/ },
  { name: 'blank', to: '   ', reason: /is not a phone number/ },
  { name: 'country code only', to: '+1', reason: /is too short/ },
  { name: 'three digits', to: '123', reason: /is too short/ },
  { name: 'one digit short for the US', to: '+1415555267', reason: /is too short/ },
  { name: 'eighteen digits', to: '+141555526712345678', reason: /is too long/ },
  { name: '65 digits', to: '1'.repeat(65), reason: /is too long/ },
  { name: '100 letters', to: 'x'.repeat(100), reason: /is too long/ },
  { name: 'lettered (vanity)', to: '+1415555CALL', reason: /is not a phone number/ },
  { name: 'words', to: 'call me', reason: /is not a phone number/ },
  { name: 'with an extension', to: '+14155552671 ext. 9', reason: /is not a phone number/ },
  { name: 'full-width digits', to: '+１４１５５５５２６７１', reason: /is not a phone number/ },
  { name: 'Arabic-Indic digits', to: '+١٤١٥٥٥٥٢٦٧١', reason: /is not a phone number/ },
  { name: 'a right-to-left override in front', to: '\u202E+14155552671', reason: /is not a phone number/ },
  { name: 'a NUL at the end', to: '+14155552671\u0000', reason: /is not a phone number/ },
  { name: 'an emoji', to: '📞', reason: /is not a phone number/ },
  { name: 'two plus signs', to: '++14155552671', reason: /is not a phone number/ },
  { name: 'an unassigned country code', to: '+999123456', reason: /does not start with a valid country calling code/ },
  { name: '+00 prefix', to: '+0014155552671', reason: /does not start with a valid country calling code/ },
  { name: 'a number type', to: 14_155_552_671, reason: /is not a phone number/ },
  { name: 'null', to: null, reason: /is not a phone number/ },
  { name: 'undefined', to: undefined, reason: /is not a phone number/ },
  { name: 'an object', to: { number: '+14155552671' }, reason: /is not a phone number/ },
  { name: 'an array', to: ['+14155552671'], reason: /is not a phone number/ },
];

/** Destinations written the ways Logto and people write them, and the E.164 number sent. */
export const acceptedNumbers: Array<{ name: string; to: string; e164: string }> = [
  { name: "Logto's digits without +", to: '14155552671', e164: '+14155552671' },
  { name: 'E.164', to: '+14155552671', e164: '+14155552671' },
  { name: 'UK digits without +', to: '447911123456', e164: '+447911123456' },
  { name: 'formatted', to: '+1 (415) 555-2671', e164: '+14155552671' },
  { name: '00 international prefix', to: '0014155552671', e164: '+14155552671' },
  { name: 'a trailing newline', to: '+14155552671\n', e164: '+14155552671' },
];

/** Usage types without a template of their own: the Generic template is used. */
export const unknownTypes: Array<{ name: string; type: unknown }> = [
  { name: 'a new usage type', type: 'SomethingNew' },
  { name: 'empty', type: '' },
  { name: '__proto__', type: '__proto__' },
  { name: 'constructor', type: 'constructor' },
  { name: 'toString', type: 'toString' },
  { name: 'hasOwnProperty', type: 'hasOwnProperty' },
  { name: 'lowercase signin', type: 'signin' },
  { name: '1000 characters', type: 'T'.repeat(1000) },
  { name: 'Cyrillic', type: 'Вход' },
  { name: 'a number', type: 42 },
  { name: 'undefined', type: undefined },
];

/** Payload codes holding placeholders: rendered once, never expanded again. */
export const placeholderCodes = [
  '{{code}}',
  '{{ code }}',
  '{{link}}',
  '{{locale}}',
  '{{constructor}}',
  '{{__proto__}}',
  '{{code.length}}',
  '{{{{code}}}}',
];

/** Codes with control and odd characters: sent exactly as rendered. */
export const controlCodes: Array<{ name: string; code: string }> = [
  { name: 'NUL', code: '918\u0000273' },
  { name: 'BEL and ESC colour codes', code: '\u0007\u001B[31m918273\u001B[0m' },
  { name: 'CR LF', code: '918273\r\nInjected: line' },
  { name: 'a right-to-left override', code: '\u202E918273' },
  { name: 'a byte-order mark', code: '\uFEFF918273' },
  { name: 'DEL and C1 controls', code: '918273\u007F\u0085\u009B' },
];

/**
 * Payloads that are not objects: Logto never sends them, but they must not crash a send. They carry
 * no code, so a template with {{code}} is refused and one without it is sent as written.
 */
export const nonObjectPayloads: Array<{ name: string; payload: unknown }> = [
  { name: 'null', payload: null },
  { name: 'a string', payload: '918273' },
  { name: 'a number', payload: 918_273 },
  { name: 'true', payload: true },
  { name: 'an array', payload: ['918273'] },
  { name: 'a function', payload: () => '918273' },
];

/** Codes that are neither a string nor a number: refused before any request. */
export const nonStringCodes: Array<{ name: string; code: unknown }> = [
  { name: 'a bigint', code: 918_273n },
  { name: 'a symbol', code: Symbol('918273') },
  { name: 'an object with a null prototype (String() throws)', code: Object.create(null) as unknown },
  {
    name: 'an object whose toString throws',
    code: {
      toString() {
        throw new Error('no string for you');
      },
    },
  },
];

/**
 * Locales that are not strings: ignored, so the template without a locale is used. The ones that
 * would turn into "fr" with String() show that they are not coerced.
 */
export const nonStringLocales: Array<{ name: string; locale: unknown }> = [
  { name: 'a number', locale: 42 },
  { name: 'an empty object', locale: {} },
  { name: 'an array holding a tag', locale: ['fr'] },
  { name: 'an object whose toString gives a tag', locale: { toString: () => 'fr' } },
  { name: 'true', locale: true },
];

/** Message arguments that are not objects: Logto never passes them; other callers might. */
export const nonObjectMessages: Array<{ name: string; message: unknown }> = [
  { name: 'null', message: null },
  { name: 'undefined', message: undefined },
  { name: 'a string', message: 'SignIn' },
];

/** Templates with nothing to send: accepted with a warning, and a send with one is refused. */
export const emptyTemplates: Array<{ name: string; content: string }> = [
  { name: 'empty', content: '' },
  { name: 'only whitespace', content: ' \n\t ' },
];

/** The SignIn template's body (helpers/secrets.ts's templates) for a code. */
const signIn = (value: string) => `Your sign-in code is ${value}.`;

/**
 * Payloads rendered once and sent as rendered: `type` is one of send-input.test.ts's templates (Link:
 * `Open {{link}} with code {{code}}`, Proto: `A {{constructor}} B {{__proto__}} C {{toString}} D {{code}}`).
 */
export const renderedPayloads: Array<{ name: string; type: string; payload: Record<string, unknown>; body: string }> = [
  {
    name: 'values that name each other are not expanded twice',
    type: 'Link',
    payload: { code: '{{link}}', link: '{{code}}' },
    body: 'Open {{code}} with code {{link}}',
  },
  {
    name: '{{constructor}}, {{__proto__}}, {{toString}} in a template do not reach the prototype',
    type: 'Proto',
    payload: { code },
    body: `A {{constructor}} B {{__proto__}} C {{toString}} D ${code}`,
  },
  {
    name: 'a lone surrogate is sent as U+FFFD (what UTF-8 form encoding makes of it)',
    type: 'SignIn',
    payload: { code: '\uD800' },
    body: signIn('\uFFFD'),
  },
  { name: 'a number as the code is rendered with String()', type: 'SignIn', payload: { code: Number(code) }, body: signIn(code) },
];

/** Codes with a {{code}} template that leave nothing to send: refused, no request. */
export const unsendableCodes: Array<{ name: string; code: unknown }> = [
  { name: 'an empty code', code: '' },
  { name: 'an explicitly undefined code', code: undefined },
  { name: 'NaN', code: Number.NaN },
  { name: 'Infinity', code: Number.POSITIVE_INFINITY },
];

/** Codes that make the SignIn body longer than 1,600 characters. */
export const oversizedCodes: Array<{ name: string; code: string }> = [
  { name: '3 MB of ASCII', code: 'x'.repeat(3_000_000) },
  { name: '1 M Chinese characters', code: '验'.repeat(1_000_000) },
  { name: '1 M emoji', code: '😀'.repeat(1_000_000) },
  { name: 'one character too many (1,601)', code: 'x'.repeat(1600 - signIn('').length + 1) },
];

/** Large payloads whose body is still within 1,600 characters: sent as rendered. */
export const largePayloadsSent: Array<{ name: string; payload: Record<string, unknown>; body: string }> = [
  {
    name: 'a body of exactly 1,600 characters',
    payload: { code: 'x'.repeat(1600 - signIn('').length) },
    body: signIn('x'.repeat(1600 - signIn('').length)),
  },
  {
    name: 'megabytes in payload keys the template does not use',
    payload: { code, unused: 'x'.repeat(5_000_000), locale: 'e'.repeat(1_000_000) },
    body: signIn(code),
  },
];

/** Object payloads without a code, for a template that needs one. */
export const codelessPayloads: Array<{ name: string; payload: Record<string, unknown> }> = [
  { name: 'an empty object', payload: {} },
  { name: 'other values only', payload: { link: 'https://example.com/x', locale: 'en' } },
];

const revoked = () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};
const throwingTraps = () =>
  new Proxy(
    {},
    {
      ownKeys() {
        throw new Error('ownKeys trap');
      },
      get() {
        throw new Error('get trap');
      },
    }
  );
const noCode = 'The SignIn template needs {{code}}, but the payload has no code.';
const unreadable = 'The payload could not be read: pass a plain object.';

/**
 * Payloads whose code the check and the template could read differently, and what the refusal
 * says: only one copy of the own data properties is ever read.
 */
export const unreadablePayloads: Array<{ name: string; payload: () => unknown; message: string }> = [
  { name: 'an inherited code', payload: () => Object.create({ code }) as unknown, message: noCode },
  {
    name: 'a non-enumerable code',
    payload: () => Object.defineProperty({}, 'code', { value: code, enumerable: false }),
    message: noCode,
  },
  {
    // Its first read gives the code: only a connector that never reads it refuses.
    name: 'a code behind a getter',
    payload: () => {
      let reads = 0;
      return {
        get code() {
          reads += 1;
          return reads === 1 ? code : undefined;
        },
      };
    },
    message: noCode,
  },
  {
    name: 'a throwing getter for code',
    payload: () => ({
      get code(): string {
        throw new Error('getter');
      },
    }),
    message: noCode,
  },
  { name: 'a revoked proxy', payload: revoked, message: unreadable },
  { name: 'a proxy whose traps throw', payload: throwingTraps, message: unreadable },
];

/** Messages that cannot be read as a message: a ConnectorError, never a TypeError. */
export const unreadableMessages: Array<{ name: string; message: () => unknown }> = [
  { name: 'a revoked proxy', message: revoked },
  { name: 'a proxy whose traps throw', message: throwingTraps },
  {
    name: 'a throwing getter for to',
    message: () => ({
      get to(): string {
        throw new Error('getter');
      },
      type: 'SignIn',
      payload: { code },
    }),
  },
  {
    name: 'a type whose toString throws',
    message: () => ({
      to: '+14155552671',
      type: {
        toString() {
          throw new Error('toString');
        },
      },
      payload: { code },
    }),
  },
];
