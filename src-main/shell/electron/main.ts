/**
 * Electron shell: composition root for the desktop app. It holds the core and the dispatcher in
 * the main process; the renderer reaches them only through the preload's one-function-per-channel
 * bridge. The session token stays here, keyed by window, and never reaches the renderer.
 */
import { app, BrowserWindow, ipcMain, Menu } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openApp, type App } from '../../app.js';
import { CHANNELS } from '../../ipc/contract.js';
import { denyAllPermissions, installGlobalGuards, trustedSender } from './security.js';

declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string;

const devServerUrl = typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
const rendererName = typeof MAIN_WINDOW_VITE_NAME === 'string' ? MAIN_WINDOW_VITE_NAME : 'main_window';
const rendererFile = join(__dirname, `../renderer/${rendererName}/index.html`);
const rendererUrl = devServerUrl ?? pathToFileURL(rendererFile).href;
const isAppUrl = (url: string): boolean =>
  url.split('#')[0] === rendererUrl || (devServerUrl !== undefined && url.startsWith(devServerUrl));
/** The print window may show our own PDFs from the data directory's letters, nothing else. */
const isDocumentUrl = (url: string): boolean => url.startsWith('file://') && url.endsWith('.pdf');

let mainWindow: BrowserWindow | undefined;
const sessions = new Map<number, string>();

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

/** Prints a document from its one-time token: a hidden window shows the PDF, then the print dialog. */
function registerDocumentPrinting(kiosk: App): void {
  ipcMain.handle('document.print', async (event, token: unknown) => {
    if (!trustedSender(event, mainWindow?.webContents, isAppUrl) || typeof token !== 'string') return false;
    const path = kiosk.dispatcher.takeDocument(token);
    if (!path) return false;
    const printer = new BrowserWindow({
      show: false,
      ...(mainWindow ? { parent: mainWindow } : {}),
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, plugins: true },
    });
    try {
      await printer.loadFile(path);
      return await new Promise<boolean>((resolve) => printer.webContents.print({ silent: false }, (success) => resolve(success)));
    } finally {
      printer.destroy();
    }
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
  if (devServerUrl) await mainWindow.loadURL(devServerUrl);
  else await mainWindow.loadFile(rendererFile);
}

async function start(): Promise<void> {
  installGlobalGuards((url) => isAppUrl(url) || isDocumentUrl(url));
  await app.whenReady();
  Menu.setApplicationMenu(null);
  denyAllPermissions();
  const kiosk = await openApp({
    dataDir: process.env['KONTOKIOSK_DATA_DIR'] ?? join(app.getPath('userData'), 'data'),
    assetsDir: assetsDir(),
    configPath: process.env['KONTOKIOSK_CONFIG'],
  });
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
