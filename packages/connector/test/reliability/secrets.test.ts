/**
 * Secrecy beyond the fault matrix: servers that repeat the request back, invalid configs that
 * carry secrets, and the official connector as the proof that the detector finds a real leak.
 */
import https from 'node:https';
import type net from 'node:net';

import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import createOfficialConnector from '@logto/connector-twilio-sms';
import { configSecrets, sendSms } from '@smsdesk/connector-twilio-sms';

import { callbackEchoes, echoAuthModes, echoCases, echoForms, echoPlacements, echoedNumbers } from './helpers/echo-cases.js';
import { type FaultTarget, behaviours, refusedTarget, startHttpFaultServer } from './helpers/fault-server.js';
import {
  accountSID,
  apiKeySID,
  apiKeySecret,
  authModes,
  authToken,
  captureOutput,
  code,
  configFor,
  dataOf,
  echoedPieces,
  findSecrets,
  keyCredentials,
  leaksOf,
  messagingServiceSID,
  rejectionOf,
  settle,
  templates,
  tokenCredentials,
} from './helpers/secrets.js';
import { secretConfigCases, sendInputsWithSecrets } from './helpers/secret-config-cases.js';

const output = captureOutput();
afterAll(() => {
  output.restore();
  expect(findSecrets(output.text())).toEqual([]);
});

const message = { to: '+14155552671', type: 'SignIn', payload: { code } };

describe.each(authModes)('servers that repeat the request, with $name', (mode) => {
  describe.concurrent('every case', () => {
    for (const echo of echoCases) {
      it(echo.name, async () => {
        const target = await startHttpFaultServer(echo.behaviour);
        try {
          // No case waits for the deadline: a long one keeps a loaded machine's cold start from timing out.
          const error = await rejectionOf(sendSms(configFor(target.baseUrl, mode, { timeoutMs: 10_000 }), message));
          expect(error.code).toBe(echo.code);
          // The server did see the secrets, so the detector had something to find.
          expect(target.requests[0]?.headers.authorization).toBe(mode.authorization);
          expect(leaksOf(error)).toEqual([]);
          expect(findSecrets(output.text())).toEqual([]);
        } finally {
          await target.close();
        }
      });
    }
  });
});

describe.each(echoAuthModes)('servers that repeat a secret in another form, with $name', (mode) => {
  describe.concurrent.each(echoPlacements)('in $name', (placement) => {
    it.each(echoForms)('$name: nothing of it in the message, data or stack', async (form) => {
      let echoed = '';
      const target = await startHttpFaultServer((exchange) => {
        echoed = form.echo(exchange.recorded);
        placement.respond(exchange, echoed);
      });
      try {
        // No case waits: a long deadline only keeps a loaded machine from turning one into a timeout.
        const error = await rejectionOf(sendSms(configFor(target.baseUrl, mode, { timeoutMs: 10_000 }), message));
        expect(error.code).toBe(placement.code);
        expect(target.requests[0]?.headers.authorization).toBe(mode.authorization);
        expect(echoed.length).toBeGreaterThanOrEqual(9);
        for (const text of [error.message, JSON.stringify(error.data), error.stack ?? '']) {
          expect(echoedPieces(text, echoed)).toEqual([]);
        }
        expect(leaksOf(error)).toEqual([]);
      } finally {
        await target.close();
      }
    });
  });
});

describe('numbers a server sends back', () => {
  it.each(echoedNumbers)('$name is not shown', async ({ respond }) => {
    const target = await startHttpFaultServer(({ response }) => respond(response));
    try {
      const error = await rejectionOf(
        sendSms(configFor(target.baseUrl, undefined, { timeoutMs: 10_000, maxRetries: 0 }), message)
      );
      expect(JSON.stringify(error.data) + error.message + (error.stack ?? '')).not.toContain(code);
      expect(leaksOf(error)).toEqual([]);
    } finally {
      await target.close();
    }
  });
});

