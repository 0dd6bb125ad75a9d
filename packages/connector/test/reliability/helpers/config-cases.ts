/**
 * The bad-config corpus: hand-written cases and fast-check arbitraries. Every case is invalid and
 * names the JSON path its invalid_config error must point at.
 *
 * @module
 */
import fc from 'fast-check';

import { accountSID, apiKeySID, apiKeySecret, authToken, messagingServiceSID, templates } from './secrets.js';

export type InvalidConfigCase = { name: string; config: unknown; path: string };

/**
 * Where a config that is unexpectedly valid would send: the discard port on loopback, where nothing
 * listens, so a generator bug shows as a `general` network error instead of a request to Twilio.
 */
const nowhere = 'http://127.0.0.1:9';

/** Two valid bases: an auth token with a Messaging Service, an API key with a From number. */
export const bases = {
  token: { accountSID, authToken, fromMessagingServiceSID: messagingServiceSID, templates, baseUrl: nowhere },
  apiKey: { accountSID, apiKeySID, apiKeySecret, from: '+15005550006', templates, baseUrl: nowhere },
} as const;

const valid = bases.token;
const hex32 = '0123456789abcdef0123456789abcdef';

/** An own `__proto__` / `constructor` key, as JSON.parse creates it (an object literal would set the prototype). */
export const ownKeys = (json: string) => JSON.parse(json) as Record<string, unknown>;
const pollution = '{"polluted":"yes","accountSID":"AC0123456789abcdef0123456789abcdef","toString":"x"}';

const withTemplate = (template: unknown) => ({ ...valid, templates: [...templates, template] });
const at = (index: number) => `templates[${index}]`;
const extra = templates.length; // The index a template appended by withTemplate gets.

