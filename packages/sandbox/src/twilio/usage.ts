/**
 * `/2010-04-01/Accounts/{AccountSid}/Usage/Records{,/Daily,/Monthly,/Yearly,/AllTime,/Today,
 * /Yesterday,/ThisMonth,/LastMonth}.json`, computed from stored messages with SQL aggregates.
 *
 * Categories `sms` and `sms-outbound` (every sandbox message is outbound SMS). Only billed messages
 * count: those that reached `sent` (see `billedStatuses`), by the GMT day they were created.
 * `count` is messages (`count_unit` "messages"), `usage` is their segments (`usage_unit`
 * "segments"), `price` is segments × the sandbox's per-segment price. Other categories yield no
 * records. Dates are limited to years 0000–9999, and a list to {@link maxPeriods} records per category.
 *
 * @doc https://www.twilio.com/docs/usage/api/usage-record
 * @module
 */
import type { SandboxContext } from '../context.js';
import type { Reply, Route, SandboxRequest } from '../http/router.js';
import type { UsageTotals } from '../storage/store.js';
import { requireAccount } from './auth.js';
import { twilioErrors } from './errors.js';
import { parseForm } from './form.js';
import { usagePrice } from './pricing.js';
import { apiPrefix, apiVersion, pageEnvelope, parsePaging } from './resource.js';

const day = 86_400_000;

const categories = {
  sms: 'SMS',
  'sms-outbound': 'Outbound SMS',
} as const;
type Category = keyof typeof categories;

const subresources = {
  AllTime: 'all_time',
  Daily: 'daily',
  LastMonth: 'last_month',
  Monthly: 'monthly',
  ThisMonth: 'this_month',
  Today: 'today',
  Yearly: 'yearly',
  Yesterday: 'yesterday',
} as const;
type Subresource = keyof typeof subresources;

type UsageRecord = {
  account_sid: string;
  api_version: string;
  as_of: string;
  category: string;
  count: string;
  count_unit: string;
  description: string;
  end_date: string;
  price: string;
  price_unit: string;
  start_date: string;
  subresource_uris: Record<string, string>;
  uri: string;
  usage: string;
  usage_unit: string;
};

const dayStart = (ms: number) => Math.floor(ms / day) * day;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Midnight GMT of a calendar date; unlike `Date.UTC`, years 0–99 are not read as 1900–1999. */
function utcDate(year: number, month: number, date: number): number {
  const value = new Date(0);
  value.setUTCFullYear(year, month, date);
  return value.getTime();
}

/** Usage dates are limited to years 0000–9999 (four-digit `YYYY-MM-DD`). */
const earliestDate = utcDate(0, 0, 1);
const latestDate = utcDate(9999, 11, 31);
const dateExpectation = 'a date from 0000-01-01 to 9999-12-31 (YYYY-MM-DD) or an offset such as -30days';

/** `YYYY-MM-DD` (GMT) or an offset from today such as `-30days`, `+1months`, `-1years`. */
function parseUsageDate(name: string, value: string, now: number): number {
  const offset = /^([+-]\d{1,5})(days?|months?|years?)$/.exec(value);
  let ms: number;
  if (offset) {
    const amount = Number(offset[1]);
    const date = new Date(dayStart(now));
    if (offset[2]!.startsWith('day')) date.setUTCDate(date.getUTCDate() + amount);
    if (offset[2]!.startsWith('month')) date.setUTCMonth(date.getUTCMonth() + amount);
    if (offset[2]!.startsWith('year')) date.setUTCFullYear(date.getUTCFullYear() + amount);
    ms = date.getTime();
  } else {
    ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
    if (!Number.isNaN(ms) && isoDate(ms) !== value) {
      ms = Number.NaN;
    }
  }
  if (!(ms >= earliestDate && ms <= latestDate)) {
    throw twilioErrors.invalidParameter(name, dateExpectation);
  }
  return ms;
}

/** [start, end] as inclusive GMT day starts. */
type Range = { start: number; end: number };

type Periodic = 'Daily' | 'Monthly' | 'Yearly';
const isPeriodic = (subresource: Subresource | undefined): subresource is Periodic =>
  subresource === 'Daily' || subresource === 'Monthly' || subresource === 'Yearly';

