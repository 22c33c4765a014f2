/**
 * Chromium's managed policies for a kiosk window, rendered from kiosk-policy.json with the app's
 * exact origin (scheme, 127.0.0.1 and port), and written where Debian's Chromium reads them.
 *
 * Model: every address but the app's origin is blocked by the browser itself (file://, chrome://,
 * view-source: and every other scheme included), so a window that opens by some shortcut shows
 * nothing of the machine; incognito, guest and new profiles, developer tools, downloads, file
 * dialogs, history, bookmarks, passwords and autofill are off; printing goes only to the
 * configured printer, or nowhere.
 * Threats: a stranger at the kiosk reading the data directory (secret.key, store, outbox) through
 * file://, saving a screen as PDF, or keeping anything for the next person. Policies apply to every
 * Chromium on the machine: a kiosk machine runs nothing else in Chromium.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where Debian's Chromium reads managed policies. */
export const POLICY_FILE = '/etc/chromium/policies/managed/kontokiosk.json';

const TEMPLATE = join(import.meta.dirname, 'kiosk-policy.json');

export interface KioskPolicyOptions {
  /** The app's origin, e.g. http://127.0.0.1:8080: the one address the window may show. */
  readonly origin: string;
  /** The printer at the terminal (config kiosk.printerName): the only print destination when set. */
  readonly printerName?: string | undefined;
}

/** Only a loopback http origin with an explicit port: anything else would widen the allowlist. */
export function isKioskOrigin(origin: string): boolean {
  return /^http:\/\/127\.0\.0\.1:[1-9]\d{0,4}$/.test(origin) && Number(origin.split(':')[2]) <= 65535;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function kioskPolicy(options: KioskPolicyOptions): Record<string, unknown> {
  if (!isKioskOrigin(options.origin)) throw new Error('kiosk policy: not a loopback origin with a port');
  const policy = JSON.parse(readFileSync(TEMPLATE, 'utf8').replaceAll('{{ORIGIN}}', options.origin)) as Record<string, unknown>;
  if (options.printerName) {
    // Chromium's own preview honours the deny list; the system dialog would offer "Print to file".
    policy['PrintingEnabled'] = true;
    policy['PrinterTypeDenyList'] = ['pdf', 'extension', 'privet', 'cloud'];
    policy['DefaultPrinterSelection'] = JSON.stringify({ kind: 'local', namePattern: `^${escapeRegExp(options.printerName)}$` });
    policy['URLAllowlist'] = [options.origin, 'chrome://print'];
  }
  return policy;
}

export function renderKioskPolicy(options: KioskPolicyOptions): string {
  return `${JSON.stringify(kioskPolicy(options), null, 2)}\n`;
}

/** Writes the policy readable by every user (Chromium runs as the window user), atomically. */
export function writeKioskPolicy(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, text, { mode: 0o644 });
  renameSync(temporary, file);
}

/** Removes the policy this process wrote, unless someone has replaced it since. */
export function removeKioskPolicy(file: string, text: string): void {
  try {
    if (readFileSync(file, 'utf8') === text) rmSync(file, { force: true });
  } catch {
    // Gone already.
  }
}

/** Whether the installed policy confines Chromium to this origin (the window command checks before it opens). */
export function policyConfines(file: string, origin: string): boolean {
  try {
    const installed = JSON.parse(readFileSync(file, 'utf8')) as { URLBlocklist?: unknown; URLAllowlist?: unknown };
    const blocked = Array.isArray(installed.URLBlocklist) ? installed.URLBlocklist : [];
    const allowed = Array.isArray(installed.URLAllowlist) ? installed.URLAllowlist : [];
    return blocked.includes('*') && blocked.includes('file://*') && allowed.includes(origin);
  } catch {
    return false;
  }
}