describe('a redisUrl with credentials', () => {
  it('is a secret whole, with its password as written and decoded, even when its %-encoding is malformed', () => {
    expect(configSecrets({ redisUrl: 'redis://default:p%40ss-W0rd@cache.internal:6379' })).toEqual([
      'redis://default:p%40ss-W0rd@cache.internal:6379',
      'p%40ss-W0rd',
      'p@ss-W0rd',
    ]);
    // decodeURIComponent throws on "%zz": the password is still a secret on its own.
    expect(configSecrets({ redisUrl: 'redis://:pass%zzword@cache.internal:6379' })).toEqual([
      'redis://:pass%zzword@cache.internal:6379',
      'pass%zzword',
    ]);
    // An address without credentials is not a secret; neither is a request to use Logto's REDIS_URL.
    expect(configSecrets({ redisUrl: 'redis://cache.internal:6379' })).toEqual([]);
    expect(configSecrets({ redisUrl: 'true' })).toEqual([]);
  });
});

describe('a status callback with user:password (Twilio calls it with Basic auth)', () => {
  const callbackPassword = 'Cb7pW2xQ9mK4vL8n';
  const statusCallback = `https://hooks:${callbackPassword}@example.com/twilio/status?site=1`;
  const longUser = `https://twilio-hooks:${callbackPassword}@example.com/status`;

  it('is accepted and sent to Twilio as written; its password is a config secret', async () => {
    const target = await startHttpFaultServer(behaviours.created());
    try {
      await sendSms(configFor(target.baseUrl, undefined, { statusCallback, timeoutMs: 10_000 }), message);
      expect(target.requests[0]?.form.get('StatusCallback')).toBe(statusCallback);
      expect(configSecrets(configFor(target.baseUrl, undefined, { statusCallback }))).toEqual(
        expect.arrayContaining([callbackPassword])
      );
      // A user name that could be a credential is one too; a short one would blot out other text.
      expect(configSecrets({ statusCallback: longUser })).toEqual([callbackPassword, 'twilio-hooks']);
      expect(configSecrets({ statusCallback })).toEqual([callbackPassword]);
    } finally {
      await target.close();
    }
  });

  it.each(callbackEchoes)(
    'a server that repeats it ($name) gets none of the password into the error',
    async ({ echo: echoOf }) => {
      const target = await startHttpFaultServer(({ response, recorded }) => {
        const echo = echoOf(recorded.form.get('StatusCallback') ?? '', `hooks:${callbackPassword}`);
        const text = JSON.stringify({ code: 21_609, message: `Invalid StatusCallback ${echo}`, status: 400 });
        response.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        response.end(text);
      });
      try {
        const error = await rejectionOf(
          sendSms(configFor(target.baseUrl, undefined, { statusCallback, timeoutMs: 10_000 }), message)
        );
        const texts = [error.message, JSON.stringify(error.data), error.stack ?? ''].join('\n');
        expect(echoedPieces(texts, callbackPassword)).toEqual([]);
        expect(leaksOf(error, { callbackPassword })).toEqual([]);
      } finally {
        await target.close();
      }
    }
  );
});

describe('the code as a number (a payload Logto does not send, but a caller might)', () => {
  it('is redacted from what the server repeats back', async () => {
    const target = await startHttpFaultServer(echoCases[0]!.behaviour);
    try {
      const error = await rejectionOf(
        sendSms(configFor(target.baseUrl), { ...message, payload: { code: Number(code) } as never })
      );
      expect(target.requests[0]?.form.get('Body')).toContain(code);
      expect(leaksOf(error)).toEqual([]);
    } finally {
      await target.close();
    }
  });
});

describe('invalid configs that carry secrets', () => {
  it.each(secretConfigCases)('$name: invalid_config at $path, no secret in the error', async ({ config, path }) => {
    const error = await rejectionOf(sendSms(config, message));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    const issues = dataOf(error).issues as Array<{ path: string }>;
    expect(issues.map((issue) => issue.path)).toContain(path);
    expect(leaksOf(error)).toEqual([]);
    expect(findSecrets(output.text())).toEqual([]);
  });
});

