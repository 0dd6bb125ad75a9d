/**
 * Configs the official connector (@logto/connector-twilio-sms) accepts, for comparing guards: ours
 * must accept them too, except the documented divergences.
 *
 * @module
 */
import { configKeys } from '@smsdesk/connector-twilio-sms';
import fc from 'fast-check';

import { accountSID, authToken, messagingServiceSID, templates } from './secrets.js';

/** Keys this connector defines: an official config with one of them is validated, not ignored. */
const ourKeys = new Set<string>(configKeys);

export const officialBase = { accountSID, authToken, fromMessagingServiceSID: messagingServiceSID, templates };

export type OracleCase = {
  name: string;
  config: Record<string, unknown>;
  /** The warnings checkConfig must give (paths), no more. */
  warnings: string[];
};

export const acceptedByBoth: OracleCase[] = [
  { name: 'the official default shape', config: officialBase, warnings: [] },
  { name: 'an unknown key', config: { ...officialBase, legacyOption: true }, warnings: ['legacyOption'] },
  { name: 'several unknown keys', config: { ...officialBase, a: 1, b: null, c: { d: [] } }, warnings: ['a', 'b', 'c'] },
  {
    name: 'a template without {{code}}',
    config: { ...officialBase, templates: [...templates.slice(0, 3), { usageType: 'Generic', content: 'Welcome!' }] },
    warnings: ['templates[3].content'],
  },
  {
    name: 'a duplicated usage type',
    config: { ...officialBase, templates: [...templates, { usageType: 'SignIn', content: 'Again {{code}}' }] },
    warnings: ['templates[4]'],
  },
  {
    name: 'extra template types',
    config: {
      ...officialBase,
      templates: [
        ...templates,
        { usageType: 'OrganizationInvitation', content: 'Join {{code}}' },
        { usageType: 'MyOwnType', content: 'Mine {{code}}' },
      ],
    },
    warnings: [],
  },
  { name: 'disableRiskCheck true', config: { ...officialBase, disableRiskCheck: true }, warnings: [] },
  { name: 'disableRiskCheck false', config: { ...officialBase, disableRiskCheck: false }, warnings: [] },
  {
    name: 'unknown keys inside templates',
    config: { ...officialBase, templates: templates.map((template) => ({ ...template, note: 'ignored' })) },
    warnings: [],
  },
  {
    name: 'SIDs and token with surrounding spaces',
    config: {
      ...officialBase,
      accountSID: ` ${accountSID} `,
      authToken: `${authToken}\n`,
      fromMessagingServiceSID: ` ${messagingServiceSID}`,
    },
    warnings: [],
  },
  {
    name: 'everything at once',
    config: {
      ...officialBase,
      disableRiskCheck: true,
      extra: 'x',
      templates: [...templates, { usageType: 'SignIn', content: 'No code here' }, { usageType: 'Custom', content: '{{ code }}' }],
    },
    warnings: ['extra', 'templates[4]', 'templates[4].content'],
  },
  {
    // Usage types have no length limit (the official guard has none either).
    name: 'a usage type over 64 characters',
    config: { ...officialBase, templates: [...templates, { usageType: 'T'.repeat(65), content: 'Code {{code}}' }] },
    warnings: [],
  },
];

/**
 * What the official guard accepts and ours refuses on purpose, the path ours names and, for a
 * template, the words its issue must contain to name it.
 */
export const deliberateDivergences: Array<OracleCase & { path: string; why: string; names?: string }> = [
  {
    name: 'an account SID that is not AC + 32 hex',
    config: { ...officialBase, accountSID: 'my-account' },
    path: 'accountSID',
    why: 'Twilio answers 20003/20404: could never send',
    warnings: [],
  },
  {
    name: 'an empty auth token',
    config: { ...officialBase, authToken: '' },
    path: 'authToken',
    why: 'could never authenticate',
    warnings: [],
  },
  {
    name: 'a blank auth token',
    config: { ...officialBase, authToken: '   ' },
    path: 'authToken',
    why: 'could never authenticate',
    warnings: [],
  },
  {
    name: 'a Messaging Service SID that is not MG + 32 hex',
    config: { ...officialBase, fromMessagingServiceSID: 'MG123' },
    path: 'fromMessagingServiceSID',
    why: 'Twilio answers 21705: could never send',
    warnings: [],
  },
  {
    name: 'an empty Messaging Service SID',
    config: { ...officialBase, fromMessagingServiceSID: '' },
    path: 'fromMessagingServiceSID',
    why: 'no sender: could never send',
    warnings: [],
  },
  {
    name: '501 templates',
    config: {
      ...officialBase,
      templates: [...templates, ...Array.from({ length: 497 }, (_, index) => ({ usageType: `T${index}`, content: 'x' }))],
    },
    path: 'templates',
    why: 'a bound on the work per send',
    warnings: [],
  },
  {
    name: 'a key this connector defines, with a value it refuses',
    config: { ...officialBase, region: 'Europe' },
    path: 'region',
    why: 'region is ours: a bad value would send to the wrong host',
    warnings: [],
  },
  {
    name: 'a template over 1,600 characters',
    config: {
      ...officialBase,
      templates: [...templates, { usageType: 'OrganizationInvitation', content: `${'x'.repeat(1600)} {{code}}` }],
    },
    path: 'templates[4].content',
    why: 'Twilio refuses bodies over 1,600 characters (21617): refused at validation, naming the template',
    names: 'OrganizationInvitation template',
    warnings: [],
  },
];

