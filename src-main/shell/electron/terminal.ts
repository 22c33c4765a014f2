/**
 * One terminal per Electron process, of the role the configuration names (`terminalRole`): its
 * window, its preload, its renderer bundle and the IPC channels the main process answers.
 *
 * Model: a kiosk window gets `preload.cjs` (window.kontokiosk: the kiosk's channels and the
 * document printer) and the kiosk bundle; a counter window gets `counter-preload.cjs`
 * (window.kontokioskCounter: the counter's channels) and the counter bundle. Handlers exist only
 * for the role's channels, each behind the sender check; the session token stays here, per window.
 * Threats: a window with the other role's preload or bundle (staff actions at a public kiosk, or
 * a kiosk bridge on a staff desk), handlers for channels nobody on this terminal may call, and
 * calls from any frame or page but our window's own top frame. In kiosk mode also a stranger's
 * shortcuts (new windows, dialogs, developer tools, closing the kiosk: kiosk-keys.ts) and a
 * crashed page left on screen: it is loaded afresh.
 */
import { app, BrowserWindow, ipcMain, type BrowserWindowConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { App } from '../../app.js';
import { channelsFor, type Channel, type TerminalRole } from '../../ipc/contract.js';
import type { PrintJobs } from './app-protocol.js';
import { isBlockedShortcut } from './kiosk-keys.js';
import { printDocument } from './print-document.js';
import { trustedSender } from './security.js';

export interface TerminalLayout {
  readonly role: TerminalRole;
  /** The preload's file beside main.cjs in .vite/build. */
  readonly preload: string;
  /** Forge's renderer name: the bundle lies in .vite/renderer/<name>. */
  readonly renderer: string;
  readonly channels: readonly Channel[];
  /** Only the kiosk prints documents for the person in front of it. */
  readonly printing: boolean;
}

export const TERMINALS: Readonly<Record<TerminalRole, TerminalLayout>> = {
  kiosk: { role: 'kiosk', preload: 'preload.cjs', renderer: 'main_window', channels: channelsFor('kiosk'), printing: true },
  counter: {
    role: 'counter',
    preload: 'counter-preload.cjs',
    renderer: 'counter_window',
    channels: channelsFor('counter'),
    printing: false,
  },
};

/** The role's bundle, beside the build folder as Forge lays them out (.vite/build, .vite/renderer/<name>). */
export function rendererDirFor(buildDir: string, layout: TerminalLayout): string {
  return join(buildDir, '..', 'renderer', layout.renderer);
}

/** The same id as in the browser shell, so that the audit trail names a desk alike in both shells. */
function terminalIdFor(config: App['config'], role: TerminalRole): string {
  return role === 'counter' ? config.counterTerminalId : config.terminalId;
}

export interface TerminalOptions {
  /** Where main.cjs and the preloads lie (.vite/build). */
  readonly buildDir: string;
  /** The page to load: app://kontokiosk/index.html, or the role's dev server while developing. */
  readonly entryUrl: string;
  readonly isAppUrl: (url: string) => boolean;
  readonly printJobs: PrintJobs;
  readonly devTools: boolean;
}

/** The window of a role. A counter is a desktop window: never kiosk or full screen, whatever `kiosk.enabled` says. */
function windowOptions(layout: TerminalLayout, kiosk: App, options: TerminalOptions): BrowserWindowConstructorOptions {
  const kioskMode = layout.role === 'kiosk' && kiosk.config.kiosk.enabled;
  const shape: BrowserWindowConstructorOptions =
    layout.role === 'kiosk'
      ? { width: 1280, height: 900, kiosk: kioskMode, fullscreen: kioskMode, title: kiosk.config.brand.name }
      : {
          width: 1280,
          height: 860,
          minWidth: 960,
          minHeight: 640,
          kiosk: false,
          fullscreen: false,
          title: `${kiosk.config.brand.name} – Schalter / Counter (${terminalIdFor(kiosk.config, 'counter')})`,
        };
  return {
    ...shape,
    autoHideMenuBar: true,
    show: false,
    webPreferences: {
      preload: join(options.buildDir, layout.preload),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      devTools: options.devTools,
    },
  };
}

/**
 * Registers the role's handlers and opens its window. The handlers look up the window when called:
 * before it exists, and after it closed, every call is refused.
 */
export async function openTerminal(kiosk: App, layout: TerminalLayout, options: TerminalOptions): Promise<BrowserWindow> {
  let window: BrowserWindow | undefined;
  const sessions = new Map<number, string>();
  const dispatcher = kiosk.dispatcherFor(layout.role);
  const terminal = terminalIdFor(kiosk.config, layout.role);

  for (const channel of layout.channels) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!trustedSender(event, window?.webContents, options.isAppUrl)) return { ok: false, error: { code: 'NOT_AUTHENTICATED' } };
      const id = event.sender.id;
      const outcome = await dispatcher.dispatch(channel, payload, { sessionToken: sessions.get(id), terminal });
      if (outcome.session === null) sessions.delete(id);
      else if (typeof outcome.session === 'string') sessions.set(id, outcome.session);
      return outcome.result;
    });
  }
  if (layout.printing) {
    // A document is printed from its one-time token (taken here, so it cannot be used twice).
    ipcMain.handle('document.print', async (event, token: unknown) => {
      if (!trustedSender(event, window?.webContents, options.isAppUrl) || typeof token !== 'string') return false;
      const document = dispatcher.takeDocument(token);
      if (!document) return false;
      return printDocument(document.bytes, { printJobs: options.printJobs, kiosk: kiosk.config.kiosk, parent: window });
    });
  }

  const opened = new BrowserWindow(windowOptions(layout, kiosk, options));
  window = opened;
  const contents = opened.webContents;
  contents.on('render-process-gone', () => {
    sessions.delete(contents.id);
    // A fresh page (and renderer) instead of Chromium's crash page; the session ended with it.
    if (!opened.isDestroyed()) void opened.loadURL(options.entryUrl).catch(() => undefined);
  });
  if (layout.role === 'kiosk' && kiosk.config.kiosk.enabled) {
    contents.on('before-input-event', (event, input) => {
      if (isBlockedShortcut(input)) event.preventDefault();
    });
    // Alt+F4 from the window manager: the kiosk closes only when the app quits (SIGTERM, shutdown).
    let quitting = false;
    app.on('before-quit', () => (quitting = true));
    opened.on('close', (event) => {
      if (!quitting) event.preventDefault();
    });
  }
  // The counter's title names the desk; a page title must not replace it.
  if (layout.role === 'counter') opened.on('page-title-updated', (event) => event.preventDefault());
  opened.on('closed', () => {
    sessions.delete(contents.id);
    window = undefined;
  });
  opened.once('ready-to-show', () => opened.show());
  await opened.loadURL(options.entryUrl);
  return opened;
}
