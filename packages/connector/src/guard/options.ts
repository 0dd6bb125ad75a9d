/**
 * The abuse guard's config keys (`allowedCountries`, `blockedCountries`, `guard`, `redisUrl`):
 * their zod schemas, their form items, the defaults (one place, each with why), and the parsed
 * {@link GuardOptions} every other guard module works from.
 *
 * @module
 */
import {
  ConnectorConfigFormItemType,
  type ConnectorConfigFormItem,
  ConnectorError,
  ConnectorErrorCodes,
} from '@logto/connector-kit';
import { z } from 'zod';

import { countryCodes, countryName, isCountryCode } from './country.js';

/** Velocity limits refuse ("enforce"), only log what they would refuse ("monitor"), or are "off". */
const guardModes = ['enforce', 'monitor', 'off'] as const;
export type GuardMode = (typeof guardModes)[number];

/**
 * The defaults. Each must never refuse a normal deployment's traffic (bench/ replays 30 days of it)
 * while stopping the pumping patterns of issue 10 early.
 */
export const guardDefaults = {
  mode: 'enforce' as GuardMode,
  numberBlock: {
    // A block of 1,000 numbers (E.164 without its last 3 digits) belongs to one operator range;
    // real sign-ups land in it a few times a day at most, pumping walks it sequentially.
    maxNumbers: 10,
    windowMinutes: 60,
    // Long enough to outlast a pumping run (they last hours); admitted numbers keep their codes.
    tripHours: 24,
  },
  country: {
    // What any country may always receive in an hour: a handful of travellers or a small launch
    // abroad never trips it, and a burst to a country this deployment never sends to stops here.
    floorPerHour: 20,
    // Above the floor, a country may send this many times its learned hourly peak (peaks decay
    // with a 7-day half-life), so a home country's daily rhythm and launch days pass. 10, not 4:
    // a launch hour at 8× the usual peak reaches every country with users, not only the dominant
    // one (the simulation's launch refused Germany, France, India … at 4). Countries rarely sent
    // to stay at the floor either way.
    factor: 10,
    // A fresh store knows no country's history: for its first day a country may also send this
    // share of the deployment's sends of the hour, and the dominant country is not limited. Half,
    // not a tenth: at night the home country can be under half of the hour (another time zone's
    // evening), and at 0.1 a fresh install refused its own home country from its first hour on.
    learningHours: 24,
    shareWhileLearning: 0.5,
    // Refused attempts to new numbers keep a tripped country tripped, so a pumping run that
    // spreads over blocks gets its floor's worth through, once.
    tripHours: 6,
  },
  // Codes to one number in 24 hours, on top of Logto's 10 per 10 minutes: a person who needs more
  // than 20 a day is a script.
  numberPerDay: 20,
  // Opt-in: mobile carriers put thousands of subscribers behind one address.
  ipPerHour: undefined as number | undefined,
  budget: { perHour: undefined as number | undefined, perDay: undefined as number | undefined, failClosed: false },
} as const;

const positiveInt = (name: string, max = 10_000_000) =>
  z
    .number()
    .int(`${name} must be a whole number`)
    .min(1, `${name} must be at least 1`)
    .max(max, `${name} must be at most ${max}`);

const countryCodeGuard = () =>
  z
    .string()
    .trim()
    // The form stores "Jamaica (JM)" (Logto's MultiSelect shows the value itself); JSON may say "JM".
    .transform((value) => (/\(([A-Za-z]{2})\)$/.exec(value)?.[1] ?? value).toUpperCase())
    .refine(isCountryCode, (value) => ({
      message: `${JSON.stringify(value).slice(0, 40)} is not an ISO 3166-1 alpha-2 country code with phone numbers (such as "JM" for Jamaica)`,
    }));

const countryListGuard = () => z.array(countryCodeGuard()).max(300, 'At most 300 countries');

const trustedNumberGuard = () =>
  z
    .string()
    .trim()
    .transform((value) => value.replaceAll(/[\s().-]/g, ''))
    .refine(
      (value) => /^\+[1-9]\d{3,14}$/.test(value),
      'Trusted numbers must be E.164 numbers or prefixes of at least 4 digits, such as "+447946000"'
    );

const limitOrOff = <T extends z.ZodTypeAny>(guard: T) => z.union([z.literal(false), guard]);

