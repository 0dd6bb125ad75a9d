/**
 * Checking a config for people (the CLI, the sandbox console): what the guard refuses, and what
 * parses but is probably a mistake.
 *
 * @module
 */
import { choiceLeavingOut, configKeys, withoutBlankOptionals, withoutUnusedKeys } from './config-keys.js';
import { formatPath, toIssues } from './config.js';
import { isNonArrayObject } from './objects.js';
import { safeParseConfig } from './parsed-config.js';
import { describeTemplate, hasCodePlaceholder } from './templates.js';
import type { ConfigIssue, ConfigIssueKind, TwilioSmsConfig } from './types.js';

const knownKeys = new Set<string>(configKeys);

/**
 * Errors (what parseConfig refuses) and warnings (what parses but is probably a mistake:
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

  const { config } = result.data;
  const issues: ConfigIssue[] = [];
  const warn = (kind: ConfigIssueKind, path: ReadonlyArray<string | number>, message: string) => {
    issues.push({ path: formatPath(path), message, severity: 'warning', kind });
  };

  if (isNonArrayObject(input)) {
    const present = withoutBlankOptionals(input) as Record<string, unknown>;
    const used = withoutUnusedKeys(present) as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      if (!knownKeys.has(key)) {
        warn('unknownKey', [key], `Unknown key "${key}" is ignored`);
      } else if (Object.hasOwn(present, key) && !Object.hasOwn(used, key)) {
        // Kept by Logto from before a choice changed: say which choice leaves it out.
        const [choice, value] = choiceLeavingOut(present, key)!;
        warn('unusedKey', [key], `${key} is not used: ${choice} is "${value}"`);
      }
    }
  }

  const seen = new Map<string, number>();
  for (const [index, template] of config.templates.entries()) {
    if (!template.content.trim()) {
      warn(
        'emptyTemplate',
        ['templates', index, 'content'],
        `The ${describeTemplate(template)} template is empty: sending with it fails`
      );
    } else if (!hasCodePlaceholder(template.content)) {
      warn(
        'noCodePlaceholder',
        ['templates', index, 'content'],
        `The ${describeTemplate(template)} template has no {{code}} placeholder`
      );
    }

    const key = `${template.usageType}\u0000${template.locale?.toLowerCase() ?? ''}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
    } else {
      warn(
        'duplicateTemplate',
        ['templates', index],
        `Duplicate ${describeTemplate(template)} template: templates[${first}] is used and this one never is`
      );
    }
  }

  return { ok: true, config, issues };
}
