import { ConnectorConfigFormItemType, type ConnectorMetadata } from '@logto/connector-kit';

import { guardAdvancedFormItems, guardCountryFormItems } from './guard/options.js';

/** The official connector's id: a Logto instance keeps its stored config when it switches to this one. */
export const connectorId = 'twilio-short-message-service';

export const defaultApiHost = 'api.twilio.com';
export const apiVersion = '2010-04-01';

/** Per-send deadline, retries included. */
export const defaultTimeoutMs = 10_000;
export const defaultMaxRetries = 2;

/** How the connector authenticates: the form's `authType` choice. */
export const authTypes = ['authToken', 'apiKey'] as const;
/** Where messages are sent from: the form's `senderType` choice. */
export const senderTypes = ['messagingService', 'from'] as const;
/** How strictly a destination number is checked before Twilio sees it. */
export const phoneValidations = ['possible', 'strict'] as const;

export const requiredTemplateUsageTypes = ['Register', 'SignIn', 'ForgotPassword', 'Generic'] as const;

const validity = 'The code will remain active for 10 minutes.';

export const defaultTemplates = [
  { usageType: 'SignIn', content: `Your Logto sign-in verification code is {{code}}. ${validity}` },
  { usageType: 'Register', content: `Your Logto sign-up verification code is {{code}}. ${validity}` },
  {
    usageType: 'ForgotPassword',
    content: `Your Logto password change verification code is {{code}}. ${validity}`,
  },
  {
    usageType: 'OrganizationInvitation',
    content: `Your Logto organization invitation code is {{code}}. ${validity}`,
  },
  { usageType: 'Generic', content: `Your Logto verification code is {{code}}. ${validity}` },
  {
    usageType: 'UserPermissionValidation',
    content: `Your Logto permission validation code is {{code}}. ${validity}`,
  },
  {
    usageType: 'BindNewIdentifier',
    content: `Your Logto new identifier binding code is {{code}}. ${validity}`,
  },
  { usageType: 'MfaVerification', content: `Your Logto MFA verification code is {{code}}. ${validity}` },
  { usageType: 'BindMfa', content: `Your Logto 2-step verification setup code is {{code}}. ${validity}` },
];

type FormItem = NonNullable<ConnectorMetadata['formItems']>[number];
type ShowCondition = NonNullable<FormItem['showConditions']>[number];

/*
 * Logto's console (packages/console/src/components/ConnectorForm) shows an item while every one of
 * its showConditions holds: `formConfig[targetKey] === expectValue`. For a stored config, the form
 * holds the stored values only, never an item's defaultValue (that is for a new connector), so a
 * config saved before `authType` and `senderType` existed has them undefined. An item that must
 * show both then and for one choice is listed twice: once for the choice, once with no
 * expectValue (shown while the choice is unset, so no stored credential or sender is hidden). The
 * two are never shown together. A hidden item's value is kept, sent by Test and saved.
 */
const whenChosen = (targetKey: 'authType' | 'senderType', expectValue: string): ShowCondition[] => [{ targetKey, expectValue }];
const whileUnchosen = (targetKey: 'authType' | 'senderType'): ShowCondition[] => [{ targetKey }];
const whenAdvanced: ShowCondition[] = [{ targetKey: 'advanced', expectValue: true }];
// Never shown: Logto's Test sends only the form items' values, so these carry a 1.0 config's
// endpoint into a Test send. The form offers baseUrl instead.
// (The switch holds true or false, never 'legacy'.)
const neverShown: ShowCondition[] = [{ targetKey: 'advanced', expectValue: 'legacy' }];

/** An item shown for one choice (required there) and while the choice is unset (optional then). */
const byChoice = (
  targetKey: 'authType' | 'senderType',
  expectValue: string,
  item: Omit<FormItem, 'showConditions' | 'required'>
): FormItem[] => [
  { ...item, required: true, showConditions: whenChosen(targetKey, expectValue) } as FormItem,
  { ...item, required: false, showConditions: whileUnchosen(targetKey) } as FormItem,
];

