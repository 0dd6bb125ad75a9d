/**
 * Bad send input against a server that answers 201: invalid destinations, over-long bodies, codes
 * that are not strings or numbers, a missing code and empty templates are refused before any
 * request; odd usage types fall back to Generic; payload values are rendered once and never
 * expanded again; and nothing odd in a payload or message crashes a send.
 */
import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { checkConfig, sendSms } from '@smsdesk/connector-twilio-sms';

import { type FaultTarget, behaviours, startHttpFaultServer } from './helpers/fault-server.js';
import {
  captureOutput,
  code,
  configFor,
  dataOf,
  findSecrets,
  leaksOf,
  rejectionOf,
  settle,
  templates,
} from './helpers/secrets.js';
import {
  acceptedNumbers,
  codelessPayloads,
  controlCodes,
  emptyTemplates,
  invalidNumbers,
  largePayloadsSent,
  nonObjectMessages,
  nonObjectPayloads,
  nonStringCodes,
  nonStringLocales,
  oversizedCodes,
  placeholderCodes,
  renderedPayloads,
  unknownTypes,
  unreadableMessages,
  unreadablePayloads,
  unsendableCodes,
} from './helpers/send-input-cases.js';

let server: FaultTarget;
let config: ReturnType<typeof configFor>;
beforeAll(async () => {
  server = await startHttpFaultServer(behaviours.created());
  config = configFor(server.baseUrl, undefined, {
    templates: [
      ...templates,
      { usageType: 'Link', content: 'Open {{link}} with code {{code}}' },
      { usageType: 'Proto', content: 'A {{constructor}} B {{__proto__}} C {{toString}} D {{code}}' },
      { usageType: 'Welcome', content: 'Welcome aboard!' },
      { usageType: 'SignIn', locale: 'fr', content: 'Votre code de connexion est {{code}}.' },
    ],
  });
});
const output = captureOutput();
afterAll(async () => {
  output.restore();
  await server.close();
});
// The code this file uses on purpose in bodies is the distinctive one: none of it may reach the output.
afterEach(() => {
  expect(findSecrets(output.text())).toEqual([]);
});

/** Sends `message` and returns what happened and how many requests it made. */
async function send(message: unknown, sendConfig: unknown = config) {
  const before = server.requests.length;
  const outcome = await settle(sendSms(sendConfig, message as never), 15_000);
  return {
    outcome,
    requests: server.requests.length - before,
    sent: server.requests.length > before ? server.requests.at(-1)!.form : undefined,
  };
}

const signIn = (value: string) => `Your sign-in code is ${value}.`;

