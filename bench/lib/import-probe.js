// Times one import in a fresh process. argv: <target> <mode>; mode "fresh" imports the target
// alone, "extra" first imports @logto/connector-kit and zod (as Logto has) and times only the
// target. Prints { ms } as JSON.
//
// The root package.json lists both at the connector's versions (zod pinned alike): npm hoists one
// copy to the root node_modules, the very files the built connector's externals resolve to, so the
// preload here is what the connector would otherwise load itself.
import { performance } from 'node:perf_hooks';

import { connectorLib } from './senders.js';

const [target, mode] = process.argv.slice(2);
const specifiers = {
  connector: connectorLib,
  official: '@logto/connector-twilio-sms',
  twilio: 'twilio',
  undici: 'undici',
};

if (mode === 'extra') {
  await import('@logto/connector-kit');
  await import('zod');
}

const start = performance.now();
if (target === 'fetch') {
  // Built in, but its undici is loaded on the first call: that is its import cost.
  await (await fetch('data:text/plain,x')).text();
} else {
  await import(specifiers[target]);
}
const ms = performance.now() - start;
process.stdout.write(JSON.stringify({ ms }));
