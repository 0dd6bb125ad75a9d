/**
 * The inbox's view of a message (`InboxMessage`), shared by `/api/messages`, `/api/events` and the
 * web inbox: camelCase, ISO 8601 dates, and the verification code found in the body.
 *
 * @module
 */
import { compactPhoneNumber } from '@smsdesk/connector-twilio-sms';

import type { MessageRecord, MessageStatus, SmsEncoding } from '../storage/store.js';
import { detectCode } from './verification-code.js';

export type InboxMessage = {
  sid: string;
  accountSid: string;
  to: string;
  /** The sender; a Messaging Service SID until the service has picked a number. */
  from: string;
  messagingServiceSid: string | null;
  body: string;
  status: MessageStatus;
  errorCode: number | null;
  /** What `errorCode` means, as the Twilio API's `error_message` says it (the inbox shows it). */
  errorMessage: string | null;
  /** As the Twilio API shows it (0 while a Messaging Service has not picked a sender). */
  numSegments: number;
  encoding: SmsEncoding;
  /** Billable segments of the body. */
  segments: number;
  /** The verification code in the body, or null when none is certain (see verification-code.ts). */
  code: string | null;
  /** Where `code` starts in `body` (a UTF-16 index), so the inbox highlights that occurrence only. */
  codeIndex: number | null;
  dateCreated: string;
  dateUpdated: string;
};

export function toInboxMessage(record: MessageRecord): InboxMessage {
  const code = detectCode(record.body);
  return {
    sid: record.sid,
    accountSid: record.accountSid,
    to: record.to,
    from: record.from ?? record.messagingServiceSid ?? '',
    messagingServiceSid: record.messagingServiceSid,
    body: record.body,
    status: record.status,
    errorCode: record.errorCode,
    errorMessage: record.errorMessage,
    numSegments: record.numSegments,
    encoding: record.encoding,
    segments: record.segments,
    code: code?.value ?? null,
    codeIndex: code?.index ?? null,
    dateCreated: new Date(record.dateCreated).toISOString(),
    dateUpdated: new Date(record.dateUpdated).toISOString(),
  };
}

/**
 * `+15551234567`, `15551234567`, `0015551234567` and ` +1 (555) 123.4567 ` all name the same number,
 * compacted as the connector compacts a number it sends to (its compactPhoneNumber). What is no
 * number then (stored To numbers are E.164, so it matches none) is only trimmed.
 */
export function normalizePhone(value: string): string {
  const { international } = compactPhoneNumber(value);
  return /^\+\d+$/.test(international) ? international : value.trim();
}
