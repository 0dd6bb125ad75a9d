/**
 * What the reliability suite tries, counted from the very tables the tests iterate: the table in
 * docs/RELIABILITY.md is generated from this (docs.test.ts keeps the two equal).
 *
 * @module
 */
import { cachePoisoners, invalidConfigCases, propertyRuns, validOwnKeyConfigs } from './config-cases.js';
import { callbackEchoes, echoAuthModes, echoCases, echoForms, echoPlacements, echoedNumbers } from './echo-cases.js';
import { faultCases } from './fault-cases.js';
import { acceptedByBoth, deliberateDivergences, oneBadTemplate, oracleRuns } from './oracle-cases.js';
import { authModes } from './secrets.js';
import { secretConfigCases, sendInputsWithSecrets } from './secret-config-cases.js';
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
} from './send-input-cases.js';

type InventoryRow = {
  area: string;
  tried: string;
  cases: number;
  held: string;
};

const modes = authModes.length;
// Tests that stand alone (no table to count), one case each, by the title they run under:
/** secrets.test.ts "the code as a number … is redacted from what the server repeats back". */
const numericCodeEcho = 1;
/** secrets.test.ts "a status callback with user:password … is accepted and sent to Twilio as written". */
const callbackAccepted = 1;
/** secrets.test.ts "the detector finds a real leak": the official connector, the output capture, every form. */
const detectorTests = 3;
/** config-corpus.test.ts "a template with own __proto__ keys parses to a plain template". */
const ownKeyTemplate = 1;
/** config-corpus.test.ts "a URL object as baseUrl". */
const urlObjectBaseUrl = 1;
/** send-input.test.ts: a revoked proxy as the config; a nested value behind a throwing getter. */
const readOnceOthers = 2;

