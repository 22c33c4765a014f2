/**
 * Which system account Chromium runs as. Model: never root (Chromium refuses to run as root with
 * its sandbox, and would be the machine's master), and never the account that owns the data
 * directory (it could open file:///<data dir>/secret.key and the outbox). When the app runs as
 * root, Chromium runs as a dedicated account (`kontokiosk-window`, created by scripts/setup.sh)
 * that can read nothing of the data directory; otherwise it runs as the current account, which
 * must then not own the data directory (the hand-off: the server as one account, the window as
 * another). A refusal says what to do, so a missing account never shows as a black screen.
 */
import { readFileSync } from 'node:fs';

export const WINDOW_USER = 'kontokiosk-window';

export interface Account {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

export type WindowAccount =
  | { readonly ok: true; readonly value: { readonly switchTo?: Account } }
  | {
      readonly ok: false;
      readonly code: 'WINDOW_USER_MISSING' | 'WINDOW_USER_PRIVILEGED' | 'WINDOW_WOULD_OWN_DATA';
      readonly message: string;
    };

/** A local account from /etc/passwd (the window account is a local system account). */
export function lookupAccount(name: string, passwd = '/etc/passwd'): Account | undefined {
  let text: string;
  try {
    text = readFileSync(passwd, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [user, , uid, gid, , home] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined && /^\d+$/.test(uid) && /^\d+$/.test(gid)) {
      return { name, uid: Number(uid), gid: Number(gid), home: home || '/nonexistent' };
    }
  }
  return undefined;
}

const CREATE = `create it with "bash scripts/setup.sh" (as root), or: useradd --system --user-group --create-home --home-dir /var/lib/${WINDOW_USER} --shell /usr/sbin/nologin ${WINDOW_USER}`;

export function windowAccount(input: {
  /** The app's own uid. */
  readonly uid: number;
  /** Owner of the data directory (or, for the window command, of the hand-off directory). */
  readonly dataOwner: number;
  readonly windowUser: Account | undefined;
}): WindowAccount {
  if (input.uid === 0) {
    const user = input.windowUser;
    if (!user) {
      return {
        ok: false,
        code: 'WINDOW_USER_MISSING',
        message: `No window opened: Kontokiosk runs as root and never starts Chromium as root, but the account "${WINDOW_USER}" does not exist; ${CREATE}.`,
      };
    }
    if (user.uid === 0 || user.gid === 0) {
      return {
        ok: false,
        code: 'WINDOW_USER_PRIVILEGED',
        message: `No window opened: the account "${WINDOW_USER}" has uid or gid 0; it must be an unprivileged account of its own.`,
      };
    }
    if (user.uid === input.dataOwner) {
      return {
        ok: false,
        code: 'WINDOW_WOULD_OWN_DATA',
        message: `No window opened: "${WINDOW_USER}" owns the data directory, so Chromium could read it; give the data directory to another account (chown -R root: <data dir>).`,
      };
    }
    return { ok: true, value: { switchTo: user } };
  }
  if (input.uid === input.dataOwner) {
    return {
      ok: false,
      code: 'WINDOW_WOULD_OWN_DATA',
      message: `No window opened: Chromium would run as the account that owns the data directory and could read it. Start Kontokiosk as root (Chromium then runs as "${WINDOW_USER}"), or serve with --no-open --handoff DIR and run "npm run kiosk:window -- --handoff DIR" as "${WINDOW_USER}".`,
    };
  }
  return { ok: true, value: {} };
}
