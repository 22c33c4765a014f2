/**
 * The counter's actions on an online account (R10, with the counter parts of R4, R7 and R11). Each
 * is taken by a staff member for a person at the desk, with a reason, and audited with the staff
 * member, the terminal and the time. The state decides what is allowed; a refused action changes
 * nothing (the facade audits the refusal). Actions that hand something over at the desk or restore
 * access (identity, reactivation, temporary password, login code, deletion) record the kind of
 * identity document the staff member checked, never its number.
 */
import { withNewEpoch, type IdentityDocument } from '../account.js';
import { berlinDate, validForDays } from '../dates.js';
import { auditEntries, auditEvent, type Actor, type CoreDeps } from '../deps.js';
import type { AccountChange } from '../ports.js';
import { lockState } from '../login/attempt.js';
import { groupedForPrint, temporaryPassword } from '../password/temporary.js';
import { postalAddress } from '../register/person.js';
import { fail, ok, type Result } from '../result.js';
import { removeAccount } from '../services/delete-account.js';

export interface CounterCase {
  readonly reason: string;
  /** The document shown at the desk, where the action needs one. */
  readonly document?: IdentityDocument;
}

function withDocument(caseInfo: CounterCase): Result<IdentityDocument> {
  return caseInfo.document ? ok(caseInfo.document) : fail('VALIDATION_FAILED', { issues: [{ path: 'document', code: 'required' }] });
}

const data = (caseInfo: CounterCase, extra: Record<string, string | number | boolean> = {}) => ({
  reason: caseInfo.reason,
  ...(caseInfo.document ? { document: caseInfo.document } : {}),
  ...extra,
});

export async function confirmIdentityInPerson(deps: CoreDeps, who: Actor, accountId: string, caseInfo: CounterCase): Promise<Result<null>> {
  const document = withDocument(caseInfo);
  if (!document.ok) return document;
  const now = deps.clock.now();
  const result = await deps.accounts.update(accountId, (account): AccountChange<Result<null>> => {
    if (account.identity.confirmedAt) return { result: fail('ALREADY_CONFIRMED') };
    const letter = account.identity.letter;
    return {
      next: {
        ...account,
        identity: {
          ...account.identity,
          // A key still on its way by post is no longer needed: it is void.
          ...(letter && letter.state === 'ACTIVE' ? { letter: { ...letter, state: 'VOID' as const } } : {}),
          confirmedAt: now.toISOString(),
          method: 'COUNTER',
          counterCheck: { document: document.value, checkedBy: who.actor, at: now.toISOString() },
        },
      },
      result: ok(null),
      audit: auditEntries(who, now, { type: 'IDENTITY_CONFIRMED', subject: accountId, data: data(caseInfo, { method: 'COUNTER' }) }),
    };
  });
  if (!result) return fail('NOT_FOUND');
  return result;
}

export async function liftLock(deps: CoreDeps, who: Actor, accountId: string, caseInfo: CounterCase): Promise<Result<null>> {
  const now = deps.clock.now();
  const result = await deps.accounts.update(accountId, (account): AccountChange<Result<null>> => {
    const state = lockState(account, now);
    if (state === 'DEACTIVATED') return { result: fail('ACCOUNT_DEACTIVATED') };
    if (state !== 'LOCKED') return { result: fail('NOT_LOCKED') };
    return {
      next: { ...account, login: { failures: 0 } },
      result: ok(null),
      audit: auditEntries(who, now, { type: 'ACCOUNT_UNLOCKED', subject: accountId, data: data(caseInfo) }),
    };
  });
  if (!result) return fail('NOT_FOUND');
  return result;
}

/**
 * A temporary password, printed as a letter for the person at the desk: valid for the policy's days
 * (14) to the end of the printed day, and the next login leads straight to choosing one's own
 * password. It ends every open session, lifts a lock and, with `reactivate`, a deactivation (the
 * README explains why reactivation always comes with a new password).
 */
export async function setTemporaryPassword(
  deps: CoreDeps,
  who: Actor,
  accountId: string,
  caseInfo: CounterCase,
  mode: 'SET' | 'REACTIVATE',
): Promise<Result<{ validThrough: string; letterRef: string }>> {
  const document = withDocument(caseInfo);
  if (!document.ok) return document;
  const now = deps.clock.now();
  const existing = await deps.accounts.get(accountId);
  if (!existing) return fail('NOT_FOUND');
  const person = await deps.register.getByKvnr(existing.kvnr);
  if (!person) return fail('REGISTER_MISMATCH');
  const bare = temporaryPassword(deps.random);
  const hash = await deps.passwords.hash(bare);
  const { lastDay, expiresAt } = validForDays(now, deps.policy.staff.temporaryPasswordDays);
  const result = await deps.accounts.update(accountId, (account): AccountChange<Result<null>> => {
    const deactivated = lockState(account, now) === 'DEACTIVATED';
    if (mode === 'REACTIVATE' && !deactivated) return { result: fail('NOT_DEACTIVATED') };
    if (mode === 'SET' && deactivated) return { result: fail('ACCOUNT_DEACTIVATED') };
    const { historySize } = deps.policy.passwordChange;
    return {
      next: withNewEpoch({
        ...account,
        password: {
          hash,
          changedAt: now.toISOString(),
          history: [account.password.hash, ...account.password.history].slice(0, historySize - 1),
          temporaryUntil: expiresAt.toISOString(),
        },
        login: { failures: 0 },
      }),
      result: ok(null),
      // The replaced password is recorded with the change; TEMPORARY_PASSWORD_SET below names its letter.
      audit: auditEntries(
        who,
        now,
        ...(mode === 'REACTIVATE' ? [{ type: 'ACCOUNT_REACTIVATED' as const, subject: accountId, data: data(caseInfo) }] : []),
        { type: 'TEMPORARY_PASSWORD_STORED', subject: accountId, data: data(caseInfo) },
      ),
    };
  });
  if (!result) return fail('NOT_FOUND');
  if (!result.ok) return result;
  // Printed after the change: a letter with a password that was never stored would help nobody;
  // a stored password without its letter is replaced by the next one the counter prints.
  const letterRef = await deps.letters.print({
    kind: 'TEMPORARY_PASSWORD',
    to: postalAddress(person),
    date: berlinDate(now),
    username: existing.username,
    password: groupedForPrint(bare),
    validUntil: lastDay,
    language: existing.language,
    accountId,
  });
  await auditEvent(deps, who, now, { type: 'TEMPORARY_PASSWORD_SET', subject: accountId, data: data(caseInfo, { letterRef }) });
  return ok({ validThrough: lastDay, letterRef });
}

/** Deletion at the person's request at the desk: the same deletion as R9, without the password. */
export async function deleteAtCounter(deps: CoreDeps, who: Actor, accountId: string, caseInfo: CounterCase): Promise<Result<null>> {
  const document = withDocument(caseInfo);
  if (!document.ok) return document;
  const now = deps.clock.now();
  if (!(await deps.accounts.get(accountId))) return fail('NOT_FOUND');
  await removeAccount(deps, who, now, accountId, data(caseInfo, {}));
  return ok(null);
}
