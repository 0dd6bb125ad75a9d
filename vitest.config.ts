import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

import { configDefaults, defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const testFiles = ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'];
// A test that costs many seconds by design (full-size load, a browser, fresh installs, Logto's CLI,
// multi-process Redis) is named `*.slow.test.ts`: `npm test` leaves it out, `npm run test:slow`
// and CI run it. Plain `npx vitest run` runs both tiers.
const slowTestFiles = ['packages/*/src/**/*.slow.test.ts', 'packages/*/test/**/*.slow.test.ts'];

export default defineConfig({
  resolve: {
    // Tests run against the sources; the pack-and-load test is what exercises the built lib/.
    alias: {
      '@smsdesk/connector-twilio-sms': source('packages/connector/src/index.ts'),
      '@smsdesk/sandbox': source('packages/sandbox/src/index.ts'),
    },
  },
  test: {
    globals: true,
    setupFiles: ['packages/connector/test/helpers/guard-reset.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: testFiles,
          exclude: [...configDefaults.exclude, ...slowTestFiles],
          // Vitest's default on 2 cores is one file at a time, but these tests mostly wait on sockets,
          // timers and child processes: two files at once cut the run by about a third.
          maxWorkers: Math.max(2, availableParallelism() - 1),
          // Each worker loads the connector, the sandbox and their libraries once, not once per
          // file: that reloading was about a third of this tier's time on 2 cores. Safe because no
          // test here mocks a module or stubs the environment (one spy on console.warn is restored),
          // every file starts its own servers and stores, and the one module-level state, the
          // guard's counters, is reset before each test (setupFiles).
          isolate: false,
        },
      },
      {
        extends: true,
        // One file at a time: each is heavy, and the durability test's load should be its own.
        test: { name: 'slow', include: slowTestFiles, fileParallelism: false },
      },
    ],
  },
});
