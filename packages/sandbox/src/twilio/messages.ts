/**
 * `/2010-04-01/Accounts/{AccountSid}/Messages…`: create, list, fetch, update (redact/cancel),
 * delete, the Media subresource (the message's MediaUrls) and Feedback. Every route authenticates
 * first and only ever sees the authenticated account's messages.
 *
 * @doc https://www.twilio.com/docs/messaging/api/message-resource
 * @module
 */
import { setTimeout as delay } from 'node:timers/promises';

import type { FaultRule } from './faults.js';
import type { SandboxContext } from '../context.js';
import { HttpError } from '../http/errors.js';
import type { Reply, Route, SandboxRequest } from '../http/router.js';
import { completeStatuses } from '../storage/statuses.js';
import type { MessageFilter, MessageRecord, PageCursor } from '../storage/store.js';
import { requireAccount } from './auth.js';
import { twilioErrors } from './errors.js';
import { decodeUtf8, FormParams, isFormContentType, parseForm } from './form.js';
import { apiPrefix, guessContentType, pageEnvelope, parsePaging, rfc2822, toTwilioMedia, toTwilioMessage } from './resource.js';
import { newSid, sidPatterns } from './sids.js';
import { validateCreate } from './validation.js';

const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
  status,
  json: body,
  headers,
});

/** Reads a Twilio form body; a body of another content type yields no parameters, as on Twilio. */
async function readForm(request: SandboxRequest): Promise<FormParams> {
  const body = await request.body();
  if (!isFormContentType(request.headers['content-type'])) {
    return new FormParams();
  }
  return parseForm(decodeUtf8(body));
}

/** The message named in the path, if it exists and belongs to the account; else 404 / 20404. */
function findMessage(request: SandboxRequest, context: SandboxContext, accountSid: string): MessageRecord {
  const { sid } = request.params;
  const record = sid !== undefined && sidPatterns.message.test(sid) ? context.store.getForAccount(accountSid, sid) : undefined;
  if (!record) {
    throw twilioErrors.notFound(request.path);
  }
  return record;
}

function faultError(fault: FaultRule): HttpError {
  const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
  return new HttpError(fault.status!, fault.message!, { code: fault.code!, headers });
}

async function createMessage(request: SandboxRequest, context: SandboxContext): Promise<Reply | undefined> {
  // Read the body before answering anything, so even an early 401 leaves the connection usable.
  await request.body();
  const account = requireAccount(request, context);
  const fault = context.faults.take();
  if (fault?.delayMs) {
    try {
      // Canceled when the client goes away or the sandbox closes.
      await delay(fault.delayMs, undefined, { signal: request.signal });
    } catch (error) {
      if (request.signal.aborted) {
        return undefined;
      }
      throw error;
    }
  }
  if (fault?.status !== undefined && !fault.afterStore) {
    throw faultError(fault);
  }
  const now = Date.now();
  const input = validateCreate(await readForm(request), now);
  const viaService = input.messagingServiceSid !== null;
  const media = input.mediaUrls.map((url) => ({ sid: newSid('ME'), url, contentType: guessContentType(url) }));
  const record = await context.store.enqueue(
    {
      sid: newSid(media.length > 0 ? 'MM' : 'SM'),
      accountSid: account.accountSid,
      messagingServiceSid: input.messagingServiceSid,
      to: input.to,
      from: input.from,
      body: input.body,
      status: input.sendAt !== null ? 'scheduled' : viaService ? 'accepted' : 'queued',
      // A service reports 0 segments until it has picked a sender.
      numSegments: viaService ? 0 : input.segments,
      segments: input.segments,
      encoding: input.encoding,
      numMedia: media.length,
      price: null,
      errorCode: null,
      errorMessage: null,
      statusCallback: input.statusCallback,
      validityPeriod: input.validityPeriod,
      sendAt: input.sendAt,
      dateCreated: now,
      dateUpdated: now,
      dateSent: null,
    },
    media
  );
  context.lifecycle.track(record);
  if (fault?.afterStore) {
    // Twilio's "5xx after commit": the message exists, but the client is told it failed.
    throw faultError(fault);
  }
  return json(201, toTwilioMessage(record));
}

const day = 86_400_000;

// `YYYY-MM-DD`, optionally followed by a time and a zone, as the SDKs send them
// (twilio-node 6.x: `DateSent=2026-11-26T00:00:00Z`).
const dateFilterPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * The GMT day a `DateSent` filter names, as the start of that day in ms. Twilio filters by whole
 * days: a date-time is reduced to its GMT date (without a zone it is read as GMT).
 */
