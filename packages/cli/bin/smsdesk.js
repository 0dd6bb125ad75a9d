#!/usr/bin/env node
// The `smsdesk` executable. It is committed (lib/ is built later) so that `npm ci` links
// node_modules/.bin/smsdesk in a fresh clone: npm links a bin only if its file exists at install
// time, and without the link `npx smsdesk` would fetch whatever the registry holds under that name.
import { existsSync } from 'node:fs';

const entry = new URL('../lib/bin.js', import.meta.url);

if (!existsSync(entry)) {
  process.stderr.write(
    'smsdesk: the CLI is not built yet (packages/cli/lib/ is missing): run `npm run build` at the repository root first.\n'
  );
  process.exit(1);
}

await import(entry.href);
