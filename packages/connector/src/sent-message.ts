/**
 * A sent message as JSON: what `smsdesk send --json` prints and the sandbox console answers.
 *
 * @module
 */
import type { SentSms } from './sender.js';

/** {@link SentSms} flattened for JSON: its segment count, encoding and length beside its ids. */
export type SentMessageJson = Pick<SentSms, 'sid' | 'status' | 'to' | 'from' | 'messagingServiceSid' | 'template'> &
  Pick<SentSms['segments'], 'encoding' | 'characters'> & { segments: number };

/** The fields of a sent message a caller reports (never the body, which holds the code). */
export const sentMessageJson = (sent: SentSms): SentMessageJson => ({
  sid: sent.sid,
  status: sent.status,
  to: sent.to,
  from: sent.from,
  messagingServiceSid: sent.messagingServiceSid,
  segments: sent.segments.segments,
  encoding: sent.segments.encoding,
  characters: sent.segments.characters,
  template: sent.template,
});
