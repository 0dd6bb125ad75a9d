/**
 * The connector's config guard: the schema of types.ts, read as config-keys.ts says (blank fields
 * unset, keys a choice leaves out ignored), and the rules across fields: the credentials and the
 * sender the choices need, a template for every usage type Logto requires. Every config Logto's
 * official Twilio connector accepts passes, except ones that could never send a message.
 *
 * @module
 */
import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { z } from 'zod';

import { withoutBlankOptionals, withoutUnusedKeys } from './config-keys.js';
import { requiredTemplateUsageTypes } from './constant.js';
import { maxBodyCharacters } from './segments.js';
import { describeTemplate, longestRendering } from './templates.js';
import { type ConfigIssue, type ConfigIssueKind, type TwilioSmsConfig, configObjectGuard } from './types.js';

/** The credentials the chosen (or implied) authentication needs. */
function refineCredentials(config: TwilioSmsConfig, context: z.RefinementCtx) {
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
function refineSender(config: TwilioSmsConfig, context: z.RefinementCtx) {
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
function refineTemplates(config: TwilioSmsConfig, context: z.RefinementCtx) {
  const usageTypes = new Set(config.templates.map(({ usageType }) => usageType));
  const missing = requiredTemplateUsageTypes.filter((type) => !usageTypes.has(type));
  if (missing.length > 0) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['templates'],
      message: `Template with UsageType (${missing.join(', ')}) should be provided!`,
      params: { kind: 'missingTemplates' satisfies ConfigIssueKind },
    });
  }

  for (const [index, template] of config.templates.entries()) {
    const length = longestRendering(template.content);
    if (length > maxBodyCharacters) {
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['templates', index, 'content'],
        message: `The ${describeTemplate(template)} template can render to ${length} characters; Twilio refuses messages over ${maxBodyCharacters}`,
        params: { kind: 'templateTooLong' satisfies ConfigIssueKind },
      });
    }
  }
}

const refinedGuardOf = () =>
  configObjectGuard().superRefine((config, context) => {
    refineCredentials(config, context);
    refineSender(config, context);
    refineTemplates(config, context);
  });
let refinedGuard: ReturnType<typeof refinedGuardOf> | undefined;

export const twilioSmsConfigGuard = z.preprocess(
  (input) => withoutUnusedKeys(withoutBlankOptionals(input)),
  // Lazy: Logto only holds this guard at start; the schemas are built on the first parse (types.ts).
  z.lazy(() => (refinedGuard ??= refinedGuardOf()))
);

/** `templates[2].content`: the JSON path people see in the editor. */
export const formatPath = (path: ReadonlyArray<string | number>) =>
  path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part), '') ||
  '(config)';

/** The kind a refinement above gave its issue (in zod's params), if any. */
const kindOf = (issue: z.ZodIssue) =>
  issue.code === z.ZodIssueCode.custom ? (issue.params?.kind as ConfigIssueKind | undefined) : undefined;

export const toIssues = (error: z.ZodError): ConfigIssue[] =>
  error.issues.map((issue) => {
    const kind = kindOf(issue);
    return { path: formatPath(issue.path), message: issue.message, severity: 'error', ...(kind && { kind }) };
  });

/** `invalid_config`, whose data lists every problem by JSON path (never a value), with its kind when it has one. */
export function invalidConfigError(error: z.ZodError): ConnectorError {
  const issues = toIssues(error).map(({ path, message, kind }) => ({ path, message, ...(kind && { kind }) }));
  return new ConnectorError(ConnectorErrorCodes.InvalidConfig, {
    message: `Invalid Twilio SMS connector config: ${issues.map(({ path, message }) => `${path}: ${message}`).join('; ')}`,
    issues,
  });
}
