/**
 * The registration journey in the real Electron shell, and a counter desk started with
 * `terminalRole: "counter"` (its own window, bridge and bundle). Runs wherever an Electron binary is
 * installed (npm run electron:install); where none is, every test here is reported as skipped with the
 * reason, never as passed.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronBinary, ROOT } from '../electron-binary.js';
import { channelsFor } from '../../../src-main/ipc/contract.js';
import { keyFromLetter, outboxReader } from '../outbox.js';
import { ERIKA, KioskPage } from '../pages.js';

const binary = electronBinary();
if (!binary)
  console.log(
    'Electron end-to-end tests SKIPPED: no Electron binary on this machine (run "npm run electron:install" where the network allows).',
  );
test.skip(!binary, 'no Electron binary on this machine');

test.beforeAll(() => {
  execFileSync('npm', ['run', 'build:electron'], { cwd: ROOT, stdio: 'inherit' });
});

async function launch(dataDir: string, env: Record<string, string> = {}) {
  const app = await electron.launch({
    ...(binary ? { executablePath: binary } : {}),
    args: [join(ROOT, '.vite/build/main.cjs')],
    cwd: ROOT,
    env: { ...process.env, KONTOKIOSK_DATA_DIR: dataDir, ...env },
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
    expect(await page.evaluate(() => 'kontokioskCounter' in globalThis)).toBe(false);
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

test('Electron: a counter desk opens its own window with the staff login', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-electron-counter-'));
  const configPath = join(dir, 'config.json');
  // Kiosk mode stays on in the file: a counter window must ignore it.
  writeFileSync(configPath, JSON.stringify({ terminalRole: 'counter', kiosk: { enabled: true } }));
  const { app, window: page } = await launch(join(dir, 'data'), { KONTOKIOSK_CONFIG: configPath });
  try {
    await expect(page.getByRole('heading', { name: 'Anmeldung am Schalter' })).toBeVisible();
    // The counter's bridge and nothing else: no Node, no kiosk bridge, exactly the counter's channels.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => 'kontokiosk' in globalThis)).toBe(false);
    const exposed = await page.evaluate(() => Object.keys((globalThis as { kontokioskCounter?: object }).kontokioskCounter ?? {}));
    expect(exposed.sort()).toEqual([...channelsFor('counter')].sort());
    // A desktop window whose title names the counter.
    const shape = await app.evaluate(({ BrowserWindow }) => {
      const [window] = BrowserWindow.getAllWindows();
      return { kiosk: window?.isKiosk(), fullScreen: window?.isFullScreen(), title: window?.getTitle() };
    });
    expect(shape).toEqual({ kiosk: false, fullScreen: false, title: expect.stringContaining('Schalter') });
    await page.evaluate(() => globalThis.open('https://example.org'));
    expect(app.windows()).toHaveLength(1);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
