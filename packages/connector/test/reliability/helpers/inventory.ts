/**
 * What the reliability suite tries, counted from the very tables the tests iterate: the table in
 * docs/RELIABILITY.md is generated from this (docs.test.ts keeps the two equal).
 *
 * @module
 */
import { propertyRuns, invalidConfigCases } from './config-cases.js';
import { echoCases } from './echo-cases.js';
import { faultCases } from './fault-cases.js';
import { acceptedByBoth, deliberateDivergences, oneBadTemplate, oracleRuns } from './oracle-cases.js';
import { authModes } from './secrets.js';
import { secretConfigCases } from './secret-config-cases.js';
import {
  acceptedNumbers,
  controlCodes,
  invalidNumbers,
  nonObjectPayloads,
  placeholderCodes,
  unknownTypes,
} from './send-input-cases.js';

export type InventoryRow = {
  area: string;
  tried: string;
  cases: number;
  /** Cases that show an open bug (it.fails until the connector is fixed). */
  openBugs: number;
  held: string;
};

const modes = authModes.length;
const megabyteCases = 4 + 2; // send-input.test.ts "megabytes of text": 4 over the limit, exactly 1,600, unused keys
const cacheCases = 3; // config-corpus.test.ts "the parse cache cannot be poisoned"
const validOwnKeyCases = 3; // config-corpus.test.ts "valid configs with own __proto__ / constructor keys"
const payloadExtras = 2 + 1 + 1; // names-each-other, {{constructor}} template, lone surrogate, number/bigint/symbol code
const sendInputBugs = 3; // send-input.test.ts "known bugs"

export const inventory: InventoryRow[] = [
  {
    area: 'Fault matrix (real sockets)',
    tried: `${faultCases.length} faults × ${modes} auth modes (auth token, API key, API key with an unused token)`,
    cases: faultCases.length * modes,
    openBugs: 0,
    held: 'expected code and data, exact request count, settled within deadline + retries, no secret in error or output',
  },
  {
    area: 'Servers repeating the request back',
    tried: `${echoCases.length} echo behaviours × ${modes} auth modes, plus a numeric code`,
    cases: echoCases.length * modes + 1,
    openBugs: 0,
    held: 'no secret, whole or in 16-character pieces, in any serialisation',
  },
  {
    area: 'Invalid configs holding secrets',
    tried: 'token, key secret, base64 credentials, code in SIDs, URLs, region, templates…',
    cases: secretConfigCases.length,
    openBugs: 0,
    held: 'invalid_config at the right path, no secret',
  },
  {
    area: 'Send-input errors holding secrets',
    tried: `bad number and 1,600+ body × ${modes} auth modes`,
    cases: 2 * modes,
    openBugs: 0,
    held: 'invalid_request_parameters, 0 requests, no secret',
  },
  {
    area: 'Leak detector against the official connector',
    tried: 'connection refused, official vs ours; the detector on every secret form; the output capture',
    cases: 3,
    openBugs: 0,
    held: 'official error leaks credentials and code; ours none',
  },
  {
    area: 'Bad configs, hand-written',
    tried: 'whole config not an object, missing/empty/wrong-typed keys, huge and unicode strings, own __proto__/constructor keys, SIDs, URLs, numbers, templates',
    cases: invalidConfigCases.length,
    openBugs: 0,
    held: 'invalid_config naming the JSON path, never a TypeError, no secret, prototypes clean',
  },
  {
    area: 'Bad configs, generated (fast-check)',
    tried: `one key broken on either base (${propertyRuns.singleMutation}), not an object (${propertyRuns.notAnObject}), with own __proto__/constructor/prototype keys (${propertyRuns.pollutingKeys})`,
    cases: propertyRuns.singleMutation + propertyRuns.notAnObject + propertyRuns.pollutingKeys,
    openBugs: 0,
    held: 'as above, and every issue is under the key that was broken',
  },
  {
    area: 'Parse cache and own-key configs',
    tried: 'inputs with one JSON and different validity; valid configs with own __proto__/constructor keys',
    cases: cacheCases + validOwnKeyCases,
    openBugs: 0,
    held: 'same JSON, same answer; unknown keys ignored and warned about, prototypes clean',
  },
  {
    area: 'Official guard as oracle',
    tried: `${acceptedByBoth.length} hand-written + ${oracleRuns} generated official configs; ${deliberateDivergences.length} deliberate divergences; ${oneBadTemplate.length} one-bad-template configs`,
    cases: acceptedByBoth.length + oracleRuns + deliberateDivergences.length + oneBadTemplate.length * 2,
    openBugs: oneBadTemplate.length,
    held: 'accepted with the same meaning and body, warnings instead of errors; one bad template still refuses the whole config',
  },
  {
    area: 'Destinations',
    tried: `${invalidNumbers.length} invalid (short, long, lettered, unicode, empty, not strings), ${acceptedNumbers.length} accepted spellings`,
    cases: invalidNumbers.length + acceptedNumbers.length,
    openBugs: 0,
    held: 'invalid_request_parameters saying why and 0 requests; accepted ones sent once in E.164',
  },
  {
    area: 'Usage types and payloads',
    tried: `${unknownTypes.length} unknown types, ${placeholderCodes.length} placeholder codes, ${controlCodes.length} control-character codes, ${nonObjectPayloads.length} non-object payloads, 4 more`,
    cases: unknownTypes.length + placeholderCodes.length + controlCodes.length + nonObjectPayloads.length + payloadExtras,
    openBugs: 0,
    held: 'Generic used; rendered once, never expanded again; sent byte-exact; no crash',
  },
  {
    area: 'Megabytes of text',
    tried: '3 MB ASCII, 1 M CJK, 1 M emoji, 1,601 and 1,600 characters, megabytes in unused keys',
    cases: megabyteCases,
    openBugs: 0,
    held: 'over 1,600 → invalid_request_parameters, 0 requests; the rest sent',
  },
  {
    area: 'Odd payload and message values',
    tried: 'non-string locale, a code whose String() throws, a message that is not an object',
    cases: sendInputBugs,
    openBugs: sendInputBugs,
    held: 'open bugs: see "Found by this suite"',
  },
];

export const total = inventory.reduce((sum, row) => sum + row.cases, 0);
export const totalOpen = inventory.reduce((sum, row) => sum + row.openBugs, 0);

/** The markdown table for docs/RELIABILITY.md. */
export function renderInventory(): string {
  const lines = [
    '| Area | What was tried | Cases | Of which it.fails (open bug) | What held |',
    '|---|---|--:|--:|---|',
    ...inventory.map(({ area, tried, cases, openBugs, held }) => `| ${area} | ${tried} | ${cases} | ${openBugs} | ${held} |`),
    `| **Total** | | **${total}** | **${totalOpen}** | |`,
  ];
  return lines.join('\n');
}
