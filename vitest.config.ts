import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores here and in CI: files run in forks, two at a time.
    pool: 'forks',
    maxWorkers: 2,
  },
});
