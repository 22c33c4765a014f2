/**
 * After a lock, the next attempt deactivates the account (R6), so a login screen must not offer
 * the password field again for that account until the lock ends, even after "Back" and a new
 * start. The screen asks here before it shows the form: the answer names a lock only if this
 * terminal has already shown it (so it tells nothing new to whoever stands there) and only while it
 * is in force. Asking counts nothing.
 */
import type { Actor, CoreDeps } from '../deps.js';
import { parseKvnr } from '../kvnr.js';
import { usernameKey } from '../registration/username.js';
import { ok, type Result } from '../result.js';
import { lockState } from './attempt.js';
import type { LoginGuards } from './guards.js';
import { kvnrLane } from './login-code.js';
import { usernameLane } from './login.js';

export async function lockNotice(
  deps: CoreDeps,
  guards: LoginGuards,
  who: Actor,
  input: { username: string } | { kvnr: string },
): Promise<Result<{ lockedUntil?: string }>> {
  // Remembered by what was typed: a lock shown for a username tells nothing about a KVNR.
  const lane = 'username' in input ? usernameLane(input.username) : kvnrLane(input.kvnr);
  const at = deps.clock.now();
  if (guards.shownLock(who.terminal, lane, at.getTime()) === undefined) return ok({});
  const kvnr = 'kvnr' in input ? parseKvnr(input.kvnr) : undefined;
  const account =
    'username' in input
      ? await deps.accounts.findByUsernameKey(usernameKey(input.username))
      : kvnr
        ? await deps.accounts.findByKvnr(kvnr)
        : undefined;
  // Lifted (by a new password), turned into a deactivation or run out since: the notice is over.
  const lockedUntil = account && lockState(account, at) === 'LOCKED' ? account.login.lockedUntil : undefined;
  return ok(lockedUntil ? { lockedUntil } : {});
}
