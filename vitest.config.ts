import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts', 'web/campo/src/**/*.test.ts'],
    // Builds the dashboard once (web/dist) if it is missing or older than its sources: the browser tests serve it.
    // The stray-process checks: no child outlives its test file, no `acta` or Chromium process outlives the run.
    globalSetup: ['web/build-if-stale.mjs', 'test/support/stray-processes.ts'],
    setupFiles: ['test/support/no-stray-children.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores here and in CI: files run in forks, two at a time.
    pool: 'forks',
    maxWorkers: 2,
  },
});
