/**
 * The official connector's guard as the oracle: every config it accepts (with realistic
 * credentials) parses here too, with the same templates and flags, renders the same body, and gets
 * warnings (no {{code}}, an empty template, a duplicate, an unknown key) instead of errors. The
 * divergences are listed and asserted one by one.
 */
import { ConnectorErrorCodes, getConfigTemplateByType, replaceSendMessageHandlebars } from '@logto/connector-kit';
import createOfficialConnector from '@logto/connector-twilio-sms';
import { checkConfig, parseConfig, previewMessage } from '@smsdesk/connector-twilio-sms';
import fc from 'fast-check';

import {
  acceptedByBoth,
  deliberateDivergences,
  expectedWarnings,
  officialBase,
  officialConfig,
  oneBadTemplate,
  oracleRuns,
} from './helpers/oracle-cases.js';
import { code, dataOf } from './helpers/secrets.js';

let officialAccepts: (config: unknown) => boolean;
beforeAll(async () => {
  const connector = await createOfficialConnector({ getConfig: async () => officialBase });
  officialAccepts = (config) => connector.configGuard.safeParse(config).success;
});

const warningsOf = (config: unknown) => {
  const result = checkConfig(config);
  expect(result.ok).toBe(true);
  expect(result.issues.filter(({ severity }) => severity === 'error')).toEqual([]);
  return result.issues.map(({ path }) => path).sort();
};

const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : value);

function expectSameMeaning(config: Record<string, unknown>) {
  const parsed = parseConfig(config);
  expect(parsed.accountSID).toBe(trimmed(config.accountSID));
  expect(parsed.authToken).toBe(trimmed(config.authToken));
  expect(parsed.fromMessagingServiceSID).toBe(trimmed(config.fromMessagingServiceSID));
  expect(parsed.disableRiskCheck).toBe(config.disableRiskCheck);
  expect(parsed.templates).toEqual(
    (config.templates as Array<{ usageType: string; content: string }>).map(({ usageType, content }) => ({ usageType, content }))
  );
}

describe('configs both guards accept', () => {
  it.each(acceptedByBoth)('$name', ({ config, warnings }) => {
    expect(officialAccepts(config)).toBe(true);
    expectSameMeaning(config);
    expect(warningsOf(config)).toEqual([...warnings].sort());
  });

  it(`generated official configs (fast-check, ${oracleRuns} configs): accepted, same meaning, same body, warnings only`, () => {
    let runs = 0;
    fc.assert(
      fc.property(
        officialConfig,
        fc.constantFrom('SignIn', 'Register', 'ForgotPassword', 'Generic', 'OrganizationInvitation', 'Unknown'),
        (config, type) => {
          runs += 1;
          expect(officialAccepts(config)).toBe(true);
          expectSameMeaning(config);
          expect(warningsOf(config)).toEqual(expectedWarnings(config));

          // The body the official connector would send for this type.
          const officialTemplate = getConfigTemplateByType(
            type,
            config as { templates: Array<{ usageType: string; content: string }> }
          );
          expect(officialTemplate).toBeDefined();
          const officialBody = replaceSendMessageHandlebars(officialTemplate!.content, { code });
          expect(previewMessage(config, { type, payload: { code } }).body).toBe(officialBody);
        }
      ),
      { numRuns: oracleRuns }
    );
    expect(runs).toBe(oracleRuns);
  });
});

describe('deliberate divergences: the official guard accepts, ours refuses at validation', () => {
  it.each(deliberateDivergences)('$name → invalid_config at $path ($why)', ({ config, path, names }) => {
    expect(officialAccepts(config)).toBe(true);
    let issues: Array<{ path: string; message: string }> = [];
    try {
      parseConfig(config);
    } catch (error) {
      expect((error as { code?: string }).code).toBe(ConnectorErrorCodes.InvalidConfig);
      issues = dataOf(error as never).issues as Array<{ path: string; message: string }>;
    }
    expect(issues.map((issue) => issue.path)).toContain(path);
    if (names) {
      expect(issues.find((issue) => issue.path === path)?.message).toContain(names);
    }
  });
});

describe('one unusable template (the official guard accepts; the other messages can still be sent)', () => {
  it.each(oneBadTemplate)('$name: accepted by both, with a warning at $path', ({ template, path }) => {
    const config = { ...officialBase, templates: [...officialBase.templates, template] };
    expect(officialAccepts(config)).toBe(true);
    expect(() => parseConfig(config)).not.toThrow();
    expect(warningsOf(config)).toEqual([path]);
  });
});
