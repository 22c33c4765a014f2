/**
 * The kiosk window as a process of its own, for a server started with `--no-open --handoff DIR`:
 *
 *   npm run kiosk:window -- --handoff DIR      (as kontokiosk-window, on the kiosk's X display)
 *
 * Runs Chromium in kiosk mode with the watchdog, taking a fresh launch URL from DIR/launch-url for
 * each (re)launch. Refuses to run as root or as the owner of DIR (the server's account, which owns
 * the data), and without the Chromium policy for the server's origin. When the server stops (the
 * file is gone) it ends Chromium and exits, to be started again with the server.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HANDOFF_FILE, readHandoff } from './handoff.js';
import { POLICY_FILE, policyConfines } from './kiosk-policy.js';
import { runKioskWindow } from './kiosk-window.js';
import { policyNotInstalled, whyNotOpened } from './launch-notice.js';
import { WINDOW_USER, windowAccount } from './window-account.js';

const index = process.argv.indexOf('--handoff');
const dir = index >= 0 ? process.argv[index + 1] : undefined;
const refuse = (message: string): never => {
  console.error(message);
  process.exit(2);
};
if (!dir || !existsSync(dir)) refuse('Usage: npm run kiosk:window -- --handoff DIR (the directory the server was started with)');
const handoffDir = dir as string;
const uid = process.getuid?.() ?? 0;
if (uid === 0)
  refuse(
    `The window command never runs Chromium as root: run it as ${WINDOW_USER} (runuser -u ${WINDOW_USER} -- npm run kiosk:window -- --handoff DIR).`,
  );
const account = windowAccount({ uid, dataOwner: statSync(handoffDir).uid, windowUser: undefined });
if (!account.ok) refuse(account.message);
const executable = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const display = process.env['DISPLAY'] ?? process.env['WAYLAND_DISPLAY'];
if (!display || !executable) refuse(whyNotOpened(false, display, executable));

const log = (line: string) => console.error(line);
let url = readHandoff(handoffDir);
if (!url) console.log(`Waiting for the server's launch URL in ${join(handoffDir, HANDOFF_FILE)} …`);
while (!url) {
  await new Promise((resolve) => setTimeout(resolve, 500));
  url = readHandoff(handoffDir);
}
const origin = new URL(url).origin;
if (!policyConfines(POLICY_FILE, origin)) refuse(policyNotInstalled(origin, POLICY_FILE));

const watchdog = runKioskWindow({ executable: executable as string, origin, nextUrl: () => readHandoff(handoffDir), log });
console.log(`Kiosk window on display ${display} for ${origin}; it reopens when closed.`);
let stopping = false;
const stop = async (why: string) => {
  if (stopping) return;
  stopping = true;
  console.log(why);
  clearInterval(serverWatch);
  await watchdog.stop();
  process.exit(0);
};
const serverWatch = setInterval(() => {
  if (!readHandoff(handoffDir)) void stop('The server stopped (no launch URL any more): window closed.');
}, 1_000);
process.on('SIGINT', () => void stop('Stopped.'));
process.on('SIGTERM', () => void stop('Stopped.'));
