/**
 * The kiosk window with its watchdog, shared by the app (Chromium started by the server process)
 * and the window command (Chromium started by a process of its own, see window-cli.ts): each
 * (re)launch takes a fresh one-time launch URL from `nextUrl`, runs Chromium in kiosk mode with
 * the window guard, and reopens it when it closes.
 */
import { openChromium } from './chromium.js';
import type { Account } from './window-account.js';
import { keepWindowOpen, type Watchdog } from './watchdog.js';

export function runKioskWindow(options: {
  readonly executable: string;
  readonly origin: string;
  /** A fresh launch URL for the next window, or undefined while there is none (tried again later). */
  readonly nextUrl: () => string | undefined;
  readonly account?: Account | undefined;
  readonly log: (line: string) => void;
}): Watchdog {
  return keepWindowOpen({
    open: () => {
      const url = options.nextUrl();
      if (url === undefined) return 'no launch URL yet';
      return openChromium({
        executable: options.executable,
        url,
        kiosk: true,
        account: options.account,
        guardOrigin: options.origin,
        log: options.log,
      });
    },
    now: () => Date.now(),
    wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log: options.log,
  });
}
