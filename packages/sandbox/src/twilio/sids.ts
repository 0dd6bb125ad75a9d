/**
 * Twilio SIDs: a two-letter prefix and 32 lowercase hex digits, from a pooled CSPRNG buffer so the
 * create path does not pay for a `randomBytes` call per message.
 *
 * @doc https://www.twilio.com/docs/glossary/what-is-a-sid
 * @module
 */
import { randomBytes } from 'node:crypto';

import { senderPatterns, sidPattern } from '@smsdesk/connector-twilio-sms';

export const sidPatterns = {
  account: sidPattern('AC'),
  message: sidPattern('SM', 'MM'),
  // A sender too: the connector's sender grammar holds its pattern.
  messagingService: senderPatterns.messagingService,
  apiKey: sidPattern('SK'),
  content: sidPattern('HX'),
} as const;

const poolSize = 16 * 256;
let pool = randomBytes(poolSize);
let offset = 0;

/** A new SID with the given prefix, e.g. `newSid('SM')`. */
export function newSid(prefix: string): string {
  if (offset + 16 > poolSize) {
    pool = randomBytes(poolSize);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + 16);
  offset += 16;
  return prefix + hex;
}

/** A random secret of 32 hex characters, the shape of a Twilio auth token or API key secret. */
export function newSecret(): string {
  return randomBytes(16).toString('hex');
}
