/**
 * The bad-config corpus: hand-written cases plus fast-check properties. Every invalid config makes
 * `sendSms` reject with ConnectorError `invalid_config` whose `data.issues` names the JSON path,
 * never anything else (no TypeError), never a secret, and Object.prototype stays clean.
 */
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { checkConfig, parseConfig, sendSms } from '@smsdesk/connector-twilio-sms';
import fc from 'fast-check';

import {
  applyMutation,
  bases,
  cachePoisoners,
  invalidConfigCases,
  notAnObject,
  ownKeys,
  pollutingKeys,
  propertyRuns,
  singleMutation,
  validOwnKeyConfigs,
  withPollutingKey,
} from './helpers/config-cases.js';
import { captureOutput, code, dataOf, findSecrets, leaksOf, rejectionOf } from './helpers/secrets.js';

const output = captureOutput();
afterAll(() => {
  output.restore();
  expect(findSecrets(output.text())).toEqual([]);
});

const message = { to: '+14155552671', type: 'SignIn', payload: { code } };

const prototypes = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
const prototypeShape = () => prototypes.map((prototype) => Object.getOwnPropertyNames(prototype).sort().join(','));
const shapeBefore = prototypeShape();

function expectPrototypesClean() {
  expect(prototypeShape()).toEqual(shapeBefore);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
  expect(typeof Object.prototype.toString).toBe('function');
}

type Issue = { path: string; message: string };

/** Sends with `config`; it must reject with invalid_config naming `path`. Returns the issues. */
async function expectInvalid(config: unknown, path: string): Promise<Issue[]> {
  const error = await rejectionOf(sendSms(config, message), 10_000);
  expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
  const issues = dataOf(error).issues as Issue[];
  expect(Array.isArray(issues)).toBe(true);
  expect(issues.map((issue) => issue.path)).toContain(path);
  for (const issue of issues) {
    expect(issue.message).toEqual(expect.any(String));
    expect(issue.message.length).toBeGreaterThan(0);
  }
  expect(leaksOf(error)).toEqual([]);
  expect(findSecrets(output.text())).toEqual([]);
  expectPrototypesClean();
  return issues;
}

describe('hand-written invalid configs', () => {
  it.each(invalidConfigCases)('$name → invalid_config at $path', async ({ config, path }) => {
    await expectInvalid(config, path);
  });
});

describe('generated invalid configs (fast-check)', () => {
  it(`one key made invalid or removed, on either base: ${propertyRuns.singleMutation} configs`, async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(singleMutation, async (mutation) => {
        runs += 1;
        const issues = await expectInvalid(applyMutation(mutation), mutation.path);
        // The error points at what was broken, not at keys that were fine.
        for (const { path } of issues) {
          expect(mutation.allowed.some((allowed) => path.startsWith(allowed))).toBe(true);
        }
      }),
      { numRuns: propertyRuns.singleMutation }
    );
    expect(runs).toBe(propertyRuns.singleMutation);
  });

  it(`a config that is not an object: ${propertyRuns.notAnObject} values`, async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(notAnObject, async (config) => {
        runs += 1;
        await expectInvalid(config, '(config)');
      }),
      { numRuns: propertyRuns.notAnObject }
    );
    expect(runs).toBe(propertyRuns.notAnObject);
  });

  it(`own __proto__ / constructor / prototype keys on an invalid config: ${propertyRuns.pollutingKeys} configs`, async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(singleMutation, pollutingKeys, async (mutation, keys) => {
        runs += 1;
        await expectInvalid(withPollutingKey(applyMutation(mutation), keys), mutation.path);
      }),
      { numRuns: propertyRuns.pollutingKeys }
    );
    expect(runs).toBe(propertyRuns.pollutingKeys);
  });
});

describe('valid configs with own __proto__ / constructor keys', () => {
  const pollution = '{"polluted":"yes","toString":"x","accountSID":"AC0123456789abcdef0123456789abcdef"}';

  it.each(validOwnKeyConfigs)('$name: accepted, ignored, warned about, nothing polluted', ({ extra }) => {
    const config = { ...bases.token, ...extra };
    const parsed = parseConfig(config);
    expect(parsed.accountSID).toBe(bases.token.accountSID);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    const key = Object.keys(extra)[0]!;
    expect(Object.hasOwn(parsed, key)).toBe(false);
    const { ok, issues } = checkConfig(config);
    expect(ok).toBe(true);
    expect(issues).toContainEqual(expect.objectContaining({ path: key, severity: 'warning' }));
    expectPrototypesClean();
  });

  it('a template with own __proto__ keys parses to a plain template', () => {
    const template = { ...ownKeys(`{"__proto__":${pollution}}`), usageType: 'SignIn', content: 'Code {{code}}' };
    const parsed = parseConfig({ ...bases.token, templates: [template, ...bases.token.templates] });
    expect(parsed.templates[0]).toEqual({ usageType: 'SignIn', content: 'Code {{code}}' });
    expect(Object.getPrototypeOf(parsed.templates[0])).toBe(Object.prototype);
    expectPrototypesClean();
  });
});

// The parse validates a config's JSON form (what Logto stores): a URL object is its href string,
// so an https one is an accepted baseUrl, not a wrong type (an ftp: one is in invalidConfigCases).
describe('a URL object as baseUrl', () => {
  it('is validated as its JSON string and accepted', () => {
    const parsed = parseConfig({ ...bases.token, baseUrl: new URL('https://twilio.example.com/api/') });
    expect(parsed.baseUrl).toBe('https://twilio.example.com/api');
    expect(checkConfig({ ...bases.token, baseUrl: new URL('https://twilio.example.com/api/') }).ok).toBe(true);
  });
});

/**
 * parseConfig caches results by JSON.stringify(input). Found by this suite: it used to validate the
 * input itself, so two inputs with one JSON and different validity shared a cache entry, and one
 * config's answer depended on what was parsed before it. Now the JSON form is what is validated.
 */
describe('the parse cache cannot be poisoned', () => {
  /** Parses and ignores the outcome: only what it leaves in the cache matters here. */
  const tryParse = (input: unknown) => {
    try {
      parseConfig(input);
    } catch {
      // The outcome does not matter here, only the cache entry.
    }
  };

  it.each(cachePoisoners)('$name', async ({ poison, twin, invalidAt }) => {
    tryParse(poison());
    if (invalidAt === undefined) {
      expect(() => parseConfig(twin)).not.toThrow();
    } else {
      await expectInvalid(twin, invalidAt);
    }
  });
});
