/**
 * The connector's config: its zod guard, parsing into a typed config, and the advisory checks the
 * CLI and the sandbox console show. Every config Logto's official Twilio connector accepts parses
 * here too (unknown keys are ignored), except ones that could never send a message.
 *
 * @module
 */
import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { z } from 'zod';

import {
  authTypes,
  defaultMaxRetries,
  defaultTimeoutMs,
  phoneValidations,
  requiredTemplateUsageTypes,
  senderTypes,
} from './constant.js';
import { guardConfigShape, guardSecrets } from './guard/options.js';
import { isNonArrayObject } from './objects.js';
import { maxBodyCharacters } from './segments.js';
import { checkSender } from './sender-id.js';
import { hasCodePlaceholder, longestRendering } from './templates.js';

const sidGuard = (prefix: string, name: string) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `${name} must be "${prefix}" followed by 32 hexadecimal characters`);

const isLanguageTag = (tag: string) => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
};

/**
 * An http(s) URL. A status callback may carry a query and `user:password@` (Twilio calls it with
 * Basic auth from them; configSecrets treats them as secrets); a base URL may not.
 */
const httpUrlGuard = (name: string, isCallback = false) =>
  z
    .string()
    .trim()
    .max(2048, `${name} must be at most 2048 characters`)
    .refine(
      (value) => {
        try {
          const url = new URL(value);
          return (
            (url.protocol === 'https:' || url.protocol === 'http:') &&
            (isCallback || (!url.username && !url.password && !url.search && !url.hash))
          );
        } catch {
          return false;
        }
      },
      `${name} must be an http(s) URL${isCallback ? '' : ' without credentials, query or fragment'}, such as https://example.com/path`
    );

const templateGuard = z.object({
  usageType: z.string(),
  // An empty template is accepted, as the official connector does (refusing the whole config
  // would stop every other message); the CLI warns, and a send with it is refused.
  content: z.string(),
  locale: z
    .string()
    .trim()
    .max(35)
    .refine(isLanguageTag, 'Locale must be a BCP 47 language tag such as "en" or "pt-BR"')
    .optional(),
});

export type Template = z.infer<typeof templateGuard>;

// zod's own enum message quotes the value it received: name the allowed ones instead.
const choiceGuard = <T extends readonly [string, ...string[]]>(name: string, values: T) =>
  z.enum(values as unknown as [T[number], ...Array<T[number]>], {
    errorMap: () => ({ message: `${name} must be ${values.map((value) => `"${value}"`).join(' or ')}` }),
  });

const configObjectGuard = z.object({
  accountSID: sidGuard('AC', 'Account SID'),
  // The form's two choices. Configs saved before they existed lack them: then every credential
  // and sender that is set is used, as before.
  authType: choiceGuard('Authentication', authTypes).optional(),
  senderType: choiceGuard('Sender type', senderTypes).optional(),
  authToken: z.string().trim().max(256).optional(),
  apiKeySID: sidGuard('SK', 'API Key SID').optional(),
  apiKeySecret: z.string().trim().max(256).optional(),
  fromMessagingServiceSID: sidGuard('MG', 'Messaging Service SID').optional(),
  from: z
    .string()
    .trim()
    .superRefine((from, context) => {
      const sender = checkSender(from);
      if (!sender.ok) {
        context.addIssue({ code: z.ZodIssueCode.custom, message: sender.reason });
      }
    })
    .optional(),
  // This connector's 1.0 regional setting (the official connector has none): a Twilio API
  // hostname. Still read; Logto's form offers baseUrl instead.
  host: z
    .string()
    .trim()
    .max(253)
    .regex(
      /^api(?:\.[\da-z](?:[\da-z-]{0,61}[\da-z])?)*\.twilio\.com$/i,
      'Host must be a Twilio API hostname, such as api.twilio.com or api.dublin.ie1.twilio.com'
    )
    .transform((host) => host.toLowerCase())
    .optional(),
  region: z
    .string()
    .trim()
    .regex(/^[a-z]{2}\d$/, 'Region must look like "us1", "ie1" or "au1"')
    .optional(),
  edge: z
    .string()
    .trim()
    .regex(/^[a-z]+(?:-[a-z]+)*$/, 'Edge must look like "ashburn", "dublin" or "sao-paulo"')
    .optional(),
  baseUrl: httpUrlGuard('Base URL')
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
  validityPeriod: z
    .number()
    .int('Validity period must be a whole number of seconds')
    .min(1, 'Validity period must be at least 1 second')
    .max(36_000, 'Validity period must be at most 36000 seconds (10 hours), Twilio’s limit')
    .optional(),
  statusCallback: httpUrlGuard('Status callback', true).optional(),
  timeoutMs: z
    .number()
    .int('Timeout must be a whole number of milliseconds')
    .min(1000, 'Timeout must be at least 1000 ms')
    .max(60_000, 'Timeout must be at most 60000 ms')
    .default(defaultTimeoutMs),
  maxRetries: z
    .number()
    .int('Max retries must be a whole number')
    .min(0, 'Max retries must be at least 0')
    .max(5, 'Max retries must be at most 5')
    .default(defaultMaxRetries),
  smartEncoded: z.boolean().optional(),
  disableRiskCheck: z.boolean().optional(),
  // "possible": country code and length only, so numbers from ranges newer than the bundled
  // metadata still reach Twilio (which answers 21211 at no cost); "strict": libphonenumber's validity.
  phoneValidation: choiceGuard('Phone validation', phoneValidations).default('possible'),
  // Only shows or hides the form's advanced fields: what they hold applies either way.
  advanced: z.boolean().optional(),
  templates: z.array(templateGuard).max(500, 'At most 500 templates'),
  ...guardConfigShape,
});

