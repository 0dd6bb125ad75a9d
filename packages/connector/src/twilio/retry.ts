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

export async function withRetries<T>(
  attempt: () => Promise<T>,
  { maxRetries, deadline, sleep = defaultSleep }: RetryPolicy
): Promise<T> {
  for (let retry = 0; ; retry += 1) {
    const startedAt = Date.now();
    try {
      // eslint-disable-next-line no-await-in-loop -- attempts are sequential by definition: a retry follows a failure
      return await attempt();
    } catch (error) {
      if (error instanceof TwilioError) {
        error.attempts = retry + 1;
      }
      const delay = retry < maxRetries ? retryDelay(error, retry) : undefined;
      // Retry only with time for a whole attempt after the wait (as long as the last one took, at
      // least 250 ms): an attempt cut short by the deadline turns "certainly not sent" into "may
      // have been sent", and a wait past the deadline only delays the same answer.
      const needed = Math.max(250, Date.now() - startedAt);
      if (delay === undefined || Date.now() + delay + needed > deadline) {
        throw error;
      }
      // eslint-disable-next-line no-await-in-loop -- the backoff before the next attempt
      await sleep(delay);
    }
  }
}