function parseDateFilter(name: string, value: string): number {
  const match = dateFilterPattern.exec(value);
  const invalid = () =>
    twilioErrors.invalidParameter(name, 'a GMT date in YYYY-MM-DD format (a date-time counts as its GMT date)');
  if (!match) {
    throw invalid();
  }
  const [, year, month, date, hours = '00', minutes = '00', seconds = '00', zone = 'Z'] = match;
  const dayStart = new Date(0);
  dayStart.setUTCFullYear(Number(year), Number(month) - 1, Number(date));
  const dayMs = dayStart.getTime();
  if (
    dayStart.getUTCMonth() !== Number(month) - 1 ||
    dayStart.getUTCDate() !== Number(date) ||
    Number(hours) > 23 ||
    Number(minutes) > 59 ||
    Number(seconds) > 59
  ) {
    throw invalid();
  }
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const instant = dayMs + ((Number(hours) * 60 + Number(minutes) - offsetMinutes) * 60 + Number(seconds)) * 1000;
  return Math.floor(instant / day) * day;
}

function listMessages(request: SandboxRequest, context: SandboxContext): Reply {
  const account = requireAccount(request, context);
  const query = parseForm(request.query);
  const { pageSize, page } = parsePaging(query);

  const filter: MessageFilter = {};
  const echoed: Array<[string, string]> = [];
  for (const name of ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>'] as const) {
    const value = query.get(name);
    if (value === undefined) {
      continue;
    }
    echoed.push([name, value]);
    if (name === 'To') filter.to = value;
    if (name === 'From') filter.from = value;
    if (name.startsWith('DateSent')) {
      // `DateSent` is that day, `DateSent<` on or before it, `DateSent>` on or after it.
      const start = parseDateFilter(name, value);
      const end = start + day;
      if (name !== 'DateSent<') filter.dateSentFrom = Math.max(filter.dateSentFrom ?? start, start);
      if (name !== 'DateSent>') filter.dateSentBefore = Math.min(filter.dateSentBefore ?? end, end);
    }
  }

  const pageToken = query.get('PageToken');
  let cursor: PageCursor = { kind: 'offset', offset: page * pageSize };
  if (pageToken !== undefined) {
    // "PA" or "PB" (after or before) and the SID of the message the page turns at.
    const direction = pageToken.slice(0, 2);
    const sid = pageToken.slice(2);
    if ((direction !== 'PA' && direction !== 'PB') || !sidPatterns.message.test(sid)) {
      throw twilioErrors.invalidParameter('PageToken', 'a token from a next_page_uri or previous_page_uri');
    }
    const seq = context.store.seqOf(sid);
    // A token whose message was deleted meanwhile falls back to the page offset.
    if (seq !== undefined) {
      cursor = direction === 'PA' ? { kind: 'before', seq } : { kind: 'after', seq };
    }
  }

  let rows: MessageRecord[];
  let hasNext: boolean;
  if (cursor.kind === 'after') {
    rows = context.store.list(account.accountSid, filter, cursor, pageSize);
    const last = rows.at(-1);
    hasNext =
      last !== undefined && context.store.list(account.accountSid, filter, { kind: 'before', seq: last.seq }, 1).length > 0;
  } else {
    rows = context.store.list(account.accountSid, filter, cursor, pageSize + 1);
    hasNext = rows.length > pageSize;
    rows = rows.slice(0, pageSize);
  }

  const envelope = pageEnvelope({
    path: `${apiPrefix}/${account.accountSid}/Messages.json`,
    filters: echoed,
    pageSize,
    page,
    count: rows.length,
    hasNext: hasNext && rows.length > 0,
    pageToken,
    nextPageToken: rows.length > 0 ? `PA${rows.at(-1)!.sid}` : undefined,
    previousPageToken: rows.length > 0 ? `PB${rows[0]!.sid}` : undefined,
  });
  return json(200, { messages: rows.map(toTwilioMessage), ...envelope });
}

function fetchMessage(request: SandboxRequest, context: SandboxContext): Reply {
  const account = requireAccount(request, context);
  return json(200, toTwilioMessage(findMessage(request, context, account.accountSid)));
}

