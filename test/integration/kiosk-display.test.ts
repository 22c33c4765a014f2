/**
 * The kiosk on a real X display (Xvfb with the openbox window manager), started like `npm start`
 * as root with `kiosk.enabled` on a fresh data directory: every shortcut that used to open a
 * browser window, close the kiosk or save a screen leaves exactly one full-screen window showing
 * the app; Ctrl+W and Alt+F4 close it and the watchdog reopens it; Chromium runs as the window
 * account, and file:// is blocked by the policy. Stopping the app ends Chromium and removes the
 * policy.
 *
 * The policy is machine-wide, so where the kernel allows, the app runs in a mount namespace of its
 * own with a private /etc/chromium/policies: other Chromiums on this machine (other tests) never
 * see it. Where Xvfb, openbox, xdotool or Chromium are missing, or not running as root, or the
 * window account does not exist, the suite says so and is skipped (scripts/setup.sh installs all).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY_FILE } from '../../src-main/shell/browser/kiosk-policy.js';
import { lookupAccount, WINDOW_USER } from '../../src-main/shell/browser/window-account.js';

const ROOT = resolve(import.meta.dirname, '../..');
const WIDTH = 1280;
const HEIGHT = 800;
/** Reopening may take 2 s by the rule, plus Chromium's own start on a busy two-core machine. */
const REOPEN_DEADLINE_MS = 6_000;

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const missingTools = ['Xvfb', 'openbox', 'xdotool', 'xprop', 'chromium', 'unshare', 'nsenter', 'setpriv'].filter((tool) => !has(tool));
const windowUser = lookupAccount(WINDOW_USER);
const skipReason =
  process.getuid?.() !== 0
    ? 'not running as root'
    : missingTools.length > 0
      ? `missing ${missingTools.join(', ')} (bash scripts/setup.sh installs them)`
      : !windowUser
        ? `the account ${WINDOW_USER} does not exist (bash scripts/setup.sh creates it)`
        : undefined;
if (skipReason) console.log(`Kiosk display tests SKIPPED: ${skipReason}.`);

/** A private /etc/chromium/policies for the app, where the kernel allows a mount namespace. */
const privatePolicies = !skipReason && spawnSync('unshare', ['--mount', 'true']).status === 0;

interface XWindow {
  readonly id: string;
  readonly title: string;
  readonly pid: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

let display = '';
const children: ChildProcess[] = [];
let app: ChildProcess | undefined;
let log = '';
let dataDir = '';

const x = (...args: string[]) =>
  execFileSync('xdotool', args, { env: { ...process.env, DISPLAY: display }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

function windows(): XWindow[] {
  let ids: string[];
  try {
    ids = x('search', '--onlyvisible', '--class', 'chromium').split('\n').filter(Boolean);
  } catch {
    return [];
  }
  const found: XWindow[] = [];
  for (const id of ids) {
    try {
      const geometry = x('getwindowgeometry', id);
      const [, px, py] = /Position: (-?\d+),(-?\d+)/.exec(geometry) ?? [];
      const [, w, h] = /Geometry: (\d+)x(\d+)/.exec(geometry) ?? [];
      found.push({
        id,
        title: x('getwindowname', id).trim(),
        pid: Number(x('getwindowpid', id).trim()),
        x: Number(px),
        y: Number(py),
        width: Number(w),
        height: Number(h),
      });
    } catch {
      // Closed while we looked.
    }
  }
  return found;
}

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const sleep = (ms: number) => new Promise((resolvePause) => setTimeout(resolvePause, ms));

/** Polls until `check` returns a value, or fails with what it last saw. */
async function until<T>(what: string, deadlineMs: number, check: () => T | undefined): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`${what}: not within ${deadlineMs} ms; windows: ${JSON.stringify(windows())}`);
    await sleep(100);
  }
}

/** Exactly one Chromium window, full screen, showing the app. */
function theKioskWindow(): XWindow | undefined {
  const all = windows();
  const [only] = all;
  if (all.length !== 1 || !only) return undefined;
  const fullScreen = only.x === 0 && only.y === 0 && only.width === WIDTH && only.height === HEIGHT;
  return fullScreen && only.title === 'Kontokiosk' ? only : undefined;
}

/** Watches for `ms` and returns the largest number of Chromium windows seen and the window at the end. */
async function watch(ms: number): Promise<{ most: number; end: XWindow | undefined }> {
  let most = 0;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    most = Math.max(most, windows().length);
    await sleep(100);
  }
  return { most, end: theKioskWindow() };
}

function press(keys: string): void {
  const target = theKioskWindow();
  if (target) x('windowactivate', '--sync', target.id);
  // Real key events (XTEST), as from a keyboard: Alt+F4 reaches the window manager this way.
  x('key', '--clearmodifiers', keys);
}

