/**
 * One HTTP exchange with Twilio under an absolute deadline, on undici's dispatcher with keep-alive.
 *
 * The raw dispatch handler, rather than fetch or undici.request: it costs a fraction of their CPU
 * per send (a login burst sends thousands), and undici tells it the moment a request starts
 * going out on a connection, which is what decides whether a retry could send a second SMS.
 *
 * @module
 */
import type { Agent, Dispatcher } from 'undici';

import { TwilioNetworkError, TwilioResponseError, TwilioTimeoutError } from './errors.js';

export type HttpRequest = {
  method: 'GET' | 'POST';
  /** `https://api.twilio.com` */
  origin: string;
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** `Date.now()` value after which the exchange is abandoned. */
  deadline: number;
  /** The whole send's budget, named in the timeout error. */
  timeoutMs: number;
};

export type HttpResponse = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
};

/** Twilio's answers are a few KB; anything this big is not Twilio. */
const maxResponseBytes = 1024 * 1024;

// undici is most of this package's size: load it on the first send, not when Logto imports every
// connector at start. One keep-alive agent serves every config.
let agent: Agent | undefined;
let loading: Promise<Agent> | undefined;

async function loadAgent(): Promise<Agent> {
  const loaded = await import('undici');
  // Bundled, CommonJS undici arrives as the module's default export.
  const { Agent } = 'Agent' in loaded ? loaded : (loaded as { default: typeof loaded }).default;
  // Each send's own deadline settles it; this only ends a connection attempt nobody waits for.
  agent = new Agent({ connect: { timeout: 60_000 } });
  return agent;
}

/** What undici has told one exchange so far. */
type Exchange = {
  /** True once undici starts writing the request to a connection: from then on Twilio may have it. */
  requestSent: boolean;
  settled: boolean;
  controller: Dispatcher.DispatchController | undefined;
  status: number;
  headers: HttpResponse['headers'];
  chunks: Buffer[];
  received: number;
};

/** undici's callbacks for one exchange: collect the response, cap its size, name a failure. */
function exchangeHandler(
  exchange: Exchange,
  settle: (error: Error | undefined) => void,
  timeoutMs: number
): Dispatcher.DispatchHandler {
  return {
    onRequestStart(requestController) {
      exchange.controller = requestController;
      exchange.requestSent = true;
      if (exchange.settled) {
        requestController.abort(new TwilioTimeoutError(timeoutMs, false));
      }
    },
    onResponseStart(_, statusCode, responseHeaders) {
      exchange.status = statusCode;
      exchange.headers = responseHeaders;
    },
    onResponseData(responseController, chunk) {
      exchange.received += chunk.length;
      if (exchange.received > maxResponseBytes) {
        const error = new TwilioResponseError(
          exchange.status,
          `the response body exceeds ${maxResponseBytes} bytes`,
          String(exchange.headers['content-type'] ?? '') || undefined
        );
        settle(error);
        responseController.abort(error);
        return;
      }
      exchange.chunks.push(chunk);
    },
    onResponseEnd() {
      settle(undefined);
    },
    onResponseError(_, error: Error & { code?: string }) {
      // Only the system error code: undici's errors can carry the request's headers.
      settle(new TwilioNetworkError(error.code ?? 'ERR_NETWORK', exchange.requestSent));
    },
  };
}

export async function send(request: HttpRequest): Promise<HttpResponse> {
  const { deadline, timeoutMs } = request;
  const dispatcher = agent ?? (await (loading ??= loadAgent()));

  return new Promise<HttpResponse>((resolve, reject) => {
    const exchange: Exchange = {
      requestSent: false,
      settled: false,
      controller: undefined,
      status: 0,
      headers: {},
      chunks: [],
      received: 0,
    };

    const settle = (error: Error | undefined) => {
      if (exchange.settled) {
        return;
      }
      exchange.settled = true;
      clearTimeout(timer);
      if (error) {
        reject(error);
      } else {
        resolve({ status: exchange.status, headers: exchange.headers, body: Buffer.concat(exchange.chunks).toString('utf8') });
      }
    };

    const timer = setTimeout(
      () => {
        const error = new TwilioTimeoutError(timeoutMs, exchange.requestSent);
        settle(error);
        // Not connected yet: onRequestStart aborts the request if it ever gets a connection.
        exchange.controller?.abort(error);
      },
      Math.max(0, deadline - Date.now())
    );

    const { origin, path, method, headers, body } = request;
    dispatcher.dispatch({ origin, path, method, headers, body }, exchangeHandler(exchange, settle, timeoutMs));
  });
}