/** Every key the connector reads. */
export const configKeys = Object.keys(configObjectGuard.shape) as Array<keyof typeof configObjectGuard.shape>;
const optionalKeys = new Set<string>(configKeys.filter((key) => configObjectGuard.shape[key].isOptional()));

// A blank, null or empty optional field is an unset one, however it was saved (Logto's form sends
// an empty MultiSelect as [] and an empty Json item as {}; its JSON editor, the Management API).
// Only for the keys that hold a list or an object: elsewhere {} or [] is a wrong type, and said so.
const emptyMeansUnset = new Set(['allowedCountries', 'blockedCountries', 'guard']);
const isBlank = (key: string, value: unknown) =>
  value === null ||
  (typeof value === 'string' && !value.trim()) ||
  (emptyMeansUnset.has(key) &&
    ((Array.isArray(value) && value.length === 0) || (isNonArrayObject(value) && Object.keys(value).length === 0)));

const withoutBlankOptionals = (input: unknown) =>
  isNonArrayObject(input)
    ? Object.fromEntries(Object.entries(input).filter(([key, value]) => !(optionalKeys.has(key) && isBlank(key, value))))
    : input;

// The keys a choice leaves out of use. Logto keeps a hidden field's value (the form still holds it,
// and a save merges the stored config), so after a switch from a Messaging Service to a From
// number the stored service SID is still there: it is neither validated nor sent.
const unusedByChoice: Record<string, Record<string, readonly string[]>> = {
  authType: { authToken: ['apiKeySID', 'apiKeySecret'], apiKey: ['authToken'] } satisfies Record<
    (typeof authTypes)[number],
    readonly string[]
  >,
  senderType: { messagingService: ['from'], from: ['fromMessagingServiceSID'] } satisfies Record<
    (typeof senderTypes)[number],
    readonly string[]
  >,
};

const withoutUnusedKeys = (input: unknown) => {
  if (!isNonArrayObject(input)) {
    return input;
  }
  const unused = new Set(
    Object.entries(unusedByChoice).flatMap(([key, choices]) => {
      const choice = input[key];
      return typeof choice === 'string' && Object.hasOwn(choices, choice) ? choices[choice]! : [];
    })
  );
  return unused.size > 0 ? Object.fromEntries(Object.entries(input).filter(([key]) => !unused.has(key))) : input;
};

type ParsedConfigObject = z.output<typeof configObjectGuard>;

/** The credentials the chosen (or implied) authentication needs. */
function refineCredentials(config: ParsedConfigObject, context: z.RefinementCtx) {
  if (config.authType === 'authToken' && !config.authToken) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['authToken'],
      message: 'Auth Token is required when authentication is Auth Token',
    });
  } else if (config.authType === 'apiKey' && !(config.apiKeySID && config.apiKeySecret)) {
    for (const [key, name] of [
      ['apiKeySID', 'API Key SID'],
      ['apiKeySecret', 'API Key Secret'],
    ] as const) {
      if (!config[key]) {
        context.addIssue({
          code: z.ZodIssueCode.custom,
          path: [key],
          message: `${name} is required when authentication is API key`,
        });
      }
    }
  } else if (!config.authType && !config.authToken && !(config.apiKeySID && config.apiKeySecret)) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      path: [config.apiKeySID ? 'apiKeySecret' : 'authToken'],
      message: config.apiKeySID
        ? 'API Key Secret is required with an API Key SID'
        : 'Auth Token is required (or an API Key SID with its secret)',
    });
  }

  if (!config.authType && config.apiKeySecret && !config.apiKeySID) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['apiKeySID'],
      message: 'API Key SID is required with an API Key Secret',
    });
  }
}

