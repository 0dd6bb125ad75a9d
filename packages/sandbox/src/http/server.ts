/**
 * The HTTP layer: a node:http request listener over a small route table. No framework: the create
 * path is one regex match, one body read, one insert and one `res.end`.
 *
 * Errors never escape as a 500 with a stack or a crash: an {@link HttpError} is rendered in the
 * shape of its route family (Twilio's for the Twilio API, `{ error: { message } }` under /api/),
 * anything else is logged and answered with 500 / 20500. Malformed HTTP gets a Twilio-shaped 400
 * from `clientError`.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import type { SandboxContext } from '../context.js';
// The Twilio API is the server's default route family: its error shape and request ids are the
// HTTP layer's own answers (404, 405, 413, 500, malformed HTTP), so they come from here.
import { twilioErrorBody, twilioErrors } from '../twilio/errors.js';
import { newSid } from '../twilio/sids.js';
import { HttpError } from './errors.js';
import { compileRoute, matchRoute, type CompiledRoute, type Reply, type Route, type SandboxRequest } from './router.js';
import { serveStatic } from './static-files.js';

/** Bodies beyond the limit are read and dropped up to this much more, so the 413 can be delivered. */
const discardLimit = 8 * 1024 * 1024;
/** …or until the client has sent nothing for this long (it may be waiting for our answer). */
const lingerMs = 2000;

/**
 * Reads the body, up to `limit` bytes. A larger body (declared or streamed) is refused at once with
 * 413, so the answer leaves while the client is still sending, and `onTooLarge` gets a promise that
 * settles once the rest has been drained; the connection closes only then. Closing at once resets
 * the connection under a client still sending: most clients then report EPIPE instead of the 413.
 */
function readBody(request: IncomingMessage, limit: number, onTooLarge: (drained: Promise<void>) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const refuse = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      onTooLarge(drain(request, size, limit + discardLimit));
      reject(twilioErrors.tooLarge(limit));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
      } else {
        refuse();
      }
    };
    const onEnd = () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    if (Number(request.headers['content-length'] ?? 0) > limit) {
      refuse();
      return;
    }
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', reject);
  });
}

/** Reads and drops the rest of a refused body: until it ends, `bound` bytes in all, or the client pauses. */
function drain(request: IncomingMessage, alreadyRead: number, bound: number): Promise<void> {
  return new Promise((resolve) => {
    let size = alreadyRead;
    const done = () => {
      clearTimeout(idle);
      request.off('data', onData);
      request.off('end', done);
      request.off('close', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > bound) {
        done();
      } else {
        idle.refresh();
      }
    };
    const idle = setTimeout(done, lingerMs);
    idle.unref();
    if (request.readableEnded || request.destroyed) {
      done();
      return;
    }
    request.on('data', onData);
    request.once('end', done);
    request.once('close', done);
    request.resume();
  });
}

type Family = 'twilio' | 'api';

/**
 * The /api/ routes have no authentication, so they only answer what a page on another site cannot
 * send: the Host must be on the sandbox's allowlist (see host-allowlist.ts; a DNS-rebinding page
 * sends its own name), and a state-changing request that carries an Origin must come from the Host
 * itself (`Origin: null`, from sandboxed frames and some redirects, is refused too).
 */
function refuseCrossSite(request: SandboxRequest, context: SandboxContext): string | undefined {
  const host = request.headers.host;
  if (!context.hosts.allows(host)) {
    return `The sandbox API does not answer requests for host ${JSON.stringify(host ?? '')}: use localhost, or allow the name with --allow-host (allowedHosts)`;
  }
  const origin = request.headers.origin;
  if (request.method !== 'GET' && request.method !== 'HEAD' && origin !== undefined) {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      originHost = undefined;
    }
    if (originHost !== host!.toLowerCase()) {
      return 'Cross-site requests to the sandbox API are refused';
    }
  }
  return undefined;
}

/**
 * Writes the reply. With `drained` (a refused oversized body), the whole answer is sent now but the
 * response ends, and its `Connection: close` takes effect, only once the request body is drained.
 */
function write(response: ServerResponse, reply: Reply, family: Family, drained?: Promise<void>): void {
  if (response.headersSent || response.destroyed) {
    return;
  }
  const headers: Record<string, string | number> =
    reply.headers === undefined
      ? { 'X-Content-Type-Options': 'nosniff' }
      : { 'X-Content-Type-Options': 'nosniff', ...reply.headers };
  if (family === 'twilio') {
    headers['Twilio-Request-Id'] = newSid('RQ');
  } else {
    headers['Cache-Control'] = 'no-store';
  }
  let body: string | Buffer | undefined;
  if ('json' in reply) {
    body = JSON.stringify(reply.json);
    headers['Content-Type'] = 'application/json; charset=utf-8';
  } else {
    body = reply.body;
  }
  if (body !== undefined) {
    headers['Content-Length'] = Buffer.byteLength(body);
  }
  response.writeHead(reply.status, headers);
  if (drained) {
    if (body !== undefined) response.write(body);
    void drained.then(() => {
      if (!response.destroyed) response.end();
    });
  } else {
    response.end(body);
  }
}

