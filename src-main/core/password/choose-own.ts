/**
 * After a temporary password from the counter (R7), the first login leads straight here: the
 * person chooses their own password under R2's policy before anything else opens. The session
 * proved the temporary password a moment ago, so it is not asked for again.
 */
import { auditEntries, type Actor, type CoreDeps } from '../deps.js';
import type { AccountChange } from '../ports.js';
import { fail, ok, type Result } from '../result.js';
import { prepareNewPassword, setNewPassword } from './new-password.js';

export async function chooseOwnPassword(
  deps: CoreDeps,
  who: Actor,
  accountId: string,
  sessionEpoch: number,
  newPassword: string,
): Promise<Result<{ epoch: number }>> {
  const now = deps.clock.now();
  const existing = await deps.accounts.get(accountId);
  if (!existing) return fail('NOT_FOUND');
  if (!existing.password.temporaryUntil) return fail('WRONG_STEP');
  const person = await deps.register.getByKvnr(existing.kvnr);
  // Hashing happens before the update; the update only checks that nothing moved in between.
  const prepared = await prepareNewPassword(deps, existing, person, newPassword);
  if (!prepared.ok) return prepared;
  const result = await deps.accounts.update(accountId, (account): AccountChange<Result<{ epoch: number }>> => {
    const next = (account.epoch ?? 0) === sessionEpoch ? setNewPassword(account, prepared.value, now) : undefined;
    if (!next) return { result: fail('NOT_AUTHENTICATED') };
    return {
      next,
      result: ok({ epoch: next.epoch ?? 0 }),
      audit: auditEntries(who, now, { type: 'PASSWORD_CHANGED', subject: accountId, data: { fromTemporary: true } }),
    };
  });
  if (!result) return fail('NOT_FOUND');
  return result;
}