export const invalidConfigCases: InvalidConfigCase[] = [
  // The whole config.
  ...(
    [
      ['null', null],
      ['undefined', undefined],
      ['zero', 0],
      ['a number', 42],
      ['NaN', Number.NaN],
      ['true', true],
      ['false', false],
      ['an empty string', ''],
      ['the config as a JSON string', JSON.stringify(valid)],
      ['an empty array', []],
      ['an array holding the config', [valid]],
      ['a function', () => valid],
      ['a symbol', Symbol('config')],
      ['a bigint', 10n],
      ['a Date', new Date()],
      // A Map is covered by config-corpus.test.ts's cache tests: its JSON is "{}".
    ] as Array<[string, unknown]>
  ).map(([name, config]) => ({ name: `config is ${name}`, config, path: '(config)' })),
  { name: 'config is an empty object', config: {}, path: 'accountSID' },
  { name: 'config is a null-prototype object', config: Object.create(null) as unknown, path: 'accountSID' },

  // Missing and empty keys.
  { name: 'accountSID missing', config: { ...valid, accountSID: undefined }, path: 'accountSID' },
  { name: 'accountSID empty', config: { ...valid, accountSID: '' }, path: 'accountSID' },
  { name: 'accountSID blank', config: { ...valid, accountSID: '   ' }, path: 'accountSID' },
  { name: 'authToken missing, no API key', config: { ...valid, authToken: undefined }, path: 'authToken' },
  { name: 'authToken empty', config: { ...valid, authToken: '' }, path: 'authToken' },
  { name: 'authToken blank', config: { ...valid, authToken: ' \t ' }, path: 'authToken' },
  { name: 'API key SID without secret or token', config: { ...valid, authToken: undefined, apiKeySID }, path: 'apiKeySecret' },
  { name: 'API key secret without SID', config: { ...valid, apiKeySecret }, path: 'apiKeySID' },
  { name: 'no sender', config: { ...valid, fromMessagingServiceSID: undefined }, path: 'fromMessagingServiceSID' },
  { name: 'sender empty', config: { ...valid, fromMessagingServiceSID: '' }, path: 'fromMessagingServiceSID' },
  { name: 'both senders empty', config: { ...valid, fromMessagingServiceSID: ' ', from: '' }, path: 'fromMessagingServiceSID' },
  { name: 'templates missing', config: { ...valid, templates: undefined }, path: 'templates' },
  { name: 'templates empty', config: { ...valid, templates: [] }, path: 'templates' },
  { name: 'Generic template missing', config: { ...valid, templates: templates.slice(0, 3) }, path: 'templates' },

  // Wrong types.
  ...(
    [
      ['accountSID', 123],
      ['accountSID', ['AC', hex32]],
      ['authToken', 123_456],
      ['authToken', null],
      ['apiKeySID', true],
      ['apiKeySecret', { secret: 'x' }],
      ['fromMessagingServiceSID', [messagingServiceSID]],
      ['from', 15_005_550_006],
      ['region', 1],
      ['baseUrl', { href: 'https://api.twilio.com' }],
      ['validityPeriod', '600'],
      ['statusCallback', true],
      ['timeoutMs', '1000'],
      ['maxRetries', '2'],
      ['smartEncoded', 'true'],
      ['disableRiskCheck', 'false'],
      ['disableRiskCheck', 1],
      ['templates', { 0: templates[0] }],
      ['templates', 'SignIn'],
      ['templates', null],
    ] as Array<[string, unknown]>
  ).map(([key, value]) => ({
    name: `${key} is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`,
    config: { ...valid, [key]: value },
    path: key,
  })),

  // Huge and unicode strings.
  { name: 'accountSID of a megabyte', config: { ...valid, accountSID: `AC${'a'.repeat(1024 * 1024)}` }, path: 'accountSID' },
  { name: 'authToken of 257 characters', config: { ...valid, authToken: 'x'.repeat(257) }, path: 'authToken' },
  {
    name: 'baseUrl of 3000 characters',
    config: { ...valid, baseUrl: `https://example.com/${'x'.repeat(3000)}` },
    path: 'baseUrl',
  },
  { name: 'accountSID with a Cyrillic С', config: { ...valid, accountSID: `A\u0421${hex32}` }, path: 'accountSID' },
  { name: 'accountSID with full-width digits', config: { ...valid, accountSID: `AC${'０'.repeat(32)}` }, path: 'accountSID' },
  {
    name: 'accountSID with a zero-width space',
    config: { ...valid, accountSID: `AC${hex32.slice(0, 16)}\u200B${hex32.slice(16)}` },
    path: 'accountSID',
  },
  { name: 'region in full-width letters', config: { ...valid, region: 'ｕｓ1' }, path: 'region' },
  { name: 'From in full-width digits', config: { ...valid, from: '+１５００５５５０００６' }, path: 'from' },
  { name: 'edge with an emoji', config: { ...valid, edge: 'dublin🍀' }, path: 'edge' },
  // An empty template and a usage type of any length are accepted (official-oracle.test.ts); a
  // template that can render over 1,600 characters is refused there as a deliberate divergence.
  {
    name: 'template locale in full-width letters',
    config: withTemplate({ usageType: 'X', content: 'y', locale: 'ｅｎ' }),
    path: `${at(extra)}.locale`,
  },
  {
    name: 'template content a megabyte-long array',
    config: withTemplate({ usageType: 'X', content: Array.from({ length: 100_000 }, () => 'ab') }),
    path: `${at(extra)}.content`,
  },

  // Own __proto__ / constructor keys.
  {
    name: '__proto__ key and a bad accountSID',
    config: { ...ownKeys(`{"__proto__":${pollution}}`), ...valid, accountSID: 1 },
    path: 'accountSID',
  },
  { name: 'only a __proto__ key', config: ownKeys(`{"__proto__":${pollution}}`), path: 'accountSID' },
  {
    name: 'constructor.prototype key and no templates',
    config: { ...ownKeys(`{"constructor":{"prototype":${pollution}}}`), ...valid, templates: undefined },
    path: 'templates',
  },
  {
    name: '__proto__ as accountSID',
    config: { ...valid, accountSID: ownKeys(`{"__proto__":${pollution}}`) },
    path: 'accountSID',
  },
  {
    name: 'template whose fields are under __proto__',
    config: withTemplate(ownKeys(`{"__proto__":{"usageType":"X","content":"y"}}`)),
    path: `${at(extra)}.usageType`,
  },
  {
    name: 'templates as an object with __proto__',
    config: { ...valid, templates: ownKeys(`{"__proto__":[]}`) },
    path: 'templates',
  },
  {
    name: 'template usage type "__proto__" with no content',
    config: withTemplate({ usageType: '__proto__' }),
    path: `${at(extra)}.content`,
  },
  {
    name: 'constructor key in a template with a bad locale',
    config: withTemplate({
      ...ownKeys('{"constructor":{"prototype":{"polluted":"yes"}}}'),
      usageType: 'X',
      content: 'y',
      locale: 7,
    }),
    path: `${at(extra)}.locale`,
  },

  // SIDs.
  { name: 'accountSID of 31 hex', config: { ...valid, accountSID: `AC${hex32.slice(1)}` }, path: 'accountSID' },
  { name: 'accountSID of 33 hex', config: { ...valid, accountSID: `AC${hex32}0` }, path: 'accountSID' },
  { name: 'accountSID with a lowercase prefix', config: { ...valid, accountSID: `ac${hex32}` }, path: 'accountSID' },
  { name: 'accountSID with non-hex characters', config: { ...valid, accountSID: `AC${'g'.repeat(32)}` }, path: 'accountSID' },
  {
    name: 'accountSID that is a Messaging Service SID',
    config: { ...valid, accountSID: messagingServiceSID },
    path: 'accountSID',
  },
  {
    name: 'accountSID with a space inside',
    config: { ...valid, accountSID: `AC${hex32.slice(0, 10)} ${hex32.slice(10)}` },
    path: 'accountSID',
  },
  { name: 'apiKeySID that is an account SID', config: { ...valid, apiKeySID: accountSID, apiKeySecret }, path: 'apiKeySID' },
  {
    name: 'Messaging Service SID too short',
    config: { ...valid, fromMessagingServiceSID: 'MG123' },
    path: 'fromMessagingServiceSID',
  },
  {
    name: 'Messaging Service SID that is a phone number SID',
    config: { ...valid, fromMessagingServiceSID: `PN${hex32}` },
    path: 'fromMessagingServiceSID',
  },

  // URLs.
  // A URL object is validated as its JSON form, the string (config-corpus.test.ts accepts an
  // https one): this one is refused for its ftp: scheme, not for being an object.
  {
    name: 'baseUrl a URL object for ftp://example.com',
    config: { ...valid, baseUrl: new URL('ftp://example.com') },
    path: 'baseUrl',
  },
  ...[
    'ftp://example.com',
    'javascript:alert(1)',
    'http://user:pass@example.com',
    'https://:secret@example.com',
    'not a url',
    'http://',
    '//api.twilio.com',
    'file:///etc/passwd',
    'data:text/plain,x',
    'ws://example.com',
  ].flatMap((url) => [
    { name: `baseUrl ${url}`, config: { ...valid, baseUrl: url }, path: 'baseUrl' },
    // Twilio calls a status callback with Basic auth from its userinfo: accepted there (a secret).
    ...(url.includes('@')
      ? []
      : [{ name: `statusCallback ${url}`, config: { ...valid, statusCallback: url }, path: 'statusCallback' }]),
  ]),

  // Numbers. (NaN and ±Infinity are null in JSON, and a null optional key is unset: see
  // blankOptionals in config.test.ts.)
  ...(
    [
      ['validityPeriod', -1],
      ['validityPeriod', 0],
      ['validityPeriod', 36_001],
      ['validityPeriod', 1.5],
      ['validityPeriod', 1e308],
      ['validityPeriod', Number.MAX_SAFE_INTEGER + 2],
      ['timeoutMs', 0],
      ['timeoutMs', 999],
      ['timeoutMs', 60_001],
      ['timeoutMs', 1000.5],
      ['timeoutMs', -1000],
      ['maxRetries', -1],
      ['maxRetries', 6],
      ['maxRetries', 1.5],
    ] as Array<[string, number]>
  ).map(([key, value]) => ({ name: `${key} ${value}`, config: { ...valid, [key]: value }, path: key })),

  // Templates.
  ...(
    [
      ['null', null],
      ['a number', 42],
      ['a string', 'Your code is {{code}}'],
      ['an array', ['SignIn', 'Your code is {{code}}']],
    ] as Array<[string, unknown]>
  ).map(([name, template]) => ({ name: `a template that is ${name}`, config: withTemplate(template), path: at(extra) })),
  { name: 'the first template is null', config: { ...valid, templates: [null, ...templates] }, path: at(0) },
  { name: 'template usageType a number', config: withTemplate({ usageType: 5, content: 'x' }), path: `${at(extra)}.usageType` },
  { name: 'template usageType missing', config: withTemplate({ content: 'x' }), path: `${at(extra)}.usageType` },
  { name: 'template content a number', config: withTemplate({ usageType: 'X', content: 918_273 }), path: `${at(extra)}.content` },
  { name: 'template content null', config: withTemplate({ usageType: 'X', content: null }), path: `${at(extra)}.content` },
  { name: 'template content an array', config: withTemplate({ usageType: 'X', content: ['a'] }), path: `${at(extra)}.content` },
  {
    name: 'template content an object',
    config: withTemplate({ usageType: 'X', content: { en: 'a' } }),
    path: `${at(extra)}.content`,
  },
  { name: 'template content a boolean', config: withTemplate({ usageType: 'X', content: true }), path: `${at(extra)}.content` },
  {
    name: 'template locale a number',
    config: withTemplate({ usageType: 'X', content: 'y', locale: 5 }),
    path: `${at(extra)}.locale`,
  },
  {
    name: 'template locale not a language tag',
    config: withTemplate({ usageType: 'X', content: 'y', locale: 'not a locale!' }),
    path: `${at(extra)}.locale`,
  },
  {
    name: 'template locale of 36 characters',
    config: withTemplate({ usageType: 'X', content: 'y', locale: `en-${'a'.repeat(33)}` }),
    path: `${at(extra)}.locale`,
  },
  {
    name: 'the third template has non-string content',
    config: { ...valid, templates: templates.map((template, index) => (index === 2 ? { ...template, content: 7 } : template)) },
    path: 'templates[2].content',
  },
  {
    name: '501 templates',
    config: {
      ...valid,
      templates: [...templates, ...Array.from({ length: 497 }, (_, index) => ({ usageType: `T${index}`, content: 'x' }))],
    },
    path: 'templates',
  },

  // Senders, region, edge.
  { name: 'From with punctuation', config: { ...valid, from: 'not valid!' }, path: 'from' },
  { name: 'From +0…', config: { ...valid, from: '+0123456' }, path: 'from' },
  { name: 'From of 12 letters', config: { ...valid, from: 'abcdefghijkl' }, path: 'from' },
  { name: 'From of 16 digits', config: { ...valid, from: `+1${'2'.repeat(15)}` }, path: 'from' },
  { name: 'region in capitals', config: { ...valid, region: 'US1' }, path: 'region' },
  { name: 'region as a name', config: { ...valid, region: 'useast' }, path: 'region' },
  { name: 'edge capitalised', config: { ...valid, edge: 'Dublin' }, path: 'edge' },
  { name: 'edge with a space', config: { ...valid, edge: 'sao paulo' }, path: 'edge' },
];

