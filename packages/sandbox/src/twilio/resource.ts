/**
 * Stored records rendered as Twilio resources: the Message JSON (snake_case, numbers as strings,
 * RFC 2822 dates) and the list envelope shared by Messages and Usage Records.
 *
 * @doc https://www.twilio.com/docs/messaging/api/message-resource
 * @module
 */
import { parseInteger } from '../http/parse-integer.js';
import type { MessageRecord, MessageStatus, StoredMedia } from '../storage/store.js';
import { twilioErrors } from './errors.js';
import type { FormParams } from './form.js';

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

/** A Media resource: one MediaUrl of a message (the sandbox never fetches its content). */
export type TwilioMedia = {
  account_sid: string;
  content_type: string;
  date_created: string;
  date_updated: string;
  parent_sid: string;
  sid: string;
  uri: string;
};

export function toTwilioMedia(record: MessageRecord, media: StoredMedia): TwilioMedia {
  return {
    account_sid: record.accountSid,
    content_type: media.contentType,
    date_created: rfc2822(record.dateCreated),
    date_updated: rfc2822(record.dateCreated),
    parent_sid: record.sid,
    sid: media.sid,
    uri: `${apiPrefix}/${record.accountSid}/Messages/${record.sid}/Media/${media.sid}.json`,
  };
}

const mediaTypes: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  pdf: 'application/pdf',
  vcf: 'text/vcard',
  txt: 'text/plain',
  csv: 'text/csv',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  amr: 'audio/amr',
  mp4: 'video/mp4',
  '3gp': 'video/3gpp',
};

/**
 * A MediaUrl's content type, guessed from the extension of its path (Twilio reads it from the
 * fetched content, which the sandbox never fetches); `application/octet-stream` when unknown.
 */
export function guessContentType(url: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return (extension && mediaTypes[extension]) || 'application/octet-stream';
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
function pageUri(
  path: string,
  filters: ReadonlyArray<[string, string]>,
  pageSize: number,
  page: number,
  pageToken?: string
): string {
  const query = new URLSearchParams(filters as Array<[string, string]>);
  query.set('PageSize', String(pageSize));
  query.set('Page', String(page));
  if (pageToken !== undefined) {
    query.set('PageToken', pageToken);
  }
  return `${path}?${query.toString()}`;
}

export type PageOptions = {
  /** The list's path, e.g. `/2010-04-01/Accounts/AC…/Messages.json`. */
  path: string;
  /** Filters as the request gave them; echoed in every URI. */
  filters?: ReadonlyArray<[string, string]>;
  pageSize: number;
  page: number;
  /** Items on this page. */
  count: number;
  hasNext: boolean;
  /** The request's PageToken, echoed in `uri`. */
  pageToken?: string;
  nextPageToken?: string;
  previousPageToken?: string;
};

/**
 * The paging fields of every list (Messages, Media, Usage Records). `start`/`end` are the 0-based
 * indices of the first and last item; an empty page has `end` 0.
 */
export function pageEnvelope(options: PageOptions): PageEnvelope {
  const { path, filters = [], pageSize, page, count } = options;
  const start = page * pageSize;
  return {
    page,
    page_size: pageSize,
    start,
    end: count > 0 ? start + count - 1 : 0,
    uri: pageUri(path, filters, pageSize, page, options.pageToken),
    first_page_uri: pageUri(path, filters, pageSize, 0),
    next_page_uri: options.hasNext ? pageUri(path, filters, pageSize, page + 1, options.nextPageToken) : null,
    previous_page_uri: page > 0 ? pageUri(path, filters, pageSize, page - 1, options.previousPageToken) : null,
  };
}

const pageSizeLimits = { default: 50, max: 1000 } as const;

/** `Page × PageSize` beyond this is refused: no sandbox holds that many records. */
const maxPageOffset = 1_000_000_000;

/** `PageSize` (1–1000, default 50) and `Page` (≥ 0, default 0), digits only; else 400. */
export function parsePaging(query: FormParams): { pageSize: number; page: number } {
  const pageSizeParam = query.get('PageSize');
  const pageParam = query.get('Page');
  const pageSize = pageSizeParam === undefined ? pageSizeLimits.default : parseInteger(pageSizeParam, 1, pageSizeLimits.max);
  if (pageSize === undefined) {
    throw twilioErrors.invalidParameter('PageSize', `an integer from 1 to ${pageSizeLimits.max}`);
  }
  const page = pageParam === undefined ? 0 : parseInteger(pageParam, 0, Math.floor(maxPageOffset / pageSize));
  if (page === undefined) {
    throw twilioErrors.invalidParameter(
      'Page',
      `a non-negative integer with Page × PageSize at most ${maxPageOffset.toLocaleString('en-US')}`
    );
  }
  return { pageSize, page };
}
