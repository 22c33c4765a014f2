import { defineConfig } from 'vitest/config';

/** The unit tests only, for mutation testing (npm run test:mutation): fast, no I/O, no browsers. */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    exclude: ['test/unit/electron-shell.test.ts', 'test/unit/layers.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