// ---- fast-check ---------------------------------------------------------------------------------

export type Mutation = {
  /** Which base config it applies to. */
  base: keyof typeof bases;
  key: string;
  /** `undefined` deletes the key. */
  value: unknown;
  /** The path invalid_config must name. */
  path: string;
  /** Every reported issue must be under one of these: the error points at what was broken. */
  allowed: string[];
};

const anyJsonish = fc.anything({ maxDepth: 2, maxKeys: 3, withNullPrototype: true });
const notString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(anyJsonish, { maxLength: 3 }),
  fc.dictionary(fc.string(), anyJsonish, { maxKeys: 3 }),
  fc.bigInt()
);
const notNumber = fc.oneof(
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.array(anyJsonish, { maxLength: 3 }),
  fc.dictionary(fc.string(), anyJsonish, { maxKeys: 3 })
);
const notBoolean = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.constant(null),
  fc.array(anyJsonish, { maxLength: 3 }),
  fc.dictionary(fc.string(), anyJsonish, { maxKeys: 3 })
);
const hexChar = fc.constantFrom(...'0123456789abcdefABCDEF');
const unicodeString = fc.string({ unit: 'binary', maxLength: 40 });

/** Strings that are not `prefix` + 32 hex, once trimmed. */
const badSid = (prefix: string) => {
  const pattern = new RegExp(`^${prefix}[0-9a-fA-F]{32}$`);
  return fc.oneof(
    fc.string().filter((value) => !pattern.test(value.trim())),
    unicodeString.filter((value) => !pattern.test(value.trim())),
    fc
      .string({ unit: hexChar, minLength: 0, maxLength: 64 })
      .filter((hex) => hex.length !== 32)
      .map((hex) => `${prefix}${hex}`),
    fc
      .tuple(fc.string({ unit: hexChar, minLength: 31, maxLength: 31 }), fc.constantFrom('g', 'G', 'z', '-', '０', 'é', ' '))
      .map(([hex, bad]) => `${prefix}${bad}${hex}`),
    fc
      .constantFrom('AC', 'SK', 'MG', 'PN', 'ac', 'sk', 'mg')
      .filter((other) => other !== prefix)
      .map((other) => `${other}${hex32}`),
    fc.integer({ min: 10_000, max: 200_000 }).map((length) => `${prefix}${'a'.repeat(length)}`)
  );
};
const badCallbackUrl = fc.oneof(
  fc.string().filter((value) => !value.includes(':')),
  fc
    .tuple(fc.constantFrom('ftp', 'file', 'ws', 'wss', 'javascript', 'mailto', 'data', 'gopher'), fc.webPath())
    .map(([scheme, path]) => `${scheme}://example.com${path}`),
  fc.integer({ min: 2100, max: 20_000 }).map((length) => `https://example.com/${'a'.repeat(length)}`)
);
// Userinfo is refused in the base URL only: a status callback may carry it.
const badUrl = fc.oneof(
  badCallbackUrl,
  fc
    .tuple(fc.constantFrom('http', 'https'), fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[a-z\d]{0,8}$/))
    .map(([scheme, user, password]) => `${scheme}://${user}${password ? `:${password}` : ''}@example.com/status`)
);

