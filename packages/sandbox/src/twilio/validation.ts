/**
 * The create request, validated once at the edge in a fixed order (Twilio's real order is
 * undocumented): To → sender → content → length → number formats → magic numbers → options →
 * scheduling. The first failure wins; what passes is a typed {@link CreateMessageInput}.
 *
 * @module
 */
import { checkSender, countSegments, maxBodyCharacters, senderPatterns } from '@smsdesk/connector-twilio-sms';
import { isValidPhoneNumber } from 'libphonenumber-js';

import { parseInteger } from '../http/parse-integer.js';
import { twilioErrors } from './errors.js';
import type { FormParams } from './form.js';
import { magicFromError, magicToError } from './magic.js';
import { sidPatterns } from './sids.js';
import { smartEncode } from './smart-encoding.js';

export type CreateMessageInput = {
  to: string;
  /** Null when a Messaging Service will pick the sender. */
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  /** Absolute http(s) URLs, in the order given (at most 10). */
  mediaUrls: string[];
  statusCallback: string | null;
  validityPeriod: number | null;
  /** Set for `ScheduleType=fixed` sends. */
  sendAt: number | null;
};

/** E.164, the connector's rule for a phone number sender. */
const e164 = senderPatterns.phoneNumber;

const maxMediaUrls = 10;
/** SendAt must be this far ahead (Twilio: 300 s to 35 days). */
const sendAtWindow = { min: 300_000, max: 35 * 86_400_000 } as const;

// libphonenumber's validation costs ~30 µs; a load test sends to few distinct numbers.
const validityCache = new Map<string, boolean>();
function isValidNumber(number: string): boolean {
  let valid = validityCache.get(number);
  if (valid === undefined) {
    valid = e164.test(number) && isValidPhoneNumber(number);
    if (validityCache.size >= 10_000) {
      validityCache.clear();
    }
    validityCache.set(number, valid);
  }
  return valid;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A StatusCallback Twilio would accept: absolute http(s) URL whose hostname has no underscore. */
function isValidCallbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && !url.hostname.includes('_');
  } catch {
    return false;
  }
}

const isTrue = (value: string | undefined) => value?.toLowerCase() === 'true';

/** From and MessagingServiceSid: at least one, a service SID well formed, and one passed in From moved to its place. */
function senderOf(params: FormParams): { from: string | null; messagingServiceSid: string | null } {
  let from = params.get('From')?.trim() || null;
  let messagingServiceSid = params.get('MessagingServiceSid')?.trim() || null;
  if (from === null && messagingServiceSid === null) {
    throw twilioErrors.senderRequired();
  }
  if (messagingServiceSid !== null && !sidPatterns.messagingService.test(messagingServiceSid)) {
    throw twilioErrors.invalidServiceSid(messagingServiceSid);
  }
  // A Messaging Service SID may be passed in From (34 characters can't be an alphanumeric sender).
  if (from !== null && from.startsWith('MG') && from.length === 34) {
    if (!sidPatterns.messagingService.test(from)) {
      throw twilioErrors.invalidServiceSid(from);
    }
    messagingServiceSid ??= from;
    from = null;
  }
  return { from, messagingServiceSid };
}

/** MediaUrl, ContentSid and RiskCheck, which the sandbox checks but does not act on. */
function checkMediaAndContent(params: FormParams, mediaUrls: string[], contentSid: string | null): void {
  if (mediaUrls.length > maxMediaUrls) {
    throw twilioErrors.tooManyMedia();
  }
  if (!mediaUrls.every(isHttpUrl)) {
    throw twilioErrors.invalidMediaUrl();
  }
  if (contentSid !== null && !sidPatterns.content.test(contentSid)) {
    throw twilioErrors.invalidParameter('ContentSid', 'a Content SID (HX followed by 32 hex digits)');
  }
  const riskCheck = params.get('RiskCheck');
  if (riskCheck !== undefined && riskCheck !== 'enable' && riskCheck !== 'disable') {
    throw twilioErrors.invalidParameter('RiskCheck', "'enable' or 'disable'");
  }
}

/** ValidityPeriod in seconds (1 to 36,000), or null when not given. */
function validityPeriodOf(params: FormParams): number | null {
  const validityParam = params.get('ValidityPeriod');
  if (validityParam === undefined || validityParam === '') {
    return null;
  }
  const validityPeriod = parseInteger(validityParam, 1, 36_000) ?? null;
  if (validityPeriod === null) {
    throw twilioErrors.invalidValidityPeriod();
  }
  return validityPeriod;
}

/** SendAt (ms) for a fixed schedule, which needs a Messaging Service and a time in the window; null when not scheduled. */
function sendAtOf(params: FormParams, messagingServiceSid: string | null, now: number): number | null {
  const scheduleType = params.get('ScheduleType');
  if (scheduleType === undefined || scheduleType === '') {
    return null;
  }
  if (scheduleType !== 'fixed') {
    throw twilioErrors.invalidScheduleType();
  }
  if (messagingServiceSid === null) {
    throw twilioErrors.scheduleNeedsService();
  }
  const sendAtParam = params.get('SendAt');
  if (!sendAtParam) {
    throw twilioErrors.sendAtMissing();
  }
  const sendAt = Date.parse(sendAtParam);
  const ahead = sendAt - now;
  if (Number.isNaN(sendAt) || ahead < sendAtWindow.min || ahead > sendAtWindow.max) {
    throw twilioErrors.sendAtOutOfRange();
  }
  return sendAt;
}

/** Validates a create request's parameters; throws the first of {@link twilioErrors}. */
export function validateCreate(params: FormParams, now: number): CreateMessageInput {
  const to = params.get('To')?.trim() ?? '';
  if (to === '') {
    throw twilioErrors.toRequired();
  }

  const { from, messagingServiceSid } = senderOf(params);

  const mediaUrls = params.getAll('MediaUrl').filter((url) => url !== '');
  const contentSid = params.get('ContentSid') || null;
  let body = params.get('Body') ?? '';
  if (body === '' && mediaUrls.length === 0 && contentSid === null) {
    throw messagingServiceSid === null ? twilioErrors.bodyRequired() : twilioErrors.serviceContentRequired();
  }
  if (isTrue(params.get('SmartEncoded'))) {
    body = smartEncode(body);
  }
  const segmentInfo = countSegments(body);
  if (segmentInfo.characters > maxBodyCharacters) {
    throw twilioErrors.bodyTooLong();
  }

  if (!isValidNumber(to)) {
    throw twilioErrors.invalidTo(to);
  }
  // The connector's sender rule, so a sender its config check accepts is accepted here too.
  const sender = from === null ? undefined : checkSender(from);
  if (from !== null && sender && !sender.ok) {
    throw twilioErrors.invalidFrom(from, sender.channel && sender.reason);
  }
  const magicError = (from !== null ? magicFromError(from) : undefined) ?? magicToError(to);
  if (magicError) {
    throw magicError;
  }

  checkMediaAndContent(params, mediaUrls, contentSid);

  const statusCallback = params.get('StatusCallback') || null;
  if (statusCallback !== null && !isValidCallbackUrl(statusCallback)) {
    throw twilioErrors.invalidStatusCallback();
  }

  const validityPeriod = validityPeriodOf(params);
  const sendAt = sendAtOf(params, messagingServiceSid, now);

  return {
    to,
    from,
    messagingServiceSid,
    body,
    encoding: segmentInfo.encoding,
    // A media- or template-only message is still billed as one message.
    segments: Math.max(segmentInfo.segments, body === '' ? 1 : 0),
    mediaUrls,
    statusCallback,
    validityPeriod,
    sendAt,
  };
}
