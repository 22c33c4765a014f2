/**
 * Keeps a kiosk Chromium to its one window, over the DevTools protocol on Chromium's private pipe
 * (--remote-debugging-pipe: file descriptors 3 and 4 of the child, reachable by the parent only;
 * no port). Chromium has no policy against Ctrl+T, Ctrl+N, Ctrl+H or Ctrl+J: each opens a new
 * window with an address bar. The policies make such a window show nothing (every address but the
 * app's is blocked); this guard closes it at once.
 *
 * Model: the first page on the app's origin is the kiosk page. Every other page is closed. When
 * the kiosk page leaves the origin or goes away, the whole browser is closed, so that the
 * watchdog opens a fresh window on a fresh launch URL.
 * Threats: a second window with an address bar left open for the next person, and a kiosk page
 * stuck on an error page.
 */
import type { Readable, Writable } from 'node:stream';

interface TargetInfo {
  readonly targetId: string;
  readonly type: string;
  readonly url: string;
}

interface Message {
  readonly id?: number;
  readonly method?: string;
  readonly params?: { readonly targetInfo?: TargetInfo; readonly targetId?: string };
}

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

export interface WindowGuard {
  /** Pages closed so far (for the log and the tests). */
  readonly closed: number;
}

export function guardWindow(options: {
  /** Chromium's fd 4: messages from the browser, each ended by a NUL byte. */
  readonly fromBrowser: Readable;
  /** Chromium's fd 3. */
  readonly toBrowser: Writable;
  readonly origin: string;
  readonly log: (line: string) => void;
}): WindowGuard {
  let nextId = 0;
  let kioskPage: string | undefined;
  let closing = false;
  const closedPages = new Set<string>();
  const send = (method: string, params: Record<string, unknown> = {}) => {
    if (options.toBrowser.destroyed) return;
    options.toBrowser.write(`${JSON.stringify({ id: ++nextId, method, params })}\0`);
  };
  const closeBrowser = (why: string) => {
    if (closing) return;
    closing = true;
    options.log(`closing Chromium: ${why}`);
    send('Browser.close');
  };
  const closePage = (target: TargetInfo) => {
    if (closedPages.has(target.targetId)) return;
    closedPages.add(target.targetId);
    options.log('closed a second window (only the kiosk window may be open)');
    send('Target.closeTarget', { targetId: target.targetId });
  };

  const onTarget = (target: TargetInfo) => {
    if (target.type !== 'page') return;
    const ours = originOf(target.url) === options.origin;
    if (target.targetId === kioskPage) {
      // A blocked navigation leaves the page on an error page: start over with a fresh window.
      if (!ours) closeBrowser('the kiosk page left the app');
      return;
    }
    if (kioskPage === undefined && ours) {
      kioskPage = target.targetId;
      return;
    }
    // A page that has not started loading yet may still become the kiosk page.
    if (kioskPage === undefined && (target.url === '' || target.url === 'about:blank')) return;
    closePage(target);
  };

  const onMessage = (message: Message) => {
    const info = message.params?.targetInfo;
    if ((message.method === 'Target.targetCreated' || message.method === 'Target.targetInfoChanged') && info) onTarget(info);
    if (message.params?.targetId !== undefined && message.params.targetId === kioskPage) {
      if (message.method === 'Target.targetDestroyed') closeBrowser('the kiosk window closed');
      // A crashed page shows Chromium's "Aw, Snap!" with a reload button: start over instead.
      if (message.method === 'Target.targetCrashed') closeBrowser('the kiosk page crashed');
    }
  };

  let buffer = '';
  options.fromBrowser.setEncoding('utf8');
  options.fromBrowser.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\0')) >= 0) {
      const raw = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      try {
        onMessage(JSON.parse(raw) as Message);
      } catch {
        // Not a protocol message: ignore.
      }
    }
  });
  options.fromBrowser.on('error', () => undefined);
  options.toBrowser.on('error', () => undefined);
  send('Target.setDiscoverTargets', { discover: true });
  return {
    get closed() {
      return closedPages.size;
    },
  };
}
