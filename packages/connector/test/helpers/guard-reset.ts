// Each test starts with empty in-memory guard counters: tests that are not about the abuse guard
// send the same numbers many times, which is exactly what its defaults limit.
import { resetLocalGuardState } from '../../src/guard/index.js';

beforeEach(async () => {
  await resetLocalGuardState();
});