/** The ConnectorError `outcome` rejected with, failing the test if it fulfilled or threw anything else. */
function errorOf(outcome: Awaited<ReturnType<typeof send>>['outcome']): ConnectorError {
  expect(outcome.status).toBe('rejected');
  const error = outcome.status === 'rejected' ? outcome.error : undefined;
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe('destinations', () => {
  it.each(invalidNumbers)('$name → invalid_request_parameters saying why, no request', async ({ to, reason }) => {
    const before = server.requests.length;
    const error = await rejectionOf(sendSms(config, { to: to as string, type: 'SignIn', payload: { code } }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(dataOf(error)).toMatchObject({ field: 'to' });
    expect(dataOf(error).message).toMatch(reason);
    expect(dataOf(error).message).toMatch(/international format/);
    expect(server.requests.length).toBe(before);
    expect(leaksOf(error)).toEqual([]);
  });

  it.each(acceptedNumbers)('$name → sent once as $e164', async ({ to, e164 }) => {
    const { outcome, requests, sent } = await send({ to, type: 'SignIn', payload: { code } });
    expect(outcome.status).toBe('fulfilled');
    expect(requests).toBe(1);
    expect(sent?.get('To')).toBe(e164);
    expect(sent?.get('Body')).toBe(signIn(code));
  });
});

describe('usage types without a template', () => {
  it.each(unknownTypes)('$name → the Generic template', async ({ type }) => {
    const { outcome, requests, sent } = await send({ to: '+14155552671', type, payload: { code } });
    expect(outcome.status).toBe('fulfilled');
    expect(outcome.status === 'fulfilled' && outcome.value.template.usageType).toBe('Generic');
    expect(requests).toBe(1);
    expect(sent?.get('Body')).toBe(`Your verification code is ${code}.`);
  });
});

describe('payload values', () => {
  it.each(placeholderCodes)('code %s is sent as written, never expanded again', async (value) => {
    const { outcome, requests, sent } = await send({
      to: '+14155552671',
      type: 'SignIn',
      payload: { code: value, link: 'https://example.com/x', locale: 'en' },
    });
    expect(outcome.status).toBe('fulfilled');
    expect(requests).toBe(1);
    expect(sent?.get('Body')).toBe(signIn(value));
  });

  it.each(renderedPayloads)('$name', async ({ type, payload, body }) => {
    const { outcome, requests, sent } = await send({ to: '+14155552671', type, payload });
    expect(outcome.status).toBe('fulfilled');
    expect(requests).toBe(1);
    expect(sent?.get('Body')).toBe(body);
  });

  it.each(controlCodes)('a code with $name is sent exactly as rendered', async ({ code: value }) => {
    const { outcome, requests, sent } = await send({ to: '+14155552671', type: 'SignIn', payload: { code: value } });
    expect(outcome.status).toBe('fulfilled');
    expect(requests).toBe(1);
    expect(sent?.get('Body')).toBe(signIn(value));
  });

  it.each(nonStringCodes)('$name as the code → invalid_request_parameters, no request', async ({ code: value }) => {
    const { outcome, requests } = await send({ to: '+14155552671', type: 'SignIn', payload: { code: value } });
    const error = errorOf(outcome);
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(dataOf(error).message).toBe('The verification code (payload.code) must be a string.');
    expect(requests).toBe(0);
    expect(leaksOf(error)).toEqual([]);
  });

  it.each(nonStringLocales)(
    '$name as the locale is ignored: the SignIn template without a locale, sent once',
    async ({ locale }) => {
      const { outcome, requests, sent } = await send({ to: '+14155552671', type: 'SignIn', payload: { code, locale } });
      expect(outcome.status).toBe('fulfilled');
      expect(outcome.status === 'fulfilled' && outcome.value.template).toEqual({ usageType: 'SignIn' });
      expect(requests).toBe(1);
      expect(sent?.get('Body')).toBe(signIn(code));
    }
  );
});

describe('megabytes of text', () => {
  it.each(oversizedCodes)(
    '$name as the code → invalid_request_parameters about 1,600 characters, no request',
    async ({ code: value }) => {
      const { outcome, requests } = await send({ to: '+14155552671', type: 'SignIn', payload: { code: value } });
      expect(outcome.status).toBe('rejected');
      const error = outcome.status === 'rejected' ? outcome.error : undefined;
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
      expect(dataOf(error as ConnectorError).message).toMatch(/at most 1,?600/);
      expect(requests).toBe(0);
      expect(leaksOf(error)).toEqual([]);
    }
  );

  it.each(largePayloadsSent)('$name: sent as rendered, at most 1,600 characters', async ({ payload, body }) => {
    const { outcome, sent } = await send({ to: '+14155552671', type: 'SignIn', payload });
    expect(outcome.status).toBe('fulfilled');
    expect(body.length).toBeLessThanOrEqual(1600);
    expect(sent?.get('Body')).toBe(body);
  });
});

describe('payloads and messages that are not objects', () => {
  // A payload that is not an object has no code: the connector never sends an unrendered {{code}}.
  it.each(nonObjectPayloads)(
    '$name as the payload, SignIn template with {{code}} → invalid_request_parameters, no request',
    async ({ payload }) => {
      const { outcome, requests } = await send({ to: '+14155552671', type: 'SignIn', payload });
      const error = errorOf(outcome);
      expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
      expect(dataOf(error).message).toBe('The SignIn template needs {{code}}, but the payload has no code.');
      expect(requests).toBe(0);
    }
  );

  it.each(nonObjectPayloads)('$name as the payload, a template without {{code}} → sent once as written', async ({ payload }) => {
    const { outcome, requests, sent } = await send({ to: '+14155552671', type: 'Welcome', payload });
    expect(outcome.status).toBe('fulfilled');
    expect(requests).toBe(1);
    expect(sent?.get('Body')).toBe('Welcome aboard!');
  });

  it.each(codelessPayloads)('$name as the payload (no code) gets the same refusal, no request', async ({ payload }) => {
    const { outcome, requests } = await send({ to: '+14155552671', type: 'SignIn', payload });
    const error = errorOf(outcome);
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(dataOf(error).message).toBe('The SignIn template needs {{code}}, but the payload has no code.');
    expect(requests).toBe(0);
  });

  it.each(nonObjectMessages)('$name as the message → a ConnectorError, no request', async ({ message }) => {
    const { outcome, requests } = await send(message);
    const error = errorOf(outcome);
    // No payload, so no code, for the Generic template the missing type falls back to.
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(requests).toBe(0);
  });
});

describe('codes that cannot be sent', () => {
  it.each(unsendableCodes)('$name with a {{code}} template → invalid_request_parameters, no request', async ({ code: value }) => {
    const { outcome, requests } = await send({ to: '+14155552671', type: 'SignIn', payload: { code: value } });
    expect(errorOf(outcome).code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    if (typeof value !== 'number') {
      expect(dataOf(errorOf(outcome)).message).toBe('The SignIn template needs {{code}}, but the payload has no code.');
    }
    expect(requests).toBe(0);
  });
});

describe('an empty template (accepted, as by the official guard; only a send that uses it is refused)', () => {
  const withEmpty = (content: string) =>
    configFor(server.baseUrl, undefined, { templates: [...templates, { usageType: 'OrganizationInvitation', content }] });

  it.each(emptyTemplates)('$name: accepted, with a warning at its content path', ({ content }) => {
    const { ok, issues } = checkConfig(withEmpty(content));
    expect(ok).toBe(true);
    expect(issues.filter(({ severity }) => severity === 'error')).toEqual([]);
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: 'templates[4].content',
        severity: 'warning',
        message: expect.stringContaining('OrganizationInvitation'),
      })
    );
  });

  it.each(emptyTemplates)('$name: a send with it → invalid_config naming the template, no request', async ({ content }) => {
    const { outcome, requests } = await send(
      { to: '+14155552671', type: 'OrganizationInvitation', payload: { code } },
      withEmpty(content)
    );
    const error = errorOf(outcome);
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(dataOf(error).message).toMatch(/OrganizationInvitation template is empty/);
    // The shape of every invalid_config: issues by JSON path.
    expect(dataOf(error).issues).toEqual([
      {
        path: 'templates[4].content',
        message: 'The OrganizationInvitation template is empty: give it content with a {{code}} placeholder',
      },
    ]);
    expect(requests).toBe(0);
    expect(leaksOf(error)).toEqual([]);
  });

  it.each(emptyTemplates)('$name: every other message is still sent', async ({ content }) => {
    const { outcome, requests, sent } = await send({ to: '+14155552671', type: 'SignIn', payload: { code } }, withEmpty(content));
    expect(outcome.status).toBe('fulfilled');
    expect(requests).toBe(1);
    expect(sent?.get('Body')).toBe(signIn(code));
  });
});

describe('payloads whose code the check and the template could read differently', () => {
  it.each(unreadablePayloads)(
    '$name as the payload → invalid_request_parameters, never sent as "{{code}}", no TypeError',
    async ({ payload, message }) => {
      const { outcome, requests } = await send({ to: '+14155552671', type: 'SignIn', payload: payload() });
      const error = errorOf(outcome);
      expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
      expect(dataOf(error).message).toBe(message);
      expect(requests).toBe(0);
    }
  );

  it.each(unreadableMessages)('$name as the message → a ConnectorError, no request', async ({ message }) => {
    const { outcome, requests } = await send(message());
    expect(errorOf(outcome).code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(requests).toBe(0);
  });

  it('a revoked proxy as the config → invalid_config, no request', async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const { outcome, requests } = await send({ to: '+14155552671', type: 'SignIn', payload: { code } }, proxy);
    expect(errorOf(outcome).code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(requests).toBe(0);
  });

  it('a nested value behind a throwing getter renders empty; the code is still sent', async () => {
    const nested = {
      usageType: 'Nested',
      content: 'Hi {{user.name}}, your code is {{code}}.',
    };
    const nestedConfig = { ...config, templates: [...config.templates, nested] };
    const user = {
      get name(): string {
        throw new Error('getter');
      },
    };
    const { outcome, sent } = await send({ to: '+14155552671', type: 'Nested', payload: { code, user } }, nestedConfig);
    expect(outcome.status).toBe('fulfilled');
    expect(sent?.get('Body')).toBe(`Hi , your code is ${code}.`);
  });
});
