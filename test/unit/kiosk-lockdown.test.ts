/**
 * The browser shell's kiosk lockdown, piece by piece: the Chromium policy (only the app's origin,
 * nothing of the machine, no saving or printing elsewhere), the account Chromium runs as (never
 * root, never the data directory's owner), the watchdog's pace (reopen at once, slow down a crash
 * loop, on virtual time), the window guard (one window), the hand-off file (0640, whole) and the
 * masking of the launch secret in Chromium's output.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { maskSecrets, type ChromiumExit, type ChromiumWindow } from '../../src-main/shell/browser/chromium.js';
import { clearHandoff, readHandoff, writeHandoff } from '../../src-main/shell/browser/handoff.js';
import {
  isKioskOrigin,
  kioskPolicy,
  policyConfines,
  removeKioskPolicy,
  renderKioskPolicy,
  writeKioskPolicy,
} from '../../src-main/shell/browser/kiosk-policy.js';
import { keepWindowOpen, reopenDelay, STABLE_AFTER_MS } from '../../src-main/shell/browser/watchdog.js';
import { lookupAccount, windowAccount, type Account } from '../../src-main/shell/browser/window-account.js';
import { guardWindow } from '../../src-main/shell/browser/window-guard.js';
import { FakeClock } from '../fixtures/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-lockdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ORIGIN = 'http://127.0.0.1:8080';

describe('Chromium policy for the kiosk window', () => {
  it('allows only the app’s origin and blocks every other address, file:// and chrome:// included', () => {
    const policy = kioskPolicy({ origin: ORIGIN });
    expect(policy['URLAllowlist']).toEqual([ORIGIN]);
    expect(policy['URLBlocklist']).toEqual(expect.arrayContaining(['*', 'file://*', 'chrome://*', 'view-source:*', 'javascript://*']));
    expect(JSON.stringify(policy)).not.toContain('{{');
  });

  it('turns off incognito, guests, developer tools, downloads, file dialogs, history, bookmarks, passwords and autofill', () => {
    expect(kioskPolicy({ origin: ORIGIN })).toMatchObject({
      IncognitoModeAvailability: 1,
      BrowserGuestModeEnabled: false,
      BrowserAddPersonEnabled: false,
      DeveloperToolsAvailability: 2,
      DownloadRestrictions: 3,
      AllowFileSelectionDialogs: false,
      SavingBrowserHistoryDisabled: true,
      TranslateEnabled: false,
      EditBookmarksEnabled: false,
      BookmarkBarEnabled: false,
      PasswordManagerEnabled: false,
      AutofillAddressEnabled: false,
      AutofillCreditCardEnabled: false,
    });
  });

  it('prints nowhere without a configured printer, and only to it (never "Save as PDF") with one', () => {
    const none = kioskPolicy({ origin: ORIGIN });
    expect(none['PrintingEnabled']).toBe(false);
    expect(none['PrinterTypeDenyList']).toEqual(expect.arrayContaining(['pdf', 'local']));
    const one = kioskPolicy({ origin: ORIGIN, printerName: 'Kiosk.Printer_1' });
    expect(one['PrintingEnabled']).toBe(true);
    expect(one['PrinterTypeDenyList']).toEqual(expect.arrayContaining(['pdf', 'extension', 'cloud']));
    expect(one['PrinterTypeDenyList']).not.toContain('local');
    expect(JSON.parse(String(one['DefaultPrinterSelection']))).toEqual({ kind: 'local', namePattern: '^Kiosk\\.Printer_1$' });
  });

  it('accepts only a loopback http origin with its port', () => {
    expect(isKioskOrigin(ORIGIN)).toBe(true);
    for (const origin of [
      'http://127.0.0.1',
      'http://127.0.0.1:0',
      'https://127.0.0.1:8080',
      'http://localhost:8080',
      'http://127.0.0.1:8080/x',
      'http://127.0.0.1:99999',
      '*',
    ]) {
      expect({ origin, ok: isKioskOrigin(origin) }).toEqual({ origin, ok: false });
    }
    expect(() => kioskPolicy({ origin: '*' })).toThrow();
  });

  it('is written whole and readable by all, removed only when unchanged, and checked by the window command', () => {
    const file = join(dir, 'policies', 'managed', 'kontokiosk.json');
    const text = renderKioskPolicy({ origin: ORIGIN });
    writeKioskPolicy(file, text);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(readdirSync(join(dir, 'policies', 'managed'))).toEqual(['kontokiosk.json']);
    expect(policyConfines(file, ORIGIN)).toBe(true);
    expect(policyConfines(file, 'http://127.0.0.1:8081')).toBe(false);
    writeFileSync(file, '{"URLAllowlist":["http://127.0.0.1:8080"]}');
    expect(policyConfines(file, ORIGIN)).toBe(false);
    removeKioskPolicy(file, text);
    expect(readFileSync(file, 'utf8')).toContain('URLAllowlist');
    writeKioskPolicy(file, text);
    removeKioskPolicy(file, text);
    expect(policyConfines(file, ORIGIN)).toBe(false);
  });
});

describe('the account Chromium runs as', () => {
  const window: Account = { name: 'kontokiosk-window', uid: 999, gid: 995, home: '/var/lib/kontokiosk-window' };

  it('as root: the window account, or a refusal that says how to create it', () => {
    expect(windowAccount({ uid: 0, dataOwner: 0, windowUser: window })).toEqual({ ok: true, value: { switchTo: window } });
    const missing = windowAccount({ uid: 0, dataOwner: 0, windowUser: undefined });
    expect(missing).toMatchObject({ ok: false, code: 'WINDOW_USER_MISSING' });
    expect(missing.ok ? '' : missing.message).toContain('scripts/setup.sh');
    expect(windowAccount({ uid: 0, dataOwner: 999, windowUser: window })).toMatchObject({ ok: false, code: 'WINDOW_WOULD_OWN_DATA' });
    expect(windowAccount({ uid: 0, dataOwner: 0, windowUser: { ...window, uid: 0 } })).toMatchObject({
      ok: false,
      code: 'WINDOW_USER_PRIVILEGED',
    });
  });

  it('not as root: never as the data directory’s owner', () => {
    expect(windowAccount({ uid: 1000, dataOwner: 1000, windowUser: window })).toMatchObject({ ok: false, code: 'WINDOW_WOULD_OWN_DATA' });
    expect(windowAccount({ uid: 999, dataOwner: 1000, windowUser: undefined })).toEqual({ ok: true, value: {} });
  });

  it('reads the account from the passwd file', () => {
    const passwd = join(dir, 'passwd');
    writeFileSync(passwd, 'root:x:0:0:root:/root:/bin/bash\nkontokiosk-window:x:999:995::/var/lib/kontokiosk-window:/usr/sbin/nologin\n');
    expect(lookupAccount('kontokiosk-window', passwd)).toEqual(window);
    expect(lookupAccount('nobody-here', passwd)).toBeUndefined();
  });
});

/** A window whose end the test decides. */
function fakeWindow() {
  let end: (exit: ChromiumExit) => void = () => undefined;
  const exited = new Promise<ChromiumExit>((resolve) => (end = resolve));
  const window: ChromiumWindow & { close: () => void; stopped: boolean } = {
    pid: 1,
    profile: '/nonexistent',
    exited,
    stopped: false,
    close: () => end({ code: 0, signal: null }),
    stop: async () => {
      window.stopped = true;
      end({ code: null, signal: 'SIGTERM' });
      await exited;
    },
  };
  return window;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('the watchdog', () => {
  function start(openResult?: () => string) {
    const clock = new FakeClock(new Date('2026-11-30T10:00:00Z'));
    const opened: ReturnType<typeof fakeWindow>[] = [];
    const waits: number[] = [];
    const lines: string[] = [];
    const watchdog = keepWindowOpen({
      open: () => {
        if (openResult) return openResult();
        const window = fakeWindow();
        opened.push(window);
        return window;
      },
      now: () => clock.now().getTime(),
      wait: (ms) => {
        waits.push(ms);
        clock.advance(ms);
        return Promise.resolve();
      },
      log: (line) => lines.push(line),
    });
    return { clock, opened, waits, lines, watchdog };
  }

  it('reopens a closed window at once, each time with a new one', async () => {
    const { clock, opened, waits, watchdog } = start();
    expect(opened).toHaveLength(1);
    clock.advance(STABLE_AFTER_MS);
    opened[0]?.close();
    await turn();
    expect(opened).toHaveLength(2);
    expect(waits).toEqual([200]);
    await watchdog.stop();
  });

  it('slows a crash loop down, logs it, and a window that stayed up resets the pace', async () => {
    const { clock, opened, waits, lines, watchdog } = start();
    for (let i = 0; i < 9; i += 1) {
      clock.advance(1_000);
      opened.at(-1)?.close();
      await turn();
    }
    expect(waits).toEqual([200, 500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(lines.filter((line) => line.includes('soon after opening'))).toHaveLength(8);
    clock.advance(STABLE_AFTER_MS);
    opened.at(-1)?.close();
    await turn();
    expect(waits.at(-1)).toBe(200);
    expect(opened).toHaveLength(11);
    await watchdog.stop();
  });

  it('stop ends the window and opens no other', async () => {
    const { opened, watchdog } = start();
    await watchdog.stop();
    expect(opened[0]?.stopped).toBe(true);
    await turn();
    expect(opened).toHaveLength(1);
  });

  it('a window that cannot open now is tried again, slowed, and said', async () => {
    let calls = 0;
    const held: { watchdog?: { stop(): Promise<void> } } = {};
    const run = start(() => {
      calls += 1;
      if (calls === 3) void held.watchdog?.stop();
      return 'no launch URL yet';
    });
    held.watchdog = run.watchdog;
    await turn();
    expect(calls).toBe(3);
    await run.watchdog.stop();
    expect(run.waits.slice(0, 2)).toEqual([200, 500]);
    expect(run.lines[0]).toContain('no launch URL yet');
  });

  it('reopenDelay grows to 30 s at most', () => {
    expect([0, 1, 2, 3, 20].map(reopenDelay)).toEqual([200, 500, 1_000, 2_000, 30_000]);
  });
});

describe('the window guard', () => {
  function guard() {
    const fromBrowser = new PassThrough();
    const toBrowser = new PassThrough();
    const sent: { method: string; params: Record<string, unknown> }[] = [];
    toBrowser.setEncoding('utf8');
    toBrowser.on('data', (chunk: string) => {
      for (const raw of chunk.split('\0').filter(Boolean)) sent.push(JSON.parse(raw) as (typeof sent)[number]);
    });
    guardWindow({ fromBrowser, toBrowser, origin: ORIGIN, log: () => undefined });
    const event = (method: string, params: Record<string, unknown>) => fromBrowser.write(`${JSON.stringify({ method, params })}\0`);
    const page = (targetId: string, url: string, method = 'Target.targetCreated') =>
      event(method, { targetInfo: { targetId, type: 'page', url } });
    return { sent, page, event };
  }

  it('keeps the kiosk page and closes every other window', async () => {
    const { sent, page } = guard();
    await turn();
    expect(sent[0]?.method).toBe('Target.setDiscoverTargets');
    page('new', '');
    page('kiosk', `${ORIGIN}/launch?k=secret`);
    page('tab', 'chrome://newtab/');
    page('other', `${ORIGIN}/`);
    page('tab', 'chrome://newtab/', 'Target.targetInfoChanged');
    await turn();
    expect(sent.filter((m) => m.method === 'Target.closeTarget').map((m) => m.params['targetId'])).toEqual(['tab', 'other']);
    page('new', 'chrome://history/', 'Target.targetInfoChanged');
    await turn();
    expect(sent.at(-1)).toMatchObject({ method: 'Target.closeTarget', params: { targetId: 'new' } });
    expect(sent.some((m) => m.method === 'Browser.close')).toBe(false);
  });

  it('closes the browser when the kiosk page leaves the app, crashes or goes away (the watchdog reopens it)', async () => {
    for (const ending of ['left', 'Target.targetCrashed', 'Target.targetDestroyed']) {
      const { sent, page, event } = guard();
      page('kiosk', `${ORIGIN}/`);
      if (ending === 'left') page('kiosk', 'file:///etc/', 'Target.targetInfoChanged');
      else event(ending, { targetId: 'kiosk' });
      await turn();
      expect({ ending, closed: sent.filter((m) => m.method === 'Browser.close').length }).toEqual({ ending, closed: 1 });
    }
  });
});

describe('the hand-off file', () => {
  it('holds one whole URL, readable by owner and group only, and is gone when cleared', () => {
    const handoff = mkdtempSync(join(dir, 'handoff-'));
    expect(readHandoff(handoff)).toBeUndefined();
    writeHandoff(handoff, `${ORIGIN}/launch?k=one`);
    writeHandoff(handoff, `${ORIGIN}/launch?k=two`);
    expect(readHandoff(handoff)).toBe(`${ORIGIN}/launch?k=two`);
    expect(statSync(join(handoff, 'launch-url')).mode & 0o777).toBe(0o640);
    expect(readdirSync(handoff)).toEqual(['launch-url']);
    clearHandoff(handoff);
    expect(readHandoff(handoff)).toBeUndefined();
  });
});

describe('Chromium output in the log', () => {
  it('never shows the launch secret', () => {
    expect(maskSecrets('[1:2] navigation to http://127.0.0.1:8080/launch?k=AbC-_123 failed')).toBe(
      '[1:2] navigation to http://127.0.0.1:8080/launch?k=… failed',
    );
    expect(maskSecrets('"http://127.0.0.1:1/launch?x=1&k=s3cr3t"')).not.toContain('s3cr3t');
  });
});
