/**
 * The config and template schemas (zod), field by field, and the types inferred from them. The
 * rules across fields (credentials, sender, templates) are config.ts's; which keys are read at
 * all is config-keys.ts's. Every config Logto's official Twilio connector accepts has this shape
 * too (unknown keys are ignored).
 *
 * @module
 */
import { z } from 'zod';

import { authTypes, defaultMaxRetries, defaultTimeoutMs, phoneValidations, senderTypes } from './constant.js';
import { guardConfigFields } from './guard/options.js';
import { baseUrlGuard, httpUrlGuard } from './http-url.js';
import { isLanguageTag } from './language-tag.js';
import { checkSender } from './sender-id.js';
import { sidPattern } from './sid.js';

const sidGuard = (prefix: string, name: string) =>
  z.string().trim().regex(sidPattern(prefix), `${name} must be "${prefix}" followed by 32 hexadecimal characters`);

export const templateGuard = z.object({
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

// zod's own enum message quotes the value it received: name the allowed ones instead.
const choiceGuard = <T extends readonly [string, ...string[]]>(name: string, values: T) =>
  z.enum(values as unknown as [T[number], ...Array<T[number]>], {
    errorMap: () => ({ message: `${name} must be ${values.map((value) => `"${value}"`).join(' or ')}` }),
  });

/** Each key's schema, made when the config object guard is first built (see below). */
export const configFields = {
  accountSID: () => sidGuard('AC', 'Account SID'),
  // The form's two choices. Configs saved before they existed lack them: then every credential
  // and sender that is set is used, as before.
  authType: () => choiceGuard('Authentication', authTypes).optional(),
  senderType: () => choiceGuard('Sender type', senderTypes).optional(),
  authToken: () => z.string().trim().max(256).optional(),
  apiKeySID: () => sidGuard('SK', 'API Key SID').optional(),
  apiKeySecret: () => z.string().trim().max(256).optional(),
  fromMessagingServiceSID: () => sidGuard('MG', 'Messaging Service SID').optional(),
  from: () =>
    z
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
  host: () =>
    z
      .string()
      .trim()
      .max(253)
      .regex(
        /^api(?:\.[\da-z](?:[\da-z-]{0,61}[\da-z])?)*\.twilio\.com$/i,
        'Host must be a Twilio API hostname, such as api.twilio.com or api.dublin.ie1.twilio.com'
      )
      .transform((host) => host.toLowerCase())
      .optional(),
  region: () =>
    z
      .string()
      .trim()
      .regex(/^[a-z]{2}\d$/, 'Region must look like "us1", "ie1" or "au1"')
      .optional(),
  edge: () =>
    z
      .string()
      .trim()
      .regex(/^[a-z]+(?:-[a-z]+)*$/, 'Edge must look like "ashburn", "dublin" or "sao-paulo"')
      .optional(),
  baseUrl: () => baseUrlGuard().optional(),
  validityPeriod: () =>
    z
      .number()
      .int('Validity period must be a whole number of seconds')
      .min(1, 'Validity period must be at least 1 second')
      .max(36_000, 'Validity period must be at most 36000 seconds (10 hours), Twilio’s limit')
      .optional(),
  statusCallback: () => httpUrlGuard('Status callback', true).optional(),
  timeoutMs: () =>
    z
      .number()
      .int('Timeout must be a whole number of milliseconds')
      .min(1000, 'Timeout must be at least 1000 ms')
      .max(60_000, 'Timeout must be at most 60000 ms')
      .default(defaultTimeoutMs),
  maxRetries: () =>
    z
      .number()
      .int('Max retries must be a whole number')
      .min(0, 'Max retries must be at least 0')
      .max(5, 'Max retries must be at most 5')
      .default(defaultMaxRetries),
  smartEncoded: () => z.boolean().optional(),
  disableRiskCheck: () => z.boolean().optional(),
  // "possible": country code and length only, so numbers from ranges newer than the bundled
  // metadata still reach Twilio (which answers 21211 at no cost); "strict": libphonenumber's validity.
  phoneValidation: () => choiceGuard('Phone validation', phoneValidations).default('possible'),
  // Only shows or hides the form's advanced fields: what they hold applies either way.
  advanced: () => z.boolean().optional(),
  templates: () => z.array(templateGuard).max(500, 'At most 500 templates'),
  ...guardConfigFields,
};

type ConfigShape = { [Key in keyof typeof configFields]: ReturnType<(typeof configFields)[Key]> };
const objectGuardOf = (shape: ConfigShape) => z.object(shape);
let objectGuard: ReturnType<typeof objectGuardOf> | undefined;

// Built on the first parse, not at import: its zod schemas cost ~3.4 ms of every Logto start (measured).
export const configObjectGuard = () =>
  (objectGuard ??= objectGuardOf(
    Object.fromEntries(Object.entries(configFields).map(([key, field]) => [key, field()])) as ConfigShape
  ));

export type Template = z.infer<typeof templateGuard>;
/** The config as given: what Logto stores and the official connector's configs. */
export type TwilioSmsConfigInput = z.input<ReturnType<typeof configObjectGuard>>;
/** The config after parsing: trimmed, defaults applied. */
export type TwilioSmsConfig = z.output<ReturnType<typeof configObjectGuard>>;

/** A problem with a config, by JSON path: an error refuses it, a warning only says so. */
/**
 * What kind of problem an issue is, for a tool that picks its fix (the CLI): stable where the
 * message is worded for people. Only the issues whose path alone does not tell have one.
 */
export type ConfigIssueKind =
  | 'unknownKey'
  | 'unusedKey'
  | 'missingTemplates'
  | 'templateTooLong'
  | 'emptyTemplate'
  | 'noCodePlaceholder'
  | 'duplicateTemplate';

export type ConfigIssue = { path: string; message: string; severity: 'error' | 'warning'; kind?: ConfigIssueKind };
