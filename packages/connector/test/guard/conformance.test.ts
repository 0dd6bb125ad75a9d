/**
 * One suite, two stores: every case runs against the memory store and against the Redis store's
 * Lua script on the machine's Redis, and both must decide exactly as expected (and alike).
 */
import type { GuardStore } from '../../src/guard/index.js';

import { conformanceCases } from './conformance-cases.js';
import { type StoreKind, freshStore } from './helpers.js';

const stores: GuardStore[] = [];
afterAll(async () => {
  for (const store of stores) {
    await store.reset();
    await store.close();
  }
});

describe.each(['memory', 'redis'] as const)('the %s store', (kind: StoreKind) => {
  conformanceCases(async (notices) => {
    const store = await freshStore(kind, notices);
    stores.push(store);
    return store;
  });
});
