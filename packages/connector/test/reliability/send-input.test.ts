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
  controlCodes,
  emptyTemplates,
  invalidNumbers,
  nonObjectMessages,
  nonObjectPayloads,
  nonStringCodes,
  nonStringLocales,
  placeholderCodes,
  unknownTypes,
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

  it('values that name each other are not expanded twice', async () => {
    const { sent } = await send({ to: '+14155552671', type: 'Link', payload: { code: '{{link}}', link: '{{code}}' } });
    expect(sent?.get('Body')).toBe('Open {{code}} with code {{link}}');
  });

  it('{{constructor}}, {{__proto__}}, {{toString}} in a template do not reach the prototype', async () => {
    const { sent } = await send({ to: '+14155552671', type: 'Proto', payload: { code } });
    expect(sent?.get('Body')).toBe(`A {{constructor}} B {{__proto__}} C {{toString}} D ${code}`);
  });

  it.each(controlCodes)('a code with $name is sent exactly as rendered', async ({ code: value }) => {
    const { outcome, requests, sent } = await send({ to: '+14155552671', type: 'SignIn', payload: { code: value } });
    expect(outcome.status).toBe('fulfilled');
    expect(requests).toBe(1);
    expect(sent?.get('Body')).toBe(signIn(value));
  });

  it('a lone surrogate is sent as U+FFFD (what UTF-8 form encoding makes of it)', async () => {
    const { outcome, sent } = await send({ to: '+14155552671', type: 'SignIn', payload: { code: '\uD800' } });
    expect(outcome.status).toBe('fulfilled');
    expect(sent?.get('Body')).toBe(signIn('\uFFFD'));
  });

  it('a number as the code is rendered with String()', async () => {
    const { outcome, requests, sent } = await send({ to: '+14155552671', type: 'SignIn', payload: { code: 918_273 } });
    expect(outcome.status).toBe('fulfilled');
    expect(requests).toBe(1);
    expect(sent?.get('Body')).toBe(signIn('918273'));
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
  const over = [
    { name: '3 MB of ASCII', value: 'x'.repeat(3_000_000) },
    { name: '1 M Chinese characters', value: '验'.repeat(1_000_000) },
    { name: '1 M emoji', value: '😀'.repeat(1_000_000) },
    { name: 'one character too many (1,601)', value: 'x'.repeat(1600 - signIn('').length + 1) },
  ];

  it.each(over)('$name as the code → invalid_request_parameters about 1,600 characters, no request', async ({ value }) => {
    const { outcome, requests } = await send({ to: '+14155552671', type: 'SignIn', payload: { code: value } });
    expect(outcome.status).toBe('rejected');
    const error = outcome.status === 'rejected' ? outcome.error : undefined;
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(dataOf(error as ConnectorError).message).toMatch(/at most 1,?600/);
    expect(requests).toBe(0);
    expect(leaksOf(error)).toEqual([]);
  });

  it('a body of exactly 1,600 characters is sent', async () => {
    const value = 'x'.repeat(1600 - signIn('').length);
    const { outcome, sent } = await send({ to: '+14155552671', type: 'SignIn', payload: { code: value } });
    expect(outcome.status).toBe('fulfilled');
    expect(sent?.get('Body')).toHaveLength(1600);
  });

  it('megabytes in payload keys the template does not use are not sent', async () => {
    const { outcome, sent } = await send({
      to: '+14155552671',
      type: 'SignIn',
      payload: { code, unused: 'x'.repeat(5_000_000), locale: 'e'.repeat(1_000_000) },
    });
    expect(outcome.status).toBe('fulfilled');
    expect(sent?.get('Body')).toBe(signIn(code));
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

  it('an object payload without a code gets the same refusal, no request', async () => {
    for (const payload of [{}, { link: 'https://example.com/x', locale: 'en' }]) {
      const { outcome, requests } = await send({ to: '+14155552671', type: 'SignIn', payload });
      const error = errorOf(outcome);
      expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
      expect(dataOf(error).message).toBe('The SignIn template needs {{code}}, but the payload has no code.');
      expect(requests).toBe(0);
    }
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
  it.each([
    ['an empty code', ''],
    ['an explicitly undefined code', undefined],
  ])('%s with a {{code}} template → invalid_request_parameters, no request', async (_, value) => {
    const { outcome, requests } = await send({ to: '+14155552671', type: 'SignIn', payload: { code: value } });
    expect(errorOf(outcome).code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(dataOf(errorOf(outcome)).message).toBe('The SignIn template needs {{code}}, but the payload has no code.');
    expect(requests).toBe(0);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('%s as the code → invalid_request_parameters, no request', async (value) => {
    const { outcome, requests } = await send({ to: '+14155552671', type: 'SignIn', payload: { code: value } });
    expect(errorOf(outcome).code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
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
  const noCode = 'The SignIn template needs {{code}}, but the payload has no code.';
  const revoked = () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };
  const throwingTraps = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error('ownKeys trap');
      },
      get() {
        throw new Error('get trap');
      },
    }
  );

  it('an inherited code is not a code: refused, never sent as "{{code}}"', async () => {
    const { outcome, requests } = await send({ to: '+14155552671', type: 'SignIn', payload: Object.create({ code }) });
    const error = errorOf(outcome);
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(dataOf(error).message).toBe(noCode);
    expect(requests).toBe(0);
  });

  it('a code behind a getter is not read (the check and the template see the same copy)', async () => {
    let reads = 0;
    const payload = {
      get code() {
        reads += 1;
        return reads === 1 ? code : undefined;
      },
    };
    const { outcome, requests } = await send({ to: '+14155552671', type: 'SignIn', payload });
    expect(dataOf(errorOf(outcome)).message).toBe(noCode);
    expect(reads).toBe(0);
    expect(requests).toBe(0);
  });

  it('a non-enumerable code is not read either', async () => {
    const payload = Object.defineProperty({}, 'code', { value: code, enumerable: false });
    const { outcome, requests } = await send({ to: '+14155552671', type: 'SignIn', payload });
    expect(dataOf(errorOf(outcome)).message).toBe(noCode);
    expect(requests).toBe(0);
  });

  it.each([
    [
      'a throwing getter for code',
      {
        get code(): string {
          throw new Error('getter');
        },
      },
      noCode,
    ],
    ['a revoked proxy', revoked(), 'The payload could not be read: pass a plain object.'],
    ['a proxy whose traps throw', throwingTraps, 'The payload could not be read: pass a plain object.'],
  ])('%s as the payload → invalid_request_parameters, no request, no TypeError', async (_, payload, message) => {
    const { outcome, requests } = await send({ to: '+14155552671', type: 'SignIn', payload });
    const error = errorOf(outcome);
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(dataOf(error).message).toBe(message);
    expect(requests).toBe(0);
  });

  it.each([
    ['a revoked proxy', () => revoked()],
    ['a proxy whose traps throw', () => throwingTraps],
    [
      'a throwing getter for to',
      () => ({
        get to(): string {
          throw new Error('getter');
        },
        type: 'SignIn',
        payload: { code },
      }),
    ],
    [
      'a type whose toString throws',
      () => ({
        to: '+14155552671',
        type: {
          toString() {
            throw new Error('toString');
          },
        },
        payload: { code },
      }),
    ],
  ])('%s as the message → a ConnectorError, no request', async (_, message) => {
    const { outcome, requests } = await send(message());
    expect(errorOf(outcome).code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(requests).toBe(0);
  });

  it('a revoked proxy as the config → invalid_config, no request', async () => {
    const { outcome, requests } = await send({ to: '+14155552671', type: 'SignIn', payload: { code } }, revoked());
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
