// Times one import in a fresh process. argv: <target> <mode>; mode "fresh" imports the target
// alone, "extra" first imports @logto/connector-kit and zod (as Logto has) and times only the
// target. Prints { ms } as JSON.
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
