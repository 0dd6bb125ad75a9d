/**
 * The fault matrix: each way Twilio or the network can misbehave, and what the connector must
 * end with. faults.test.ts runs every case under every auth mode; docs.test.ts counts them for
 * docs/RELIABILITY.md.
 *
 * @module
 */
import { ConnectorErrorCodes } from '@logto/connector-kit';

import {
  type FaultTarget,
  behaviours,
  refusedTarget,
  startHttpFaultServer,
  startTcpFaultServer,
  tcpBehaviours,
} from './fault-server.js';

export type FaultCase = {
  name: string;
  /** Starts the misbehaving server (and any other one the case needs, in `others`). */
  start: () => Promise<FaultTarget & { others?: FaultTarget[] }>;
  /** The send's deadline, retries included (1000 unless retries need room). */
  timeoutMs?: number;
  code: ConnectorErrorCodes;
  /** Exactly how many requests the server must have seen. */
  requests: number;
  /** Exactly how many TCP connections, where that is the count that matters. */
  connections?: number;
  /** What the error's data must contain. */
  data: Record<string, unknown>;
  /** The send must have ended before this many ms (a wait it must not do). */
  endsBeforeMs?: number;
  /** Why the count is what it is, for the table in docs/RELIABILITY.md. */
  rule: string;
};

const twilioJson = (status: number, twilioCode: number, message: string) => ({
  status,
  code: twilioCode,
  twilioMessage: message,
  moreInfo: `https://www.twilio.com/docs/errors/${twilioCode}`,
});

const timedOutAfterSending = { reason: 'timeout', requestSent: true, attempts: 1 };
const notRetried = 'sent, so never retried';
const rateLimit = '429: Twilio did not process it, retried 1 + maxRetries times';

export const maxRetries = 2;

