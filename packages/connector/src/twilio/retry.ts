/**
 * Retries only what Twilio certainly did not process: 429 / 20429 (it says so: "never processed,
 * always safe to retry") and connections that failed before any byte of the request left. Never a
 * timeout or a 5xx after sending: a second SMS costs money and confuses the person waiting.
 *
 * @module
 */
import { TwilioApiError, TwilioError, TwilioNetworkError } from './errors.js';

export type RetryPolicy = {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** `Date.now()` value by which the last attempt must have started. */
  deadline: number;
  sleep?: (ms: number) => Promise<void>;
};

const defaultSleep = async (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/** How long to wait before the next attempt, or undefined when it must not be retried. */
function retryDelay(error: unknown, retry: number): number | undefined {
  // 100 ms, 200 ms, 400 ms … with jitter, so clients held back together don't return together.
  const backoff = 100 * 2 ** retry * (0.75 + Math.random() * 0.5);

  if (error instanceof TwilioApiError && (error.status === 429 || error.twilioCode === 20429)) {
    return error.retryAfterMs ?? backoff * 2;
  }
  if (error instanceof TwilioNetworkError && !error.requestSent) {
    return backoff;
  }
}

export function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  // Nearly every send succeeds at once: the first attempt gets no async frame of its own.
  return attempt().catch(async (error: unknown) => retryAfterFailure(error, attempt, policy));
}

async function retryAfterFailure<T>(
  firstError: unknown,
  attempt: () => Promise<T>,
  { maxRetries, deadline, sleep = defaultSleep }: RetryPolicy
): Promise<T> {
  let error = firstError;
  for (let retry = 0; ; retry += 1) {
    if (error instanceof TwilioError) {
      error.attempts = retry + 1;
    }
    const delay = retry < maxRetries ? retryDelay(error, retry) : undefined;
    // A wait that would end past the deadline only delays the same answer.
    if (delay === undefined || Date.now() + delay >= deadline) {
      throw error;
    }
    // eslint-disable-next-line no-await-in-loop
    await sleep(delay);
    try {
      // eslint-disable-next-line no-await-in-loop
      return await attempt();
    } catch (next) {
      error = next;
    }
  }
}
