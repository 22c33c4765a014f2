import { defineConfig } from 'vitest/config';

/**
 * Two projects: everything on the embedded store, and the rules' unit tests once more on the
 * branch database (PostgreSQL; test/fixtures/pg-harness.ts). One throwaway cluster serves both.
 */
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['test/fixtures/pg-global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['test/unit/**/*.test.ts', 'test/contract/**/*.test.ts', 'test/integration/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'rules-on-postgres',
          include: ['test/unit/**/*.test.ts'],
          // Files whose rules never touch a store (parsers, renderer, layers) run once, above.
          exclude: [
            'test/unit/{config,consent-texts,counter-renderer,csv-import,dates,kiosk-forms,kvnr,launch-notice,layers,notices,password-policy,pending-documents,electron-shell,speech-text,touch-targets}.test.ts',
          ],
          env: { KONTOKIOSK_TEST_STORE: 'postgres' },
          setupFiles: ['test/fixtures/pg-harness-setup.ts'],
        },
      },
    ],
  },
});
