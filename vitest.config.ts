import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Whether Redis answers, decided once: the Redis suites run, are skipped with one line, or fail under LOOM_REQUIRE_REDIS=1.
    globalSetup: ['test/bullmq/global-setup.ts'],
    typecheck: {
      include: ['test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    // Real processes and workers are part of several suites; give them room on a 2-core machine.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Fail on an unhandled rejection anywhere: a leaked rejection is a bug, never noise.
    dangerouslyIgnoreUnhandledErrors: false,
  },
});