const formItems: FormItem[] = [
  {
    key: 'accountSID',
    label: 'Account SID',
    type: ConnectorConfigFormItemType.Text,
    required: true,
    placeholder: 'ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    description: 'Starts with AC. Twilio Console → Account → API keys & tokens.',
  },
  {
    key: 'authType',
    label: 'Authentication',
    type: ConnectorConfigFormItemType.Select,
    selectItems: [
      { value: 'authToken', title: 'Auth Token' },
      { value: 'apiKey', title: 'API key (recommended by Twilio)' },
    ] satisfies Array<{ value: (typeof authTypes)[number]; title: string }>,
    required: false,
    defaultValue: 'authToken',
    description: 'Configs saved before this choice existed show every credential field.',
  },
  ...byChoice('authType', 'authToken', {
    key: 'authToken',
    label: 'Auth Token',
    type: ConnectorConfigFormItemType.Text,
    isConfidential: true,
    placeholder: '<auth-token>',
    description: 'The account’s Auth Token, beside the Account SID.',
  }),
  ...byChoice('authType', 'apiKey', {
    key: 'apiKeySID',
    label: 'API Key SID',
    type: ConnectorConfigFormItemType.Text,
    placeholder: 'SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    description: 'Starts with SK. Create one under Account → API keys & tokens.',
  }),
  ...byChoice('authType', 'apiKey', {
    key: 'apiKeySecret',
    label: 'API Key Secret',
    type: ConnectorConfigFormItemType.Text,
    isConfidential: true,
    placeholder: '<api-key-secret>',
    description: 'Shown once, when the API key was created.',
  }),
  {
    key: 'senderType',
    label: 'Send from',
    type: ConnectorConfigFormItemType.Select,
    selectItems: [
      { value: 'messagingService', title: 'Messaging Service' },
      { value: 'from', title: 'Phone number, short code or sender ID' },
    ] satisfies Array<{ value: (typeof senderTypes)[number]; title: string }>,
    required: false,
    defaultValue: 'messagingService',
    description: 'Configs saved before this choice existed show both sender fields.',
  },
  ...byChoice('senderType', 'messagingService', {
    key: 'fromMessagingServiceSID',
    label: 'From Messaging Service SID',
    type: ConnectorConfigFormItemType.Text,
    placeholder: 'MGxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    description: 'Starts with MG. Messaging → Services; the service picks the sender.',
  }),
  ...byChoice('senderType', 'from', {
    key: 'from',
    label: 'From',
    type: ConnectorConfigFormItemType.Text,
    placeholder: '+15005550006',
    description:
      'A Twilio number in E.164 (+15005550006), a short code, or a sender ID of up to 11 letters, digits, spaces or + - _ &. Not WhatsApp.',
  }),
  ...guardCountryFormItems,
  {
    key: 'templates',
    label: 'Templates',
    type: ConnectorConfigFormItemType.Json,
    required: true,
    defaultValue: defaultTemplates,
    description:
      'One { usageType, content, locale? } per message. Register, SignIn, ForgotPassword and Generic are required; other types fall back to Generic. Put {{code}} where the code goes.',
  },
  {
    key: 'advanced',
    label: 'Advanced settings',
    type: ConnectorConfigFormItemType.Switch,
    required: false,
    defaultValue: false,
    description: 'Show the advanced settings. They apply whether shown or not.',
  },
  {
    key: 'baseUrl',
    label: 'API base URL',
    type: ConnectorConfigFormItemType.Text,
    required: false,
    placeholder: 'https://api.twilio.com',
    description:
      'Empty: api.twilio.com. Ireland: https://api.dublin.ie1.twilio.com. The local sandbox: http://127.0.0.1:4010. Wins over host, region and edge saved by version 1.0.',
    showConditions: whenAdvanced,
  },
  {
    key: 'validityPeriod',
    label: 'Validity period (seconds)',
    type: ConnectorConfigFormItemType.Number,
    required: false,
    placeholder: '600',
    description:
      'Twilio drops the message if it cannot be sent within this time (1–36000), so a code is never delivered after it expired.',
    showConditions: whenAdvanced,
  },
  {
    key: 'statusCallback',
    label: 'Status callback URL',
    type: ConnectorConfigFormItemType.Text,
    required: false,
    placeholder: 'https://example.com/twilio/status',
    description: 'Twilio POSTs each status change of a message here.',
    showConditions: whenAdvanced,
  },
  {
    key: 'timeoutMs',
    label: 'Send timeout (ms)',
    type: ConnectorConfigFormItemType.Number,
    required: false,
    defaultValue: defaultTimeoutMs,
    description: 'Total time one send may take, retries included (1000–60000).',
    showConditions: whenAdvanced,
  },
  {
    key: 'maxRetries',
    label: 'Max retries',
    type: ConnectorConfigFormItemType.Number,
    required: false,
    defaultValue: defaultMaxRetries,
    description:
      'Retries when Twilio is rate limiting (429) or the connection could not be opened (0–5). Never retried: anything Twilio may have sent.',
    showConditions: whenAdvanced,
  },
  {
    key: 'phoneValidation',
    label: 'Phone number check',
    type: ConnectorConfigFormItemType.Select,
    selectItems: [
      { value: 'possible', title: 'Possible: country code and length (recommended)' },
      { value: 'strict', title: 'Strict: also the number ranges known to this version' },
    ] satisfies Array<{ value: (typeof phoneValidations)[number]; title: string }>,
    required: false,
    defaultValue: 'possible',
    description: 'Strict refuses numbers from ranges allocated after this version was built; Possible lets Twilio judge them.',
    showConditions: whenAdvanced,
  },
  {
    key: 'smartEncoded',
    label: 'Smart encoding',
    type: ConnectorConfigFormItemType.Switch,
    required: false,
    defaultValue: false,
    description:
      'Let Twilio replace Unicode look-alikes (curly quotes, dashes) with GSM-7 characters, so a message uses fewer segments.',
    showConditions: whenAdvanced,
  },
  {
    key: 'disableRiskCheck',
    label: 'Disable risk check',
    type: ConnectorConfigFormItemType.Switch,
    required: false,
    defaultValue: false,
    description:
      'Whether to disable Twilio built-in risk check. Enabled by default. More details: https://www.twilio.com/docs/messaging/api/message-resource',
    showConditions: whenAdvanced,
  },
  ...guardAdvancedFormItems,
  ...(['host', 'region', 'edge'] as const).map((key): FormItem => ({
    key,
    label: key,
    type: ConnectorConfigFormItemType.Text,
    required: false,
    showConditions: neverShown,
  })),
];

