import { replaceSendMessageHandlebars } from '@logto/connector-kit';

import { type Template, renderTemplate, selectTemplate } from '../src/index.js';

describe('renderTemplate', () => {
  const payload = {
    code: '123456',
    link: 'https://example.com/verify?token=abc',
    user: { name: 'Ada', address: { city: 'London' } },
    empty: '',
    zero: 0,
    nothing: null,
  };

  it.each([
    'Your code is {{code}}.',
    '{{ code }} / {{code}} / {{  code  }}',
    'Open {{link}}',
    'Hi {{user.name}} from {{user.address.city}}',
    'Missing root stays: {{unknown}} {{unknown.key}}',
    'Missing nested is empty: [{{user.age}}] [{{user.address.zip}}] [{{code.length.x}}]',
    'Falsy values: [{{empty}}] [{{zero}}] [{{nothing}}]',
    'An object: {{user}}',
    'Not a placeholder: {code} {{ }} {{co de}} {{-code}}',
  ])('renders %j exactly as connector-kit does', (content) => {
    expect(renderTemplate(content, payload)).toBe(replaceSendMessageHandlebars(content, payload));
  });

  it('never expands a value again', () => {
    const rendered = renderTemplate('Code: {{code}}, link: {{link}}', { code: '{{link}}', link: '{{code}}' });
    expect(rendered).toBe('Code: {{link}}, link: {{code}}');
  });

  it('reads only the payload’s own keys, not its prototype', () => {
    expect(renderTemplate('{{constructor}} {{toString}} {{user.constructor.name}}', { user: {} })).toBe(
      '{{constructor}} {{toString}} '
    );
  });
});

describe('selectTemplate', () => {
  const templates: Template[] = [
    { usageType: 'SignIn', content: 'sign in' },
    { usageType: 'SignIn', locale: 'fr', content: 'connexion' },
    { usageType: 'SignIn', locale: 'fr-CA', content: 'connexion (Canada)' },
    { usageType: 'SignIn', locale: 'pt-BR', content: 'entrar (Brasil)' },
    { usageType: 'Register', locale: 'de', content: 'registrieren' },
    { usageType: 'Generic', content: 'generic' },
    { usageType: 'Generic', locale: 'de', content: 'allgemein' },
  ];

  const contentFor = (usageType: string, locale?: string) => selectTemplate(templates, usageType, locale)?.template.content;

  it.each([
    ['SignIn', 'fr-CA', 'connexion (Canada)'],
    ['SignIn', 'FR-ca', 'connexion (Canada)'],
    ['SignIn', 'fr_CA', 'connexion (Canada)'],
    ['SignIn', 'fr-BE', 'connexion'],
    ['SignIn', 'fr', 'connexion'],
    ['SignIn', 'pt', 'entrar (Brasil)'],
    ['SignIn', 'pt-PT', 'entrar (Brasil)'],
    ['SignIn', 'ja', 'sign in'],
    ['SignIn', undefined, 'sign in'],
    ['SignIn', '', 'sign in'],
  ])('%s for locale %j: exact tag, then language, then no locale', (type, locale, expected) => {
    expect(contentFor(type, locale)).toBe(expected);
  });

  it.each([
    ['MfaVerification', 'de', 'allgemein'],
    ['MfaVerification', 'en', 'generic'],
    ['OrganizationInvitation', undefined, 'generic'],
    ['SomethingLogtoAddsLater', 'de-AT', 'allgemein'],
  ])('%s (%s) falls back to Generic', (type, locale, expected) => {
    expect(contentFor(type, locale)).toBe(expected);
  });

  it('prefers the Generic template in the user’s language over a usage type in another language', () => {
    expect(contentFor('Register', 'en')).toBe('generic');
    expect(contentFor('Register', 'de')).toBe('registrieren');
  });

  it.each([
    ['zh-Hant-TW', '繁體'],
    ['zh-TW', '繁體'],
    ['zh-HK', '繁體'],
    ['zh-hant-tw', '繁體'],
    ['zh-CN', '简体'],
    ['zh', '简体'],
    ['zh-SG', '简体'],
  ])('tells Traditional from Simplified Chinese: %s → %s', (locale, expected) => {
    const chinese: Template[] = [
      { usageType: 'Generic', content: 'generic' },
      { usageType: 'SignIn', locale: 'zh-Hans', content: '简体' },
      { usageType: 'SignIn', locale: 'zh-Hant', content: '繁體' },
    ];
    expect(selectTemplate(chinese, 'SignIn', locale)?.template.content).toBe(expected);
  });

  it('uses the first template of the type when nothing else fits', () => {
    const onlyLocalized: Template[] = [
      { usageType: 'SignIn', locale: 'fr', content: 'connexion' },
      { usageType: 'Generic', locale: 'fr', content: 'générique' },
    ];
    expect(selectTemplate(onlyLocalized, 'SignIn', 'en')?.template.content).toBe('connexion');
    expect(selectTemplate(onlyLocalized, 'BindMfa', 'en')?.template.content).toBe('générique');
    expect(selectTemplate([], 'SignIn', 'en')).toBeUndefined();
  });

  it('says why it chose a template', () => {
    expect(selectTemplate(templates, 'SignIn', 'fr-BE')?.reason).toBe('SignIn template: locale fr has the language of fr-be');
    expect(selectTemplate(templates, 'BindMfa', 'de')?.reason).toBe('Generic template (no BindMfa template): locale de matches');
  });
});