const isLanguageTag = (tag: string) => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
};

const credentials = ['authToken', 'apiKeySID', 'apiKeySecret'];
const senders = ['fromMessagingServiceSID', 'from'];
// An optional key that is null, blank, or a number JSON writes as null (NaN, ±Infinity) is unset:
// valid, so never one of these invalid values.
const optionalKeys = new Set([
  'authToken',
  'apiKeySID',
  'apiKeySecret',
  'fromMessagingServiceSID',
  'from',
  'host',
  'region',
  'edge',
  'baseUrl',
  'statusCallback',
  'validityPeriod',
  'timeoutMs',
  'maxRetries',
  'smartEncoded',
  'disableRiskCheck',
]);
const isUnset = (value: unknown) =>
  value === null || (typeof value === 'number' && !Number.isFinite(value)) || (typeof value === 'string' && !value.trim());
const mutation = (base: Mutation['base'], key: string, values: fc.Arbitrary<unknown>, path = key, allowed = [key]) =>
  (optionalKeys.has(key) ? values.filter((value) => !isUnset(value)) : values).map((value): Mutation => ({
    base,
    key,
    value,
    path,
    allowed,
  }));

const requiredTypes = ['Register', 'SignIn', 'ForgotPassword', 'Generic'];

/** An invalid template and the path (below `templates[i]`) its error names. */
const badTemplate: fc.Arbitrary<{ template: unknown; below: string }> = fc.oneof(
  fc
    .oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.array(anyJsonish, { maxLength: 3 }))
    .map((template) => ({ template, below: '' })),
  fc.tuple(notString, fc.string({ minLength: 1 })).map(([usageType, content]) => ({
    template: { usageType, content },
    below: '.usageType',
  })),
  fc.tuple(fc.string({ maxLength: 64 }), notString).map(([usageType, content]) => ({
    template: { usageType, content },
    below: '.content',
  })),
  fc
    .tuple(
      fc.string({ maxLength: 64 }),
      fc.oneof(
        notString,
        fc.string().filter((tag) => tag.trim().length > 35 || !isLanguageTag(tag.trim()))
      )
    )
    .map(([usageType, locale]) => ({ template: { usageType, content: 'Code {{code}}', locale }, below: '.locale' }))
);

