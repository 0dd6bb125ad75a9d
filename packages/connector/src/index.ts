/**
 * Logto SMS connector for Twilio's Messages API: a drop-in replacement for
 * `@logto/connector-twilio-sms` (same id, same config keys).
 *
 * Logto imports this file and calls the default export. The named exports serve everyone else:
 * send with a plain config, check a config, preview a message, count segments.
 *
 * @module
 */
import {
  ConnectorType,
  type CreateConnector,
  type SmsConnector,
} from '@logto/connector-kit';

import { connectorId, defaultMetadata } from './constant.js';
import { twilioSmsConfigGuard } from './config.js';
import { countSmsUsage, sendSms } from './sender.js';

const createTwilioSmsConnector: CreateConnector<SmsConnector> = async ({ getConfig }) => ({
  metadata: defaultMetadata,
  type: ConnectorType.Sms,
  configGuard: twilioSmsConfigGuard,
  // The console's "Send" test passes the unsaved config as the second argument.
  sendMessage: async (data, inputConfig) =>
    inputConfig === undefined
      ? sendSms(await getConfig(connectorId), data)
      : sendSms(inputConfig, data, { test: true }),
  getUsage: async (startFrom) => countSmsUsage(await getConfig(connectorId), startFrom),
});

export default createTwilioSmsConnector;

export { connectorId, defaultMetadata, defaultTemplates, requiredTemplateUsageTypes } from './constant.js';
export {
  type ConfigIssue,
  type Template,
  type TwilioSmsConfig,
  type TwilioSmsConfigInput,
  checkConfig,
  configKeys,
  configSecrets,
  formatPath,
  parseConfig,
  twilioSmsConfigGuard,
} from './config.js';
export { toE164 } from './phone.js';
export * from './guard/index.js';
export { type SegmentInfo, type SmsEncoding, countSegments, maxBodyCharacters } from './segments.js';
export { type SendOptions, type SentSms, type SmsMessage, countSmsUsage, previewMessage, sendSms } from './sender.js';
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
