/**
 * Sandbox-only JSON routes under `/api/`, used by the web inbox, the CLI and e2e tests. No
 * authentication: the server binds 127.0.0.1 by default, and requests a page on another site could
 * make (another Host name, another Origin) are refused with 403 (see `refuseCrossSite`). Errors are
 * `{ error: { message } }`.
 *
 * | Route                                   | Answer                                              |
 * |-----------------------------------------|-----------------------------------------------------|
 * | GET /api/health                         | `{ ok: true, version }`                             |
 * | GET /api/messages?q=&to=&limit=         | `{ messages: InboxMessage[] }`, newest first        |
 * | GET /api/messages/latest?to=&wait=&after=&since= | `{ message }` or 404 (long-polls with `wait`; unknown `after` → 404) |
 * | GET /api/messages/:sid                  | `{ message }` or 404                                |
 * | DELETE /api/messages/:sid               | 204 or 404                                          |
 * | DELETE /api/messages                    | 204 (clears every account's messages)               |
 * | GET /api/events                         | text/event-stream: message, status, deleted, cleared|
 * | GET/POST/DELETE /api/faults             | fault rules (see faults.ts)                         |
 *
 * @module
 */
import type { SandboxContext } from '../context.js';
import { HttpError } from '../http/errors.js';
import { parseInteger } from '../http/parse-integer.js';
import type { Reply, Route, SandboxRequest } from '../http/router.js';
import type { MessageRecord } from '../storage/store.js';
import { parseForm } from '../twilio/form.js';
import { sidPatterns } from '../twilio/sids.js';
import { FaultRuleError } from '../twilio/faults.js';
import { normalizePhone, toInboxMessage } from './inbox-message.js';

const maxWaitMs = 60_000;
const defaultLimit = 200;
const maxLimit = 1000;

/** An integer query parameter of at least `min`; values above `max` are clamped to it. */
function integerParam(value: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === '') {
    return fallback;
  }
  const number = parseInteger(value, min);
  if (number === undefined) {
    throw new HttpError(400, `'${name}' must be an integer of at least ${min}`);
  }
  return Math.min(number, max);
}

function listMessages(request: SandboxRequest, context: SandboxContext): Reply {
  const query = parseForm(request.query);
  const to = query.get('to');
  const messages = context.store.search({
    q: query.get('q')?.trim() || undefined,
    to: to ? normalizePhone(to) : undefined,
    limit: integerParam(query.get('limit'), 'limit', 1, maxLimit, defaultLimit),
  });
  return { status: 200, json: { messages: messages.map(toInboxMessage) } };
}

/** `since`: milliseconds since the epoch or an ISO 8601 date-time. */
function parseSince(value: string | undefined): number {
  if (value === undefined || value === '') {
    return 0;
  }
  const ms = /^\d+$/.test(value) ? (parseInteger(value) ?? Number.NaN) : Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new HttpError(400, "'since' must be milliseconds since the epoch or an ISO 8601 date-time");
  }
  return ms;
}

/**
 * The newest message to `to`. `after=<sid>` only considers messages stored after that one (an
 * unknown or deleted sid is 404), `since` only those created at or after a time. With `wait`, when there is
 * none yet, waits up to `wait` ms for one to arrive. The e2e pattern: note the sid of the latest
 * message (or clear the inbox), trigger the SMS, then `latest?to=…&after=<sid>&wait=10000`.
 */