const templatesMutation = (base: Mutation['base']) =>
  fc.oneof(
    mutation(
      base,
      'templates',
      fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.dictionary(fc.string(), anyJsonish, { maxKeys: 3 }))
    ),
    mutation(
      base,
      'templates',
      fc.subarray(requiredTypes, { maxLength: 3 }).map((types) => templates.filter(({ usageType }) => types.includes(usageType)))
    ),
    fc.tuple(fc.nat({ max: templates.length }), badTemplate).map(([index, { template, below }]): Mutation => {
      const list: unknown[] = [...templates];
      list.splice(index, 0, template);
      return { base, key: 'templates', value: list, path: `templates[${index}]${below}`, allowed: ['templates'] };
    })
  );

const sharedMutations = (base: Mutation['base']) => [
  mutation(base, 'accountSID', fc.oneof(notString, badSid('AC'))),
  mutation(base, 'accountSID', fc.constant(undefined)),
  mutation(
    base,
    'region',
    fc.oneof(
      notString,
      fc.string().filter((value) => !/^[a-z]{2}\d$/.test(value.trim()))
    )
  ),
  mutation(
    base,
    'edge',
    fc.oneof(
      notString,
      fc.string().filter((value) => !/^[a-z]+(?:-[a-z]+)*$/.test(value.trim()))
    )
  ),
  mutation(base, 'baseUrl', fc.oneof(notString, badUrl)),
  mutation(base, 'statusCallback', fc.oneof(notString, badCallbackUrl)),
  mutation(
    base,
    'validityPeriod',
    fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 36_001 }), fc.double({ noInteger: true }), notNumber)
  ),
  mutation(
    base,
    'timeoutMs',
    fc.oneof(fc.integer({ max: 999 }), fc.integer({ min: 60_001 }), fc.double({ noInteger: true }), notNumber)
  ),
  mutation(
    base,
    'maxRetries',
    fc.oneof(fc.integer({ max: -1 }), fc.integer({ min: 6 }), fc.double({ noInteger: true }), notNumber)
  ),
  mutation(base, 'smartEncoded', notBoolean),
  mutation(base, 'disableRiskCheck', notBoolean),
  mutation(base, 'templates', fc.constant(undefined)),
  templatesMutation(base),
];

