/**
 * Login with username and password (R6). Threats: password guessing (the lock), guessing during
 * the lock (deactivation), username enumeration (unknown names get the same answer after the same
 * paced time and count for nobody), lost updates under concurrent attempts, and using the rules to
 * shut someone else out (see attempt.ts and guards.ts).
 */
import type { Account } from '../account.js';
import { auditEvent, type Actor, type CoreDeps } from '../deps.js';
import { usernameKey } from '../registration/username.js';
import { normalizeTemporaryPassword } from '../password/temporary.js';
import { fail, type Result } from '../result.js';
import { countTerminalFailure, loginAttempt, loginLane } from './attempt.js';
import type { LoginGuards } from './guards.js';

/**
 * A failed login that names no account: counted for the terminal, audited, answered after the floor.
 * No hash is computed: the floor, not a dummy hash, makes the time equal to a known account's.
 */
export async function unknownLogin(
  deps: CoreDeps,
  guards: LoginGuards,
  who: Actor,
  code: 'INVALID_CREDENTIALS' | 'LOGIN_CODE_INVALID',
  data: Readonly<Record<string, boolean>>,
): Promise<Result<never>> {
  const now = deps.clock.now();
  // Recorded for monitoring; names no account, since none matched.
  await auditEvent(deps, who, now, { type: 'LOGIN_FAILURE', data: { ...data, unknownUser: true } });
  await countTerminalFailure(deps, guards, who, now);
  return fail(code, {});
}

/** A password check holds while the hash and whether it is a temporary one are unchanged. */
export function passwordFingerprint(account: Account): string {
  return `${account.password.hash}|${account.password.temporaryUntil ?? ''}`;
}

export function usernameLane(username: string): string {
  return `user:${usernameKey(username)}`;
}

export function login(
  deps: CoreDeps,
  guards: LoginGuards,
  who: Actor,
  input: { username: string; password: string },
): Promise<Result<{ accountId: string; epoch: number; temporaryUntil?: string }>> {
  const lane = usernameLane(input.username);
  return loginLane(deps, guards, who, lane, async () => {
    const found = await deps.accounts.findByUsernameKey(usernameKey(input.username));
    if (!found) return unknownLogin(deps, guards, who, 'INVALID_CREDENTIALS', {});
    return loginAttempt(deps, guards, who, found, {
      credential: 'PASSWORD',
      lockKey: lane,
      failureCode: 'INVALID_CREDENTIALS',
      // A temporary password from the counter is typed from paper: its grouping and case do not matter.
      verify: {
        run: (snapshot) =>
          deps.passwords.verify(
            snapshot.password.hash,
            snapshot.password.temporaryUntil ? normalizeTemporaryPassword(input.password) : input.password,
          ),
        fingerprint: passwordFingerprint,
      },
      check: (_current, verified) => ({ valid: verified }),
    });
  });
}