const userOf = (pid: number) => execFileSync('ps', ['-o', 'user=', '-p', String(pid)], { encoding: 'utf8' }).trim();
/** The command lines of the window account's Chromium. */
const windowCommands = () => spawnSync('ps', ['-u', WINDOW_USER, '-o', 'args='], { encoding: 'utf8' }).stdout;

// Xvfb and the window manager serve every suite of this file; they go at its end.
afterAll(() => {
  for (const child of children.reverse()) child.kill('SIGTERM');
});

describe.skipIf(skipReason !== undefined)('the kiosk on a real X display', () => {
  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'renderer', 'index.html')) || !existsSync(join(ROOT, 'dist', 'counter', 'index.html'))) {
      execFileSync('npm', ['run', '--silent', 'build:renderer'], { cwd: ROOT, stdio: 'ignore' });
    }
    let n = 90;
    while (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) n += 1;
    display = `:${n}`;
    const xvfb = spawn('Xvfb', [display, '-screen', '0', `${WIDTH}x${HEIGHT}x24`, '-nolisten', 'tcp'], { stdio: 'ignore' });
    children.push(xvfb);
    await until('Xvfb', 10_000, () => (existsSync(`/tmp/.X11-unix/X${n}`) ? true : undefined));
    children.push(spawn('openbox', [], { env: { ...process.env, DISPLAY: display }, stdio: 'ignore' }));
    // A window mapped before the window manager runs would miss its full-screen placement.
    const wmReady = () =>
      spawnSync('xprop', ['-root', '_NET_SUPPORTING_WM_CHECK'], {
        env: { ...process.env, DISPLAY: display },
        encoding: 'utf8',
      }).stdout.includes('window id');
    await until('the window manager', 10_000, () => (wmReady() ? true : undefined));

    dataDir = mkdtempSync(join(tmpdir(), 'kontokiosk-display-'));
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ kiosk: { enabled: true } }));
    const command = [process.execPath, '--import', 'tsx', 'src-main/shell/browser/cli.ts', '--data-dir', join(dataDir, 'data')];
    const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: display, KONTOKIOSK_CONFIG: join(dataDir, 'config.json') };
    delete env['WAYLAND_DISPLAY'];
    if (privatePolicies) {
      mkdirSync('/etc/chromium/policies', { recursive: true });
      const inside = 'mount -t tmpfs -o mode=755 kontokiosk-test-policies /etc/chromium/policies && exec "$@"';
      app = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', inside, 'sh', ...command], {
        cwd: ROOT,
        env,
        detached: true,
      });
    } else {
      app = spawn(command[0] as string, command.slice(1), { cwd: ROOT, env, detached: true });
    }
    app.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    app.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    await until('the kiosk window', 60_000, theKioskWindow);
  }, 180_000);

  afterAll(async () => {
    if (app?.pid !== undefined && app.exitCode === null) {
      try {
        process.kill(-app.pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
    if (!privatePolicies && existsSync(POLICY_FILE) && log.includes('kiosk mode')) rmSync(POLICY_FILE, { force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs Chromium as the window account, never as root or the data directory’s owner', () => {
    const window = theKioskWindow();
    expect(window).toBeDefined();
    expect(userOf(window?.pid ?? 0)).toBe(WINDOW_USER);
    // The data directory stays closed to that account on disk as well.
    expect(
      spawnSync('setpriv', ['--reuid', WINDOW_USER, '--regid', WINDOW_USER, '--init-groups', 'ls', join(dataDir, 'data')]).status,
    ).not.toBe(0);
  });

  for (const keys of ['ctrl+t', 'ctrl+n', 'ctrl+shift+n', 'ctrl+h', 'ctrl+j', 'ctrl+o', 'ctrl+p', 'F11', 'F12']) {
    it(`${keys} leaves exactly the one full-screen kiosk window`, async () => {
      const before = await until('the kiosk window', 10_000, theKioskWindow);
      press(keys);
      const seen = await watch(1_500);
      // A new window may flash up for a moment before the guard closes it; then one is left.
      const after = await until(`one kiosk window after ${keys}`, 5_000, theKioskWindow);
      expect({ keys, id: after.id, pid: after.pid }).toEqual({ keys, id: before.id, pid: before.pid });
      expect(seen.most).toBeLessThanOrEqual(2);
    });
  }

  for (const keys of ['ctrl+w', 'alt+F4']) {
    it(`${keys} closes the window and the watchdog opens a new one within the deadline`, async () => {
      const before = await until('the kiosk window', 10_000, theKioskWindow);
      const pressed = Date.now();
      press(keys);
      const after = await until(`a new kiosk window after ${keys}`, REOPEN_DEADLINE_MS, () => {
        const window = theKioskWindow();
        return window && window.pid !== before.pid ? window : undefined;
      });
      console.log(`${keys}: a new kiosk window after ${Date.now() - pressed} ms`);
      expect(userOf(after.pid)).toBe(WINDOW_USER);
      expect(log).toMatch(/\[chromium\] exited with code \d+/);
      expect(log).toContain('[watchdog]');
    });
  }

  /** Another Chromium of the window account on the display, in the app's mount namespace (its policy) or outside it. */
  async function probe(url: string, underPolicy: boolean): Promise<string[]> {
    const kiosk = await until('the kiosk window', 10_000, theKioskWindow);
    const profile = mkdtempSync(join(tmpdir(), 'kontokiosk-probe-'));
    execFileSync('chown', [WINDOW_USER, profile]);
    const enter = underPolicy && privatePolicies ? ['nsenter', '--mount', `--target=${app?.pid}`, '--'] : [];
    const args = [...enter, 'setpriv', '--reuid', WINDOW_USER, '--regid', WINDOW_USER, '--init-groups'];
    args.push('env', `HOME=${profile}`, `DISPLAY=${display}`, 'chromium', '--no-first-run', `--user-data-dir=${profile}`, `--app=${url}`);
    const child = spawn(args[0] as string, args.slice(1), { stdio: 'ignore', detached: true });
    const titles = new Set<string>();
    try {
      const end = Date.now() + 6_000;
      while (Date.now() < end && ![...titles].some((title) => title.startsWith('Index of'))) {
        for (const window of windows()) if (window.pid !== kiosk.pid) titles.add(window.title);
        await sleep(100);
      }
    } finally {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      await until('the probe to close', 10_000, () => (windows().length === 1 ? true : undefined));
      rmSync(profile, { recursive: true, force: true });
    }
    return [...titles];
  }

  it('the policy blocks file:// for Chromium: no directory listing, not even of /etc', async () => {
    // /etc is readable by every account: only the policy keeps its listing out of the window.
    const blocked = await probe('file:///etc/', true);
    expect(blocked.length).toBeGreaterThan(0);
    expect(blocked.filter((title) => title.startsWith('Index of'))).toEqual([]);
    expect(await probe(`file://${join(dataDir, 'data')}/`, true)).not.toContainEqual(expect.stringMatching(/^Index of/));
    // The control: the same probe without the policy lists /etc (only where the policy is private to the app).
    if (privatePolicies) expect(await probe('file:///etc/', false)).toContain('Index of /etc/');
  });

  it('stopping the app ends Chromium, deletes its profiles and removes the policy', async () => {
    const profiles = [...windowCommands().matchAll(/--user-data-dir=(\S+)/g)].map((match) => match[1] as string);
    expect(profiles.length).toBeGreaterThan(0);
    const pid = app?.pid ?? 0;
    process.kill(pid, 'SIGTERM');
    await until('the app to exit', 20_000, () => (app?.exitCode !== null ? true : undefined));
    await until('no Chromium window', 10_000, () => (windows().length === 0 ? true : undefined));
    expect(profiles.filter((profile) => existsSync(profile))).toEqual([]);
    expect(windowCommands()).not.toContain('--user-data-dir');
    if (!privatePolicies) expect(existsSync(POLICY_FILE)).toBe(false);
  });
});

/**
 * The installed units as a branch runs them (deploy/systemd), their ExecStart lines run directly
 * since systemd is not PID 1 here: the server without a window, handing fresh launch URLs to the
 * window unit's command, which runs as the window account on the display under the policy for the
 * server's port. A Chromium that dies is replaced on a fresh URL; a server that stops takes the
 * window with it. Needs the mount namespace (the policy stays private to this test) and a checkout
 * the window account can read.
 */
const windowCanRead =
  !skipReason &&
  spawnSync('setpriv', ['--reuid', WINDOW_USER, '--regid', WINDOW_USER, '--init-groups', 'test', '-r', join(ROOT, 'package.json')])
    .status === 0;
const unitsSkip =
  skipReason ??
  (!privatePolicies
    ? 'no private mount namespace for the policy'
    : !windowCanRead
      ? `${WINDOW_USER} cannot read this checkout`
      : undefined);
if (unitsSkip && !skipReason) console.log(`Kiosk unit tests SKIPPED: ${unitsSkip}.`);

/** The ExecStart line of a unit in deploy/systemd, with the installed paths moved to this test's. */
function execStart(unit: string, paths: Record<string, string>): string[] {
  const text = readFileSync(join(ROOT, 'deploy', 'systemd', unit), 'utf8');
  const line = /^ExecStart=(.+)$/m.exec(text)?.[1] ?? '';
  return line.split(/\s+/).map((word) => Object.entries(paths).reduce((w, [from, to]) => w.replaceAll(from, to), word));
}

describe.skipIf(unitsSkip !== undefined)('the server and window units, run as their ExecStart lines', () => {
  let server: ChildProcess | undefined;
  let window: ChildProcess | undefined;
  let unitLog = '';
  let dir = '';
  let home = '';

  beforeAll(async () => {
    await until('no window left from before', 20_000, () => (windows().length === 0 ? true : undefined));
    dir = mkdtempSync(join(tmpdir(), 'kontokiosk-units-'));
    // Like /run/kontokiosk: passable for the window account, which reads only its folder in it.
    execFileSync('chmod', ['755', dir]);
    const handoff = join(dir, 'window');
    mkdirSync(handoff);
    // As the server unit's ExecStartPre makes it: the server's, group of the window account, setgid.
    execFileSync('chgrp', [WINDOW_USER, handoff]);
    execFileSync('chmod', ['2750', handoff]);
    const port = await freePort();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ kiosk: { enabled: true }, browserShell: { port } }));
    const paths = { '/opt/kontokiosk': ROOT, '/var/lib/kontokiosk': join(dir, 'data'), '/run/kontokiosk/window': handoff };
    const serverCommand = execStart('kontokiosk.service', paths);
    const env: NodeJS.ProcessEnv = { ...process.env, KONTOKIOSK_CONFIG: join(dir, 'config.json') };
    delete env['DISPLAY'];
    delete env['WAYLAND_DISPLAY'];
    // The policy for the server's port, as deploy/install.sh writes it, private to this namespace.
    const inside =
      'mount -t tmpfs -o mode=755 kontokiosk-test-policies /etc/chromium/policies && ' +
      `node --import tsx src-main/shell/browser/policy-cli.ts --port ${port} >/dev/null && exec "$@"`;
    mkdirSync('/etc/chromium/policies', { recursive: true });
    server = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', inside, 'sh', ...serverCommand], {
      cwd: ROOT,
      env,
      detached: true,
    });
    server.stdout?.on('data', (chunk: Buffer) => (unitLog += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (unitLog += chunk.toString()));
    await until('the hand-off file', 60_000, () => (existsSync(join(handoff, 'launch-url')) ? true : undefined));

    home = mkdtempSync(join(tmpdir(), 'kontokiosk-window-home-'));
    execFileSync('chown', [WINDOW_USER, home]);
    const windowCommand = execStart('kontokiosk-window.service', paths);
    const account = ['setpriv', '--reuid', WINDOW_USER, '--regid', WINDOW_USER, '--init-groups'];
    const windowEnv = ['env', '-i', `HOME=${home}`, `DISPLAY=${display}`, `PATH=${process.env['PATH'] ?? ''}`];
    // The unit's WorkingDirectory (nsenter would start in the namespace's root).
    window = spawn('nsenter', ['--mount', `--target=${server.pid}`, `--wd=${ROOT}`, '--', ...account, ...windowEnv, ...windowCommand], {
      cwd: ROOT,
      detached: true,
    });
    window.stdout?.on('data', (chunk: Buffer) => (unitLog += chunk.toString()));
    window.stderr?.on('data', (chunk: Buffer) => (unitLog += chunk.toString()));
    await until('the kiosk window of the window unit', 90_000, theKioskWindow).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${unitLog}`);
    });
  }, 180_000);

  afterAll(() => {
    for (const child of [window, server]) {
      if (child?.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Gone.
        }
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('the window runs as the window account, full screen on the server’s app', () => {
    const shown = theKioskWindow();
    expect(shown).toBeDefined();
    expect(userOf(shown?.pid ?? 0)).toBe(WINDOW_USER);
  });

  it('a Chromium that dies is replaced, on a fresh launch URL, within the deadline', async () => {
    const before = await until('the kiosk window', 10_000, theKioskWindow);
    process.kill(before.pid, 'SIGKILL');
    const after = await until('a new kiosk window', REOPEN_DEADLINE_MS + 4_000, () => {
      const shown = theKioskWindow();
      return shown && shown.pid !== before.pid ? shown : undefined;
    }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${unitLog}`);
    });
    expect(userOf(after.pid)).toBe(WINDOW_USER);
  });

  it('stopping the server closes the window and ends the window command', async () => {
    process.kill(server?.pid ?? 0, 'SIGTERM');
    await until('the server to exit', 20_000, () => (server?.exitCode !== null ? true : undefined));
    await until('the window command to exit', 20_000, () => (window?.exitCode !== null ? true : undefined));
    await until('no Chromium window', 10_000, () => (windows().length === 0 ? true : undefined));
    expect(server?.exitCode, unitLog).toBe(0);
    expect(window?.exitCode, unitLog).toBe(0);
  });
});