/** One key of a valid config made invalid (or removed), with the path the error must name. */
export const singleMutation: fc.Arbitrary<Mutation> = fc.oneof(
  ...sharedMutations('token'),
  ...sharedMutations('apiKey'),
  // Auth token base.
  mutation(
    'token',
    'authToken',
    fc.oneof(
      notString,
      fc.string({ minLength: 257, maxLength: 2000 }).filter((value) => value.trim().length > 256)
    ),
    'authToken',
    credentials
  ),
  mutation('token', 'authToken', fc.oneof(fc.constant(undefined), fc.stringMatching(/^\s*$/)), 'authToken', credentials),
  mutation('token', 'apiKeySID', fc.oneof(notString, badSid('SK')), 'apiKeySID', credentials),
  mutation(
    'token',
    'apiKeySecret',
    fc.string({ minLength: 1 }).filter((value) => value.trim().length > 0 && value.trim().length <= 256),
    'apiKeySID',
    credentials
  ),
  mutation('token', 'fromMessagingServiceSID', fc.oneof(notString, badSid('MG')), 'fromMessagingServiceSID', senders),
  mutation('token', 'fromMessagingServiceSID', fc.constant(undefined), 'fromMessagingServiceSID', senders),
  // API key base.
  mutation(
    'apiKey',
    'apiKeySID',
    fc.oneof(
      notString,
      badSid('SK').filter((value) => value.trim() !== '')
    ),
    'apiKeySID',
    credentials
  ),
  mutation(
    'apiKey',
    'apiKeySecret',
    fc.oneof(
      notString,
      fc.string({ minLength: 257, maxLength: 2000 }).filter((value) => value.trim().length > 256)
    ),
    'apiKeySecret',
    credentials
  ),
  mutation('apiKey', 'apiKeySecret', fc.oneof(fc.constant(undefined), fc.stringMatching(/^\s*$/)), 'apiKeySecret', credentials),
  mutation(
    'apiKey',
    'from',
    fc.oneof(
      notString,
      fc.string().map((value) => `${value}!`)
    ),
    'from',
    senders
  ),
  mutation('apiKey', 'from', fc.oneof(fc.constant(undefined), fc.stringMatching(/^\s*$/)), 'fromMessagingServiceSID', senders)
);

