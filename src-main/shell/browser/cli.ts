/**
 * Starts Kontokiosk in the browser shell: the same composition root and dispatcher as Electron,
 * served on 127.0.0.1. Opens Debian's Chromium in app mode when a display exists, otherwise prints
 * the launch URL.
 *
 *   --data-dir DIR   data directory (default: $KONTOKIOSK_DATA_DIR or ./data)
 *   --port N         fixed port (default: configuration, else any free port)
 *   --no-open        never open a browser window
 *   --print-launch   print the launch URL as JSON on stdout (used by the end-to-end tests)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openApp } from '../../app.js';
import { startBrowserShell } from './server.js';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const root = resolve(import.meta.dirname, '../../..');
const dataDir = resolve(option('--data-dir') ?? process.env['KONTOKIOSK_DATA_DIR'] ?? join(root, 'data'));
const rendererDir = join(root, 'dist', 'renderer');
if (!existsSync(join(rendererDir, 'index.html'))) {
  console.error('The renderer is not built yet: run "npm run build:renderer" first.');
  process.exit(1);
}

const app = await openApp({ dataDir, assetsDir: join(root, 'assets'), configPath: process.env['KONTOKIOSK_CONFIG'] });
const portOption = option('--port');
const shell = await startBrowserShell({
  dispatcher: app.dispatcher,
  rendererDir,
  terminal: app.config.terminalId,
  port: portOption ? Number(portOption) : app.config.browserShell.port,
});

if (process.argv.includes('--print-launch')) {
  console.log(
    JSON.stringify({ launchUrl: shell.launchUrl, origin: shell.origin, postident: app.postidentUrl, dataDir, outbox: app.paths.outbox }),
  );
} else {
  console.log(`Kontokiosk is running in the browser shell (no Electron binary in use).`);
  console.log(`  data directory:      ${dataDir}`);
  console.log(`  outbox (mail, SMS, letters): ${app.paths.outbox}`);
  console.log(`  POSTIDENT simulator: ${app.postidentUrl}  (test mode, no real identification)`);
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  const display = process.env['DISPLAY'] ?? process.env['WAYLAND_DISPLAY'];
  if (!process.argv.includes('--no-open') && display && chromium) {
    const profile = mkdtempSync(join(tmpdir(), 'kontokiosk-chromium-'));
    const args = [
      `--app=${shell.launchUrl}`,
      `--user-data-dir=${profile}`,
      '--no-first-run',
      '--disable-sync',
      '--disable-background-networking',
    ];
    if (app.config.kiosk.enabled) args.push('--kiosk');
    spawn(chromium, args, { stdio: 'ignore', detached: true }).unref();
    console.log(`  opened Chromium in app mode on display ${display}`);
  } else {
    console.log(`  no display or Chromium found: open this address in a browser on this machine:`);
    console.log(`  ${shell.launchUrl}`);
  }
}

const stop = async (): Promise<void> => {
  await shell.close();
  await app.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
