/**
 * The connector config to paste into Logto for a Twilio-compatible server such as the sandbox:
 * what `smsdesk sandbox` and `smsdesk start` print and the sandbox's web console starts from.
 *
 * @module
 */
import { defaultMetadata } from './constant.js';

/**
 * The sender of that config: Twilio's test number, a valid From even with test credentials, and the
 * number the sandbox sends from when a Messaging Service picks.
 */
export const sandboxSender = '+15005550006';

/** A number demo codes go to: valid E.164 (a fictional 555-01xx number), and none of the sandbox's magic numbers. */
export const sandboxRecipient = '+14155550100';

export type SandboxConnection = {
  /** The server's base URL, such as http://127.0.0.1:4010. */
  url: string;
  accountSid: string;
  /** Left out when it must not be shown (a configured account's token may be a real one). */
  authToken?: string;
};

/**
 * A working config in the order of Logto's form, its long templates last (so the account, the
 * sender and `baseUrl` open it): the form's defaults, the account with Auth Token authentication,
 * {@link sandboxSender} as From, and the server as `baseUrl`, with the advanced fields shown so the
 * form shows where messages go. Without `authToken` the config says so when checked.
 *
 * @example
 * sandboxConnectorConfig({ url: 'http://127.0.0.1:4010', accountSid: 'AC…', authToken: '…' });
 * // { accountSID: 'AC…', authType: 'authToken', authToken: '…', senderType: 'from', from: '+15005550006', advanced: true, baseUrl: 'http://127.0.0.1:4010', …, templates: […] }
 */
export function sandboxConnectorConfig({ url, accountSid, authToken }: SandboxConnection): Record<string, unknown> {
  const chosen: Record<string, unknown> = {
    accountSID: accountSid,
    authType: 'authToken',
    authToken,
    senderType: 'from',
    from: sandboxSender,
    advanced: true,
    baseUrl: url,
  };
  const config: Record<string, unknown> = {};
  for (const { key, defaultValue } of defaultMetadata.formItems ?? []) {
    const value = Object.hasOwn(chosen, key) ? chosen[key] : defaultValue;
    if (value !== undefined && !Object.hasOwn(config, key)) {
      config[key] = structuredClone(value);
    }
  }
  const { templates, ...rest } = config;
  return { ...rest, templates };
}