/**
 * A template with nothing to send, on a rarely used type: the official guard accepts it, and so does
 * ours, with a warning (a send that uses it is refused: send-input.test.ts). Refusing the whole
 * config would stop every SMS, sign-in included, the moment someone switched over.
 */
export const oneBadTemplate: Array<{ name: string; template: Record<string, unknown>; path: string }> = [
  { name: 'an empty template', template: { usageType: 'OrganizationInvitation', content: '' }, path: 'templates[4].content' },
];

const hexString = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 });
const required = ['Register', 'SignIn', 'ForgotPassword', 'Generic'];
const otherTypes = fc.oneof(
  fc.constantFrom(
    'OrganizationInvitation',
    'UserPermissionValidation',
    'BindNewIdentifier',
    'MfaVerification',
    'BindMfa',
    'Test'
  ),
  // Usage types have no length limit: some generated ones are longer than the old 64.
  fc.string({ minLength: 1, maxLength: 80 })
);
/** Template text: plain text (no braces) and {{code}} placeholders. */
const content = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.string({ maxLength: 40 }).filter((text) => !/[{}]/.test(text)) },
      { weight: 1, arbitrary: fc.constantFrom('{{code}}', '{{ code }}') }
    ),
    { minLength: 1, maxLength: 6 }
  )
  .map((parts) => parts.join(''))
  .filter((text) => text.length > 0);
const template = (usageType: fc.Arbitrary<string>) =>
  fc.record({ usageType, content, extra: fc.string() }, { requiredKeys: ['usageType', 'content'] });

/** Official-valid configs with realistic credentials, any mix of templates and unknown keys. */
export const officialConfig = fc
  .record({
    accountSID: hexString.map((hex) => `AC${hex}`),
    authToken: hexString,
    fromMessagingServiceSID: hexString.map((hex) => `MG${hex}`),
    disableRiskCheck: fc.option(fc.boolean(), { nil: undefined }),
    requiredTemplates: fc.tuple(...required.map((type) => template(fc.constant(type)))),
    otherTemplates: fc.array(template(fc.oneof(otherTypes, fc.constantFrom(...required))), { maxLength: 6 }),
    order: fc.array(fc.nat(), { minLength: 10, maxLength: 10 }),
    unknown: fc.dictionary(
      fc.string({ minLength: 1, maxLength: 12 }).filter((key) => !ourKeys.has(key)),
      fc.jsonValue({ maxDepth: 2 }),
      { maxKeys: 3 }
    ),
  })
  .map(({ requiredTemplates, otherTemplates, order, unknown, disableRiskCheck, ...credentials }) => {
    const all: Array<Record<string, unknown>> = [...requiredTemplates, ...otherTemplates];
    // A deterministic shuffle from the generated order, so the required ones are anywhere.
    const shuffled = all
      .map((item, index) => ({ item, rank: order[index % order.length]! * 100 + index }))
      .sort((a, b) => a.rank - b.rank)
      .map(({ item }) => item);
    return {
      ...unknown,
      ...credentials,
      ...(disableRiskCheck === undefined ? {} : { disableRiskCheck }),
      templates: shuffled,
    } as Record<string, unknown>;
  });

/** The warnings checkConfig should give for an official config (our rules, computed independently). */
export function expectedWarnings(config: Record<string, unknown>): string[] {
  const warnings: string[] = [];
  for (const key of Object.keys(config)) {
    if (!ourKeys.has(key)) {
      warnings.push(key);
    }
  }
  const seen = new Set<string>();
  for (const [index, item] of (config.templates as Array<{ usageType: string; content: string }>).entries()) {
    if (!/{{\s*code\s*}}/.test(item.content)) {
      warnings.push(`templates[${index}].content`);
    }
    if (seen.has(item.usageType)) {
      warnings.push(`templates[${index}]`);
    }
    seen.add(item.usageType);
  }
  return warnings.sort();
}

export const oracleRuns = 200;
