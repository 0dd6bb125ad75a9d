import { ConnectorConfigFormItemType, type ConnectorMetadata } from '@logto/connector-kit';

import { guardFormItems } from './guard/options.js';

/** The official connector's id: a Logto instance keeps its stored config when it switches to this one. */
export const connectorId = 'twilio-short-message-service';

export const defaultApiHost = 'api.twilio.com';
export const apiVersion = '2010-04-01';

/** Per-send deadline, retries included. */
export const defaultTimeoutMs = 10_000;
export const defaultMaxRetries = 2;

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
  formItems: [
    {
      key: 'accountSID',
      label: 'Account SID',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: 'ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      description: 'Your Twilio Account SID (starts with AC), from Console → Account → API keys & tokens.',
    },
    {
      key: 'authToken',
      label: 'Auth Token',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      isConfidential: true,
      placeholder: '<auth-token>',
      description: 'The account’s Auth Token. Leave empty when you use an API key below.',
    },
    {
      key: 'apiKeySID',
      label: 'API Key SID',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      description: 'Optional: authenticate with an API key (recommended by Twilio) instead of the Auth Token.',
    },
    {
      key: 'apiKeySecret',
      label: 'API Key Secret',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      isConfidential: true,
      placeholder: '<api-key-secret>',
    },
    {
      key: 'fromMessagingServiceSID',
      label: 'From Messaging Service SID',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'MGxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      description: 'The Messaging Service that picks the sender (starts with MG). Either this or “From” is required.',
    },
    {
      key: 'from',
      label: 'From',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: '+15005550006',
      description: 'A Twilio phone number (E.164), short code or alphanumeric sender ID, used instead of (or with) a Messaging Service.',
    },
    {
      key: 'host',
      label: 'API host',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: defaultApiHost,
      description:
        'Twilio API hostname only, without https://, port, or path. Defaults to api.twilio.com. For Ireland (IE1), use api.dublin.ie1.twilio.com. Or set region and edge below.',
    },
    {
      key: 'region',
      label: 'Region',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'us1',
      description: 'Twilio region (us1, ie1, au1, jp1 …). Credentials are per region.',
    },
    {
      key: 'edge',
      label: 'Edge',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'ashburn',
      description: 'Twilio edge location (ashburn, dublin, sydney, tokyo …).',
    },
    {
      key: 'baseUrl',
      label: 'Base URL',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'https://api.twilio.com',
      description: 'Overrides the API host, e.g. a local Twilio sandbox (http://127.0.0.1:4010).',
    },
    {
      key: 'validityPeriod',
      label: 'Validity period (seconds)',
      type: ConnectorConfigFormItemType.Number,
      required: false,
      placeholder: '600',
      description: 'Twilio drops the message if it cannot be sent within this time (1–36000), so a code is never delivered after it expired.',
    },
    {
      key: 'statusCallback',
      label: 'Status callback URL',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'https://example.com/twilio/status',
    },
    {
      key: 'timeoutMs',
      label: 'Send timeout (ms)',
      type: ConnectorConfigFormItemType.Number,
      required: false,
      defaultValue: defaultTimeoutMs,
      description: 'Total time one send may take, retries included (1000–60000).',
    },
    {
      key: 'maxRetries',
      label: 'Max retries',
      type: ConnectorConfigFormItemType.Number,
      required: false,
      defaultValue: defaultMaxRetries,
      description: 'Retries when Twilio is rate limiting (429) or the connection could not be opened (0–5). Never retried: anything Twilio may have sent.',
    },
    {
      key: 'smartEncoded',
      label: 'Smart encoding',
      type: ConnectorConfigFormItemType.Switch,
      required: false,
      defaultValue: false,
      description: 'Let Twilio replace Unicode look-alikes (curly quotes, dashes) with GSM-7 characters, so a message uses fewer segments.',
    },
    {
      key: 'disableRiskCheck',
      label: 'Disable risk check',
      type: ConnectorConfigFormItemType.Switch,
      required: false,
      defaultValue: false,
      description:
        'Whether to disable Twilio built-in risk check. Enabled by default. More details: https://www.twilio.com/docs/messaging/api/message-resource',
    },
    {
      key: 'templates',
      label: 'Templates',
      type: ConnectorConfigFormItemType.Json,
      required: true,
      defaultValue: defaultTemplates,
      description:
        'One { usageType, content, locale? } per message. Register, SignIn, ForgotPassword and Generic are required; other types fall back to Generic. Put {{code}} where the code goes.',
    },
    ...guardFormItems,
  ],
};