const monthNumber = (ms: number) => {
  const date = new Date(ms);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
};
const yearNumber = (ms: number) => new Date(ms).getUTCFullYear();

/** Which period of the list a day falls in (0 = the one holding `range.start`). */
function periodIndex(subresource: Periodic, range: Range, dayMs: number): number {
  switch (subresource) {
    case 'Daily':
      return Math.round((dayMs - range.start) / day);
    case 'Monthly':
      return monthNumber(dayMs) - monthNumber(range.start);
    case 'Yearly':
      return yearNumber(dayMs) - yearNumber(range.start);
  }
}

/** How many records one category of the list has; computed, so nothing is generated to count. */
function periodCount(subresource: Subresource | undefined, range: Range): number {
  if (range.end < range.start) {
    return 0;
  }
  return isPeriodic(subresource) ? periodIndex(subresource, range, range.end) + 1 : 1;
}

/** The index-th period of the list, clipped to the range. */
function periodAt(subresource: Subresource | undefined, range: Range, index: number): Range {
  let start: number;
  let next: number;
  switch (subresource) {
    case 'Daily':
      start = range.start + index * day;
      next = start + day;
      break;
    case 'Monthly': {
      const month = monthNumber(range.start) + index;
      start = utcDate(Math.floor(month / 12), month % 12, 1);
      next = utcDate(Math.floor((month + 1) / 12), (month + 1) % 12, 1);
      break;
    }
    case 'Yearly': {
      const year = yearNumber(range.start) + index;
      start = utcDate(year, 0, 1);
      next = utcDate(year + 1, 0, 1);
      break;
    }
    default:
      return range;
  }
  return { start: Math.max(start, range.start), end: Math.min(next - day, range.end) };
}

/** The range a subresource covers (fixed ones ignore StartDate/EndDate). */
function rangeFor(
  subresource: Subresource | undefined,
  startParam: number | undefined,
  endParam: number | undefined,
  firstMessage: number | undefined,
  now: number
): Range {
  const today = dayStart(now);
  const date = new Date(today);
  const monthStart = utcDate(date.getUTCFullYear(), date.getUTCMonth(), 1);
  switch (subresource) {
    case 'Today':
      return { start: today, end: today };
    case 'Yesterday':
      return { start: today - day, end: today - day };
    case 'ThisMonth':
      return { start: monthStart, end: today };
    case 'LastMonth': {
      const lastMonthStart = utcDate(date.getUTCFullYear(), date.getUTCMonth() - 1, 1);
      return { start: lastMonthStart, end: monthStart - day };
    }
    default:
      return {
        start: startParam ?? dayStart(Math.min(firstMessage ?? now, now)),
        end: endParam ?? today,
      };
  }
}

/** Records per category beyond this are a client bug (100 years of Daily), not a usage question. */
const maxPeriods = 36_600;

/** Totals per period from one SQL aggregate: over the whole range, or per day with data. */
function usageTotals(
  context: SandboxContext,
  accountSid: string,
  subresource: Subresource | undefined,
  range: Range
): Map<number, UsageTotals> {
  const totals = new Map<number, UsageTotals>();
  if (!isPeriodic(subresource)) {
    totals.set(0, context.store.usage(accountSid, range.start, range.end + day));
    return totals;
  }
  for (const row of context.store.usageByDay(accountSid, range.start, range.end + day)) {
    const index = periodIndex(subresource, range, row.day * day);
    const sum = totals.get(index) ?? { count: 0, segments: 0 };
    sum.count += row.count;
    sum.segments += row.segments;
    totals.set(index, sum);
  }
  return totals;
}

