import { defineConfig } from '@playwright/test';

/** Debian's Chromium; Playwright never downloads a browser here. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig<{ kioskStore: 'embedded' | 'postgres' }>({
  testDir: 'test/e2e',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    viewport: { width: 1280, height: 900 },
    launchOptions: { executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
    trace: 'off',
  },
  globalSetup: './test/e2e/pg-setup.ts',
  projects: [
    { name: 'browser-shell', testMatch: /browser\/.*\.spec\.ts/ },
    // The journeys once more with every terminal on a branch database (PostgreSQL).
    {
      name: 'browser-shell-postgres',
      testMatch: /browser\/(registration|login-security|services|username-consent|turkish-help|counter|counter-journeys)\.spec\.ts/,
      use: { kioskStore: 'postgres' },
    },
    { name: 'electron', testMatch: /electron\/.*\.spec\.ts/ },
  ],
});
