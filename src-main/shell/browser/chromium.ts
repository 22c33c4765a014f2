/**
 * Opens the app in Chromium's app mode with a throw-away profile, and cleans up after it.
 * Threats: the profile holds the launch cookie and the page cache of a kiosk used by strangers, so
 * it must not outlive the run, whether Chromium closes by itself or the app is stopped; and a
 * Chromium left running after the app stopped would show a dead page to the next person.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ChromiumWindow {
  /** Chromium's process id, also its process group. */
  readonly pid: number | undefined;
  /** The temporary profile directory (gone once `exited` resolves). */
  readonly profile: string;
  /** Resolves when Chromium has exited and its profile is deleted. */
  readonly exited: Promise<void>;
  /** Ends Chromium (its whole process group), waits for it and deletes the profile. */
  stop(): Promise<void>;
}

const KILL_AFTER_MS = 5_000;

export function openChromium(options: {
  readonly executable: string;
  readonly url: string;
  readonly kiosk: boolean;
  readonly profileParent?: string;
}): ChromiumWindow {
  const profile = mkdtempSync(join(options.profileParent ?? tmpdir(), 'kontokiosk-chromium-'));
  const removeProfile = () => rmSync(profile, { recursive: true, force: true });
  const args = [
    `--app=${options.url}`,
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--disable-sync',
    '--disable-background-networking',
    // Chromium's own translation offer would cover the app's language button; the app translates itself.
    '--disable-features=Translate',
  ];
  if (options.kiosk) args.push('--kiosk');
  // Own process group, so that stopping reaches Chromium's helper processes too.
  const child = spawn(options.executable, args, { stdio: 'ignore', detached: true });
  let running = true;
  const exited = new Promise<void>((resolve) => {
    const done = () => {
      if (!running) return;
      running = false;
      removeProfile();
      resolve();
    };
    child.once('exit', done);
    child.once('error', done);
  });
  const signal = (name: NodeJS.Signals) => {
    if (!running || child.pid === undefined) return;
    try {
      process.kill(-child.pid, name);
    } catch {
      // Already gone.
    }
  };
  // Last resort when the app dies without stopping us (uncaught error): no orphan, no profile left.
  const onProcessExit = () => {
    signal('SIGKILL');
    removeProfile();
  };
  process.once('exit', onProcessExit);
  void exited.then(() => process.off('exit', onProcessExit));

  return {
    pid: child.pid,
    profile,
    exited,
    stop: async () => {
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), KILL_AFTER_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
