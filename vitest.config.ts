import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

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
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    setupFiles: ['packages/connector/test/helpers/guard-reset.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
