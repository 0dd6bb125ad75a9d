// Builds lib/index.js for Logto: ES modules with every runtime dependency bundled in, except
// @logto/connector-kit (Logto maps failures with `instanceof ConnectorError` against its own
// copy), zod (Logto core ships zod 3) and redis (Logto core's v4 client, imported by the abuse
// guard at run time, and only when counters are shared). undici lands in a chunk of its own, loaded on the first
// send. Then lib/*.d.ts for everyone else.
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';

import { build } from 'esbuild';

const require = createRequire(import.meta.url);

await rm('lib', { recursive: true, force: true });
const result = await build({
  entryPoints: ['src/index.ts'],
  outdir: 'lib',
  chunkNames: '[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@logto/connector-kit', 'zod', 'redis'],
  // undici is CommonJS and requires Node's built-ins, which an ES module can't do without this.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  // Identifiers are kept, so stack traces read without maps (which would triple the package).
  sourcemap: false,
  metafile: true,
  logLevel: 'warning',
});

const bundled = Object.keys(result.metafile.inputs).filter((input) => input.includes('node_modules'));
const expected = ['node_modules/libphonenumber-js/', 'node_modules/undici/'];
if (bundled.some((input) => !expected.some((name) => input.includes(name)))) {
  throw new Error(`Unexpected module bundled into lib/index.js: ${bundled.join(', ')}`);
}

execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
