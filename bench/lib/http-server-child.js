// An HTTP server in its own process, for the sandbox measurement. argv[2]:
// - "sandbox": the real sandbox (startSandbox) on a temp SQLite file, one account, and a status
//   step of BENCH_STATUS_DELAY_MS (large: creates only);
// - "minimal": a bare node:http responder answering every POST with a fixed 201 JSON, the limit
//   for an HTTP server on this machine.
// Says { ready, port } over IPC; answers { type: 'count' } with the messages stored/answered.
import { createServer } from 'node:http';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import * as f from './fixtures.js';

const kind = process.argv[2];
let count;
let close;
let port;

if (kind === 'sandbox') {
  const { startSandbox } = await import(fileURLToPath(new URL('../../packages/sandbox/lib/index.js', import.meta.url)));
  const db = process.env.BENCH_DB;
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(db + suffix, { force: true });
  const sandbox = await startSandbox({
    port: 0,
    db,
    env: {},
    accounts: [{ accountSid: f.accountSID, authToken: f.authToken }],
    statusDelayMs: Number(process.env.BENCH_STATUS_DELAY_MS ?? 600_000),
  });
  port = sandbox.port;
  count = () => sandbox.store.count(f.accountSID);
  close = () => sandbox.close();
} else {
  let answered = 0;
  const fixed = JSON.stringify({
    account_sid: f.accountSID,
    api_version: '2010-04-01',
    body: f.body('123456'),
    date_created: new Date().toUTCString(),
    direction: 'outbound-api',
    from: null,
    messaging_service_sid: f.messagingServiceSID,
    num_segments: '1',
    sid: `SM${'0'.repeat(32)}`,
    status: 'accepted',
    to: f.destination(1),
  });
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      answered += 1;
      response.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(fixed) });
      response.end(fixed);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = server.address().port;
  count = () => answered;
  close = async () => {
    server.closeAllConnections();
    server.close();
  };
}

process.on('message', async (command) => {
  if (command.type === 'count') {
    process.send({ ok: true, result: count() });
  } else if (command.type === 'exit') {
    await close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true, port });
