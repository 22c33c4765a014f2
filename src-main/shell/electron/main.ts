/**
 * Electron shell: composition root for the desktop app. It holds the core and the dispatcher in
 * the main process; the renderer reaches them only through the preload's one-function-per-channel
 * bridge. The session token stays here, keyed by window, and never reaches the renderer.
 * Pages come only from our `app://` protocol (see app-protocol.ts); file:// is never navigated to.
 *
 * Payloads arrive by structured clone, so malformed JSON cannot occur here; a missing payload
 * (`undefined`) is read by the dispatcher as `{}`, which only channels without input accept, and
 * those are the calls the renderer makes with `{}` anyway: the sender check, not the payload, is
 * what keeps strangers from calling them.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu } from 'electron';
import { join } from 'node:path';
import { openApp, type App } from '../../app.js';
import { exitOnStartupRefusal } from '../../startup/refusal.js';
import { CHANNELS } from '../../ipc/contract.js';
import {
  APP_ENTRY_URL,
  appProtocolHandler,
  isAppUrl as isAppProtocolUrl,
  PrintJobs,
  registerAppScheme,
  serveAppProtocol,
} from './app-protocol.js';
import { printDocument } from './print-document.js';
import { denyAllPermissions, installGlobalGuards, trustedSender } from './security.js';

declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string;

const devServerUrl = typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
const rendererName = typeof MAIN_WINDOW_VITE_NAME === 'string' ? MAIN_WINDOW_VITE_NAME : 'main_window';
const rendererDir = join(__dirname, `../renderer/${rendererName}`);
const devOrigin = devServerUrl ? new URL(devServerUrl).origin : undefined;
const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};
/** Our page: app://kontokiosk/index.html, or the Vite dev server while developing. */
const isAppUrl = (url: string): boolean => isAppProtocolUrl(url) || (devOrigin !== undefined && originOf(url) === devOrigin);

let mainWindow: BrowserWindow | undefined;
const sessions = new Map<number, string>();
const printJobs = new PrintJobs();

function assetsDir(): string {
  return app.isPackaged ? join(process.resourcesPath, 'assets') : join(app.getAppPath(), 'assets');
}

function registerIpc(kiosk: App): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!trustedSender(event, mainWindow?.webContents, isAppUrl)) {
        return { ok: false, error: { code: 'NOT_AUTHENTICATED' } };
      }
      const id = event.sender.id;
      const outcome = await kiosk.dispatcher.dispatch(channel, payload, {
        sessionToken: sessions.get(id),
        terminal: kiosk.config.terminalId,
      });
      if (outcome.session === null) sessions.delete(id);
      else if (typeof outcome.session === 'string') sessions.set(id, outcome.session);
      return outcome.result;
    });
  }
}

/** Prints a document from its one-time token (taken here, so it cannot be used twice). */
function registerDocumentPrinting(kiosk: App): void {
  ipcMain.handle('document.print', async (event, token: unknown) => {
    if (!trustedSender(event, mainWindow?.webContents, isAppUrl) || typeof token !== 'string') return false;
    const document = kiosk.dispatcher.takeDocument(token);
    if (!document) return false;
    return printDocument(document.bytes, { printJobs, kiosk: kiosk.config.kiosk, parent: mainWindow });
  });
}

async function createWindow(kiosk: App): Promise<void> {
  const kioskMode = kiosk.config.kiosk.enabled;
  mainWindow = new BrowserWindow({
    width: 1280,
    height: 900,
    kiosk: kioskMode,
    fullscreen: kioskMode,
    autoHideMenuBar: true,
    title: kiosk.config.brand.name,
    show: false,
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  const contents = mainWindow.webContents;
  contents.on('render-process-gone', () => sessions.delete(contents.id));
  mainWindow.on('closed', () => {
    sessions.delete(contents.id);
    mainWindow = undefined;
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  await mainWindow.loadURL(devServerUrl ?? APP_ENTRY_URL);
}

async function start(): Promise<void> {
  registerAppScheme();
  installGlobalGuards(isAppUrl);
  await app.whenReady();
  serveAppProtocol(appProtocolHandler({ rendererDir, printJobs }));
  Menu.setApplicationMenu(null);
  denyAllPermissions();
  const kiosk = await openApp({
    dataDir: process.env['KONTOKIOSK_DATA_DIR'] ?? join(app.getPath('userData'), 'data'),
    assetsDir: assetsDir(),
    configPath: process.env['KONTOKIOSK_CONFIG'],
  }).catch((error: unknown) => exitOnStartupRefusal(error, (message) => dialog.showErrorBox('Kontokiosk', message)));
  console.log(`Kontokiosk (Electron shell); data: ${kiosk.paths.data}; POSTIDENT simulator: ${kiosk.postidentUrl}`);
  registerIpc(kiosk);
  registerDocumentPrinting(kiosk);
  await createWindow(kiosk);
  app.on('window-all-closed', () => {
    void kiosk.close().finally(() => app.quit());
  });
}

if (!app.requestSingleInstanceLock()) app.quit();
else void start();
