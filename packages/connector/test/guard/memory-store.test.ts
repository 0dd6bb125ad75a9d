/**
 * The memory store's bound: it holds at most maxKeys entries, and no flood of other numbers
 * pushes out a tripped block.
 */
import { createMemoryStore } from '../../src/guard/index.js';

import { attemptFor, hour, sequential, spread, t0 } from './helpers.js';

describe('the memory store', () => {
  it('stays within its bound, and a flood of fresh blocks cannot untrip a walked one', async () => {
    const store = createMemoryStore({ maxKeys: 500 });
    const attempt = attemptFor({ country: false });
    const walked = '+1415555';
    for (let index = 0; index < 11; index += 1) {
      await store.decide(attempt(sequential(walked, index), 'US'), t0 + index);
    }
    expect(await store.decide(attempt(sequential(walked, 20), 'US'), t0 + 100)).toMatchObject({
      allowed: false,
      rule: 'number-block',
    });

    // 20,000 different numbers, each in its own block: far more than the store keeps.
    for (let index = 0; index < 20_000; index += 1) {
      await store.decide(attempt(spread('+1212', index), 'US'), t0 + 1000 + index);
      expect(store.size()).toBeLessThanOrEqual(500 + 50);
    }
    expect(await store.decide(attempt(sequential(walked, 21), 'US'), t0 + hour)).toMatchObject({
      allowed: false,
      rule: 'number-block',
    });
    const status = await store.status(t0 + hour);
    expect(status.tripped).toEqual([expect.objectContaining({ kind: 'number-block', key: '+1415555' })]);
  });

  it('keeps nothing for refused attempts', async () => {
    const store = createMemoryStore();
    const attempt = attemptFor({ budget: { perHour: 1 }, country: false });
    await store.decide(attempt('+14155550100', 'US'), t0);
    const size = store.size();
    for (let index = 0; index < 100; index += 1) {
      expect((await store.decide(attempt(spread('+1212', index), 'US'), t0 + 1 + index)).allowed).toBe(false);
    }
    expect(store.size()).toBe(size);
  });
});
