/**
 * One HTTP exchange with Twilio over node:http(s) with keep-alive, under an absolute deadline.
 *
 * node:http rather than fetch: it costs nothing to import (Logto imports every connector at
 * start) and about half of fetch's CPU per request, which is what a login burst spends.
 * It reports whether any byte of the request left, which is what decides if a retry is safe.
 *
 * @module
 */
import http from 'node:http';
import https from 'node:https';

import { TwilioNetworkError, TwilioResponseError, TwilioTimeoutError } from './errors.js';

export type HttpRequest = {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** `Date.now()` value after which the exchange is abandoned. */
  deadline: number;
  /** For the timeout error's message: the whole send's budget. */
  timeoutMs: number;
};

export type HttpResponse = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
};

/** Twilio's answers are a few KB; anything this big is not Twilio. */
const maxResponseBytes = 1024 * 1024;

const agents = new Map<string, http.Agent>();

const agentFor = (url: URL) => {
  let agent = agents.get(url.origin);
  if (!agent) {
    const options = { keepAlive: true, scheduling: 'lifo' as const };
    agent = url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
    agents.set(url.origin, agent);
  }
  return agent;
};

export async function send(request: HttpRequest): Promise<HttpResponse> {
  const { url, deadline, timeoutMs } = request;
  const client = url.protocol === 'https:' ? https : http;

  return new Promise<HttpResponse>((resolve, reject) => {
    // True once the connection is up: from then on the server may have the request.
    let requestSent = false;
    let settled = false;

    const outgoing = client.request(url, {
      method: request.method,
      headers: request.headers,
      agent: agentFor(url),
    });

    const fail = (error: Error) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(error);
      }
      outgoing.destroy();
    };

    const timer = setTimeout(() => {
      fail(new TwilioTimeoutError(timeoutMs, requestSent));
    }, Math.max(0, deadline - Date.now()));

    outgoing.once('socket', (socket) => {
      if (!socket.connecting) {
        requestSent = true; // A kept-alive socket.
        return;
      }
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
        requestSent = true;
      });
    });

    outgoing.once('error', (error: NodeJS.ErrnoException) => {
      fail(new TwilioNetworkError(error.code ?? 'ERR_NETWORK', requestSent));
    });

    outgoing.once('response', (response) => {
      const chunks: Buffer[] = [];
      let received = 0;

      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxResponseBytes) {
          fail(
            new TwilioResponseError(
              response.statusCode ?? 0,
              `the response body exceeds ${maxResponseBytes} bytes`,
              response.headers['content-type']
            )
          );
          return;
        }
        chunks.push(chunk);
      });
      response.once('error', (error: NodeJS.ErrnoException) => {
        fail(new TwilioNetworkError(error.code ?? 'ECONNRESET', true));
      });
      response.once('close', () => {
        if (!response.complete) {
          fail(new TwilioNetworkError('ECONNRESET', true));
        }
      });
      response.once('end', () => {
        if (settled) {
          return;
        }
        settled = true;
        clearTimeout(timer);
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });

    outgoing.end(request.body);
  });
}
