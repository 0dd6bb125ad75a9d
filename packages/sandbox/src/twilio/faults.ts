/**
 * Deterministic faults for message creates: "answer the next N creates with HTTP 429 / code 20429
 * and `Retry-After: 3`", "delay the next N creates by 2 s", or "store the next create, then answer
 * 500" (`afterStore`, Twilio's 5xx after commit). Rules apply in the order added; each create
 * (after authentication) consumes one use of the first rule. Without `afterStore` a fault answer
 * stores nothing.
 *
 * Set through `POST /api/faults`, the `faults` start option, or {@link FaultInjector.add}.
 *
 * @module
 */
import { parseInteger } from '../http/parse-integer.js';

/** A fault rule as given; `count` is how many creates it answers. */
export type FaultRuleInput = {
  count: number;
  /** HTTP status to answer with (400–599). Without it the rule only delays. */
  status?: number;
  /** Twilio error code in the body (defaults: 429 → 20429, 503 → 20503, other 5xx → 20500, else the status). */
  code?: number;
  message?: string;
  /** Seconds, sent as `Retry-After` (needs `status`). */
  retryAfter?: number;
  /** Wait this long before answering (with the fault, or normally when there is no `status`). */
  delayMs?: number;
  /**
   * Store the message (and run its life cycle) first, then answer with `status` (5xx only): the
   * "5xx after commit" a client must handle without sending twice.
   */
  afterStore?: boolean;
};

/** A rule as stored: `count` is what remains. */
export type FaultRule = FaultRuleInput & { id: number };

export class FaultRuleError extends Error {
  override name = 'FaultRuleError' as const;
}

const limits = {
  count: [1, 1_000_000],
  status: [400, 599],
  code: [1, 99_999],
  retryAfter: [0, 86_400],
  delayMs: [0, 60_000],
} as const;

const knownFields = new Set(['count', 'status', 'code', 'message', 'retryAfter', 'delayMs', 'afterStore']);

const defaultMessages: Record<number, string> = {
  20429: 'Too Many Requests',
  20500: 'An internal server error has occurred',
  20503: 'Service Unavailable',
};

function checkInteger(rule: Record<string, unknown>, field: keyof typeof limits, required: boolean) {
  const value = rule[field];
  if (value === undefined) {
    if (required) {
      throw new FaultRuleError(`'${field}' is required`);
    }
    return undefined;
  }
  const [min, max] = limits[field];
  const number = typeof value === 'number' ? parseInteger(value, min, max) : undefined;
  if (number === undefined) {
    throw new FaultRuleError(`'${field}' must be an integer from ${min} to ${max}`);
  }
  return number;
}

/** Validates one rule; throws {@link FaultRuleError} naming the offending field. */
export function parseFaultRule(input: unknown): FaultRuleInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new FaultRuleError('A fault rule must be a JSON object');
  }
  const rule = input as Record<string, unknown>;
  for (const field of Object.keys(rule)) {
    if (!knownFields.has(field)) {
      throw new FaultRuleError(`Unknown field '${field}'`);
    }
  }
  const count = checkInteger(rule, 'count', true)!;
  const status = checkInteger(rule, 'status', false);
  const code = checkInteger(rule, 'code', false);
  const retryAfter = checkInteger(rule, 'retryAfter', false);
  const delayMs = checkInteger(rule, 'delayMs', false);
  const { message } = rule;
  if (message !== undefined && (typeof message !== 'string' || message.length > 1000)) {
    throw new FaultRuleError(`'message' must be a string of at most 1000 characters`);
  }
  if (status === undefined && delayMs === undefined) {
    throw new FaultRuleError(`A fault rule needs 'status' (to answer with an error) or 'delayMs' (to delay)`);
  }
  if (status === undefined && (code !== undefined || retryAfter !== undefined || message !== undefined)) {
    throw new FaultRuleError(`'code', 'message' and 'retryAfter' need 'status'`);
  }
  const { afterStore } = rule;
  if (afterStore !== undefined && typeof afterStore !== 'boolean') {
    throw new FaultRuleError(`'afterStore' must be true or false`);
  }
  if (afterStore === true && (status === undefined || status < 500)) {
    throw new FaultRuleError(`'afterStore' needs a 5xx 'status' (the message is stored, then the client gets the error)`);
  }
  const parsed: FaultRuleInput = { count };
  if (status !== undefined) {
    parsed.status = status;
    parsed.code = code ?? (status === 429 ? 20429 : status === 503 ? 20503 : status >= 500 ? 20500 : status);
    parsed.message = (message as string | undefined) ?? defaultMessages[parsed.code] ?? 'Injected fault';
  }
  if (retryAfter !== undefined) parsed.retryAfter = retryAfter;
  if (delayMs !== undefined) parsed.delayMs = delayMs;
  if (afterStore === true) parsed.afterStore = true;
  return parsed;
}

/** Parses one rule or an array of rules. */
function parseFaultRules(input: unknown): FaultRuleInput[] {
  const rules = Array.isArray(input) ? input : [input];
  if (rules.length === 0) {
    throw new FaultRuleError('Expected a fault rule or a non-empty array of rules');
  }
  return rules.map((rule, index) => {
    try {
      return parseFaultRule(rule);
    } catch (error) {
      if (error instanceof FaultRuleError && Array.isArray(input)) {
        throw new FaultRuleError(`Rule ${index}: ${error.message}`);
      }
      throw error;
    }
  });
}

export class FaultInjector {
  #rules: FaultRule[] = [];
  #nextId = 1;

  /** Validates and appends rules (all or none). */
  add(input: unknown): FaultRule[] {
    const added = parseFaultRules(input).map((rule) => ({ id: this.#nextId++, ...rule }));
    this.#rules.push(...added);
    return added;
  }

  /** Rules with their remaining counts, in the order they apply. */
  list(): FaultRule[] {
    return this.#rules.map((rule) => ({ ...rule }));
  }

  clear(): void {
    this.#rules = [];
  }

  /** Consumes one use of the first rule and returns it, or undefined when there is none. */
  take(): FaultRule | undefined {
    const rule = this.#rules[0];
    if (!rule) {
      return undefined;
    }
    rule.count -= 1;
    if (rule.count <= 0) {
      this.#rules.shift();
    }
    return { ...rule };
  }
}
