/**
 * The README Logto shows beside the connector's form: for the admin, and narrow. A code line or
 * table wider than the pane widened it and cut off the form's right side, so the README has no
 * tables, no code blocks and no long unbreakable words; it names every field the form shows.
 */
import { readFileSync } from 'node:fs';

import { type ConnectorConfigFormItem } from '@logto/connector-kit';

import { defaultMetadata } from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
// Link targets are not shown; what is left is text that has to wrap.
const shownText = readme.replaceAll(/\]\([^)]*\)/g, ']');

describe('the README Logto shows beside the form', () => {
  it('has nothing that cannot wrap: no code blocks, no tables, no word over 40 characters', () => {
    expect(readme).not.toContain('```');
    expect(readme.split('\n').filter((line) => line.trimStart().startsWith('|'))).toEqual([]);
    expect(shownText.split(/\s+/).filter((word) => word.length > 40)).toEqual([]);
  });

  it('names every field the form can show', () => {
    const labels = (defaultMetadata.formItems as ConnectorConfigFormItem[])
      // Carried for 1.0 configs and never shown (see constant.ts).
      .filter(({ key }) => !['host', 'region', 'edge'].includes(key))
      .map(({ label }) => label.replace(/ \(.*\)$/, '').toLowerCase());
    const text = readme.toLowerCase();
    expect(labels.filter((label) => !text.includes(label))).toEqual([]);
  });

  it('stays short: the developer reference is docs/connector.md', () => {
    expect(readme.split('\n').length).toBeLessThan(60);
    expect(readme).toContain('docs/connector.md');
    expect(readFileSync(new URL('../../../docs/connector.md', import.meta.url), 'utf8')).toContain('## Config reference');
  });
});
