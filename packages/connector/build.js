// Builds lib/index.js for Logto: ES modules with every runtime dependency bundled in, except
// @logto/connector-kit (Logto maps failures with `instanceof ConnectorError` against its own
// copy), zod (Logto core ships zod 3) and redis (Logto core's v4 client, imported by the abuse
// guard at run time, and only when counters are shared). undici is built into lib/undici.js of its
// own, loaded on the first send. Then lib/*.d.ts for everyone else.
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';

import { build } from 'esbuild';

const require = createRequire(import.meta.url);

await rm('lib', { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: 'lib',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  // Identifiers are kept, so stack traces read without maps (which would triple the package).
  sourcemap: false,
  metafile: true,
  logLevel: 'warning',
};

// Two builds rather than code splitting: a split index.js imports the shared runtime chunk and
// node:module for undici's sake, about 2 ms more of every Logto start (measured) for nothing it uses.
const connector = await build({
  ...common,
  entryPoints: ['src/index.ts'],
  external: ['@logto/connector-kit', 'zod', 'redis'],
  plugins: [
    {
      name: 'undici-on-first-send',
      setup(builder) {
        builder.onResolve({ filter: /^undici$/ }, () => ({ path: './undici.js', external: true }));
      },
    },
  ],
});
const undici = await build({
  ...common,
  entryPoints: { undici: 'undici' },
  // undici is CommonJS and requires Node's built-ins, which an ES module can't do without this.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});

const bundled = (result) => Object.keys(result.metafile.inputs).filter((input) => input.includes('node_modules'));
const unexpected = [
  ...bundled(connector).filter((input) => !input.includes('node_modules/libphonenumber-js/')),
  ...bundled(undici).filter((input) => !input.includes('node_modules/undici/')),
];
if (unexpected.length > 0) {
  throw new Error(`Unexpected module bundled into lib/: ${unexpected.join(', ')}`);
}

execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