/** One usage record, as Twilio's API returns it. */
function usageRecord(parts: {
  accountSid: string;
  accountBase: string;
  listPath: string;
  asOf: string;
  category: Category;
  span: Range;
  sum: UsageTotals;
}): UsageRecord {
  const { accountSid, accountBase, listPath, asOf, category, span, sum } = parts;
  const startDate = isoDate(span.start);
  const endDate = isoDate(span.end);
  return {
    account_sid: accountSid,
    api_version: apiVersion,
    as_of: asOf,
    category,
    count: String(sum.count),
    count_unit: 'messages',
    description: categories[category],
    end_date: endDate,
    price: usagePrice(sum.segments),
    price_unit: 'usd',
    start_date: startDate,
    subresource_uris: Object.fromEntries(
      Object.entries(subresources).map(([name, key]) => [key, `${accountBase}/${name}.json?Category=${category}`])
    ),
    uri: `${listPath}?${new URLSearchParams({ Category: category, StartDate: startDate, EndDate: endDate }).toString()}`,
    usage: String(sum.segments),
    usage_unit: 'segments',
  };
}

function listUsage(request: SandboxRequest, context: SandboxContext, subresource?: Subresource): Reply {
  const account = requireAccount(request, context);
  const query = parseForm(request.query);
  const { pageSize, page } = parsePaging(query);
  const now = Date.now();
  const categoryParam = query.get('Category');
  const startDateParam = query.get('StartDate');
  const endDateParam = query.get('EndDate');
  const startParam = startDateParam === undefined ? undefined : parseUsageDate('StartDate', startDateParam, now);
  const endParam = endDateParam === undefined ? undefined : parseUsageDate('EndDate', endDateParam, now);

  const range = rangeFor(subresource, startParam, endParam, context.store.firstMessageDate(account.accountSid), now);
  const chosen: Category[] =
    categoryParam === undefined
      ? (Object.keys(categories) as Category[])
      : Object.hasOwn(categories, categoryParam)
        ? [categoryParam as Category]
        : [];

  // Counted before anything is generated: a huge range is refused, never walked.
  const periods = periodCount(subresource, range);
  if (periods > maxPeriods) {
    throw twilioErrors.invalidParameter(
      'StartDate',
      `a range of at most ${maxPeriods} ${subresource === 'Daily' ? 'days' : 'periods'}`
    );
  }
  const total = chosen.length * periods;
  const start = page * pageSize;
  const pageEnd = Math.min(total, start + pageSize);

  const totals = start < pageEnd ? usageTotals(context, account.accountSid, subresource, range) : new Map<number, UsageTotals>();

  const accountBase = `${apiPrefix}/${account.accountSid}/Usage/Records`;
  const listPath = subresource === undefined ? `${accountBase}.json` : `${accountBase}/${subresource}.json`;
  const asOf = `${new Date(now).toISOString().slice(0, 19)}+00:00`;
  const records: UsageRecord[] = [];
  // Only this page's records are built: record i is category ⌊i / periods⌋, period i mod periods.
  for (let index = start; index < pageEnd; index += 1) {
    const category = chosen[Math.floor(index / periods)]!;
    const periodNumber = index % periods;
    const span = periodAt(subresource, range, periodNumber);
    const sum = totals.get(periodNumber) ?? { count: 0, segments: 0 };
    records.push(usageRecord({ accountSid: account.accountSid, accountBase, listPath, asOf, category, span, sum }));
  }

  const echoed: Array<[string, string]> = [];
  if (categoryParam !== undefined) echoed.push(['Category', categoryParam]);
  if (startDateParam !== undefined) echoed.push(['StartDate', startDateParam]);
  if (endDateParam !== undefined) echoed.push(['EndDate', endDateParam]);
  const envelope = pageEnvelope({
    path: listPath,
    filters: echoed,
    pageSize,
    page,
    count: records.length,
    hasNext: total > start + pageSize,
  });
  return { status: 200, json: { usage_records: records, ...envelope } };
}

function listSubresource(request: SandboxRequest, context: SandboxContext): Reply {
  const { subresource } = request.params;
  if (subresource === undefined || !Object.hasOwn(subresources, subresource)) {
    throw twilioErrors.notFound(request.path);
  }
  return listUsage(request, context, subresource as Subresource);
}

export const usageRoutes: Route[] = [
  {
    method: 'GET',
    path: '/2010-04-01/Accounts/:accountSid/Usage/Records.json',
    handler: (request, context) => listUsage(request, context),
  },
  { method: 'GET', path: '/2010-04-01/Accounts/:accountSid/Usage/Records/:subresource.json', handler: listSubresource },
];
