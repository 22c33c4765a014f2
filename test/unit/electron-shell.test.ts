/**
 * The Electron shell's wiring, checked without an Electron binary (a mocked `electron` module): the
 * kiosk's preload exposes exactly one function per kiosk channel (and the document printer), the
 * counter's exactly one per counter channel; the configured terminalRole decides the window, its
 * preload, its bundle and the only channels the main process answers; the sender check,
 * the app:// protocol (renderer files only, no traversal, no foreign hosts), the navigation guard
 * (never file://, PDFs included), kiosk printing without a dialog, and the Forge fuses.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src-main/app.js';
import { channelsFor, type TerminalRole } from '../../src-main/ipc/contract.js';

const exposed: Record<string, unknown> = {};
const invoked: [string, unknown][] = [];
const appListeners: Record<string, (...args: unknown[]) => void> = {};
const privileged: unknown[] = [];
const printed: { url: string; options: unknown; destroyed: boolean }[] = [];
type Handler = (event: unknown, payload: unknown) => Promise<unknown>;
/** ipcMain's handlers by channel; like Electron, a second handler for one channel is an error. */
const handlers = new Map<string, Handler>();
interface OpenedWindow {
  readonly options: { readonly webPreferences?: Record<string, unknown> } & Record<string, unknown>;
  readonly listeners: Record<string, (event: { preventDefault: () => void }) => void>;
  readonly webContents: { readonly id: number; readonly mainFrame: { url: string } };
  /** The web contents' listeners (before-input-event, render-process-gone). */
  readonly contentsListeners: Record<string, (event: { preventDefault: () => void }, ...args: unknown[]) => void>;
  url: string;
  loads: number;
}
const windows: OpenedWindow[] = [];
const quit = vi.fn();
/** Every application menu set (null: none, so no menu shortcuts such as reload or developer tools). */
const applicationMenus: unknown[] = [];
vi.mock('electron', () => {
  let nextId = 1;
  return {
    contextBridge: { exposeInMainWorld: (name: string, api: unknown) => (exposed[name] = api) },
    ipcRenderer: { invoke: (channel: string, payload: unknown) => (invoked.push([channel, payload]), Promise.resolve(null)) },
    ipcMain: {
      handle: (channel: string, handler: Handler) => {
        if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        handlers.set(channel, handler);
      },
    },
    app: {
      on: (event: string, listener: (...args: unknown[]) => void) => (appListeners[event] = listener),
      requestSingleInstanceLock: () => true,
      whenReady: () => Promise.resolve(),
      getPath: () => tmpdir(),
      getAppPath: () => process.cwd(),
      isPackaged: false,
      quit,
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
        setDevicePermissionHandler: () => undefined,
      },
    },
    Menu: { setApplicationMenu: (menu: unknown) => applicationMenus.push(menu) },
    dialog: { showErrorBox: () => undefined },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => privileged.push(...schemes),
      handle: () => undefined,
    },
    BrowserWindow: class {
      private readonly job = { url: '', options: undefined as unknown, destroyed: false };
      private readonly opened: OpenedWindow;
      readonly webContents: OpenedWindow['webContents'] & Record<string, unknown>;
      constructor(options: OpenedWindow['options'] = {}) {
        printed.push(this.job);
        const contentsListeners: OpenedWindow['contentsListeners'] = {};
        this.webContents = {
          id: nextId++,
          mainFrame: { url: '' },
          on: (event: string, listener: OpenedWindow['contentsListeners'][string]) => (contentsListeners[event] = listener),
          print: (printOptions: unknown, callback: (success: boolean) => void) => {
            this.job.options = printOptions;
            callback(true);
          },
        };
        this.opened = { options, listeners: {}, webContents: this.webContents, contentsListeners, url: '', loads: 0 };
        windows.push(this.opened);
      }
      on(event: string, listener: (event: { preventDefault: () => void }) => void) {
        this.opened.listeners[event] = listener;
      }
      once(event: string, listener: (event: { preventDefault: () => void }) => void) {
        this.opened.listeners[event] = listener;
      }
      show() {}
      isDestroyed() {
        return false;
      }
      loadURL(url: string) {
        this.opened.loads += 1;
        this.job.url = url;
        this.opened.url = url;
        this.webContents.mainFrame.url = url;
        return Promise.resolve();
      }
      destroy() {
        this.job.destroyed = true;
      }
    },
  };
});