/** The config a mutation produces. */
export const applyMutation = ({ base, key, value }: Mutation): Record<string, unknown> => {
  const config: Record<string, unknown> = { ...bases[base] };
  if (value === undefined) {
    delete config[key];
  } else {
    config[key] = value;
  }
  return config;
};

/** A whole config that is not an object at all. */
export const notAnObject = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(anyJsonish, { maxLength: 4 }),
  fc.bigInt()
);

/** Own `__proto__` / `constructor` / `prototype` keys carrying a pollution payload, at the top or in a template. */
export const pollutingKeys = fc.record({
  key: fc.constantFrom('__proto__', 'constructor', 'prototype'),
  where: fc.constantFrom('top', 'template', 'both'),
});

export const withPollutingKey = (config: Record<string, unknown>, { key, where }: { key: string; where: string }) => {
  const payload = key === 'constructor' ? `{"prototype":${pollution}}` : pollution;
  const keys = ownKeys(`{"${key}":${payload}}`);
  const result: Record<string, unknown> = where === 'template' ? { ...config } : { ...config, ...keys };
  if (where !== 'top' && Array.isArray(config.templates)) {
    result.templates = config.templates.map((template: unknown, index) =>
      index === 0 && template && typeof template === 'object' && !Array.isArray(template) ? { ...template, ...keys } : template
    );
  }
  return result;
};

/** Runs of each property in config-corpus.test.ts (fixed, so the counts in RELIABILITY.md are exact). */
export const propertyRuns = { singleMutation: 300, notAnObject: 60, pollutingKeys: 100 } as const;

/** Valid configs with an own `__proto__` / `constructor` key at the top: accepted, the key ignored. */
export const validOwnKeyConfigs: Array<{ name: string; extra: Record<string, unknown> }> = [
  { name: '__proto__ at the top', extra: ownKeys(`{"__proto__":${pollution}}`) },
  { name: 'constructor.prototype at the top', extra: ownKeys(`{"constructor":{"prototype":${pollution}}}`) },
];

const plainToken = { ...valid, authToken: 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5' };

/**
 * Inputs with the JSON form of another config but another validity: parsing one first must not
 * change the answer for its JSON twin (parseConfig caches by JSON). Each twin is its own, so the
 * cache entries of one case cannot affect another. `invalidAt` is where the twin is invalid; a
 * twin without it is valid.
 */
export const cachePoisoners: Array<{ name: string; poison: () => unknown; twin: unknown; invalidAt?: string }> = [
  {
    // zod would read the inherited keys; its JSON is {"marker":"inherits"}.
    name: 'an object that inherits a valid config does not make its JSON twin valid',
    poison: () => Object.assign(Object.create(bases.token) as object, { marker: 'inherits' }),
    twin: { marker: 'inherits' },
    invalidAt: 'accountSID',
  },
  {
    name: 'a boxed String token, refused, does not make the same config with a plain token refused',
    poison: () => ({ ...plainToken, authToken: new String(plainToken.authToken) }),
    twin: plainToken,
  },
  {
    name: 'a Map config, refused as a Map, does not make its JSON twin (no accountSID) report "(config)"',
    poison: () => Object.assign(new Map(Object.entries(bases.apiKey)), { marker: 'map' }),
    twin: { marker: 'map' },
    invalidAt: 'accountSID',
  },
];
