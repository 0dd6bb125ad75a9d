// The fake Twilio endpoint, in its own process: HTTPS with the throwaway certificate, answers
// POST /2010-04-01/Accounts/{AccountSid}/Messages.json with a 201 message resource as Twilio does,
// and counts what arrived so the bench can check that every send did.
//
// Env: BENCH_CERT, BENCH_KEY (PEM paths), BENCH_HOST, BENCH_PORT (0: ephemeral), BENCH_AUTH (the
// expected Authorization header). Tells its parent { ready, port } over IPC, answers { type: 'counts' }.
import { readFileSync } from 'node:fs';
import https from 'node:https';

const expectedAuth = process.env.BENCH_AUTH;
const counts = { ok: 0, bad: 0 };
let next = 0;

const path = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/;

function message(accountSid, form, serial) {
  const sid = `SM${serial.toString(16).padStart(32, '0')}`;
  const now = new Date().toUTCString().replace('GMT', '+0000');
  return JSON.stringify({
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: form.get('Body'),
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: form.get('From'),
    messaging_service_sid: form.get('MessagingServiceSid'),
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid,
    status: form.get('MessagingServiceSid') ? 'accepted' : 'queued',
    subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
    to: form.get('To'),
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
  });
}

function reject(response, status, code, text) {
  counts.bad += 1;
  const body = JSON.stringify({ code, message: text, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

const server = https.createServer(
  { cert: readFileSync(process.env.BENCH_CERT), key: readFileSync(process.env.BENCH_KEY), keepAliveTimeout: 60_000 },
  (request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const match = request.method === 'POST' && path.exec(request.url);
      if (!match) {
        return reject(response, 404, 20404, 'The requested resource was not found');
      }
      if (request.headers.authorization !== expectedAuth) {
        return reject(response, 401, 20003, 'Authenticate');
      }
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const to = form.get('To');
      const body = form.get('Body');
      if (!to || !/^\+\d{8,15}$/.test(to) || !body || !/\d{6}/.test(body) || !form.get('MessagingServiceSid')) {
        return reject(response, 400, 21211, 'Invalid parameters');
      }
      counts.ok += 1;
      next += 1;
      const json = message(match[1], form, next);
      response.writeHead(201, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(json),
        'twilio-request-id': `RQ${next.toString(16).padStart(32, '0')}`,
        'twilio-concurrent-requests': '1',
      });
      response.end(json);
    });
  }
);

process.on('message', (command) => {
  if (command.type === 'counts') {
    process.send({ ok: true, result: { ...counts } });
  } else if (command.type === 'exit') {
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));

server.listen(Number(process.env.BENCH_PORT ?? 0), process.env.BENCH_HOST ?? '127.0.0.1', () => {
  process.send({ ready: true, port: server.address().port });
});
