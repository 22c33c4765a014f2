/**
 * The registration journey in the real Electron shell. Runs wherever an Electron binary is
 * installed (npx install-electron); where none is, every test here is reported as skipped with the
 * reason, never as passed.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { keyFromLetter, outboxReader } from '../outbox.js';
import { ERIKA, KioskPage } from '../pages.js';

const ROOT = resolve(import.meta.dirname, '../../..');

function electronBinary(): string | undefined {
  try {
    return createRequire(import.meta.url)('electron') as string;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
if (!binary)
  console.log(
    'Electron end-to-end tests SKIPPED: no Electron binary on this machine (run "npx install-electron" where the network allows).',
  );
test.skip(!binary, 'no Electron binary on this machine');

test.beforeAll(() => {
  execFileSync('npm', ['run', 'build:electron'], { cwd: ROOT, stdio: 'inherit' });
});

async function launch(dataDir: string) {
  const app = await electron.launch({
    ...(binary ? { executablePath: binary } : {}),
    args: [join(ROOT, '.vite/build/main.cjs')],
    cwd: ROOT,
    env: { ...process.env, KONTOKIOSK_DATA_DIR: dataDir },
  });
  const window = await app.firstWindow();
  return { app, window };
}

test('Electron: register, confirm, letter, log in, key, mailbox', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kontokiosk-electron-'));
  const outbox = outboxReader(join(dataDir, 'outbox'));
  const { app, window: page } = await launch(dataDir);
  try {
    // The security checklist, seen from the renderer: no Node, only the bridge.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => Object.keys((globalThis as { kontokiosk?: object }).kontokiosk ?? {}).length)).toBeGreaterThan(5);
    const k = new KioskPage(page);
    await k.register(ERIKA);
    await k.confirmEmail(ERIKA.email, await outbox.lastCode());
    await k.button('Aktivierungsschlüssel per Post.*', 'x').click();
    await k.expectHeading('Ihr Brief ist unterwegs', 'x');
    const key = keyFromLetter(outbox.lastLetterText());
    await k.logout();
    await k.login(ERIKA.username, ERIKA.password);
    await k.enterKey(key);
    await k.button('Postfach aktivieren', 'x').click();
    await k.expectHeading('Geschafft, Erika!', 'x');
    // A new window or a navigation elsewhere is refused.
    await page.evaluate(() => globalThis.open('https://example.org'));
    expect(app.windows()).toHaveLength(1);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
