/**
 * Starts Kontokiosk in the browser shell: the same composition root and dispatcher as Electron,
 * served on 127.0.0.1. Opens Debian's Chromium in app mode when a display exists, otherwise prints
 * the launch URL.
 *
 *   --data-dir DIR   data directory (default: $KONTOKIOSK_DATA_DIR or ./data)
 *   --port N         fixed port (default: configuration, else any free port)
 *   --no-open        never open a browser window
 *   --print-launch   print the launch URL as JSON on stdout (used by the end-to-end tests)
 *   --counter        serve the counter (staff) instead of the kiosk (config: terminalRole)
 *   --kiosk-and-counter  serve both from one process on one data directory: the kiosk as
 *                    configured and a counter on a second port, each with its own launch URL
 *   --handoff DIR    keep one fresh launch URL in DIR/launch-url for a window process of its own
 *                    (npm run kiosk:window -- --handoff DIR, run as kontokiosk-window); with --no-open
 *
 * The launch URL works once. It is printed only when nobody else will open it (no display, no
 * Chromium, or --no-open without --handoff): where the app opens Chromium itself, the URL goes only
 * to Chromium. Chromium never runs as root nor as the data directory's owner (window-account.ts).
 * Without kiosk mode closing Chromium stops the app; in kiosk mode (`kiosk.enabled`) a watchdog
 * reopens it on a fresh launch URL, under Chromium policies that confine it to the app's origin
 * (written here when the app runs as root, removed when it stops).
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openApp, postidentNotice } from '../../app.js';
import { exitOnStartupRefusal } from '../../startup/refusal.js';
import { openChromium, type ChromiumWindow } from './chromium.js';
import { clearHandoff, writeHandoff } from './handoff.js';
import { POLICY_FILE, policyConfines, removeKioskPolicy, renderKioskPolicy, writeKioskPolicy } from './kiosk-policy.js';
import { runKioskWindow } from './kiosk-window.js';
import { startBrowserShell, type BrowserShell } from './server.js';
import { policyNotInstalled, ROOT_NEEDS_X, whyNotOpened } from './launch-notice.js';
import { lookupAccount, WINDOW_USER, windowAccount } from './window-account.js';
import type { Watchdog } from './watchdog.js';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const root = resolve(import.meta.dirname, '../../..');
const dataDir = resolve(option('--data-dir') ?? process.env['KONTOKIOSK_DATA_DIR'] ?? join(root, 'data'));
/** Two bundles: the kiosk's renderer holds no staff screen, the counter is its own build. */
const rendererDirs = { kiosk: join(root, 'dist', 'renderer'), counter: join(root, 'dist', 'counter') } as const;

// The data directory and the configuration are checked first: a refusal there matters more than
// a renderer that still has to be built.
const app = await openApp({ dataDir, assetsDir: join(root, 'assets'), configPath: process.env['KONTOKIOSK_CONFIG'] }).catch(
  exitOnStartupRefusal,
);
if (!Object.values(rendererDirs).every((dir) => existsSync(join(dir, 'index.html')))) {
  console.error('The renderer is not built yet: run "npm run build:renderer" first.');
  await app.close();
  process.exit(1);
}
const postident = postidentNotice(app.postident);
if (postident.warning) console.error(postident.warning);
const portOption = option('--port');
const both = process.argv.includes('--kiosk-and-counter');
const role = process.argv.includes('--counter') ? 'counter' : app.config.terminalRole;
const port = portOption ? Number(portOption) : app.config.browserShell.port;
const handoffDir = option('--handoff');
if (handoffDir !== undefined && (!process.argv.includes('--no-open') || !(port > 0))) {
  // The window's Chromium policy names the origin, so the hand-off needs a port that stays.
  console.error('--handoff needs --no-open and a fixed port (--port N or browserShell.port in the configuration).');
  await app.close();
  process.exit(2);
}
let handOff: (() => void) | undefined;
const shell = await startBrowserShell({
  dispatcher: app.dispatcherFor(both ? 'kiosk' : role),
  rendererDir: rendererDirs[both ? 'kiosk' : role],
  terminal: both || role === 'kiosk' ? app.config.terminalId : app.config.counterTerminalId,
  port,
  // Each use of the handed-off URL makes room for the next window's.
  onLaunch: () => handOff?.(),
});
if (handoffDir !== undefined) handOff = () => setImmediate(() => stopping || writeHandoff(handoffDir, shell.rearm()));
const counterShell = both
  ? await startBrowserShell({
      dispatcher: app.dispatcherFor('counter'),
      rendererDir: rendererDirs.counter,
      terminal: app.config.counterTerminalId,
    })
  : undefined;

