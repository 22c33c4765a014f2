/**
 * Electron shell: composition root for the desktop app. It holds the core and the dispatcher in
 * the main process and opens one terminal, of the role the configuration names (`terminalRole`):
 * a kiosk or a counter desk, each with its own window, preload and renderer bundle (terminal.ts).
 * The renderer reaches the main process only through its preload's one-function-per-channel
 * bridge. The session token stays here, keyed by window, and never reaches the renderer.
 * Pages come only from our `app://` protocol (see app-protocol.ts), which serves the role's bundle
 * and no other; file:// is never navigated to.
 *
 * Payloads arrive by structured clone, so malformed JSON cannot occur here; a missing payload
 * (`undefined`) is read by the dispatcher as `{}`, which only channels without input accept, and
 * those are the calls the renderer makes with `{}` anyway: the sender check, not the payload, is
 * what keeps strangers from calling them.
 */
import { app, dialog, Menu } from 'electron';
import { join } from 'node:path';
import { openApp } from '../../app.js';
import type { TerminalRole } from '../../ipc/contract.js';
import { exitOnStartupRefusal } from '../../startup/refusal.js';
import {
  APP_ENTRY_URL,
  appProtocolHandler,
  isAppUrl as isAppProtocolUrl,
  PrintJobs,
  registerAppScheme,
  serveAppProtocol,
} from './app-protocol.js';
import { denyAllPermissions, installGlobalGuards } from './security.js';
import { openTerminal, rendererDirFor, TERMINALS } from './terminal.js';

// Set by Electron Forge while developing (`electron-forge start`), one per renderer; absent in a build.
declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const COUNTER_WINDOW_VITE_DEV_SERVER_URL: string | undefined;

function devServerUrl(role: TerminalRole): string | undefined {
  if (role === 'counter') return typeof COUNTER_WINDOW_VITE_DEV_SERVER_URL === 'string' ? COUNTER_WINDOW_VITE_DEV_SERVER_URL : undefined;
  return typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
}

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

function assetsDir(): string {
  return app.isPackaged ? join(process.resourcesPath, 'assets') : join(app.getAppPath(), 'assets');
}

async function start(): Promise<void> {
  registerAppScheme();
  await app.whenReady();
  Menu.setApplicationMenu(null);
  denyAllPermissions();
  const kiosk = await openApp({
    dataDir: process.env['KONTOKIOSK_DATA_DIR'] ?? join(app.getPath('userData'), 'data'),
    assetsDir: assetsDir(),
    configPath: process.env['KONTOKIOSK_CONFIG'],
  }).catch((error: unknown) => exitOnStartupRefusal(error, (message) => dialog.showErrorBox('Kontokiosk', message)));
  const layout = TERMINALS[kiosk.config.terminalRole];
  const devServer = devServerUrl(layout.role);
  const devOrigin = devServer ? originOf(devServer) : undefined;
  /** Our page: app://kontokiosk/index.html, or the role's Vite dev server while developing. */
  const isAppUrl = (url: string): boolean => isAppProtocolUrl(url) || (devOrigin !== undefined && originOf(url) === devOrigin);
  // Before the first window: every web contents, print windows included, is locked down from birth.
  installGlobalGuards(isAppUrl);
  const printJobs = new PrintJobs();
  serveAppProtocol(appProtocolHandler({ rendererDir: rendererDirFor(__dirname, layout), printJobs }));
  console.log(`Kontokiosk (Electron shell, ${layout.role}); data: ${kiosk.paths.data}; POSTIDENT simulator: ${kiosk.postidentUrl}`);
  app.on('window-all-closed', () => {
    void kiosk.close().finally(() => app.quit());
  });
  await openTerminal(kiosk, layout, {
    buildDir: __dirname,
    entryUrl: devServer ?? APP_ENTRY_URL,
    isAppUrl,
    printJobs,
    devTools: !app.isPackaged,
  });
}

if (!app.requestSingleInstanceLock()) app.quit();
else void start();
