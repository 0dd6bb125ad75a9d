/**
 * What a locale is, for a template's `locale` and the CLI's `--locale`: one BCP 47 language tag.
 *
 * @module
 */

/** Whether `tag` is one BCP 47 language tag, such as en, fr-CA or pt-BR (`fr_CA` is not). */
export const isLanguageTag = (tag: string) => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
};
