/**
 * How a decision reads for people: the masked number, and one sentence per refusal (never the code).
 *
 * @module
 */
import { parsePhoneNumberWithError } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';

import { countryName } from './country.js';
import type { DecisionInput, GuardDecision, GuardRule, Verdict } from './decision.js';

/** `+44 7911 12****`: the country and operator range stay readable, the subscriber does not. */
export function maskNumber(e164: string): string {
  let text = e164;
  try {
    text = parsePhoneNumberWithError(e164, { extract: false }, metadata).formatInternational();
  } catch {
    // Shown as given, masked all the same.
  }
  let hidden = 0;
  const masked = [...text].reverse().map((character) => {
    if (/\d/.test(character) && hidden < 4) {
      hidden += 1;
      return '*';
    }
    return character;
  });
  return masked.reverse().join('');
}

const describeWait = (seconds: number) =>
  seconds >= 5400
    ? `${Math.round(seconds / 3600)} hours`
    : seconds >= 90
      ? `${Math.round(seconds / 60)} minutes`
      : `${seconds} seconds`;

/** The sentence a refusal carries: what was refused and why, never the code. */
export function describeRefusal(rule: GuardRule, masked: string, country: string, retryAfterSeconds?: number): string {
  const wait = retryAfterSeconds ? ` Try again in ${describeWait(retryAfterSeconds)}.` : '';
  const where = `${countryName(country)} (${country})`;
  switch (rule) {
    case 'country-blocked': {
      return `Verification codes cannot be sent to ${masked}: this service does not send SMS to ${where}.`;
    }
    case 'country-not-allowed': {
      return `Verification codes cannot be sent to ${masked}: this service sends SMS only to selected countries, and ${where} is not one of them.`;
    }
    case 'number-block': {
      return `Too many different numbers near ${masked} asked for a code recently, so new numbers in that range are paused.${wait}`;
    }
    case 'country-velocity': {
      return `Unusually many codes were requested for numbers in ${where}, so new numbers there are paused.${wait}`;
    }
    case 'ip': {
      return `Too many codes were requested from this network address.${wait}`;
    }
    case 'budget-hour': {
      return `This service has reached its hourly limit of verification SMS.${wait}`;
    }
    case 'budget-day': {
      return `This service has reached its daily limit of verification SMS.${wait}`;
    }
    case 'number-day': {
      return `${masked} has received the most codes allowed in a day.${wait}`;
    }
  }
}

/** A store's verdict as the decision the guard returns. */
export function toDecision(verdict: Verdict, input: DecisionInput, now: number): GuardDecision {
  if (verdict.allowed) {
    return { allowed: true };
  }
  const retryAfterSeconds = Math.max(1, Math.ceil((verdict.until - now) / 1000));
  const refusal = {
    rule: verdict.rule,
    reason: describeRefusal(verdict.rule, maskNumber(input.number), input.country, retryAfterSeconds),
    retryAfterSeconds,
  };
  return input.monitor ? { allowed: true, monitored: refusal } : { allowed: false, ...refusal };
}
