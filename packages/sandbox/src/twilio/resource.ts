/**
 * Stored records rendered as Twilio resources: the Message JSON (snake_case, numbers as strings,
 * RFC 2822 dates) and the list envelope shared by Messages and Usage Records.
 *
 * @doc https://www.twilio.com/docs/messaging/api/message-resource
 * @module
 */
import type { MessageRecord, MessageStatus } from '../store.js';

export const apiVersion = '2010-04-01';
export const apiPrefix = `/${apiVersion}/Accounts`;

/** The Message resource exactly as Twilio sends it (keys in Twilio's order). */
export type TwilioMessage = {
  account_sid: string;
  api_version: string;
  body: string;
  date_created: string;
  date_sent: string | null;
  date_updated: string;
  direction: 'outbound-api';
  error_code: number | null;
  error_message: string | null;
  from: string | null;
  messaging_service_sid: string | null;
  num_media: string;
  num_segments: string;
  price: string | null;
  price_unit: string;
  sid: string;
  status: MessageStatus;
  subresource_uris: { media: string; feedback: string };
  to: string;
  uri: string;
};

// Formatting a date costs more than the rest of the resource; most dates share the current second.
let cachedSecond = Number.NaN;
let cachedText = '';

/** RFC 2822 in GMT, as Twilio writes dates: `Thu, 24 Aug 2023 05:01:45 +0000`. */
export function rfc2822(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedText = new Date(second * 1000).toUTCString().replace('GMT', '+0000');
    cachedSecond = second;
  }
  return cachedText;
}

export function messageUri(accountSid: string, sid: string): string {
  return `${apiPrefix}/${accountSid}/Messages/${sid}.json`;
}

export function toTwilioMessage(record: MessageRecord): TwilioMessage {
  const base = `${apiPrefix}/${record.accountSid}/Messages/${record.sid}`;
  return {
    account_sid: record.accountSid,
    api_version: apiVersion,
    body: record.body,
    date_created: rfc2822(record.dateCreated),
    date_sent: record.dateSent === null ? null : rfc2822(record.dateSent),
    date_updated: rfc2822(record.dateUpdated),
    direction: 'outbound-api',
    error_code: record.errorCode,
    error_message: record.errorMessage,
    from: record.from,
    messaging_service_sid: record.messagingServiceSid,
    num_media: String(record.numMedia),
    num_segments: String(record.numSegments),
    price: record.price,
    price_unit: 'USD',
    sid: record.sid,
    status: record.status,
    subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
    to: record.to,
    uri: `${base}.json`,
  };
}

/** Twilio's paging fields; the array itself sits beside them under a resource-specific key. */
export type PageEnvelope = {
  page: number;
  page_size: number;
  start: number;
  end: number;
  uri: string;
  first_page_uri: string;
  next_page_uri: string | null;
  previous_page_uri: string | null;
};

/** Builds a list URI with the filters echoed first, then `PageSize`, `Page` and `PageToken`. */
export function pageUri(
  path: string,
  filters: Array<[string, string]>,
  pageSize: number,
  page: number,
  pageToken?: string
): string {
  const query = new URLSearchParams(filters);
  query.set('PageSize', String(pageSize));
  query.set('Page', String(page));
  if (pageToken !== undefined) {
    query.set('PageToken', pageToken);
  }
  return `${path}?${query.toString()}`;
}

export const pageSizeLimits = { default: 50, max: 1000 } as const;
