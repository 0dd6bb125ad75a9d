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

export async function send(request: HttpRequest): Promise<HttpResponse> {
  const { deadline, timeoutMs } = request;
  const dispatcher = agent ?? (await (loading ??= loadAgent()));

  return new Promise<HttpResponse>((resolve, reject) => {
    // True once undici starts writing the request to a connection: from then on Twilio may have it.
    let requestSent = false;
    let settled = false;
    let controller: Dispatcher.DispatchController | undefined;
    let status = 0;
    let headers: HttpResponse['headers'] = {};
    const chunks: Buffer[] = [];
    let received = 0;

    const settle = (error: Error | undefined) => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      if (error) {
        reject(error);
      } else {
        resolve({ status, headers, body: Buffer.concat(chunks).toString('utf8') });
      }
    };

    const timer = setTimeout(
      () => {
        const error = new TwilioTimeoutError(timeoutMs, requestSent);
        settle(error);
        // Not connected yet: onRequestStart aborts the request if it ever gets a connection.
        controller?.abort(error);
      },
      Math.max(0, deadline - Date.now())
    );

    dispatcher.dispatch(
      {
        origin: request.origin,
        path: request.path,
        method: request.method,
        headers: request.headers,
        body: request.body,
      },
      {
        onRequestStart(requestController) {
          controller = requestController;
          requestSent = true;
          if (settled) {
            requestController.abort(new TwilioTimeoutError(timeoutMs, false));
          }
        },
        onResponseStart(_, statusCode, responseHeaders) {
          status = statusCode;
          headers = responseHeaders;
        },
        onResponseData(responseController, chunk) {
          received += chunk.length;
          if (received > maxResponseBytes) {
            const error = new TwilioResponseError(
              status,
              `the response body exceeds ${maxResponseBytes} bytes`,
              String(headers['content-type'] ?? '') || undefined
            );
            settle(error);
            responseController.abort(error);
            return;
          }
          chunks.push(chunk);
        },
        onResponseEnd() {
          settle(undefined);
        },
        onResponseError(_, error: Error & { code?: string }) {
          // Only the system error code: undici's errors can carry the request's headers.
          settle(new TwilioNetworkError(error.code ?? 'ERR_NETWORK', requestSent));
        },
      }
    );
  });
}
