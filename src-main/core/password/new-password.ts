/**
 * Checks a new password against the policy of R2 (in the person's context) and against the last
 * passwords of the account, and returns the account with it set. Shared by reset and change.
 */
import { withNewEpoch, type Account } from '../account.js';
import type { CoreDeps } from '../deps.js';
import type { InsuredPerson } from '../register/person.js';
import { checkPassword } from '../registration/password-policy.js';
import { fail, ok, type Result } from '../result.js';

export async function withNewPassword(
  deps: CoreDeps,
  account: Account,
  person: InsuredPerson | undefined,
  password: string,
  now: Date,
): Promise<Result<Account>> {
  const rules = checkPassword(
    password,
    {
      username: account.username,
      names: person ? [person.firstName, person.lastName] : [],
      kvnr: account.kvnr,
      ...(person ? { birthDate: person.birthDate } : {}),
    },
    deps.commonPasswords,
    deps.policy.password,
  );
  if (rules.length > 0) return fail('PASSWORD_REJECTED', { rules });
  const { historySize } = deps.policy.passwordChange;
  // The current password and the previous ones, historySize in all.
  const recent = [account.password.hash, ...account.password.history].slice(0, historySize);
  for (const hash of recent) {
    if (await deps.passwords.verify(hash, password)) return fail('PASSWORD_REUSED', { historySize });
  }
  const hash = await deps.passwords.hash(password);
  // Every session opened with the old password ends (see Account.epoch).
  return ok(
    withNewEpoch({
      ...account,
      password: { hash, changedAt: now.toISOString(), history: recent.slice(0, historySize - 1) },
    }),
  );
}

export function passwordChangeDue(account: Account, now: Date, reminderDays: number): boolean {
  return now.getTime() - new Date(account.password.changedAt).getTime() >= reminderDays * 86_400_000;
}