describe('send-input errors with a valid config', () => {
  it.each(sendInputsWithSecrets)('$name: no secret in the error', async ({ to, payload }) => {
    const target = await startHttpFaultServer(() => {});
    try {
      for (const mode of authModes) {
        const error = await rejectionOf(sendSms(configFor(target.baseUrl, mode), { to, type: 'SignIn', payload }));
        expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
        expect(leaksOf(error)).toEqual([]);
      }
      expect(target.requests).toHaveLength(0);
    } finally {
      await target.close();
    }
  });
});

/**
 * The official connector sends to api.twilio.com through got on https.globalAgent: to point it at a
 * refused port, its connections are redirected there for the duration of the call.
 */
async function withTwilioRedirectedTo<T>(target: FaultTarget, run: () => Promise<T>): Promise<T> {
  const agent = https.globalAgent as https.Agent & {
    createConnection: (options: net.NetConnectOpts, callback?: unknown) => net.Socket;
  };
  const original = agent.createConnection;
  agent.createConnection = function (this: unknown, options: net.NetConnectOpts, callback?: unknown) {
    return original.call(this, { ...options, host: '127.0.0.1', port: target.port } as net.NetConnectOpts, callback);
  };
  try {
    return await run();
  } finally {
    agent.createConnection = original;
  }
}

describe('the detector finds a real leak: the official connector, connection refused', () => {
  it('leaks the base64 credentials and the code; ours does not, same case', async () => {
    const target = await refusedTarget();
    const officialConfig = { accountSID, authToken, fromMessagingServiceSID: messagingServiceSID, templates };
    const connector = await createOfficialConnector({ getConfig: async () => officialConfig });

    const outcome = await withTwilioRedirectedTo(target, async () =>
      settle(connector.sendMessage({ ...message, type: 'SignIn' } as never, officialConfig), 15_000)
    );
    expect(outcome.status).toBe('rejected');
    const officialError = outcome.status === 'rejected' ? outcome.error : undefined;
    expect(officialError).not.toBeInstanceOf(ConnectorError);
    expect((officialError as { code?: string }).code).toBe('ECONNREFUSED');

    const officialLeaks = leaksOf(officialError);
    expect(officialLeaks.some((leak) => leak.includes('tokenCredentials'))).toBe(true);
    expect(officialLeaks.some((leak) => leak.includes('code'))).toBe(true);

    const ours = await rejectionOf(sendSms(configFor(target.baseUrl), message));
    expect(ours.code).toBe(ConnectorErrorCodes.General);
    expect(dataOf(ours)).toMatchObject({ reason: 'network', requestSent: false });
    expect(leaksOf(ours)).toEqual([]);
  });

  it('the output capture sees console, stdout, stderr and process warnings', async () => {
    console.log('capture-check-log');
    console.error('capture-check-error');
    process.stdout.write('capture-check-stdout\n');
    process.stderr.write('capture-check-stderr\n');
    process.emitWarning('capture-check-warning');
    await new Promise((resolve) => setImmediate(resolve));
    for (const marker of ['log', 'error', 'stdout', 'stderr', 'warning']) {
      expect(output.text()).toContain(`capture-check-${marker}`);
    }
  });

  it('the detector sees every secret in every form it checks', () => {
    const texts = [authToken, apiKeySecret, tokenCredentials, keyCredentials, code, encodeURIComponent(keyCredentials)];
    for (const text of texts) {
      expect(findSecrets(`before ${text} after`)).not.toEqual([]);
    }
    // A cut secret is still found.
    expect(findSecrets(`…${tokenCredentials.slice(0, 30)}`)).not.toEqual([]);
    expect(findSecrets(`…${apiKeySecret.slice(10, 30)}…`)).not.toEqual([]);
    expect(findSecrets(`${apiKeySID} ${accountSID} +14155552671`)).toEqual([]);
  });
});
