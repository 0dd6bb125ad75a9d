/**
 * Every template of a config rendered with the sample code, with what it costs: the table of
 * `smsdesk check` and the previews of the sandbox's web console.
 *
 * @module
 */
import { sampleCode } from './codes.js';
import type { TwilioSmsConfig } from './types.js';
import { isNonArrayObject } from './objects.js';
import { type SegmentInfo, countSegments } from './segments.js';
import { hasCodePlaceholder, renderTemplate } from './templates.js';

/** One template rendered with {@link sampleCode}, with its encoding, length and segments. */
export type TemplatePreview = SegmentInfo & {
  /** Its index in the config's `templates`. */
  index: number;
  usageType: string;
  /** Trimmed; absent when the template has none (it serves any locale). */
  locale?: string;
  body: string;
  /** Whether it has a `{{code}}` placeholder. */
  hasCode: boolean;
};

type TemplateLike = { usageType: string; content: string; locale?: string | undefined };

const asTemplate = (entry: unknown): TemplateLike | undefined =>
  isNonArrayObject(entry) && typeof entry.usageType === 'string' && typeof entry.content === 'string'
    ? { usageType: entry.usageType, content: entry.content, locale: typeof entry.locale === 'string' ? entry.locale : undefined }
    : undefined;

/**
 * Each template of a config rendered with {@link sampleCode}: the parsed config's when there is one,
 * else every entry of the input's `templates` that has a string usageType and content, so a
 * credential typo does not blank the previews.
 *
 * @example
 * previewConfigTemplates({ templates: [{ usageType: 'SignIn', content: 'Code {{code}}' }] })[0];
 * // { index: 0, usageType: 'SignIn', body: 'Code 123456', encoding: 'GSM-7', segments: 1, hasCode: true, … }
 */
export function previewConfigTemplates(input: unknown, config?: TwilioSmsConfig): TemplatePreview[] {
  const entries: unknown[] =
    config?.templates ?? (isNonArrayObject(input) && Array.isArray(input.templates) ? input.templates : []);
  return entries.flatMap((entry, index) => {
    const template = asTemplate(entry);
    if (!template) {
      return [];
    }
    const body = renderTemplate(template.content, { code: sampleCode });
    const locale = template.locale?.trim();
    return [
      {
        index,
        usageType: template.usageType,
        ...(locale ? { locale } : {}),
        body,
        ...countSegments(body),
        hasCode: hasCodePlaceholder(template.content),
      },
    ];
  });
}
