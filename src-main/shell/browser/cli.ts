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
 *
 * The launch URL works once. It is printed only when nobody else will open it (no display, no
 * Chromium, or --no-open): where the app opens Chromium itself, the URL goes only to Chromium, and
 * closing Chromium stops the app and deletes Chromium's temporary profile.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openApp, postidentNotice } from '../../app.js';
import { exitOnStartupRefusal } from '../../startup/refusal.js';
import { openChromium, type ChromiumWindow } from './chromium.js';
import { startBrowserShell } from './server.js';
import { whyNotOpened } from './launch-notice.js';

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
const shell = await startBrowserShell({
  dispatcher: app.dispatcherFor(both ? 'kiosk' : role),
  rendererDir: rendererDirs[both ? 'kiosk' : role],
  terminal: both || role === 'kiosk' ? app.config.terminalId : app.config.counterTerminalId,
  port: portOption ? Number(portOption) : app.config.browserShell.port,
});
const counterShell = both
  ? await startBrowserShell({
      dispatcher: app.dispatcherFor('counter'),
      rendererDir: rendererDirs.counter,
      terminal: app.config.counterTerminalId,
    })
  : undefined;

let chromium: ChromiumWindow | undefined;
let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await chromium?.stop();
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
  if (!process.argv.includes('--no-open') && display && executable) {
    chromium = openChromium({ executable, url: shell.launchUrl, kiosk: app.config.kiosk.enabled });
    console.log(`  opened Chromium in app mode on display ${display}; closing it stops Kontokiosk`);
    void chromium.exited.then(() => stop());
  } else {
    console.log(`  ${whyNotOpened(process.argv.includes('--no-open'), display, executable)}`);
    console.log(`  Open this address once, in a browser on this machine:`);
    console.log(`  ${shell.launchUrl}`);
  }
}
