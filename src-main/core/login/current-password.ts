/**
 * The current password asked for inside a session (password change, account deletion). A session
 * opened with a login code, or left open at the kiosk, must not become a place to guess the
 * password without limit: each entry is a login attempt under R6 (counted, audited, paced in the
 * account's lane, five failures lock the account and so end the session).
 */
import type { Actor, CoreDeps } from '../deps.js';
import type { ErrorCode, Result } from '../result.js';
import { loginAttempt, loginLane } from './attempt.js';
import { passwordFingerprint } from './login.js';
import type { LoginGuards } from './guards.js';
import { fail, ok } from '../result.js';

/**
 * Resolves to the verified password hash, so the caller can make sure it is still the current one.
 * `sessionEpoch` is the asking session's: once the account is locked or its epoch has moved, the
 * answer is NOT_AUTHENTICATED and nothing more is counted.
 */
export async function checkCurrentPassword(
  deps: CoreDeps,
  guards: LoginGuards,
  who: Actor,
  session: { readonly accountId: string; readonly epoch?: number | undefined },
  password: string,
  failureCode: Extract<ErrorCode, 'CURRENT_PASSWORD_WRONG' | 'PASSWORD_WRONG'>,
): Promise<Result<{ verifiedHash: string }>> {
  const account = await deps.accounts.get(session.accountId);
  if (!account) return fail('NOT_FOUND');
  const lane = `user:${account.usernameKey}`;
  // The hash of the last check run: a success is decided on an account with that very hash (see
  // AttemptSpec.verify), so it is the hash the password was verified against.
  let checkedHash = '';
  const attempt = await loginLane(deps, guards, who, lane, () =>
    loginAttempt(deps, guards, who, account, {
      credential: 'CURRENT_PASSWORD',
      lockKey: lane,
      failureCode,
      sessionEpoch: session.epoch,
      verify: {
        run: (snapshot) => {
          checkedHash = snapshot.password.hash;
          return deps.passwords.verify(checkedHash, password);
        },
        fingerprint: passwordFingerprint,
      },
      check: (_current, verified) => ({ valid: verified }),
    }),
  );
  return attempt.ok ? ok({ verifiedHash: checkedHash }) : attempt;
}
