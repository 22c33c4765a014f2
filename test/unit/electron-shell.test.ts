/**
 * The Electron shell's wiring, checked without an Electron binary (a mocked `electron` module): the
 * preload exposes exactly one function per channel (and the document printer), the sender check,
 * the app:// protocol (renderer files only, no traversal, no foreign hosts), the navigation guard
 * (never file://, PDFs included), kiosk printing without a dialog, and the Forge fuses.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../../src-main/ipc/contract.js';

const exposed: Record<string, unknown> = {};
const invoked: [string, unknown][] = [];
const appListeners: Record<string, (...args: unknown[]) => void> = {};
const privileged: unknown[] = [];
const printed: { url: string; options: unknown; destroyed: boolean }[] = [];
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => (exposed[name] = api) },
  ipcRenderer: { invoke: (channel: string, payload: unknown) => (invoked.push([channel, payload]), Promise.resolve(null)) },
  app: { on: (event: string, listener: (...args: unknown[]) => void) => (appListeners[event] = listener) },
  session: {},
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => privileged.push(...schemes),
    handle: () => undefined,
  },
  BrowserWindow: class {
    private readonly job = { url: '', options: undefined as unknown, destroyed: false };
    readonly webContents = {
      print: (options: unknown, callback: (success: boolean) => void) => {
        this.job.options = options;
        callback(true);
      },
    };
    constructor() {
      printed.push(this.job);
    }
    loadURL(url: string) {
      this.job.url = url;
      return Promise.resolve();
    }
    destroy() {
      this.job.destroyed = true;
    }
  },
}));

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
    const bridge = exposed['kontokiosk'] as Record<string, (p: unknown) => Promise<unknown>>;
    expect(Object.keys(bridge).sort()).toEqual([...CHANNELS, 'document.print'].sort());
    await bridge['session.login']?.({ username: 'u', password: 'p' });
    expect(invoked.at(-1)).toEqual(['session.login', { username: 'u', password: 'p' }]);
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
    for (const channel of CHANNELS) {
      const out = await dispatcher.dispatch(channel, undefined, { sessionToken: undefined, terminal: 't' });
      const takesEmpty = channels[channel].input.safeParse({}).success;
      const refused = !out.result.ok && out.result.error.code === 'VALIDATION_FAILED';
      expect({ channel, refused }).toEqual({ channel, refused: !takesEmpty });
    }
  });
});