/** The sender the chosen (or implied) kind needs. */
function refineSender(config: ParsedConfigObject, context: z.RefinementCtx) {
  if (config.senderType === 'messagingService' && !config.fromMessagingServiceSID) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['fromMessagingServiceSID'],
      message: 'From Messaging Service SID (MG…) is required when Send from is Messaging Service',
    });
  } else if (config.senderType === 'from' && !config.from) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['from'],
      message: 'From is required when Send from is a phone number, short code or sender ID',
    });
  } else if (!config.senderType && !config.fromMessagingServiceSID && !config.from) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['fromMessagingServiceSID'],
      message: 'A sender is required: set fromMessagingServiceSID (MG…) or from',
    });
  }
}

/** A template for every usage type Logto requires, none longer than Twilio accepts once rendered. */
function refineTemplates(config: ParsedConfigObject, context: z.RefinementCtx) {
  const usageTypes = new Set(config.templates.map(({ usageType }) => usageType));
  const missing = requiredTemplateUsageTypes.filter((type) => !usageTypes.has(type));
  if (missing.length > 0) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['templates'],
      message: `Template with UsageType (${missing.join(', ')}) should be provided!`,
    });
  }

  for (const [index, template] of config.templates.entries()) {
    const length = longestRendering(template.content);
    if (length > maxBodyCharacters) {
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['templates', index, 'content'],
        message: `The ${describeTemplate(template)} template can render to ${length} characters; Twilio refuses messages over ${maxBodyCharacters}`,
      });
    }
  }
}

export const twilioSmsConfigGuard = z.preprocess(
  (input) => withoutUnusedKeys(withoutBlankOptionals(input)),
  configObjectGuard.superRefine((config, context) => {
    refineCredentials(config, context);
    refineSender(config, context);
    refineTemplates(config, context);
  })
);

/** The config as given: what Logto stores and the official connector's configs. */
export type TwilioSmsConfigInput = z.input<typeof configObjectGuard>;
/** The config after parsing: trimmed, defaults applied. */
export type TwilioSmsConfig = z.output<typeof twilioSmsConfigGuard>;

export type ConfigIssue = { path: string; message: string; severity: 'error' | 'warning' };

export const describeTemplate = ({ usageType, locale }: Pick<Template, 'usageType' | 'locale'>) =>
  locale ? `${usageType} (${locale})` : usageType;

/** `templates[2].content`: the JSON path people see in the editor. */
export const formatPath = (path: ReadonlyArray<string | number>) =>
  path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part), '') ||
  '(config)';

const toIssues = (error: z.ZodError): ConfigIssue[] =>
  error.issues.map(({ path, message }) => ({ path: formatPath(path), message, severity: 'error' }));

// Parsing a config costs more than the rest of a send, and Logto passes the same config on every
// call: remember the last few results by content. What is validated (and used) is the config's
// JSON form — what Logto stores — so two inputs with one JSON can never get different answers.
const parsedConfigs = new Map<string, z.SafeParseReturnType<unknown, TwilioSmsConfig>>();
const parsedConfigsLimit = 16;

const safeParseConfig = (input: unknown) => {
  let json: string | undefined;
  try {
    json = JSON.stringify(input);
  } catch {
    // Not JSON (a cycle, a BigInt): the guard explains what is wrong with it.
  }
  if (json === undefined) {
    return twilioSmsConfigGuard.safeParse(input);
  }

  const cached = parsedConfigs.get(json);
  if (cached) {
    // Least recently used goes first.
    parsedConfigs.delete(json);
    parsedConfigs.set(json, cached);
    return cached;
  }

  const result = twilioSmsConfigGuard.safeParse(JSON.parse(json));
  if (result.success) {
    // Shared by every later call with the same config: nobody may change it.
    deepFreeze(result.data);
  }
  if (parsedConfigs.size >= parsedConfigsLimit) {
    parsedConfigs.delete(parsedConfigs.keys().next().value!);
  }
  parsedConfigs.set(json, result);
  return result;
};

function deepFreeze(value: unknown) {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
  }
}

/**
 * Validates a config and returns it typed, with defaults applied. The result is frozen: it is
 * shared by every later call with the same config.
 *
 * @throws ConnectorError `invalid_config`, whose data lists every problem by JSON path (never a value).
 */
