// The five senders. Each `create()` returns `send(serial)`, which sends one verification code to
// the fake endpoint and resolves once the response is read, or throws.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as f from './fixtures.js';

/** The built connector; BENCH_CONNECTOR_LIB points at another build (to compare two versions). */
export const connectorLib = process.env.BENCH_CONNECTOR_LIB
  ? resolve(process.env.BENCH_CONNECTOR_LIB)
  : fileURLToPath(new URL('../../packages/connector/lib/index.js', import.meta.url));

const form = (serial) =>
  new URLSearchParams({
    To: f.destination(serial),
    MessagingServiceSid: f.messagingServiceSID,
    Body: f.body(f.code(serial)),
    RiskCheck: 'enable',
  }).toString();

const headers = { authorization: f.authorization, 'content-type': 'application/x-www-form-urlencoded' };

const check = (ok, what) => {
  if (!ok) throw new Error(`unexpected response: ${what}`);
};

async function createConnectorSender(lib, guard = 'off') {
  const { default: createConnector } = await import(lib);
  // Logto reads the stored config through getConfig on every send: a fresh object each time.
  const connector = await createConnector({ getConfig: async () => f.storedConfig(guard) });
  return async (serial) => {
    const sent = await connector.sendMessage({
      to: f.destination(serial).slice(1),
      type: 'SignIn',
      payload: { code: f.code(serial) },
    });
    check(sent?.sid?.startsWith('SM'), JSON.stringify(sent));
  };
}

export const senders = {
  connector: {
    label: 'this connector, guard off',
    create: () => createConnectorSender(connectorLib, 'off'),
  },
  connectorGuardMemory: {
    label: 'this connector, guard in memory',
    create: () => createConnectorSender(connectorLib, 'memory'),
  },
  connectorGuardRedis: {
    label: 'this connector, guard on Redis',
    create: () => createConnectorSender(connectorLib, 'redis'),
  },
  official: {
    label: '@logto/connector-twilio-sms 1.4.4',
    async create() {
      const { default: createConnector } = await import('@logto/connector-twilio-sms');
      const connector = await createConnector({ getConfig: async () => f.storedConfig() });
      return async (serial) => {
        const response = await connector.sendMessage({
          to: f.destination(serial).slice(1),
          type: 'SignIn',
          payload: { code: f.code(serial) },
        });
        check(response.statusCode === 201, response.statusCode);
      };
    },
  },
  twilio: {
    label: 'twilio SDK messages.create',
    async create() {
      const { default: twilio } = await import('twilio');
      const client = twilio(f.accountSID, f.authToken);
      return async (serial) => {
        const message = await client.messages.create({
          to: f.destination(serial),
          messagingServiceSid: f.messagingServiceSID,
          body: f.body(f.code(serial)),
          riskCheck: 'enable',
        });
        check(message.sid?.startsWith('SM'), message.sid);
      };
    },
  },
  undici: {
    label: 'undici.request loop (the limit)',
    async create() {
      const { request } = await import('undici');
      return async (serial) => {
        const response = await request(f.messagesUrl, { method: 'POST', headers, body: form(serial) });
        const message = await response.body.json();
        check(response.statusCode === 201 && message.sid?.startsWith('SM'), response.statusCode);
      };
    },
  },
  fetch: {
    label: 'Node fetch',
    async create() {
      return async (serial) => {
        const response = await fetch(f.messagesUrl, { method: 'POST', headers, body: form(serial) });
        const message = await response.json();
        check(response.status === 201 && message.sid?.startsWith('SM'), response.status);
      };
    },
  },
};

// BENCH_CONNECTOR_ALT_LIB (comma-separated) adds other builds of the connector as rows of their own,
// to measure a change against the current build in one run; BENCH_SENDERS limits the rows.
for (const [index, lib] of (process.env.BENCH_CONNECTOR_ALT_LIB?.split(',') ?? []).entries()) {
  const altLib = resolve(lib);
  senders[`connectorAlt${index + 1}`] = {
    label: `this connector, ${lib}`,
    create: () => createConnectorSender(altLib),
  };
}

export const senderNames = process.env.BENCH_SENDERS
  ? process.env.BENCH_SENDERS.split(',').filter((name) => name in senders)
  : Object.keys(senders);