let chromium: ChromiumWindow | undefined;
let watchdog: Watchdog | undefined;
let policyWritten: string | undefined;
let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await watchdog?.stop();
  await chromium?.stop();
  if (policyWritten !== undefined) removeKioskPolicy(POLICY_FILE, policyWritten);
  if (handoffDir !== undefined) clearHandoff(handoffDir);
  await shell.close();
  await counterShell?.close();
  await app.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

if (process.argv.includes('--print-launch')) {
  console.log(
    JSON.stringify({
      launchUrl: shell.launchUrl,
      origin: shell.origin,
      ...(counterShell ? { counterLaunchUrl: counterShell.launchUrl, counterOrigin: counterShell.origin } : {}),
      postident: app.postidentUrl,
      dataDir,
      outbox: app.paths.outbox,
    }),
  );
} else {
  console.log(`Kontokiosk is running in the browser shell (no Electron binary in use), as ${both ? 'kiosk and counter' : role}.`);
  if (counterShell) {
    console.log(`  counter (staff): open this address once, in a browser on this machine:`);
    console.log(`  ${counterShell.launchUrl}`);
  }
  console.log(`  data directory:      ${dataDir}`);
  console.log(`  outbox (mail, SMS, letters): ${app.paths.outbox}`);
  console.log(`  ${postident.line}`);
  const executable = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  const display = process.env['DISPLAY'] ?? process.env['WAYLAND_DISPLAY'];
  const refusal = !process.argv.includes('--no-open') && display && executable ? openWindow(shell, executable, display) : undefined;
  if (handoffDir !== undefined) {
    writeHandoff(handoffDir, shell.launchUrl);
    console.log(`  No window opened (--no-open): the launch URL for the window process is in ${join(handoffDir, 'launch-url')}`);
  } else if (chromium === undefined && watchdog === undefined) {
    console.log(`  ${refusal ?? whyNotOpened(process.argv.includes('--no-open'), display, executable)}`);
    console.log(`  Open this address once, in a browser on this machine:`);
    console.log(`  ${shell.launchUrl}`);
  }
}

/** Opens the window (kiosk: with its watchdog), or says why not. */
function openWindow(on: BrowserShell, executable: string, display: string): string | undefined {
  const uid = process.getuid?.() ?? 0;
  const account = windowAccount({ uid, dataOwner: statSync(dataDir).uid, windowUser: lookupAccount(WINDOW_USER) });
  if (!account.ok) return account.message;
  if (uid === 0 && !process.env['DISPLAY']) return ROOT_NEEDS_X;
  const switchTo = account.value.switchTo;
  const as = switchTo ? ` as ${switchTo.name}` : '';
  if (!app.config.kiosk.enabled || (role === 'counter' && !both)) {
    chromium = openChromium({ executable, url: on.launchUrl, kiosk: app.config.kiosk.enabled, account: switchTo });
    console.log(`  opened Chromium in app mode on display ${display}${as}; closing it stops Kontokiosk`);
    void chromium.exited.then(() => stop());
    return undefined;
  }
  if (uid === 0) {
    policyWritten = renderKioskPolicy({ origin: on.origin, printerName: app.config.kiosk.printerName });
    writeKioskPolicy(POLICY_FILE, policyWritten);
  } else if (!policyConfines(POLICY_FILE, on.origin)) {
    return policyNotInstalled(on.origin, POLICY_FILE);
  }
  let first = true;
  const nextUrl = () => (first ? ((first = false), on.launchUrl) : on.rearm());
  watchdog = runKioskWindow({ executable, origin: on.origin, nextUrl, account: switchTo, log: (line) => console.error(line) });
  console.log(`  opened Chromium in kiosk mode on display ${display}${as}, under the policy ${POLICY_FILE}; it reopens when closed`);
  return undefined;
}