async function updateMessage(request: SandboxRequest, context: SandboxContext): Promise<Reply> {
  await request.body();
  const account = requireAccount(request, context);
  const record = findMessage(request, context, account.accountSid);
  const params = await readForm(request);
  const body = params.get('Body');
  const status = params.get('Status');
  if ((body === undefined) === (status === undefined)) {
    throw twilioErrors.updateInvalid("Exactly one of 'Body' (to redact) or 'Status' (to cancel) is required.");
  }
  const now = Date.now();
  if (body !== undefined) {
    if (body !== '') {
      throw twilioErrors.updateInvalid("'Body' can only be set to an empty string, to redact the message.");
    }
    const updated = context.store.update(record.sid, null, { body: '', dateUpdated: now });
    return json(200, toTwilioMessage(updated ?? record));
  }
  if (status !== 'canceled') {
    throw twilioErrors.updateInvalid("'Status' can only be set to 'canceled'.");
  }
  const updated = context.store.update(record.sid, 'scheduled', { status: 'canceled', dateUpdated: now });
  if (!updated) {
    throw twilioErrors.cannotCancel();
  }
  // The store's `status` event stops the message's timer and sends its StatusCallback.
  return json(200, toTwilioMessage(updated));
}

function deleteMessage(request: SandboxRequest, context: SandboxContext): Reply {
  const account = requireAccount(request, context);
  const record = findMessage(request, context, account.accountSid);
  if (!completeStatuses.has(record.status)) {
    throw twilioErrors.cannotDelete();
  }
  context.store.delete(record.sid, account.accountSid);
  return { status: 204 };
}

/** The MediaUrls of the message as Media resources (one page: there are at most 10). */
function listMedia(request: SandboxRequest, context: SandboxContext): Reply {
  const account = requireAccount(request, context);
  const record = findMessage(request, context, account.accountSid);
  const { pageSize, page } = parsePaging(parseForm(request.query));
  const media = context.store.mediaOf(account.accountSid, record.sid).map((item) => toTwilioMedia(record, item));
  const start = page * pageSize;
  const items = media.slice(start, start + pageSize);
  const envelope = pageEnvelope({
    path: `${apiPrefix}/${account.accountSid}/Messages/${record.sid}/Media.json`,
    pageSize,
    page,
    count: items.length,
    hasNext: media.length > start + pageSize,
  });
  return json(200, { media_list: items, ...envelope });
}

function fetchMedia(request: SandboxRequest, context: SandboxContext): Reply {
  const account = requireAccount(request, context);
  const record = findMessage(request, context, account.accountSid);
  const media = context.store.mediaOf(account.accountSid, record.sid).find((item) => item.sid === request.params.mediaSid);
  if (!media) {
    throw twilioErrors.notFound(request.path);
  }
  return json(200, toTwilioMedia(record, media));
}

/**
 * Message Feedback (`Outcome=confirmed|unconfirmed`, default confirmed): answered as Twilio
 * does (201), and not kept. Feedback only matters to Twilio's delivery analytics.
 */
async function createFeedback(request: SandboxRequest, context: SandboxContext): Promise<Reply> {
  await request.body();
  const account = requireAccount(request, context);
  const record = findMessage(request, context, account.accountSid);
  const outcome = (await readForm(request)).get('Outcome') || 'confirmed';
  if (outcome !== 'confirmed' && outcome !== 'unconfirmed') {
    throw twilioErrors.invalidFeedbackOutcome();
  }
  const now = rfc2822(Date.now());
  return json(201, {
    account_sid: account.accountSid,
    message_sid: record.sid,
    outcome,
    date_created: now,
    date_updated: now,
    uri: `${apiPrefix}/${account.accountSid}/Messages/${record.sid}/Feedback.json`,
  });
}

export const messageRoutes: Route[] = [
  { method: 'POST', path: '/2010-04-01/Accounts/:accountSid/Messages.json', handler: createMessage },
  { method: 'GET', path: '/2010-04-01/Accounts/:accountSid/Messages.json', handler: listMessages },
  { method: 'GET', path: '/2010-04-01/Accounts/:accountSid/Messages/:sid.json', handler: fetchMessage },
  { method: 'POST', path: '/2010-04-01/Accounts/:accountSid/Messages/:sid.json', handler: updateMessage },
  { method: 'DELETE', path: '/2010-04-01/Accounts/:accountSid/Messages/:sid.json', handler: deleteMessage },
  { method: 'GET', path: '/2010-04-01/Accounts/:accountSid/Messages/:sid/Media.json', handler: listMedia },
  { method: 'GET', path: '/2010-04-01/Accounts/:accountSid/Messages/:sid/Media/:mediaSid.json', handler: fetchMedia },
  { method: 'POST', path: '/2010-04-01/Accounts/:accountSid/Messages/:sid/Feedback.json', handler: createFeedback },
];