const rendererRoot = mkdtempSync(join(tmpdir(), 'kontokiosk-electron-'));
const rendererDir = join(rendererRoot, 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(rendererRoot, 'secret.txt'), 'not for the renderer');
afterAll(() => rmSync(rendererRoot, { recursive: true, force: true }));

describe('Electron preload', () => {
  it('exposes one function per channel and nothing else', async () => {
    await import('../../src-main/shell/electron/preload.js');
    expect(Object.keys(exposed)).toEqual(['kontokiosk']);
    const bridge = exposed['kontokiosk'] as Record<string, (p: unknown) => Promise<unknown>>;
    expect(Object.keys(bridge).sort()).toEqual([...channelsFor('kiosk'), 'document.print'].sort());
    await bridge['session.login']?.({ username: 'u', password: 'p' });
    expect(invoked.at(-1)).toEqual(['session.login', { username: 'u', password: 'p' }]);
  });

  it('the counter’s preload exposes window.kontokioskCounter: one function per counter channel, nothing else', async () => {
    const kioskBridge = exposed['kontokiosk'];
    for (const name of Object.keys(exposed)) delete exposed[name];
    await import('../../src-main/shell/electron/counter-preload.js');
    expect(Object.keys(exposed)).toEqual(['kontokioskCounter']);
    const bridge = exposed['kontokioskCounter'] as Record<string, (p: unknown) => Promise<unknown>>;
    expect(Object.keys(bridge).sort()).toEqual([...channelsFor('counter')].sort());
    expect(Object.keys(bridge)).not.toContain('document.print');
    expect(Object.keys(bridge)).not.toContain('session.login');
    await bridge['staff.login']?.({ username: 'u', password: 'p' });
    expect(invoked.at(-1)).toEqual(['staff.login', { username: 'u', password: 'p' }]);
    await bridge['inbox.list']?.({});
    expect(invoked.at(-1)).toEqual(['inbox.list', {}]);
    if (kioskBridge) exposed['kontokiosk'] = kioskBridge;
  });
});

describe('Electron sender check', () => {
  it('accepts only our window’s top frame showing our page', async () => {
    const { trustedSender } = await import('../../src-main/shell/electron/security.js');
    const mainFrame = { url: 'file:///app/index.html' };
    const ours = { mainFrame } as never;
    const isApp = (url: string) => url === 'file:///app/index.html';
    const event = (sender: unknown, frame: unknown) => ({ sender, senderFrame: frame }) as never;
    expect(trustedSender(event(ours, mainFrame), ours, isApp)).toBe(true);
    expect(trustedSender(event({ mainFrame }, mainFrame), ours, isApp)).toBe(false);
    expect(trustedSender(event(ours, { url: 'file:///app/index.html' }), ours, isApp)).toBe(false);
    expect(trustedSender(event(ours, null), ours, isApp)).toBe(false);
    expect(trustedSender(event(ours, mainFrame), undefined, isApp)).toBe(false);
    mainFrame.url = 'https://evil.example/';
    expect(trustedSender(event(ours, mainFrame), ours, isApp)).toBe(false);
  });
});