/** The /api/ family's error: `{ error: { message, code?, data? } }`. */
const apiErrorBody = ({ message, apiCode, data }: HttpError) => ({
  error: { message, ...(apiCode !== undefined && { code: apiCode }), ...(data !== undefined && { data }) },
});

/** The reply for anything a handler threw: an {@link HttpError} in its family's shape, else a logged 500. */
function errorReply(error: unknown, family: Family, context: SandboxContext, request: SandboxRequest): Reply {
  let httpError: HttpError;
  if (error instanceof HttpError) {
    httpError = error;
  } else {
    // Only the error's own message: it never holds request headers or bodies.
    const reason = error instanceof Error ? error.message : String(error);
    context.logger.error(`${request.method} ${request.path} failed: ${reason}`);
    httpError = twilioErrors.internal();
  }
  const headers = { ...httpError.headers };
  if (httpError.status === 413) {
    headers.Connection = 'close';
  }
  return {
    status: httpError.status,
    headers,
    json: family === 'twilio' ? twilioErrorBody(httpError) : apiErrorBody(httpError),
  };
}

/** A request as handlers see it; a class, so a request costs one object and no closures. */
class IncomingRequest implements SandboxRequest {
  readonly method: string;
  readonly headers: IncomingMessage['headers'];
  params: Record<string, string> = {};
  #body: Promise<Buffer> | undefined;
  #controller: AbortController | undefined;
  /** Set when the body was refused as too large: settles once the rest of it was drained. */
  drained: Promise<void> | undefined;

  constructor(
    readonly raw: IncomingMessage,
    readonly response: ServerResponse,
    readonly path: string,
    readonly query: string,
    private readonly context: SandboxContext
  ) {
    this.method = raw.method ?? 'GET';
    this.headers = raw.headers;
  }

  body(): Promise<Buffer> {
    return (this.#body ??= readBody(this.raw, this.context.maxBodyBytes, (drained) => {
      this.drained = drained;
    }));
  }

  async json(): Promise<unknown> {
    const buffer = await this.body();
    if (buffer.length === 0) {
      return undefined;
    }
    try {
      return JSON.parse(buffer.toString('utf8')) as unknown;
    } catch {
      throw new HttpError(400, 'The request body is not valid JSON');
    }
  }

  // Created on first use: most requests never need it.
  get signal(): AbortSignal {
    if (!this.#controller) {
      const abort = new AbortController();
      const { response, context } = this;
      this.#controller = abort;
      const onClosing = () => abort.abort();
      response.once('close', () => {
        context.closing.removeEventListener('abort', onClosing);
        if (!response.writableFinished) abort.abort();
      });
      context.closing.addEventListener('abort', onClosing, { once: true });
      if (context.closing.aborted) abort.abort();
    }
    return this.#controller.signal;
  }
}

/** The node:http request listener for a sandbox. */
export function createRequestListener(
  routes: readonly Route[],
  context: SandboxContext
): (raw: IncomingMessage, response: ServerResponse) => void {
  const compiled: CompiledRoute[] = routes.map(compileRoute);

  const handle = async (raw: IncomingMessage, response: ServerResponse) => {
    const url = raw.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    const query = queryStart === -1 ? '' : url.slice(queryStart + 1);
    const family: Family = path === '/api' || path.startsWith('/api/') ? 'api' : 'twilio';
    const request = new IncomingRequest(raw, response, path, query, context);

    const log = context.logger.request;
    if (log) {
      const started = performance.now();
      response.once('close', () =>
        log({ method: request.method, path, status: response.statusCode, ms: performance.now() - started })
      );
    }

    try {
      if (family === 'api') {
        const refusal = refuseCrossSite(request, context);
        if (refusal) {
          throw new HttpError(403, refusal);
        }
      }
      const match = matchRoute(compiled, request.method, path);
      let reply: Reply | undefined;
      if (match.kind === 'found') {
        request.params = match.params;
        reply = await match.route.handler(request, context);
      } else if (match.kind === 'method') {
        throw family === 'api'
          ? new HttpError(405, `Method ${request.method} is not allowed here`, { headers: { Allow: match.allow.join(', ') } })
          : twilioErrors.methodNotAllowed(request.method, match.allow);
      } else if (
        (request.method === 'GET' || request.method === 'HEAD') &&
        family === 'twilio' &&
        !path.startsWith('/2010-04-01/')
      ) {
        reply = await serveStatic(context.publicDir, path);
        if (!reply) {
          throw twilioErrors.notFound(path);
        }
      } else {
        throw family === 'api' ? new HttpError(404, `No route for ${path}`) : twilioErrors.notFound(path);
      }
      if (reply) {
        write(response, reply, family, request.drained);
      }
    } catch (error) {
      write(response, errorReply(error, family, context, request), family, request.drained);
    }
  };

  return (raw, response) => {
    void handle(raw, response);
  };
}

/** Answers HTTP the parser rejected (bad request line, huge headers) in Twilio's shape. */
export function handleClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify(
    twilioErrorBody(new HttpError(status, tooLarge ? 'Request headers are too large' : 'Malformed HTTP request'))
  );
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body
  );
}
