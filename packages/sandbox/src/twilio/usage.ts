/**
 * `/2010-04-01/Accounts/{AccountSid}/Usage/Records{,/Daily,/Monthly,/Yearly,/AllTime,/Today,
 * /Yesterday,/ThisMonth,/LastMonth}.json`, computed from stored messages.
 *
 * Categories `sms` and `sms-outbound` (every sandbox message is outbound SMS): `count` is messages,
 * `usage` is segments, `price` is segments × {@link pricePerSegment}. Billed means created in the
 * range and not `failed`, `canceled` or still `scheduled`. Other categories yield no records.
 *
 * @doc https://www.twilio.com/docs/usage/api/usage-record
 * @module
 */
import type { Reply, Route, SandboxContext, SandboxRequest } from '../router.js';
import type { UsageTotals } from '../store.js';
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

export type UsageRecord = {
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

/** `YYYY-MM-DD` (GMT) or an offset from today such as `-30days`, `+1months`, `-1years`. */
export function parseUsageDate(name: string, value: string, now: number): number {
  const offset = /^([+-]\d{1,5})(days?|months?|years?)$/.exec(value);
  if (offset) {
    const amount = Number(offset[1]);
    const date = new Date(dayStart(now));
    if (offset[2]!.startsWith('day')) date.setUTCDate(date.getUTCDate() + amount);
    if (offset[2]!.startsWith('month')) date.setUTCMonth(date.getUTCMonth() + amount);
    if (offset[2]!.startsWith('year')) date.setUTCFullYear(date.getUTCFullYear() + amount);
    return date.getTime();
  }
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms) || isoDate(ms) !== value) {
    throw twilioErrors.invalidParameter(name, 'a date in YYYY-MM-DD format or an offset such as -30days');
  }
  return ms;
}

/** [start, end] as inclusive GMT day starts. */
type Range = { start: number; end: number };

/** The periods one list returns records for, within the requested range. */
function periods(subresource: Subresource | undefined, range: Range): Range[] {
  if (subresource !== 'Daily' && subresource !== 'Monthly' && subresource !== 'Yearly') {
    return [range];
  }
  const result: Range[] = [];
  let cursor = range.start;
  while (cursor <= range.end) {
    const date = new Date(cursor);
    let next: Date;
    if (subresource === 'Daily') {
      next = new Date(cursor + day);
    } else if (subresource === 'Monthly') {
      next = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
    } else {
      next = new Date(Date.UTC(date.getUTCFullYear() + 1, 0, 1));
    }
    result.push({ start: cursor, end: Math.min(next.getTime() - day, range.end) });
    cursor = next.getTime();
  }
  return result;
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
  const monthStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  switch (subresource) {
    case 'Today':
      return { start: today, end: today };
    case 'Yesterday':
      return { start: today - day, end: today - day };
    case 'ThisMonth':
      return { start: monthStart, end: today };
    case 'LastMonth': {
      const lastMonthStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, 1);
      return { start: lastMonthStart, end: monthStart - day };
    }
    default:
      return {
        start: startParam ?? dayStart(Math.min(firstMessage ?? now, now)),
        end: endParam ?? today,
      };
  }
}

// Generating more periods than this is a client bug, not a usage question.
const maxPeriods = 36_600;

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

  const spans = range.end < range.start ? [] : periods(subresource, range);
  if (spans.length * chosen.length > maxPeriods) {
    throw twilioErrors.invalidParameter('StartDate', 'a range of at most 100 years');
  }
  // One query per list: per-day totals, summed into each period.
  const daily = new Map<number, UsageTotals>();
  if (chosen.length > 0 && spans.length > 0) {
    for (const row of context.store.usageByDay(account.accountSid, range.start, range.end + day)) {
      daily.set(row.day * day, row);
    }
  }
  const totalsFor = (span: Range): UsageTotals => {
    const totals = { count: 0, segments: 0 };
    for (let dayMs = span.start; dayMs <= span.end; dayMs += day) {
      const row = daily.get(dayMs);
      if (row) {
        totals.count += row.count;
        totals.segments += row.segments;
      }
    }
    return totals;
  };

  const accountBase = `${apiPrefix}/${account.accountSid}/Usage/Records`;
  const listPath = subresource === undefined ? `${accountBase}.json` : `${accountBase}/${subresource}.json`;
  const asOf = `${new Date(now).toISOString().slice(0, 19)}+00:00`;
  const records: UsageRecord[] = [];
  for (const category of chosen) {
    for (const span of spans) {
      const totals = totalsFor(span);
      const startDate = isoDate(span.start);
      const endDate = isoDate(span.end);
      records.push({
        account_sid: account.accountSid,
        api_version: apiVersion,
        as_of: asOf,
        category,
        count: String(totals.count),
        count_unit: 'messages',
        description: categories[category],
        end_date: endDate,
        price: usagePrice(totals.segments),
        price_unit: 'usd',
        start_date: startDate,
        subresource_uris: Object.fromEntries(
          Object.entries(subresources).map(([name, key]) => [key, `${accountBase}/${name}.json?Category=${category}`])
        ),
        uri: `${listPath}?${new URLSearchParams({ Category: category, StartDate: startDate, EndDate: endDate }).toString()}`,
        usage: String(totals.segments),
        usage_unit: 'messages',
      });
    }
  }

  const echoed: Array<[string, string]> = [];
  if (categoryParam !== undefined) echoed.push(['Category', categoryParam]);
  if (startDateParam !== undefined) echoed.push(['StartDate', startDateParam]);
  if (endDateParam !== undefined) echoed.push(['EndDate', endDateParam]);
  const start = page * pageSize;
  const pageRecords = records.slice(start, start + pageSize);
  const envelope = pageEnvelope({
    path: listPath,
    filters: echoed,
    pageSize,
    page,
    count: pageRecords.length,
    hasNext: records.length > start + pageSize,
  });
  return { status: 200, json: { usage_records: pageRecords, ...envelope } };
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
