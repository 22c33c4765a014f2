/**
 * The hand-off between a server that opens no window (`--no-open --handoff DIR`) and a window
 * process run as the window account (`npm run kiosk:window -- --handoff DIR`): the server keeps one
 * fresh, unused launch URL in DIR/launch-url and writes a new one after each use.
 *
 * Model: the file is written whole (temporary file, then rename) with mode 0640 and the group of
 * DIR, so that the window account reads it through its group (DIR: owner the server's account,
 * group kontokiosk-window, mode 2750) and nobody else reads it at all. A URL read and used is dead
 * (server.ts), so the file never holds a URL that opened a window.
 * Threats: another local account taking the next window's launch URL; a window reading half a URL.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HANDOFF_FILE = 'launch-url';

export function writeHandoff(dir: string, url: string): void {
  const file = join(dir, HANDOFF_FILE);
  const temporary = join(dir, `.${HANDOFF_FILE}.${randomBytes(6).toString('hex')}`);
  writeFileSync(temporary, `${url}\n`, { mode: 0o640 });
  // The umask may have taken bits away, never added: set exactly 0640.
  chmodSync(temporary, 0o640);
  try {
    chownSync(temporary, -1, statSync(dir).gid);
  } catch {
    // Not permitted for this account: the directory's setgid bit gives the group instead.
  }
  renameSync(temporary, file);
}

/** The URL, or undefined while the server has not written one. */
export function readHandoff(dir: string): string | undefined {
  try {
    const url = readFileSync(join(dir, HANDOFF_FILE), 'utf8').trim();
    return url === '' ? undefined : url;
  } catch {
    return undefined;
  }
}

/** A stopped server leaves no URL behind for a window to try. */
export function clearHandoff(dir: string): void {
  rmSync(join(dir, HANDOFF_FILE), { force: true });
}
