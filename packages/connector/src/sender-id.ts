/**
 * Who an SMS is from: the one definition of a sender that the connector's config, the sandbox and
 * the CLI all use, so a sender one of them accepts is never refused by another.
 *
 * @doc https://www.twilio.com/docs/messaging/api/message-resource#request-body-parameters
 * @doc https://help.twilio.com/articles/223133767-International-support-for-Alphanumeric-Sender-ID
 * @module
 */
import { sidPattern } from './sid.js';

export type SenderKind = 'phoneNumber' | 'shortCode' | 'alphanumeric' | 'messagingService';

export type SenderCheck =
  | { ok: true; kind: SenderKind }
  /** `channel`: set for an address on another channel (`whatsapp`), which SMS cannot use. */
  | { ok: false; reason: string; channel?: string };

export const senderPatterns: Readonly<Record<SenderKind, RegExp>> = {
  /** E.164: "+", a country code that does not start with 0, at most 15 digits. */
  phoneNumber: /^\+[1-9]\d{1,14}$/,
  /** Short codes are 3 to 8 digits, depending on the country. */
  shortCode: /^\d{3,8}$/,
  /** Up to 11 of A–Z a–z 0–9, space, + - _ &, with at least one letter. */
  alphanumeric: /^(?=[^]*[A-Za-z])[A-Za-z\d +_&-]{1,11}$/,
  /** A Messaging Service SID (Twilio takes one in From as well). */
  messagingService: sidPattern('MG'),
};

/** What a sender may be, for messages that tell someone how to fix one. */
export const senderDescription =
  'an E.164 phone number (+15005550006), a short code (3 to 8 digits), an alphanumeric sender ID (up to 11 letters, digits, spaces or + - _ &, with at least one letter) or a Messaging Service SID (MG…)';

// `whatsapp:+1…`, `messenger:…`, `rcs:…`: Twilio's addresses on other channels.
const channelPrefix = /^([A-Za-z][\dA-Za-z-]*):/;

/**
 * Whether `value` (already trimmed) is a sender Twilio accepts for an SMS, and which kind.
 *
 * @example
 * checkSender('ACME-Bank'); // { ok: true, kind: 'alphanumeric' }
 * checkSender('whatsapp:+15005550006'); // { ok: false, reason: 'WhatsApp is not supported, only SMS: …' }
 */
export function checkSender(value: string): SenderCheck {
  for (const kind of Object.keys(senderPatterns) as SenderKind[]) {
    if (senderPatterns[kind].test(value)) {
      return { ok: true, kind };
    }
  }

  const channel = channelPrefix.exec(value)?.[1]?.toLowerCase();
  if (channel === 'whatsapp') {
    return {
      ok: false,
      reason: 'WhatsApp is not supported, only SMS: use an SMS sender without the "whatsapp:" prefix',
      channel,
    };
  }
  if (channel) {
    return {
      ok: false,
      reason: `The ${channel} channel is not supported, only SMS: use an SMS sender without the "${channel}:" prefix`,
      channel,
    };
  }
  return { ok: false, reason: `The sender must be ${senderDescription}` };
}

/** True when `value` is a sender Twilio accepts for an SMS. */
export const isValidSender = (value: string) => checkSender(value).ok;