const guardSettingsGuard = () =>
  z
    .object({
      mode: z.enum(guardModes, { message: 'guard.mode must be "enforce", "monitor" or "off"' }).optional(),
      numberBlock: limitOrOff(
        z
          .object({
            maxNumbers: positiveInt('guard.numberBlock.maxNumbers', 1000).optional(),
            windowMinutes: positiveInt('guard.numberBlock.windowMinutes', 7 * 24 * 60).optional(),
            tripHours: positiveInt('guard.numberBlock.tripHours', 30 * 24).optional(),
          })
          .strict()
      ).optional(),
      country: limitOrOff(
        z
          .object({
            floorPerHour: positiveInt('guard.country.floorPerHour').optional(),
            factor: z.number().min(1, 'guard.country.factor must be at least 1').max(1000).optional(),
            learningHours: z
              .number()
              .int()
              .min(0)
              .max(30 * 24)
              .optional(),
            shareWhileLearning: z.number().min(0).max(1, 'guard.country.shareWhileLearning is a share: 0 to 1').optional(),
            tripHours: positiveInt('guard.country.tripHours', 30 * 24).optional(),
          })
          .strict()
      ).optional(),
      numberPerDay: limitOrOff(positiveInt('guard.numberPerDay')).optional(),
      ipPerHour: limitOrOff(positiveInt('guard.ipPerHour')).optional(),
      budget: z
        .object({
          perHour: positiveInt('guard.budget.perHour').optional(),
          perDay: positiveInt('guard.budget.perDay').optional(),
          failClosed: z.boolean().optional(),
        })
        .strict()
        .optional(),
      trustedNumbers: z.array(trustedNumberGuard()).max(1000, 'At most 1000 trusted number ranges').optional(),
    })
    .strict();

export type GuardSettings = z.input<ReturnType<typeof guardSettingsGuard>>;

// Logto's Json form item may arrive as its text.
const jsonObject = (value: unknown) => {
  if (typeof value !== 'string') {
    return value;
  }
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};

const redisUrlGuard = () =>
  z
    .string()
    .trim()
    .max(4096)
    .refine(
      (value) => /^(?:true|1|yes)$/i.test(value) || /^rediss?:\/\//i.test(value),
      'Redis URL must be redis://…, rediss://… or "true" for redis://localhost:6379'
    );

/** The guard's keys and their schemas (made when first needed), spread into the connector's config fields. */
export const guardConfigFields = {
  allowedCountries: () => countryListGuard().optional(),
  blockedCountries: () => countryListGuard().optional(),
  guard: () => z.preprocess(jsonObject, guardSettingsGuard()).optional(),
  redisUrl: () => redisUrlGuard().optional(),
};

type GuardConfigShape = { [Key in keyof typeof guardConfigFields]: ReturnType<(typeof guardConfigFields)[Key]> };
const guardObjectOf = (shape: GuardConfigShape) => z.object(shape);
let guardConfigGuard: ReturnType<typeof guardObjectOf> | undefined;
// Built on first use, as the config object guard is: not part of Logto's start (~1 ms of zod, measured).
const guardConfigObject = () =>
  (guardConfigGuard ??= guardObjectOf(
    Object.fromEntries(Object.entries(guardConfigFields).map(([key, field]) => [key, field()])) as GuardConfigShape
  ));

export type NumberBlockLimits = { maxNumbers: number; windowMs: number; tripMs: number };
export type CountryLimits = {
  floorPerHour: number;
  factor: number;
  learningMs: number;
  shareWhileLearning: number;
  tripMs: number;
};

/** The guard's settings, parsed, defaults applied. `undefined` limits are off. */
export type GuardOptions = {
  /** The Twilio account: counters are namespaced by it. */
  accountSid: string;
  allowedCountries: ReadonlySet<string> | undefined;
  blockedCountries: ReadonlySet<string>;
  mode: GuardMode;
  numberBlock: NumberBlockLimits | undefined;
  country: CountryLimits | undefined;
  numberPerDay: number | undefined;
  ipPerHour: number | undefined;
  budget: { perHour: number | undefined; perDay: number | undefined; failClosed: boolean };
  trustedNumbers: readonly string[];
  redisUrl: string | undefined;
};

const hour = 3_600_000;

const toOptions = (config: z.output<ReturnType<typeof guardConfigObject>>, accountSid: string): GuardOptions => {
  const settings = config.guard ?? {};
  const block = settings.numberBlock === false ? undefined : { ...guardDefaults.numberBlock, ...settings.numberBlock };
  const country = settings.country === false ? undefined : { ...guardDefaults.country, ...settings.country };
  const budget = settings.budget ?? {};
  return {
    accountSid,
    allowedCountries: config.allowedCountries?.length ? new Set(config.allowedCountries) : undefined,
    blockedCountries: new Set(config.blockedCountries ?? []),
    mode: settings.mode ?? guardDefaults.mode,
    numberBlock: block && {
      maxNumbers: block.maxNumbers,
      windowMs: block.windowMinutes * 60_000,
      tripMs: block.tripHours * hour,
    },
    country: country && {
      floorPerHour: country.floorPerHour,
      factor: country.factor,
      learningMs: country.learningHours * hour,
      shareWhileLearning: country.shareWhileLearning,
      tripMs: country.tripHours * hour,
    },
    numberPerDay: settings.numberPerDay === false ? undefined : (settings.numberPerDay ?? guardDefaults.numberPerDay),
    ipPerHour: settings.ipPerHour === false ? undefined : settings.ipPerHour,
    budget: { perHour: budget.perHour, perDay: budget.perDay, failClosed: budget.failClosed ?? false },
    trustedNumbers: settings.trustedNumbers ?? [],
    redisUrl: config.redisUrl,
  };
};

