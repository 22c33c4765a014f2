/**
 * Login with username and password (R6). Threats: password guessing (the lock), guessing during
 * the lock (deactivation), username enumeration (unknown names cost a dummy verify, get the same
 * answer after the same time and count for nobody), lost updates under concurrent attempts (see
 * attempt.ts).
 */
import { auditEvent, type Actor, type CoreDeps } from '../deps.js';
import { usernameKey } from '../registration/username.js';
import { fail, type Result } from '../result.js';
import { loginAttempt, paced } from './attempt.js';

export { formatBerlinDateTime, lockState } from './attempt.js';

export function login(deps: CoreDeps, who: Actor, input: { username: string; password: string }): Promise<Result<{ accountId: string }>> {
  return paced(deps, async () => {
    const found = await deps.accounts.findByUsernameKey(usernameKey(input.username));
    if (!found) {
      await deps.passwords.dummyVerify(input.password);
      // Recorded for monitoring; names no account, since none matched.
      await auditEvent(deps, who, deps.clock.now(), { type: 'LOGIN_FAILURE', data: { unknownUser: true } });
      return fail('INVALID_CREDENTIALS', {});
    }
    return loginAttempt(deps, who, found, 'PASSWORD', async (current) => ({
      valid: await deps.passwords.verify(current.password.hash, input.password),
    }));
  });
}
