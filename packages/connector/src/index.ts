/**
 * Logto SMS connector for Twilio's Messages API: a drop-in replacement for
 * `@logto/connector-twilio-sms` (same id, same config keys).
 *
 * Logto imports this file and calls the default export. The named exports serve everyone else:
 * send with a plain config, check a config, preview a message, count segments.
 *
 * @module
 */
import { ConnectorType, type CreateConnector, type SmsConnector } from '@logto/connector-kit';

import { connectorId, defaultMetadata } from './constant.js';
import { twilioSmsConfigGuard } from './config.js';
import { countSmsUsage, sendSms } from './sender.js';

const createTwilioSmsConnector: CreateConnector<SmsConnector> = async ({ getConfig }) => ({
  metadata: defaultMetadata,
  type: ConnectorType.Sms,
  configGuard: twilioSmsConfigGuard,
  // The console's Test passes the unsaved config as the second argument: its errors are for the
  // admin, and velocity limits skip it. Without it, this is a live sign-in, and the person signing
  // in reads the error.
  sendMessage: async (data, inputConfig) =>
    inputConfig === undefined
      ? sendSms(await getConfig(connectorId), data, { audience: 'end-user' })
      : sendSms(inputConfig, data, { audience: 'console', test: true }),
  getUsage: async (startFrom) => countSmsUsage(await getConfig(connectorId), startFrom),
});

export default createTwilioSmsConnector;

export {
  authTypes,
  connectorId,
  defaultMetadata,
  defaultTemplates,
  phoneValidations,
  requiredTemplateUsageTypes,
  senderTypes,
} from './constant.js';
export {
  type ConfigIssue,
  type ConfigIssueKind,
  type Template,
  type TwilioSmsConfig,
  type TwilioSmsConfigInput,
} from './types.js';
export { formatPath, twilioSmsConfigGuard } from './config.js';
export { authenticationOf, configKeys, isUnset, templateKeys } from './config-keys.js';
export { checkConfig } from './config-check.js';
export { configSecrets } from './config-secrets.js';
export { parseConfig } from './parsed-config.js';
// The one definition of each object check, for the sandbox and the CLI.
export { isNonArrayObject, isObjectLike } from './objects.js';
export { type PhoneValidation, compactPhoneNumber, toE164 } from './phone.js';
export { sidPattern } from './sid.js';
export { parseBaseUrl } from './http-url.js';
export { isLanguageTag } from './language-tag.js';
export { type SenderCheck, type SenderKind, checkSender, isValidSender, senderDescription, senderPatterns } from './sender-id.js';
export * from './guard/index.js';
export { type SegmentInfo, type SmsEncoding, countSegments, maxBodyCharacters } from './segments.js';
export { type SendOptions, type SentSms, type SmsMessage, countSmsUsage, previewMessage, sendSms } from './sender.js';
export { type ErrorAudience, endUserSentences } from './error-audience.js';
export {
  type MessagePreview,
  type TemplateChoice,
  hasCodePlaceholder,
  longestRendering,
  renderTemplate,
  selectTemplate,
} from './templates.js';
// For callers outside Logto: the error class every failure is an instance of.
export { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
export { resolveBaseUrl } from './twilio/client.js';
// What the CLI and the sandbox show and send, defined once.
export { randomCode, sampleCode } from './codes.js';
export { createRedactor, redactionMark } from './redaction.js';
export { type SandboxConnection, sandboxConnectorConfig, sandboxRecipient, sandboxSender } from './sandbox-config.js';
export { type SentMessageJson, sentMessageJson } from './sent-message.js';
export { type TemplatePreview, previewConfigTemplates } from './template-previews.js';
export { logtoUsageTypes } from './usage-types.js';
export { connectorErrorMessage } from './error-message.js';
