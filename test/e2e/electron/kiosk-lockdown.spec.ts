/**
 * The Electron kiosk's lockdown in the real shell (kiosk.enabled): no application menu, the
 * shortcuts that the browser shell's kiosk is tested against on a real display leave one kiosk
 * window showing our page, closing is refused, and a crashed page is loaded afresh. Runs wherever
 * an Electron binary is installed; elsewhere reported as skipped with the reason.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronBinary, ROOT } from '../electron-binary.js';

const binary = electronBinary();
test.skip(!binary, 'no Electron binary on this machine');

test.beforeAll(() => {
  execFileSync('npm', ['run', 'build:electron'], { cwd: ROOT, stdio: 'inherit' });
});

const SHORTCUTS = [
  'Control+T',
  'Control+N',
  'Control+Shift+N',
  'Control+H',
  'Control+J',
  'Control+O',
  'Control+P',
  'Control+W',
  'Alt+F4',
  'F11',
  'F12',
];

test('Electron kiosk: no menu, the shortcuts open and close nothing, a crashed page comes back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-electron-kiosk-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ kiosk: { enabled: true } }));
  const app = await electron.launch({
    ...(binary ? { executablePath: binary } : {}),
    args: [join(ROOT, '.vite/build/main.cjs')],
    cwd: ROOT,
    env: { ...process.env, KONTOKIOSK_DATA_DIR: join(dir, 'data'), KONTOKIOSK_CONFIG: join(dir, 'config.json') },
  });
  try {
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    expect(await app.evaluate(({ Menu }) => Menu.getApplicationMenu())).toBeNull();
    for (const shortcut of SHORTCUTS) {
      await page.keyboard.press(shortcut);
      const state = await app.evaluate(({ BrowserWindow }) =>
        BrowserWindow.getAllWindows().map((w) => ({
          kiosk: w.isKiosk(),
          url: w.webContents.getURL(),
          devTools: w.webContents.isDevToolsOpened(),
        })),
      );
      expect({ shortcut, state }).toEqual({ shortcut, state: [{ kiosk: true, url: 'app://kontokiosk/index.html', devTools: false }] });
    }
    // Closing from outside (as the window manager does on Alt+F4) is refused.
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    // A crashed renderer: the page is loaded afresh in the same kiosk window.
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.webContents.forcefullyCrashRenderer());
    await expect
      .poll(() =>
        app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => !w.webContents.isCrashed() && w.webContents.getURL())),
      )
      .toEqual(['app://kontokiosk/index.html']);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