/**
 * The guard's options from a connector config object (its other keys are ignored; `accountSID`
 * namespaces the counters).
 *
 * @throws ConnectorError `invalid_config` listing each problem by path.
 */
export function parseGuardOptions(config: unknown): GuardOptions {
  const record = typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : {};
  // Blank optional values are unset ones, as for every other key.
  const present = Object.fromEntries(
    Object.keys(guardConfigFields)
      .map((key) => [key, record[key]] as const)
      .filter(([, value]) => value !== null && value !== undefined && !(typeof value === 'string' && !value.trim()))
  );
  const result = guardConfigObject().safeParse(present);
  if (!result.success) {
    const issues = result.error.issues.map(({ path, message }) => ({ path: path.join('.'), message }));
    throw new ConnectorError(ConnectorErrorCodes.InvalidConfig, {
      message: `Invalid abuse guard config: ${issues.map(({ path, message }) => `${path}: ${message}`).join('; ')}.`,
      issues,
    });
  }
  const accountSid = typeof record.accountSID === 'string' ? record.accountSID.trim() : '';
  return toOptions(result.data, accountSid);
}

/** A one-line fix for each guard key, for the CLI's config report. */
export const guardKeyHints = {
  allowedCountries: 'List ISO 3166-1 alpha-2 codes such as ["US", "CA"], or remove the key to allow every country not blocked',
  blockedCountries: 'List ISO 3166-1 alpha-2 codes such as ["JM"], or remove the key',
  guard: 'Use an object such as { "mode": "enforce", "budget": { "perDay": 5000 } }; see the README for every limit',
  redisUrl: 'Use redis://host:6379, rediss://host:6380, or remove the key (Logto’s REDIS_URL is used when set)',
} satisfies Record<keyof typeof guardConfigFields, string>;

// Logto's MultiSelect keeps only `value` of each item and shows it as the label, so the value
// carries the name: "Jamaica (JM)". The config guard reads the code from either form.
let countryItems: Array<{ value: string }> | undefined;
// Built on first read, not at import: the names and their sort cost 11–18 ms (ICU, measured), and Logto
// reads them only when the console shows the form (its start-up copies formItems by reference).
const sortedCountryItems = () =>
  (countryItems ??= countryCodes
    .map((code) => ({ value: `${countryName(code)} (${code})` }))
    .sort((a, b) => a.value.localeCompare(b.value, 'en')));

const advanced = [{ targetKey: 'advanced', expectValue: true }];

/** The country lists: policy, shown up front. */
export const guardCountryFormItems: ConnectorConfigFormItem[] = [
  {
    key: 'allowedCountries',
    label: 'Allowed countries',
    type: ConnectorConfigFormItemType.MultiSelect,
    required: false,
    get selectItems() {
      return sortedCountryItems();
    },
    description:
      'Send codes only to these countries (by the number’s real region: +1 876 is Jamaica). None selected: every country not blocked below.',
  },
  {
    key: 'blockedCountries',
    label: 'Blocked countries',
    type: ConnectorConfigFormItemType.MultiSelect,
    required: false,
    get selectItems() {
      return sortedCountryItems();
    },
    description: 'Never send codes to these countries. A country in both lists is blocked.',
  },
];

/** The limits and the Redis URL, behind the advanced switch. */
export const guardAdvancedFormItems: ConnectorConfigFormItem[] = [
  {
    key: 'guard',
    label: 'Abuse guard limits',
    type: ConnectorConfigFormItemType.Json,
    required: false,
    defaultValue: { mode: guardDefaults.mode },
    showConditions: advanced,
    description:
      'Velocity limits against SMS pumping. "mode": "enforce" (default), "monitor" (log only) or "off". Optional: numberBlock, country, numberPerDay, ipPerHour, budget { perHour, perDay, failClosed }, trustedNumbers. See the README for each default.',
  },
  {
    key: 'redisUrl',
    label: 'Redis URL',
    type: ConnectorConfigFormItemType.Text,
    required: false,
    isConfidential: true,
    placeholder: 'redis://redis:6379',
    showConditions: advanced,
    description:
      'Share the guard’s counters across Logto instances. Empty: Logto’s REDIS_URL if set, else counters in this process’s memory.',
  },
];

/** The guard's form items: the country lists first, then the limits behind the advanced switch. */
export const guardFormItems: ConnectorConfigFormItem[] = [...guardCountryFormItems, ...guardAdvancedFormItems];
