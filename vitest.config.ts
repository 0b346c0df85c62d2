import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Console output (the code's JSON log lines, functions-framework's stack traces for
    // handlers that fail on purpose, a test's own console.log) is shown only for tests that
    // fail; set LOG_LEVEL (e.g. LOG_LEVEL=DEBUG npm test) to see all of it. This works
    // because the logger writes through console.log, which vitest captures per test; output
    // written straight to process.stdout or by child processes is not captured.
    // eslint-disable-next-line no-restricted-syntax -- the test runner's own entry point
    silent: process.env.LOG_LEVEL ? false : 'passed-only',
  },
});
