// Builds lib/index.js for Logto: one ES module with every runtime dependency bundled in, except
// @logto/connector-kit (Logto maps failures with `instanceof ConnectorError` against its own
// copy) and zod (Logto core ships zod 3). Then lib/*.d.ts for everyone else.
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';

import { build } from 'esbuild';

const require = createRequire(import.meta.url);

await rm('lib', { recursive: true, force: true });
const result = await build({
  entryPoints: ['src/index.ts'],
  outfile: 'lib/index.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@logto/connector-kit', 'zod'],
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
});

const bundled = Object.keys(result.metafile.inputs).filter((input) => input.includes('node_modules'));
if (bundled.some((input) => !input.includes('libphonenumber-js'))) {
  throw new Error(`Unexpected module bundled into lib/index.js: ${bundled.join(', ')}`);
}

execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