const inventory: InventoryRow[] = [
  {
    area: 'Fault matrix (real sockets)',
    tried: `${faultCases.length} faults × ${modes} auth modes (auth token, API key, API key with an unused token)`,
    cases: faultCases.length * modes,
    held: 'expected code and data, exact request count, settled within deadline + retries, no secret in error or output',
  },
  {
    area: 'Servers repeating the request back',
    tried: `${echoCases.length} echo behaviours × ${modes} auth modes, plus a numeric code`,
    cases: echoCases.length * modes + numericCodeEcho,
    held: 'no secret, whole or in 16-character pieces, in any serialisation',
  },
  {
    area: 'Servers repeating a secret in another form',
    tried: `${echoForms.length} forms (URL-encoded, unpadded, re-cased, wrapped, escaped, cut, hex, base64 at each alignment, full-width, the body…) × ${echoPlacements.length} places (Twilio's message, more_info, a non-JSON body, Content-Type) × ${echoAuthModes.length} auth modes; ${echoedNumbers.length} numbers that spell the code; a status callback's user:password (${callbackAccepted + callbackEchoes.length})`,
    cases:
      echoForms.length * echoPlacements.length * echoAuthModes.length +
      echoedNumbers.length +
      callbackAccepted +
      callbackEchoes.length,
    held: 'no 8-character piece of what was echoed (any case, any spacing) in the message, data or stack: such server text is withheld, a non-Twilio body only described',
  },
  {
    area: 'Invalid configs holding secrets',
    tried: 'token, key secret, base64 credentials, code in SIDs, URLs, region, templates…',
    cases: secretConfigCases.length,
    held: 'invalid_config at the right path, no secret',
  },
  {
    area: 'Send-input errors holding secrets',
    tried: `bad number and 1,600+ body × ${modes} auth modes`,
    cases: sendInputsWithSecrets.length * modes,
    held: 'invalid_request_parameters, 0 requests, no secret',
  },
  {
    area: 'Leak detector against the official connector',
    tried: 'connection refused, official vs ours; the detector on every secret form; the output capture',
    cases: detectorTests,
    held: 'official error leaks credentials and code; ours none',
  },
  {
    area: 'Bad configs, hand-written',
    tried:
      'whole config not an object, missing/empty/wrong-typed keys, huge and unicode strings, own __proto__/constructor keys, SIDs, URLs, numbers, templates',
    cases: invalidConfigCases.length,
    held: 'invalid_config naming the JSON path, never a TypeError, no secret, prototypes clean',
  },
  {
    area: 'Bad configs, generated (fast-check)',
    tried: `one key broken on either base (${propertyRuns.singleMutation}), not an object (${propertyRuns.notAnObject}), with own __proto__/constructor/prototype keys (${propertyRuns.pollutingKeys})`,
    cases: propertyRuns.singleMutation + propertyRuns.notAnObject + propertyRuns.pollutingKeys,
    held: 'as above, and every issue is under the key that was broken',
  },
  {
    area: 'Parse cache and own-key configs',
    tried:
      'inputs with one JSON and different validity; valid configs with own __proto__/constructor keys; an https URL object as baseUrl',
    cases: cachePoisoners.length + validOwnKeyConfigs.length + ownKeyTemplate + urlObjectBaseUrl,
    held: 'same JSON, same answer (a URL object is its string); unknown keys ignored and warned about, prototypes clean',
  },
  {
    area: 'Official guard as oracle',
    tried: `${acceptedByBoth.length} hand-written + ${oracleRuns} generated official configs; ${deliberateDivergences.length} deliberate divergences; ${oneBadTemplate.length} one-bad-template config`,
    cases: acceptedByBoth.length + oracleRuns + deliberateDivergences.length + oneBadTemplate.length,
    held: 'accepted with the same meaning and body, warnings instead of errors (an empty template included); each divergence refused at validation naming its path',
  },
  {
    area: 'Destinations',
    tried: `${invalidNumbers.length} invalid (short, long, lettered, unicode, empty, not strings), ${acceptedNumbers.length} accepted spellings`,
    cases: invalidNumbers.length + acceptedNumbers.length,
    held: 'invalid_request_parameters saying why and 0 requests; accepted ones sent once in E.164',
  },
  {
    area: 'Usage types, payload values, locales',
    tried: `${unknownTypes.length} unknown types, ${placeholderCodes.length} placeholder codes, ${controlCodes.length} control-character codes, ${nonStringCodes.length} codes neither string nor number (bigint, symbol, String() throws), ${nonStringLocales.length} non-string locales, ${renderedPayloads.length} payloads rendered once (values naming each other, {{constructor}}, a lone surrogate, a number), ${unsendableCodes.length} codes that leave nothing to send (empty, undefined, NaN, Infinity)`,
    cases:
      unknownTypes.length +
      placeholderCodes.length +
      controlCodes.length +
      nonStringCodes.length +
      nonStringLocales.length +
      renderedPayloads.length +
      unsendableCodes.length,
    held: 'Generic used; rendered once, never expanded again; sent byte-exact; a number code rendered with String(), other non-strings and empty codes → invalid_request_parameters, 0 requests; a non-string locale ignored',
  },
  {
    area: 'Megabytes of text',
    tried: '3 MB ASCII, 1 M CJK, 1 M emoji, 1,601 and 1,600 characters, megabytes in unused keys',
    cases: oversizedCodes.length + largePayloadsSent.length,
    held: 'over 1,600 → invalid_request_parameters, 0 requests; the rest sent',
  },
  {
    area: 'Payloads and messages that are not objects',
    tried: `${nonObjectPayloads.length} non-object payloads, with and without {{code}} in the template; ${codelessPayloads.length} object payloads without a code; ${nonObjectMessages.length} non-object messages`,
    cases: nonObjectPayloads.length * 2 + codelessPayloads.length + nonObjectMessages.length,
    held: 'no code for a {{code}} template → invalid_request_parameters, 0 requests; a template without {{code}} sent once as written; never a TypeError',
  },
  {
    area: 'Payloads the check and the template could read differently',
    tried:
      'an inherited, getter or non-enumerable code; throwing getters, revoked proxies and throwing traps as payload, message or config; a type whose toString throws; a throwing nested getter',
    cases: unreadablePayloads.length + unreadableMessages.length + readOnceOthers,
    held: 'one copy of the own data properties is checked and rendered: never "{{code}}" sent, never a TypeError (invalid_request_parameters or invalid_config, 0 requests)',
  },
  {
    area: 'Empty templates',
    tried: `${emptyTemplates.length} kinds (empty, whitespace) on a rarely used type: checked, sent with, and the other types sent`,
    cases: emptyTemplates.length * 3,
    held: 'accepted with a warning at its content path; a send with it → invalid_config naming it, 0 requests; every other type sent',
  },
];

const total = inventory.reduce((sum, row) => sum + row.cases, 0);

/** The markdown table for docs/RELIABILITY.md. */
export function renderInventory(): string {
  const lines = [
    '| Area | What was tried | Cases | What held |',
    '|---|---|--:|---|',
    ...inventory.map(({ area, tried, cases, held }) => `| ${area} | ${tried} | ${cases} | ${held} |`),
    `| **Total** | | **${total}** | |`,
  ];
  return lines.join('\n');
}
