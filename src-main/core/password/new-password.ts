/**
 * Checks a new password against the policy of R2 (in the person's context) and against the last
 * passwords of the account, hashes it, and sets it inside an update. Shared by reset, change and
 * the choice after a temporary password.
 */
import { withNewEpoch, type Account } from '../account.js';
import type { CoreDeps } from '../deps.js';
import type { InsuredPerson } from '../register/person.js';
import { checkPassword } from '../registration/password-policy.js';
import { fail, ok, type Result } from '../result.js';

/**
 * A new password checked and hashed against the account as it was read: slow work, done before the
 * account's update and never inside it. `setNewPassword` applies it inside the update, and only
 * while the password it was checked against is still the current one.
 */
export interface PreparedPassword {
  readonly hash: string;
  /** The password hash the history check ran against. */
  readonly basedOn: string;
  readonly history: readonly string[];
}

export async function prepareNewPassword(
  deps: CoreDeps,
  account: Account,
  person: InsuredPerson | undefined,
  password: string,
): Promise<Result<PreparedPassword>> {
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
  return ok({ hash, basedOn: account.password.hash, history: recent.slice(0, historySize - 1) });
}

/**
 * The account with the prepared password set (synchronous, for inside an update), or `undefined`
 * when the password changed since it was prepared (the history check would be stale).
 */
export function setNewPassword(account: Account, prepared: PreparedPassword, now: Date): Account | undefined {
  if (account.password.hash !== prepared.basedOn) return undefined;
  // Every session opened with the old password ends (see Account.epoch).
  return withNewEpoch({
    ...account,
    password: { hash: prepared.hash, changedAt: now.toISOString(), history: prepared.history },
  });
}

export function passwordChangeDue(account: Account, now: Date, reminderDays: number): boolean {
  return now.getTime() - new Date(account.password.changedAt).getTime() >= reminderDays * 86_400_000;
}
