/**
 * Keeps the kiosk window open: when it closes (Ctrl+W, Alt+F4, a crash) a new one opens within
 * a fraction of a second, each on a fresh one-time launch URL (the caller's `open`). A window that
 * dies again right after opening is reopened ever more slowly (a crash loop is logged and slowed,
 * never spun), and a window that stayed up for a while resets the pace.
 * Threats: a kiosk left without a window (a dead screen, or the desktop behind it), and a broken
 * Chromium eating both cores in a tight restart loop.
 */
import type { ChromiumWindow } from './chromium.js';

/** A window that lived at least this long was not a crash loop. */
export const STABLE_AFTER_MS = 10_000;
const FIRST_DELAY_MS = 200;
const MAX_DELAY_MS = 30_000;

/** Delay before reopening after `quickExits` exits in a row that came soon after opening. */
export function reopenDelay(quickExits: number): number {
  if (quickExits <= 0) return FIRST_DELAY_MS;
  return Math.min(500 * 2 ** (quickExits - 1), MAX_DELAY_MS);
}

export interface Watchdog {
  /** Stops reopening, ends the current window and waits for it. */
  stop(): Promise<void>;
}

export function keepWindowOpen(options: {
  /** Opens a window on a fresh launch URL, or says why it cannot now (then it is tried again, slowed). */
  readonly open: () => ChromiumWindow | string;
  readonly now: () => number;
  readonly wait: (ms: number) => Promise<void>;
  readonly log: (line: string) => void;
}): Watchdog {
  let stopped = false;
  let current: ChromiumWindow | undefined;
  let wake: (() => void) | undefined;
  const stopSignal = new Promise<void>((resolve) => (wake = resolve));

  const run = async () => {
    let quickExits = 0;
    while (!stopped) {
      const opened = options.now();
      const window = options.open();
      if (typeof window === 'string') {
        options.log(`[watchdog] no window: ${window}`);
      } else {
        current = window;
        await window.exited;
        current = undefined;
      }
      if (stopped) break;
      const stable = typeof window !== 'string' && options.now() - opened >= STABLE_AFTER_MS;
      if (stable) quickExits = 0;
      const delay = reopenDelay(quickExits);
      if (quickExits > 0)
        options.log(`[watchdog] the window closed again soon after opening (${quickExits + 1} times in a row): reopening in ${delay} ms`);
      else options.log('[watchdog] the kiosk window closed: reopening');
      quickExits += 1;
      await Promise.race([options.wait(delay), stopSignal]);
    }
  };
  const running = run();

  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await current?.stop();
      await running;
    },
  };
}