describe('Electron Forge configuration', () => {
  it('flips the security fuses and builds main, preload and renderer with Vite', async () => {
    const { default: config } = await import('../../forge.config.js');
    const names = (config.plugins ?? []).map((p) => (p as { name?: string }).name);
    expect(names).toEqual(expect.arrayContaining(['vite', 'fuses']));
    const fuses = (config.plugins ?? []).find((p) => (p as { name?: string }).name === 'fuses') as unknown as {
      fusesConfig: Record<number, unknown>;
    };
    const { FuseV1Options } = await import('@electron/fuses');
    expect(fuses.fusesConfig[FuseV1Options.RunAsNode]).toBe(false);
    expect(fuses.fusesConfig[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(fuses.fusesConfig[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(fuses.fusesConfig[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(fuses.fusesConfig[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
  });

  it('builds each role’s preload and renderer bundle', async () => {
    const { default: config } = await import('../../forge.config.js');
    const vite = (config.plugins ?? []).find((p) => (p as { name?: string }).name === 'vite') as unknown as {
      config: { build: { entry: string; config: string; target: string }[]; renderer: { name: string; config: string }[] };
    };
    expect(vite.config.build).toEqual(
      expect.arrayContaining([
        { entry: 'src-main/shell/electron/preload.ts', config: 'vite.preload.config.ts', target: 'preload' },
        { entry: 'src-main/shell/electron/counter-preload.ts', config: 'vite.counter-preload.config.ts', target: 'preload' },
      ]),
    );
    const { TERMINALS } = await import('../../src-main/shell/electron/terminal.js');
    expect(vite.config.renderer.map((r) => r.name).sort()).toEqual([TERMINALS.counter.renderer, TERMINALS.kiosk.renderer].sort());
  });

  it('bundles each preload into one CommonJS file that requires only electron', async () => {
    const { build, mergeConfig } = await import('vite');
    const preloads = [
      [(await import('../../vite.preload.config.js')).default, 'preload.cjs', 'kontokiosk'],
      [(await import('../../vite.counter-preload.config.js')).default, 'counter-preload.cjs', 'kontokioskCounter'],
    ] as const;
    for (const [preload, fileName, bridge] of preloads) {
      const outDir = join(rendererRoot, 'bundles', fileName);
      await build(mergeConfig(preload, { configFile: false, logLevel: 'silent', build: { outDir } }));
      const { readdirSync, readFileSync } = await import('node:fs');
      expect(readdirSync(outDir)).toEqual([fileName]);
      const code = readFileSync(join(outDir, fileName), 'utf8');
      expect([...new Set(code.match(/require\(([^)]*)\)/g))]).toEqual(['require("electron")']);
      expect(code.match(/exposeInMainWorld\("(\w+)"/g)).toEqual([`exposeInMainWorld("${bridge}"`]);
    }
  });
});

describe('Electron app:// protocol', () => {
  it('is registered as a standard, secure scheme', async () => {
    const { registerAppScheme } = await import('../../src-main/shell/electron/app-protocol.js');
    registerAppScheme();
    expect(privileged).toContainEqual({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) });
  });

  it('serves the renderer’s files with their content types and the CSP', async () => {
    const { appProtocolHandler, PrintJobs, APP_ENTRY_URL } = await import('../../src-main/shell/electron/app-protocol.js');
    const handle = appProtocolHandler({ rendererDir, printJobs: new PrintJobs() });
    const page = await handle(new Request(APP_ENTRY_URL));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<title>t</title>');
    expect((await handle(new Request('app://kontokiosk/'))).status).toBe(200);
    const script = await handle(new Request('app://kontokiosk/assets/app.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses path traversal, foreign hosts and other methods', async () => {
    const { appProtocolHandler, PrintJobs } = await import('../../src-main/shell/electron/app-protocol.js');
    const handle = appProtocolHandler({ rendererDir, printJobs: new PrintJobs() });
    for (const url of [
      'app://kontokiosk/..%2fsecret.txt',
      'app://kontokiosk/assets/..%2f..%2fsecret.txt',
      'app://kontokiosk/%2e%2e/secret.txt',
      'app://kontokiosk/../secret.txt',
      'app://kontokiosk/assets%5c..%5c..%5csecret.txt',
      'app://kontokiosk/%2fetc%2fpasswd',
      'app://kontokiosk/index.html%00.js',
      'app://kontokiosk/%E0%A4%A',
      'app://kontokiosk/missing.js',
      'app://evil.example/index.html',
      'app://documents/no-such-token',
      'app://kontokiosk:8080/index.html',
    ]) {
      const response = await handle(new Request(url));
      expect({ url, ok: response.ok }).toEqual({ url, ok: false });
      expect(await response.text()).not.toContain('not for the renderer');
    }
    expect((await handle(new Request('app://kontokiosk/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('serves a printed PDF only while its print job runs, then overwrites it', async () => {
    const { appProtocolHandler, PrintJobs } = await import('../../src-main/shell/electron/app-protocol.js');
    const printJobs = new PrintJobs();
    const handle = appProtocolHandler({ rendererDir, printJobs });
    const bytes = new TextEncoder().encode('%PDF-1.7 test');
    const job = printJobs.open(bytes);
    expect(job.url).toMatch(/^app:\/\/documents\/[\w-]{20,}$/);
    const pdf = await handle(new Request(job.url));
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(new TextDecoder().decode(await pdf.arrayBuffer())).toBe('%PDF-1.7 test');
    job.close();
    expect((await handle(new Request(job.url))).status).toBe(404);
    expect(bytes.every((b) => b === 0)).toBe(true);
  });

  it('accepts as our page only app://kontokiosk/index.html', async () => {
    const { isAppUrl } = await import('../../src-main/shell/electron/app-protocol.js');
    expect(isAppUrl('app://kontokiosk/index.html')).toBe(true);
    expect(isAppUrl('app://kontokiosk/index.html#/start')).toBe(true);
    expect(isAppUrl('app://kontokiosk/')).toBe(true);
    for (const url of [
      'file:///app/.vite/renderer/main_window/index.html',
      'app://documents/abc',
      'app://evil.example/index.html',
      'app://kontokiosk/assets/app.js',
      'https://kontokiosk/index.html',
      'not a url',
    ]) {
      expect({ url, ok: isAppUrl(url) }).toEqual({ url, ok: false });
    }
  });
});

describe('Electron navigation guard', () => {
  it('denies every navigation to file://, PDFs included, and allows only our page', async () => {
    const { installGlobalGuards } = await import('../../src-main/shell/electron/security.js');
    const { isAppUrl } = await import('../../src-main/shell/electron/app-protocol.js');
    installGlobalGuards(isAppUrl);
    const listeners: Record<string, (event: { preventDefault: () => void }, url: string) => void> = {};
    let openHandler: (() => unknown) | undefined;
    const contents = {
      on: (event: string, listener: (event: { preventDefault: () => void }, url: string) => void) => (listeners[event] = listener),
      setWindowOpenHandler: (handler: () => unknown) => (openHandler = handler),
    };
    appListeners['web-contents-created']?.({}, contents);
    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      listeners['will-navigate']?.(event, url);
      return event.preventDefault.mock.calls.length === 0;
    };
    expect(navigate('app://kontokiosk/index.html')).toBe(true);
    for (const url of [
      'file:///home/kiosk/data/letters/brief.pdf',
      'file:///tmp/x.PDF',
      'FILE:///etc/passwd',
      'file:///app/.vite/renderer/main_window/index.html',
      'https://evil.example/',
      'app://documents/abc',
    ]) {
      expect({ url, allowed: navigate(url) }).toEqual({ url, allowed: false });
    }
    expect(openHandler?.()).toEqual({ action: 'deny' });
  });
});

describe('Electron printing', () => {
  it('in kiosk mode prints silently to the configured printer, from app://documents, never file://', async () => {
    const { printDocument } = await import('../../src-main/shell/electron/print-document.js');
    const { appProtocolHandler, PrintJobs } = await import('../../src-main/shell/electron/app-protocol.js');
    const printJobs = new PrintJobs();
    const ok = await printDocument(new TextEncoder().encode('%PDF'), {
      printJobs,
      kiosk: { enabled: true, printerName: 'Kiosk_Printer_1' },
    });
    expect(ok).toBe(true);
    const job = printed.at(-1);
    expect(job?.options).toMatchObject({ silent: true, deviceName: 'Kiosk_Printer_1' });
    expect(job?.url).toMatch(/^app:\/\/documents\//);
    expect(job?.destroyed).toBe(true);
    // The job is over: its URL serves nothing any more.
    expect((await appProtocolHandler({ rendererDir, printJobs })(new Request(job?.url ?? ''))).status).toBe(404);
  });

  it('outside kiosk mode shows the print dialog', async () => {
    const { printDocument, printOptions } = await import('../../src-main/shell/electron/print-document.js');
    await printDocument(new TextEncoder().encode('%PDF'), {
      printJobs: new (await import('../../src-main/shell/electron/app-protocol.js')).PrintJobs(),
      kiosk: { enabled: false, printerName: 'Kiosk_Printer_1' },
    });
    expect(printed.at(-1)?.options).toEqual({ silent: false });
    expect(printOptions({ enabled: true })).toEqual({ silent: true, printBackground: true });
  });
});

describe('Electron IPC payloads', () => {
  it('the preload passes a missing payload on as undefined; only channels without input take it as {}', async () => {
    await import('../../src-main/shell/electron/preload.js');
    const bridge = exposed['kontokiosk'] as Record<string, (p?: unknown) => Promise<unknown>>;
    await bridge['mtan.leave']?.();
    expect(invoked.at(-1)).toEqual(['mtan.leave', undefined]);
    const { channels } = await import('../../src-main/ipc/contract.js');
    const { parseConfig } = await import('../../src-main/config/config.js');
    const { createDispatcher } = await import('../../src-main/ipc/dispatcher.js');
    const { makeHarness } = await import('../fixtures/harness.js');
    const dispatcher = createDispatcher(makeHarness().core, parseConfig({}));
    for (const channel of channelsFor('kiosk')) {
      const out = await dispatcher.dispatch(channel, undefined, { sessionToken: undefined, terminal: 't' });
      const takesEmpty = channels[channel].input.safeParse({}).success;
      const refused = !out.result.ok && out.result.error.code === 'VALIDATION_FAILED';
      expect({ channel, refused }).toEqual({ channel, refused: !takesEmpty });
    }
  });
});

/** An App on the in-memory harness: the real dispatchers, one per role, on one core. */
async function harnessApp(input: Record<string, unknown>) {
  const { parseConfig } = await import('../../src-main/config/config.js');
  const { createDispatcher } = await import('../../src-main/ipc/dispatcher.js');
  const { makeHarness } = await import('../fixtures/harness.js');
  const h = makeHarness();
  const config = parseConfig(input);
  const dispatchers = {
    kiosk: createDispatcher(h.core, config, { role: 'kiosk' }),
    counter: createDispatcher(h.core, config, { role: 'counter' }),
  };
  const app = {
    config,
    core: h.core,
    dispatcher: dispatchers[config.terminalRole],
    dispatcherFor: (role: TerminalRole) => dispatchers[role],
  };
  return { h, app: app as unknown as App };
}

const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  webviewTag: false,
};

describe('Electron terminal of the configured role', () => {
  const buildDir = join(rendererRoot, '.vite', 'build');

  async function open(input: Record<string, unknown>) {
    handlers.clear();
    const { openTerminal, TERMINALS } = await import('../../src-main/shell/electron/terminal.js');
    const { APP_ENTRY_URL, isAppUrl, PrintJobs } = await import('../../src-main/shell/electron/app-protocol.js');
    const { h, app } = await harnessApp(input);
    const layout = TERMINALS[app.config.terminalRole];
    const window = await openTerminal(app, layout, {
      buildDir,
      entryUrl: APP_ENTRY_URL,
      isAppUrl,
      printJobs: new PrintJobs(),
      devTools: false,
    });
    const opened = windows.at(-1);
    if (!opened) throw new Error('no window');
    const ours = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    const call = (channel: string, payload: unknown, event: unknown = ours) => {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`no handler for ${channel}`);
      return handler(event, payload);
    };
    return { h, app, opened, ours, call, APP_ENTRY_URL };
  }

  it('a counter: its own desktop window with the counter preload and bundle, handlers for the counter’s channels only', async () => {
    const { opened, APP_ENTRY_URL } = await open({ terminalRole: 'counter', kiosk: { enabled: true }, counterTerminalId: 'schalter-3' });
    expect([...handlers.keys()].sort()).toEqual([...channelsFor('counter')].sort());
    expect(handlers.has('document.print')).toBe(false);
    expect(opened.options.webPreferences).toMatchObject({ ...SECURE_WEB_PREFERENCES, preload: join(buildDir, 'counter-preload.cjs') });
    // Kiosk mode is for the public terminal: a counter desk stays a normal window whatever it says.
    expect(opened.options).toMatchObject({ kiosk: false, fullscreen: false });
    expect(opened.options['width']).toBeLessThanOrEqual(1280);
    expect(opened.options['title']).toBe('Kontokiosk – Schalter / Counter (schalter-3)');
    expect(opened.url).toBe(APP_ENTRY_URL);
    const titleChange = { preventDefault: vi.fn() };
    opened.listeners['page-title-updated']?.(titleChange);
    expect(titleChange.preventDefault).toHaveBeenCalled();
    const { rendererDirFor, TERMINALS } = await import('../../src-main/shell/electron/terminal.js');
    expect(rendererDirFor(buildDir, TERMINALS.counter)).toBe(join(rendererRoot, '.vite', 'renderer', 'counter_window'));
  });

  it('a kiosk: as before, the kiosk preload and bundle, the kiosk’s channels and the document printer', async () => {
    const { opened } = await open({ terminalRole: 'kiosk', kiosk: { enabled: true } });
    expect([...handlers.keys()].sort()).toEqual([...channelsFor('kiosk'), 'document.print'].sort());
    expect(opened.options.webPreferences).toMatchObject({ ...SECURE_WEB_PREFERENCES, preload: join(buildDir, 'preload.cjs') });
    expect(opened.options).toMatchObject({ kiosk: true, fullscreen: true, title: 'Kontokiosk' });
    expect(opened.listeners['page-title-updated']).toBeUndefined();
    const { rendererDirFor, TERMINALS } = await import('../../src-main/shell/electron/terminal.js');
    expect(rendererDirFor(buildDir, TERMINALS.kiosk)).toBe(join(rendererRoot, '.vite', 'renderer', 'main_window'));
  });

  it('a kiosk in kiosk mode swallows the shortcuts that open windows, dialogs or tools or close it, and keeps its window', async () => {
    const { opened } = await open({ terminalRole: 'kiosk', kiosk: { enabled: true } });
    const { KIOSK_BLOCKED_SHORTCUTS } = await import('../../src-main/shell/electron/kiosk-keys.js');
    const onKey = opened.contentsListeners['before-input-event'];
    expect(onKey).toBeDefined();
    const press = (shortcut: string, type = 'keyDown') => {
      const parts = shortcut.split('+');
      const key = parts.at(-1) ?? '';
      const event = { preventDefault: vi.fn() };
      const input = {
        type,
        key: key.length === 1 ? key.toLowerCase() : key,
        control: parts.includes('Ctrl'),
        shift: parts.includes('Shift'),
        alt: parts.includes('Alt'),
        meta: false,
      };
      onKey?.(event, input);
      return event.preventDefault.mock.calls.length > 0;
    };
    for (const shortcut of ['Ctrl+T', 'Ctrl+N', 'Ctrl+Shift+N', 'Ctrl+H', 'Ctrl+J', 'Ctrl+O', 'Ctrl+P', 'Ctrl+W', 'Alt+F4', 'F11', 'F12']) {
      expect(KIOSK_BLOCKED_SHORTCUTS).toContain(shortcut);
      expect({ shortcut, blocked: press(shortcut) }).toEqual({ shortcut, blocked: true });
    }
    // The page keeps speech (F1), typing and editing.
    for (const shortcut of ['F1', 'A', 'Shift+A', 'Ctrl+A', 'Ctrl+C', 'Ctrl+V', 'Ctrl+X', 'Ctrl+Z', 'Tab', 'Enter', 'Escape']) {
      expect({ shortcut, blocked: press(shortcut) }).toEqual({ shortcut, blocked: false });
    }
    // Closing from the window manager (Alt+F4) is refused until the app quits.
    const close = { preventDefault: vi.fn() };
    opened.listeners['close']?.(close);
    expect(close.preventDefault).toHaveBeenCalled();
    appListeners['before-quit']?.();
    const closeOnQuit = { preventDefault: vi.fn() };
    opened.listeners['close']?.(closeOnQuit);
    expect(closeOnQuit.preventDefault).not.toHaveBeenCalled();
  });

  it('a crashed page is loaded afresh (kiosk or not); outside kiosk mode no shortcut is taken away', async () => {
    const { opened, APP_ENTRY_URL } = await open({ terminalRole: 'kiosk', kiosk: { enabled: false } });
    expect(opened.contentsListeners['before-input-event']).toBeUndefined();
    expect(opened.listeners['close']).toBeUndefined();
    const loads = opened.loads;
    opened.contentsListeners['render-process-gone']?.({ preventDefault: () => undefined }, { reason: 'crashed' });
    expect(opened.loads).toBe(loads + 1);
    expect(opened.url).toBe(APP_ENTRY_URL);
  });

  it('every counter handler answers only our window’s top frame showing our page', async () => {
    const { ours, call, APP_ENTRY_URL } = await open({ terminalRole: 'counter' });
    const refused = { ok: false, error: { code: 'NOT_AUTHENTICATED' } };
    const strangers = [
      { sender: { id: 999, mainFrame: { url: APP_ENTRY_URL } }, senderFrame: { url: APP_ENTRY_URL } },
      { sender: ours.sender, senderFrame: { url: APP_ENTRY_URL } },
      { sender: ours.sender, senderFrame: null },
    ];
    for (const channel of channelsFor('counter')) {
      for (const stranger of strangers) expect({ channel, out: await call(channel, {}, stranger) }).toEqual({ channel, out: refused });
    }
    expect(await call('app.info', {})).toMatchObject({ ok: true });
    (ours.senderFrame as unknown as { url: string }).url = 'https://evil.example/';
    expect(await call('app.info', {})).toEqual(refused);
  });

  it('keeps the staff session in the main process, per window, and audits the counter’s terminal id', async () => {
    const { h, call } = await open({ terminalRole: 'counter' });
    const created = await h.core.staff.createFromMachine({ username: 'anna.schmidt', role: 'supervisor' });
    if (!created.ok) throw new Error(created.error.code);
    const login = await call('staff.login', { username: 'anna.schmidt', password: created.value.oneTimePassword });
    // The renderer learns the stage, never the token.
    expect(login).toEqual({ ok: true, value: { stage: 'CHANGE_PASSWORD' } });
    expect(await call('staff.state', {})).toMatchObject({ ok: true, value: { stage: 'CHANGE_PASSWORD' } });
    expect(h.audit.lines.some((line) => line.includes('STAFF_LOGIN_SUCCESS') && line.includes('"terminal":"counter-1"'))).toBe(true);
    await call('staff.logout', {});
    expect(await call('staff.state', {})).toMatchObject({ ok: false });
  });
});

describe('Electron main process', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** Starts main.ts on a fresh data directory with the given configuration, then closes it. */
  async function startMain(config: Record<string, unknown>) {
    const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-electron-main-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    vi.stubEnv('KONTOKIOSK_DATA_DIR', join(dir, 'data'));
    vi.stubEnv('KONTOKIOSK_CONFIG', join(dir, 'config.json'));
    handlers.clear();
    quit.mockClear();
    const before = windows.length;
    vi.resetModules();
    await import('../../src-main/shell/electron/main.js');
    await vi.waitFor(() => expect(windows.length).toBe(before + 1), { timeout: 20_000 });
    const opened = windows.at(-1) as OpenedWindow;
    const registered = [...handlers.keys()].sort();
    appListeners['window-all-closed']?.();
    await vi.waitFor(() => expect(quit).toHaveBeenCalled(), { timeout: 20_000 });
    vi.unstubAllEnvs();
    return { opened, registered };
  }

  it('with terminalRole "counter" registers only the counter’s channels and opens the counter window', async () => {
    const { opened, registered } = await startMain({ terminalRole: 'counter' });
    expect(registered).toEqual([...channelsFor('counter')].sort());
    expect(String(opened.options.webPreferences?.['preload'])).toMatch(/[/\\]counter-preload\.cjs$/);
    expect(opened.options).toMatchObject({ kiosk: false, fullscreen: false, webPreferences: SECURE_WEB_PREFERENCES });
    expect(opened.url).toBe('app://kontokiosk/index.html');
  });

  it('with terminalRole "kiosk" (the default) registers the kiosk’s channels and opens the kiosk window', async () => {
    applicationMenus.length = 0;
    const { opened, registered } = await startMain({});
    expect(applicationMenus).toEqual([null]);
    expect(registered).toEqual([...channelsFor('kiosk'), 'document.print'].sort());
    expect(String(opened.options.webPreferences?.['preload'])).toMatch(/[/\\]preload\.cjs$/);
    expect(String(opened.options.webPreferences?.['preload'])).not.toMatch(/counter/);
    expect(opened.options).toMatchObject({ webPreferences: SECURE_WEB_PREFERENCES });
  });
});
