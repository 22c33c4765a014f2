/**
 * Opens the app in Chromium's app mode with a throw-away profile, and cleans up after it.
 * Threats: the profile holds the launch cookie and the page cache of a kiosk used by strangers, so
 * it must not outlive the run, whether Chromium closes by itself or the app is stopped; a Chromium
 * left running after the app stopped would show a dead page to the next person; a Chromium that
 * fails silently leaves a black screen, so its exit and its error output are logged (with the
 * launch secret masked); and the app's environment (database address, configuration) is not
 * Chromium's business, so the child gets only what a window needs.
 * When `account` is given (the app runs as root) Chromium runs as that account, with the profile
 * and a copy of the X authority cookie owned by it; see window-account.ts.
 */
import { spawn } from 'node:child_process';
import { chownSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Account } from './window-account.js';
import { guardWindow } from './window-guard.js';

export interface ChromiumExit {
  readonly code: number | null;
  readonly signal: string | null;
}

export interface ChromiumWindow {
  /** Chromium's process id, also its process group. */
  readonly pid: number | undefined;
  /** The temporary profile directory (gone once `exited` resolves). */
  readonly profile: string;
  /** Resolves when Chromium has exited and its profile is deleted. */
  readonly exited: Promise<ChromiumExit>;
  /** Ends Chromium (its whole process group), waits for it and deletes the profile. */
  stop(): Promise<void>;
}

const KILL_AFTER_MS = 5_000;
/** How long the helpers of a Chromium that died are given to go before its profile is deleted anyway. */
const HELPERS_GONE_WITHIN_MS = 2_000;

/**
 * Whether a process of the group still runs. A zombie does not count: it writes nothing, and who
 * reaps it (systemd, or whatever runs as process 1) is not ours to wait for.
 */
const groupRunning = (group: number): boolean => {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    // No /proc: ask the kernel, zombies included.
    try {
      process.kill(-group, 0);
      return true;
    } catch {
      return false;
    }
  }
  return entries.some((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      // "pid (comm) state ppid pgrp …": the name may hold spaces and brackets, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) === group && state !== 'Z';
    } catch {
      return false;
    }
  });
};

/** The launch secret must not reach a log, whatever Chromium prints. */
export const maskSecrets = (line: string): string => line.replace(/([?&]k=)[^\s&#"']+/g, '$1…');

/** Only what a window needs; with a changed account, nothing of root's session but the display. */
function windowEnv(profile: string, account: Account | undefined, xauthority: string | undefined): NodeJS.ProcessEnv {
  const keep = [
    'PATH',
    'DISPLAY',
    'LANG',
    'LANGUAGE',
    'LC_ALL',
    'TZ',
    ...(account ? [] : ['WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR', 'XAUTHORITY', 'HOME']),
  ];
  const env: NodeJS.ProcessEnv = {};
  for (const name of keep) if (process.env[name] !== undefined) env[name] = process.env[name];
  if (account) {
    env['HOME'] = account.home;
    env['USER'] = env['LOGNAME'] = account.name;
    env['XDG_CONFIG_HOME'] = join(profile, 'config');
    env['XDG_CACHE_HOME'] = join(profile, 'cache');
    if (xauthority) env['XAUTHORITY'] = xauthority;
  }
  return env;
}

/** The X cookie of the app's session, copied for the window account (deleted with the profile). */
function copyXauthority(profile: string, account: Account): string | undefined {
  const source = process.env['XAUTHORITY'] ?? join(homedir(), '.Xauthority');
  if (!existsSync(source)) return undefined;
  const copy = join(profile, 'Xauthority');
  copyFileSync(source, copy);
  chownSync(copy, account.uid, account.gid);
  return copy;
}

function forwardLines(stream: Readable | null, log: (line: string) => void): void {
  if (!stream) return;
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') log(`[chromium] ${maskSecrets(line)}`);
  });
  stream.on('end', () => {
    if (rest.trim() !== '') log(`[chromium] ${maskSecrets(rest)}`);
  });
}

export function openChromium(options: {
  readonly executable: string;
  readonly url: string;
  readonly kiosk: boolean;
  readonly profileParent?: string;
  /** Run Chromium as this account (the app runs as root). */
  readonly account?: Account | undefined;
  /** Close every window but the one on this origin (kiosk mode; see window-guard.ts). */
  readonly guardOrigin?: string | undefined;
  /** Where Chromium's output and exit go (default: stderr). */
  readonly log?: (line: string) => void;
}): ChromiumWindow {
  const log = options.log ?? ((line: string) => console.error(line));
  const profile = mkdtempSync(join(options.profileParent ?? tmpdir(), 'kontokiosk-chromium-'));
  const profileLeft = (error: unknown) =>
    log(`[chromium] the profile ${profile} could not be deleted: ${error instanceof Error ? error.message : String(error)}`);
  const removeProfile = async () => {
    // Helpers of a Chromium that crashed or was killed may still be writing into the profile.
    await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }).catch(profileLeft);
  };
  const account = options.account;
  let xauthority: string | undefined;
  if (account) {
    chownSync(profile, account.uid, account.gid);
    xauthority = copyXauthority(profile, account);
  }
  const args = [
    `--app=${options.url}`,
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-sync',
    '--disable-background-networking',
    // No keyring prompt for a profile that stores no passwords anyway.
    '--password-store=basic',
    // Chromium's own translation offer would cover the app's language button; the app translates itself.
    '--disable-features=Translate',
  ];
  if (options.kiosk) args.push('--kiosk', '--noerrdialogs', '--disable-session-crashed-bubble');
  if (options.guardOrigin) args.push('--remote-debugging-pipe');
  // Own process group, so that stopping reaches Chromium's helper processes too.
  const child = spawn(options.executable, args, {
    stdio: options.guardOrigin ? ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: windowEnv(profile, account, xauthority),
    cwd: account ? '/' : process.cwd(),
    ...(account ? { uid: account.uid, gid: account.gid } : {}),
  });
  forwardLines(child.stdout, log);
  forwardLines(child.stderr, log);
  if (options.guardOrigin) {
    guardWindow({
      toBrowser: child.stdio[3] as Writable,
      fromBrowser: child.stdio[4] as Readable,
      origin: options.guardOrigin,
      log: (line) => log(`[chromium] ${line}`),
    });
  }
  let running = true;
  const exited = new Promise<ChromiumExit>((resolve) => {
    const done = (exit: ChromiumExit) => {
      if (!running) return;
      // A main process that crashed or was killed leaves its renderer, GPU and zygote helpers
      // behind, in its process group: end them, give them a moment to go, then delete the profile.
      signal('SIGKILL');
      running = false;
      void (async () => {
        const until = Date.now() + HELPERS_GONE_WITHIN_MS;
        while (child.pid !== undefined && groupRunning(child.pid) && Date.now() < until) await new Promise((wake) => setTimeout(wake, 20));
        await removeProfile();
        resolve(exit);
      })();
    };
    child.once('exit', (code, signal) => {
      log(`[chromium] exited with ${signal ? `signal ${signal}` : `code ${code}`}`);
      done({ code, signal });
    });
    child.once('error', (error) => {
      log(`[chromium] could not start: ${maskSecrets(error.message)}`);
      done({ code: null, signal: null });
    });
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
    try {
      rmSync(profile, { recursive: true, force: true });
    } catch (error) {
      profileLeft(error);
    }
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