export function parseConfig(input: unknown): TwilioSmsConfig {
  const result = safeParseConfig(input);
  if (result.success) {
    return result.data;
  }

  const issues = toIssues(result.error).map(({ path, message }) => ({ path, message }));
  throw new ConnectorError(ConnectorErrorCodes.InvalidConfig, {
    message: `Invalid Twilio SMS connector config: ${issues.map(({ path, message }) => `${path}: ${message}`).join('; ')}`,
    issues,
  });
}

const knownKeys = new Set<string>(configKeys);

/**
 * Errors (what {@link parseConfig} refuses) and warnings (what parses but is probably a mistake:
 * a template without `{{code}}`, a duplicated template, an unknown key).
 */
export function checkConfig(input: unknown): {
  ok: boolean;
  config?: TwilioSmsConfig;
  issues: ConfigIssue[];
} {
  const result = safeParseConfig(input);
  if (!result.success) {
    return { ok: false, issues: toIssues(result.error) };
  }

  const config = result.data;
  const issues: ConfigIssue[] = [];
  const warn = (path: ReadonlyArray<string | number>, message: string) => {
    issues.push({ path: formatPath(path), message, severity: 'warning' });
  };

  if (isNonArrayObject(input)) {
    const present = withoutBlankOptionals(input) as Record<string, unknown>;
    const used = withoutUnusedKeys(present) as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      if (!knownKeys.has(key)) {
        warn([key], `Unknown key "${key}" is ignored`);
      } else if (Object.hasOwn(present, key) && !Object.hasOwn(used, key)) {
        // Kept by Logto from before a choice changed: say which choice leaves it out.
        const [choice, value] = Object.keys(unusedByChoice)
          .map((name) => [name, present[name]] as const)
          .find(
            ([name, value]) =>
              typeof value === 'string' &&
              Object.hasOwn(unusedByChoice[name]!, value) &&
              unusedByChoice[name]![value]!.includes(key)
          )!;
        warn([key], `${key} is not used: ${choice} is "${value as string}"`);
      }
    }
  }

  const seen = new Map<string, number>();
  for (const [index, template] of config.templates.entries()) {
    if (!template.content.trim()) {
      warn(['templates', index, 'content'], `The ${describeTemplate(template)} template is empty: sending with it fails`);
    } else if (!hasCodePlaceholder(template.content)) {
      warn(['templates', index, 'content'], `The ${describeTemplate(template)} template has no {{code}} placeholder`);
    }

    const key = `${template.usageType}\u0000${template.locale?.toLowerCase() ?? ''}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
    } else {
      warn(
        ['templates', index],
        `Duplicate ${describeTemplate(template)} template: templates[${first}] is used and this one never is`
      );
    }
  }

  return { ok: true, config, issues };
}

/**
 * The texts that must never be shown for a config: its auth token, API key secret, the Basic
 * credentials built from them, and the user name and password of a status callback URL (as
 * written and decoded). Works on any input, valid or not, so a caller can register them before
 * validating.
 */
export function configSecrets(input: unknown): string[] {
  if (!isNonArrayObject(input)) {
    return [];
  }
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
  const [accountSID, authToken, apiKeySID, apiKeySecret] = [
    text(input.accountSID),
    text(input.authToken),
    text(input.apiKeySID),
    text(input.apiKeySecret),
  ];
  const basic = (user = '', password?: string) =>
    password === undefined ? undefined : Buffer.from(`${user}:${password}`).toString('base64');
  return [
    authToken,
    apiKeySecret,
    basic(accountSID, authToken),
    basic(apiKeySID, apiKeySecret),
    ...userinfoOf(text(input.statusCallback)),
    ...guardSecrets(input),
  ].filter((secret): secret is string => secret !== undefined);
}

/**
 * A URL's password and user name, as written and decoded; none when it has none. A user name under
 * 6 characters is left out: masking it would blot out unrelated text, and it opens nothing alone.
 */
export function userinfoOf(url: string | undefined): string[] {
  if (!url) {
    return [];
  }
  let username: string;
  let password: string;
  try {
    ({ username, password } = new URL(url));
  } catch {
    // Not a URL (the guard refuses it), but it may still hold one's userinfo.
    const [, user = '', pass = ''] = /^[^:/?#]*:\/\/([^/?#@:]*)(?::([^/?#@]*))?@/.exec(url) ?? [];
    [username, password] = [user, pass];
  }
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  const parts = [password, decode(password), ...(username.length >= 6 ? [username, decode(username)] : [])];
  return [...new Set(parts.filter(Boolean))];
}
