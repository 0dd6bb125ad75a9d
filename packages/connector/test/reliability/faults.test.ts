/**
 * The fault matrix over real sockets: every case in fault-cases.ts, under every auth mode. Each
 * send must end with a ConnectorError of the expected code within its deadline and bounded
 * retries, the server must have seen no unsafe second request, and neither the error nor anything
 * written to the output may hold a secret.
 */
import { ConnectorError } from '@logto/connector-kit';
import { sendSms } from '@smsdesk/connector-twilio-sms';

import { faultCases, maxRetries } from './helpers/fault-cases.js';
import { authModes, captureOutput, code, configFor, findSecrets, leaksOf, settle } from './helpers/secrets.js';

const output = captureOutput();
afterAll(() => {
  output.restore();
  expect(findSecrets(output.text())).toEqual([]);
});

describe.concurrent.each(authModes)('faults with $name', (mode) => {
  describe('every case', () => {
    it.each(faultCases)('$name: ends with $code after $requests request(s), no secret anywhere', async (fault) => {
      const target = await fault.start();
      const timeoutMs = fault.timeoutMs ?? 1000;
      try {
        const outcome = await settle(
          sendSms(configFor(target.baseUrl, mode, { timeoutMs, maxRetries }), {
            to: '14155552671',
            type: 'SignIn',
            payload: { code },
          }),
          // A guard against hanging, far above deadline + retries: not a timing assertion.
          timeoutMs * 2 + 5000
        );

        expect(outcome.status).toBe('rejected');
        const error = outcome.status === 'rejected' ? outcome.error : undefined;
        expect(error).toBeInstanceOf(ConnectorError);
        const connectorError = error as ConnectorError;
        expect(connectorError.code).toBe(fault.code);
        expect(connectorError.data).toMatchObject(fault.data);
        expect(typeof (connectorError.data as { message?: unknown }).message).toBe('string');

        expect(target.requests).toHaveLength(fault.requests);
        if (fault.connections !== undefined) {
          expect(target.connections()).toBe(fault.connections);
        }
        for (const other of target.others ?? []) {
          expect(other.requests).toHaveLength(0);
        }
        if (fault.endsBeforeMs !== undefined) {
          expect(outcome.elapsedMs).toBeLessThan(fault.endsBeforeMs);
        }

        // The secrets were really on the wire, so finding none in the error means something.
        for (const request of target.requests) {
          expect(request.headers.authorization).toBe(mode.authorization);
          expect(request.form.get('To')).toBe('+14155552671');
          expect(request.form.get('Body')).toBe(`Your sign-in code is ${code}.`);
        }

        expect(leaksOf(error)).toEqual([]);
        expect(findSecrets(output.text())).toEqual([]);
      } finally {
        await Promise.all([target.close(), ...(target.others ?? []).map(async (other) => other.close())]);
      }
    });
  });
});
