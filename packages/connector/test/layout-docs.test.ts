/**
 * The layout sections of the READMEs against the tree: every source file is named where its package
 * describes its layout, and every file or folder a layout names exists. Moving or adding a module
 * without telling the reader fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** The first fenced block after the heading line `heading`. */
function blockAfter(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  expect(start, `a "${heading}" section`).toBeGreaterThan(-1);
  const open = markdown.indexOf('\n```', start);
  const close = markdown.indexOf('\n```', open + 4);
  return markdown.slice(markdown.indexOf('\n', open + 1) + 1, close);
}

/** Every file below `dir`, relative to it. */
function filesBelow(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(root, dir, path)).isFile())
    .map((path) => relative('.', path));
}

const baseName = (path: string) => path.split('/').at(-1)!;
const fileNames = (text: string) => new Set(text.match(/[\w.-]+\.(?:ts|js|html|css|svg)\b/g) ?? []);
const folderNames = (text: string) => new Set(text.match(/(?<![\w./-])[\w-]+(?:\/[\w-]+)*\/(?![\w.-])/g) ?? []);

/**
 * The block names every file below `sourceDirs` (by its name) and nothing else; every folder it
 * names exists below `base`.
 */
function expectLayoutMatches(block: string, base: string, sourceDirs: string[]) {
  const files = sourceDirs.flatMap((dir) => filesBelow(join(base, dir)));
  const named = fileNames(block);
  expect(files.filter((file) => !named.has(baseName(file)))).toEqual([]);
  const existing = new Set(files.map(baseName));
  expect([...named].filter((name) => !existing.has(name))).toEqual([]);
  for (const folder of folderNames(block)) {
    expect(statSync(join(root, base, folder)).isDirectory(), folder).toBe(true);
  }
}

describe('layout sections match the tree', () => {
  it('docs/connector.md names every module of packages/connector/src, and only those', () => {
    expectLayoutMatches(blockAfter(read('docs/connector.md'), '## Source layout'), 'packages/connector/src', ['.']);
  });

  it('the sandbox README names every file of src/ and public/, and only those', () => {
    expectLayoutMatches(blockAfter(read('packages/sandbox/README.md'), '## Layout'), 'packages/sandbox', ['src', 'public']);
  });

  it('the README names every CLI command, and every path it names exists', () => {
    const block = blockAfter(read('README.md'), '## Layout');
    for (const path of block.match(/(?:packages|bench|docs)\/[\w./-]*/g) ?? []) {
      expect(statSync(join(root, path)), path).toBeTruthy();
    }
    const cliLine = block.slice(block.indexOf('packages/cli/'), block.indexOf('\nbench/'));
    for (const command of filesBelow('packages/cli/src/commands')) {
      expect(cliLine).toMatch(new RegExp(`\\b${command.replace(/\.ts$/, '')}\\b`));
    }
  });
});