export const faultCases: FaultCase[] = [
  {
    name: 'connection refused',
    start: refusedTarget,
    // Room for the backoffs on a loaded machine; the refusals themselves take no time.
    timeoutMs: 5000,
    code: ConnectorErrorCodes.General,
    requests: 0,
    data: { reason: 'network', systemCode: 'ECONNREFUSED', requestSent: false, attempts: 1 + maxRetries },
    rule: 'nothing was sent: retried 1 + maxRetries times',
  },
  {
    name: 'accepts and never answers',
    start: async () => startHttpFaultServer(behaviours.hang()),
    code: ConnectorErrorCodes.General,
    requests: 1,
    data: timedOutAfterSending,
    rule: `deadline; ${notRetried}`,
  },
  {
    name: 'sends headers, then stalls',
    start: async () => startHttpFaultServer(behaviours.headersThenStall()),
    code: ConnectorErrorCodes.General,
    requests: 1,
    data: timedOutAfterSending,
    rule: `deadline; ${notRetried}`,
  },
  {
    name: 'slow trickle (1 byte / 100 ms)',
    start: async () => startHttpFaultServer(behaviours.trickle()),
    code: ConnectorErrorCodes.General,
    requests: 1,
    data: timedOutAfterSending,
    rule: `deadline covers the body too; ${notRetried}`,
  },
  {
    name: 'TLS handshake never completes',
    start: async () => startTcpFaultServer(tcpBehaviours.silent()),
    code: ConnectorErrorCodes.General,
    requests: 0,
    connections: 1,
    data: { reason: 'timeout', requestSent: false, attempts: 1 },
    rule: 'deadline; the deadline is spent, so no retry',
  },
  {
    name: 'connection reset (RST) mid-body',
    start: async () => startHttpFaultServer(behaviours.resetMidBody()),
    code: ConnectorErrorCodes.General,
    requests: 1,
    data: { reason: 'network', requestSent: true, attempts: 1 },
    rule: notRetried,
  },
  {
    name: 'connection reset (RST) before any answer',
    start: async () => startHttpFaultServer(behaviours.resetBeforeAnswer()),
    code: ConnectorErrorCodes.General,
    requests: 1,
    data: { reason: 'network', requestSent: true, attempts: 1 },
    rule: notRetried,
  },
  {
    name: 'connection closed as soon as accepted',
    start: async () => startTcpFaultServer(tcpBehaviours.closeOnAccept(), 'http'),
    code: ConnectorErrorCodes.General,
    requests: 0,
    connections: 1,
    data: { reason: 'network', requestSent: true, attempts: 1 },
    rule: 'connected, so it may have been sent: not retried',
  },
  {
    name: 'answer that is not HTTP',
    start: async () => startTcpFaultServer(tcpBehaviours.notHttp(), 'http'),
    code: ConnectorErrorCodes.General,
    requests: 0,
    connections: 1,
    data: { reason: 'network', requestSent: true, attempts: 1 },
    rule: notRetried,
  },
  {
    name: 'headers over 16 KB',
    start: async () => startHttpFaultServer(behaviours.oversizedHeaders()),
    code: ConnectorErrorCodes.General,
    requests: 1,
    data: { reason: 'network', requestSent: true, attempts: 1 },
    rule: notRetried,
  },
  ...[500, 502, 503].map((status): FaultCase => ({
    name: `${status} with an HTML page`,
    start: async () => startHttpFaultServer(behaviours.htmlError(status)),
    code: ConnectorErrorCodes.InvalidResponse,
    requests: 1,
    data: { status, attempts: 1 },
    rule: `5xx: ${notRetried}`,
  })),
  {
    name: '503 with an HTML page and Retry-After: 0',
    start: async () => startHttpFaultServer(behaviours.htmlError(503, { 'retry-after': '0' })),
    code: ConnectorErrorCodes.InvalidResponse,
    requests: 1,
    data: { status: 503, attempts: 1 },
    rule: `5xx, even with Retry-After: ${notRetried}`,
  },
  {
    name: '500 with Twilio error JSON (20500)',
    start: async () => startHttpFaultServer(behaviours.twilioError(500, 20_500, 'An internal server error has occurred')),
    code: ConnectorErrorCodes.General,
    requests: 1,
    data: { ...twilioJson(500, 20_500, 'An internal server error has occurred'), attempts: 1 },
    rule: `5xx: ${notRetried}`,
  },
  {
    name: '429 without Retry-After',
    start: async () => startHttpFaultServer(behaviours.tooManyRequests()),
    timeoutMs: 5000, // the backoffs (200 + 400 ms, with jitter) must fit, even on a loaded machine
    code: ConnectorErrorCodes.RateLimitExceeded,
    requests: 1 + maxRetries,
    data: { status: 429, attempts: 1 + maxRetries },
    rule: `${rateLimit} (backoff with jitter)`,
  },
  {
    name: '429 with Retry-After: 1',
    start: async () => startHttpFaultServer(behaviours.tooManyRequests('1')),
    timeoutMs: 5000,
    code: ConnectorErrorCodes.RateLimitExceeded,
    requests: 1 + maxRetries,
    data: { status: 429, retryAfterSeconds: 1, attempts: 1 + maxRetries },
    rule: `${rateLimit}, Retry-After honoured`,
  },
  {
    name: '429 with Retry-After: 30 (beyond the deadline)',
    start: async () => startHttpFaultServer(behaviours.tooManyRequests('30')),
    code: ConnectorErrorCodes.RateLimitExceeded,
    requests: 1,
    data: { status: 429, retryAfterSeconds: 30, attempts: 1 },
    endsBeforeMs: 10_000,
    rule: 'a Retry-After past the deadline is not waited for',
  },
  {
    name: '429 with Retry-After as an HTTP date an hour away',
    start: async () => startHttpFaultServer(behaviours.tooManyRequests(new Date(Date.now() + 3_600_000).toUTCString())),
    code: ConnectorErrorCodes.RateLimitExceeded,
    requests: 1,
    data: { status: 429, attempts: 1 },
    endsBeforeMs: 10_000,
    rule: 'a Retry-After past the deadline is not waited for',
  },
  {
    name: '429 with Twilio error JSON (20429)',
    start: async () => startHttpFaultServer(behaviours.twilioError(429, 20_429, 'Too Many Requests')),
    timeoutMs: 5000,
    code: ConnectorErrorCodes.RateLimitExceeded,
    requests: 1 + maxRetries,
    data: { ...twilioJson(429, 20_429, 'Too Many Requests'), attempts: 1 + maxRetries },
    rule: rateLimit,
  },
  {
    name: '400 with Twilio error JSON (21611, queue full)',
    start: async () =>
      startHttpFaultServer(
        behaviours.twilioError(400, 21_611, "This 'From' number has exceeded the maximum number of queued messages")
      ),
    code: ConnectorErrorCodes.RateLimitExceeded,
    requests: 1,
    data: { ...twilioJson(400, 21_611, "This 'From' number has exceeded the maximum number of queued messages"), attempts: 1 },
    rule: 'a 4xx other than 429/20429 is never retried',
  },
  {
    name: '401 with Twilio error JSON (20003)',
    start: async () => startHttpFaultServer(behaviours.twilioError(401, 20_003, 'Authenticate')),
    code: ConnectorErrorCodes.InvalidConfig,
    requests: 1,
    data: { ...twilioJson(401, 20_003, 'Authenticate'), attempts: 1 },
    rule: 'a 4xx other than 429/20429 is never retried',
  },
  {
    name: '400 with Twilio error JSON (21211, invalid To)',
    start: async () => startHttpFaultServer(behaviours.twilioError(400, 21_211, "The 'To' number is not a valid phone number.")),
    code: ConnectorErrorCodes.InvalidRequestParameters,
    requests: 1,
    data: { ...twilioJson(400, 21_211, "The 'To' number is not a valid phone number."), attempts: 1 },
    rule: 'a 4xx other than 429/20429 is never retried',
  },
  {
    name: '201 with malformed JSON',
    start: async () => startHttpFaultServer(behaviours.malformedJson(201)),
    code: ConnectorErrorCodes.InvalidResponse,
    requests: 1,
    data: { status: 201, attempts: 1 },
    rule: notRetried,
  },
  {
    name: '400 with malformed JSON',
    start: async () => startHttpFaultServer(behaviours.malformedJson(400)),
    code: ConnectorErrorCodes.InvalidResponse,
    requests: 1,
    data: { status: 400, attempts: 1 },
    rule: notRetried,
  },
  {
    name: '201 with a 10 MB body',
    start: async () => startHttpFaultServer(behaviours.hugeBody()),
    code: ConnectorErrorCodes.InvalidResponse,
    requests: 1,
    data: { status: 201, attempts: 1 },
    rule: `read stops at 1 MB; ${notRetried}`,
  },
  {
    name: '307 redirect to another server',
    start: async () => {
      const elsewhere = await startHttpFaultServer(behaviours.created());
      const target = await startHttpFaultServer(behaviours.redirect(`${elsewhere.baseUrl}/2010-04-01/Accounts/x/Messages.json`));
      return { ...target, others: [elsewhere] };
    },
    code: ConnectorErrorCodes.InvalidResponse,
    requests: 1,
    data: { status: 307, attempts: 1 },
    rule: 'not followed: the credentials never go elsewhere',
  },
];