export const defaultMetadata: ConnectorMetadata = {
  id: connectorId,
  target: 'twilio-sms',
  platform: null,
  name: {
    en: 'Twilio SMS Service',
    'zh-CN': 'Twilio 短信服务',
    'zh-TW': 'Twilio 簡訊服務',
    ja: 'Twilio SMS サービス',
    ko: 'Twilio SMS 서비스',
    de: 'Twilio SMS-Dienst',
    fr: 'Service SMS Twilio',
    es: 'Servicio SMS de Twilio',
    'pt-BR': 'Serviço de SMS da Twilio',
    'tr-TR': 'Twilio SMS Servisi',
  },
  logo: './logo.svg',
  logoDark: null,
  description: {
    en: 'Twilio provides programmable communication tools for phone calls and messages.',
    'zh-CN': 'Twilio 是一个提供面向消费者的可编程通讯服务的平台。',
    'zh-TW': 'Twilio 提供可程式化的電話與簡訊通訊工具。',
    ja: 'Twilio は電話とメッセージのためのプログラム可能な通信ツールを提供します。',
    ko: 'Twilio는 전화 및 SMS을 할 수 있도록 개발자 도구를 제공합니다.',
    de: 'Twilio bietet programmierbare Kommunikationswerkzeuge für Anrufe und Nachrichten.',
    fr: 'Twilio fournit des outils de communication programmables pour les appels et les messages.',
    es: 'Twilio ofrece herramientas de comunicación programables para llamadas y mensajes.',
    'pt-BR': 'A Twilio oferece ferramentas de comunicação programáveis para chamadas e mensagens.',
    'tr-TR': 'Twilio, telefon görüşmeleri ve mesajlar için programlanabilir iletişim araçları sağlar.',
  },
  readme: './README.md',
  formItems,
};
