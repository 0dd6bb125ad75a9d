/**
 * Template choice (usage type, then locale) and rendering.
 *
 * @module
 */
import { isObjectLike } from './objects.js';
import { type SegmentInfo, countSegments } from './segments.js';
import type { Template } from './types.js';

// The same placeholder syntax as connector-kit's replaceSendMessageHandlebars.
const handlebars = /{{\s*([\w.]+)\s*}}/g;

/**
 * Renders `{{code}}`, `{{link}}` and nested `{{a.b}}` placeholders with connector-kit's semantics: a
 * placeholder whose root key is absent stays as written, a missing nested value renders empty, and
 * a rendered value is never expanded again. Unlike connector-kit, only the payload's own data
 * properties are read, so `{{constructor}}` cannot reach the prototype and no getter runs.
 *
 * @example
 * renderTemplate('Your code is {{code}}', { code: '123456' }); // 'Your code is 123456'
 */
export function renderTemplate(content: string, payload: Record<string, unknown>): string {
  return render(content, payload).body;
}

/** The rendered body, and the root keys of the placeholders left as written (absent from the payload). */
function render(content: string, payload: Record<string, unknown>) {
  const unrendered = new Set<string>();
  const body = content.replaceAll(handlebars, (placeholder, path: string) => {
    const [root = '', ...rest] = path.split('.');
    const own = ownValue(payload, root);
    if (!own.found) {
      unrendered.add(root);
      return placeholder;
    }

    let { value } = own;
    for (const key of rest) {
      ({ value } = ownValue(value, key));
    }
    return stringify(value);
  });
  return { body, unrendered: [...unrendered] };
}

/**
 * An own property's value, read without calling a getter (an accessor reads as undefined) and
 * without throwing (a revoked proxy has no properties).
 */
function ownValue(value: unknown, key: string): { found: boolean; value?: unknown } {
  if (!isObjectLike(value)) {
    return { found: false };
  }
  try {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    return descriptor ? { found: true, value: 'value' in descriptor ? descriptor.value : undefined } : { found: false };
  } catch {
    return { found: false };
  }
}

/** `String(value ?? '')`, except that a value which cannot be a string renders empty. */
function stringify(value: unknown) {
  try {
    return String(value ?? '');
  } catch {
    return '';
  }
}

/** Longest a placeholder is allowed to render to when a template's length is checked. */
const placeholderBudget = new Map([
  ['code', 8],
  ['link', 256],
]);

/** The longest body a template can render to: codes of 8 characters, links of 256. */
export const longestRendering = (content: string) =>
  content.replaceAll(handlebars, (placeholder, path: string) => 'x'.repeat(placeholderBudget.get(path) ?? placeholder.length))
    .length;

/** `SignIn (fr)`: a template as messages name it. */
export const describeTemplate = ({ usageType, locale }: Pick<Template, 'usageType' | 'locale'>) =>
  locale ? `${usageType} (${locale})` : usageType;

/** Whether a template has a place for the verification code. */
export const hasCodePlaceholder = (content: string) => /{{\s*code\s*}}/.test(content);

export type TemplateChoice = {
  template: Template;
  /** Why this template, in words: shown by the CLI's preview. */
  reason: string;
};

const languageOf = (tag: string) => tag.split('-')[0]!;

/** `zh-TW` → `zh-hant`: the language and its likely script, to tell Traditional from Simplified. */
function languageAndScript(tag: string) {
  try {
    const { language, script } = new Intl.Locale(tag).maximize();
    return `${language}-${script ?? ''}`.toLowerCase();
  } catch {
    return languageOf(tag);
  }
}

/**
 * The template for a locale among one usage type's templates, as RFC 4647 lookup does and then
 * some: the exact tag; the tag with subtags cut from the end (`zh-Hant-TW` → `zh-Hant` → `zh`); the
 * same language and script (`zh-TW` → `zh-Hant`, `pt` → `pt-BR`); the same language; else the
 * template without a locale.
 */
function pickByLocale(candidates: Template[], locale: string | undefined) {
  if (locale) {
    const tagOf = (template: Template) => template.locale?.toLowerCase();
    const subtags = locale.split('-');
    for (let length = subtags.length; length > 0; length -= 1) {
      const prefix = subtags.slice(0, length).join('-');
      const match = candidates.find((template) => tagOf(template) === prefix);
      if (match) {
        return {
          template: match,
          why:
            length === subtags.length ? `locale ${match.locale} matches` : `locale ${match.locale} has the language of ${locale}`,
        };
      }
    }

    const localized = candidates.filter((template) => template.locale);
    const wanted = languageAndScript(locale);
    const sameScript = localized.find((template) => languageAndScript(template.locale!) === wanted);
    if (sameScript) {
      return { template: sameScript, why: `locale ${sameScript.locale} has the language and script of ${locale}` };
    }

    const language = languageOf(locale);
    const sameLanguage = localized.find((template) => languageOf(tagOf(template)!) === language);
    if (sameLanguage) {
      return { template: sameLanguage, why: `locale ${sameLanguage.locale} has the language of ${locale}` };
    }
  }

  const neutral = candidates.find((template) => !template.locale);
  if (neutral) {
    return {
      template: neutral,
      why: locale ? `no ${locale} template, so the one without a locale` : 'the template without a locale',
    };
  }
}

/**
 * Chooses the template for a message: the usage type's template for the locale (exact tag, then
 * language, then the one without a locale), else Generic's by the same rules, else the first
 * template of the type or of Generic.
 */
export function selectTemplate(templates: Template[], usageType: string, locale?: string): TemplateChoice | undefined {
  const wanted = locale?.trim().replaceAll('_', '-').toLowerCase() || undefined;
  const ofType = templates.filter((template) => template.usageType === usageType);
  const own = pickByLocale(ofType, wanted);
  if (own) {
    return { template: own.template, reason: `${usageType} template: ${own.why}` };
  }

  const generic = usageType === 'Generic' ? [] : templates.filter((template) => template.usageType === 'Generic');
  const fallback = pickByLocale(generic, wanted);
  const first = ofType[0];
  if (first) {
    return fallback
      ? { template: fallback.template, reason: `Generic template (the ${usageType} templates have no match): ${fallback.why}` }
      : { template: first, reason: `${usageType} template: the first one, as none matches the locale` };
  }

  if (fallback) {
    return { template: fallback.template, reason: `Generic template (no ${usageType} template): ${fallback.why}` };
  }

  const firstGeneric = generic[0];
  if (firstGeneric) {
    return { template: firstGeneric, reason: `Generic template (no ${usageType} template): the first one` };
  }
}

export type MessagePreview = TemplateChoice & {
  body: string;
  segments: SegmentInfo;
  /** Placeholders left as written because the payload has no such key, by root key (`code`). */
  unrendered: string[];
};

/** The exact body a send would carry, which template it comes from and why, and its segments. */
export function previewTemplates(
  templates: Template[],
  usageType: string,
  payload: Record<string, unknown>
): MessagePreview | undefined {
  const { locale } = payload;
  const choice = selectTemplate(templates, usageType, typeof locale === 'string' ? locale : undefined);
  if (!choice) {
    return;
  }
  const { body, unrendered } = render(choice.template.content, payload);
  return { ...choice, body, segments: countSegments(body), unrendered };
}
