// Builds a workspace package's src/ into lib/ with esbuild. Dependencies stay external: the
// sandbox and the CLI run inside this workspace, where npm has installed them.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const packageDirectory = process.cwd();
const manifest = JSON.parse(await readFile(path.join(packageDirectory, 'package.json'), 'utf8'));
const entryPoints = (manifest.buildEntries ?? ['src/index.ts']).map((entry) => path.join(packageDirectory, entry));

await build({
  entryPoints,
  outdir: path.join(packageDirectory, 'lib'),
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
