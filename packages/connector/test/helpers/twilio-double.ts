/**
 * A scripted stand-in for Twilio on a real local socket: it records every request and answers
 * each with the next scripted reply (or a 201 Message), so tests can assert exactly what arrived.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

type RecordedRequest = {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  form: Record<string, string>;
};

export type Reply = {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
};

export const accountSid = 'AC0123456789abcdef0123456789abcdef';
export const messagingServiceSid = 'MG0123456789abcdef0123456789abcdef';
export const authToken = '5f1e0c3b9a7d4e2f8c6b1a0d9e8f7c6b';

const messageReply = (form: Record<string, string>): Reply => ({
  status: 201,
  body: {
    sid: 'SM0123456789abcdef0123456789abcdef',
    account_sid: accountSid,
    status: form.MessagingServiceSid ? 'accepted' : 'queued',
    to: form.To,
    from: form.From ?? null,
    messaging_service_sid: form.MessagingServiceSid ?? null,
    num_segments: form.MessagingServiceSid ? '0' : '1',
    date_created: new Date().toUTCString(),
    error_code: null,
  },
});

export type TwilioDouble = {
  url: string;
  requests: RecordedRequest[];
  /** Answers the next requests with these, in order; then 201s again. */
  script: (...replies: Reply[]) => void;
  close: () => Promise<void>;
};

export async function startTwilioDouble(): Promise<TwilioDouble> {
  const requests: RecordedRequest[] = [];
  const replies: Reply[] = [];

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const form = Object.fromEntries(new URLSearchParams(rawBody));
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        rawBody,
        form,
      });

      const reply = replies.shift() ?? messageReply(form);
      const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(body);
    });
  });

  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...next) => {
      replies.push(...next);
    },
    close: async () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** Twilio's error JSON. */
export const twilioError = (status: number, code: number, message: string, headers?: Record<string, string>): Reply => ({
  status,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  headers,
});