async function latestMessage(request: SandboxRequest, context: SandboxContext): Promise<Reply | undefined> {
  const query = parseForm(request.query);
  const toParam = query.get('to');
  if (!toParam || toParam.trim() === '') {
    throw new HttpError(400, "'to' is required");
  }
  const to = normalizePhone(toParam);
  const wait = integerParam(query.get('wait'), 'wait', 0, maxWaitMs, 0);
  const since = parseSince(query.get('since'));
  const after = query.get('after');
  if (after !== undefined && after !== '' && !sidPatterns.message.test(after)) {
    throw new HttpError(400, "'after' must be a message SID");
  }
  let afterSeq = 0;
  if (after) {
    const seq = context.store.seqOf(after);
    if (seq === undefined) {
      // Falling back to "any message" would hand an e2e test an older code: say so instead.
      throw new HttpError(
        404,
        `No message ${after} to wait after (deleted, or never stored): use 'since' to wait across a clear`
      );
    }
    afterSeq = seq;
  }

  const found = context.store.latest(to, afterSeq, since);
  if (found) {
    return { status: 200, json: { message: toInboxMessage(found) } };
  }
  if (wait > 0) {
    const arrived = await new Promise<MessageRecord | undefined>((resolve) => {
      const timer = setTimeout(() => finish(), wait);
      const finish = (record?: MessageRecord) => {
        clearTimeout(timer);
        remove();
        request.signal.removeEventListener('abort', onAbort);
        resolve(record);
      };
      const onAbort = () => finish();
      const remove = context.hub.addWaiter({ to, afterSeq, since, resolve: finish });
      request.signal.addEventListener('abort', onAbort);
    });
    if (arrived) {
      return { status: 200, json: { message: toInboxMessage(arrived) } };
    }
    if (request.signal.aborted && request.response.destroyed) {
      return undefined;
    }
  }
  throw new HttpError(404, `No message to ${to}${wait > 0 ? ` arrived within ${wait} ms` : ''}`);
}

function getMessage(request: SandboxRequest, context: SandboxContext): Reply {
  const record = context.store.get(request.params.sid ?? '');
  if (!record) {
    throw new HttpError(404, 'Message not found');
  }
  return { status: 200, json: { message: toInboxMessage(record) } };
}

function deleteMessage(request: SandboxRequest, context: SandboxContext): Reply {
  if (!context.store.delete(request.params.sid ?? '')) {
    throw new HttpError(404, 'Message not found');
  }
  return { status: 204 };
}

function clearMessages(_request: SandboxRequest, context: SandboxContext): Reply {
  context.store.clear();
  return { status: 204 };
}

const eventStreamHeaders = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
  'X-Content-Type-Options': 'nosniff',
};

function events(request: SandboxRequest, context: SandboxContext): Reply | undefined {
  if (request.method === 'HEAD') {
    // The headers of the stream, and no stream.
    return { status: 200, headers: { ...eventStreamHeaders, Connection: 'close' } };
  }
  const response = request.response;
  response.writeHead(200, eventStreamHeaders);
  response.write('retry: 2000\n: connected\n\n');
  context.hub.addClient(response);
  return undefined;
}

function listFaults(_request: SandboxRequest, context: SandboxContext): Reply {
  return { status: 200, json: { faults: context.faults.list() } };
}

async function addFaults(request: SandboxRequest, context: SandboxContext): Promise<Reply> {
  const type = request.headers['content-type']?.split(';', 1)[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    await request.body();
    throw new HttpError(415, 'Expected a JSON body (Content-Type: application/json)');
  }
  const input = await request.json();
  try {
    const added = context.faults.add(input);
    return { status: 201, json: { faults: added } };
  } catch (error) {
    if (error instanceof FaultRuleError) {
      throw new HttpError(400, `Invalid fault rule: ${error.message}`);
    }
    throw error;
  }
}

function clearFaults(_request: SandboxRequest, context: SandboxContext): Reply {
  context.faults.clear();
  return { status: 204 };
}

export const apiRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/health',
    handler: (_request, context) => ({ status: 200, json: { ok: true, version: context.version } }),
  },
  { method: 'GET', path: '/api/messages', handler: listMessages },
  { method: 'DELETE', path: '/api/messages', handler: clearMessages },
  { method: 'GET', path: '/api/messages/latest', handler: latestMessage },
  { method: 'GET', path: '/api/messages/:sid', handler: getMessage },
  { method: 'DELETE', path: '/api/messages/:sid', handler: deleteMessage },
  { method: 'GET', path: '/api/events', handler: events },
  { method: 'GET', path: '/api/faults', handler: listFaults },
  { method: 'POST', path: '/api/faults', handler: addFaults },
  { method: 'DELETE', path: '/api/faults', handler: clearFaults },
];
