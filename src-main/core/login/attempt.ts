/**
 * One login attempt on a known account, whatever the credential (password or login code): the
 * rules of R6 in one place. Five consecutive failures lock for 24 hours from the fifth; any attempt
 * during the lock deactivates; a success resets the count. The check runs inside the store's
 * per-account critical section, so concurrent attempts are counted exactly; it also runs when the
 * account is locked or deactivated (its result ignored), so the answer time does not tell.
 */
import type { Account } from '../account.js';
import { berlinDate } from '../dates.js';
import { auditEvent, type Actor, type CoreDeps } from '../deps.js';
import { deactivatedMail, lockedMail } from '../mail-texts.js';
import { sendQuietly } from '../registration/register-account.js';
import { fail, ok, type ErrorCode, type Result } from '../result.js';

export type Credential = 'PASSWORD' | 'LOGIN_CODE';

type Outcome =
  | { kind: 'SUCCESS' }
  | { kind: 'FAILURE'; remaining: number }
  | { kind: 'LOCKED'; lockedUntil: string }
  | { kind: 'DEACTIVATED'; now: boolean };

export function lockState(account: Account, now: Date): 'OPEN' | 'LOCKED' | 'DEACTIVATED' {
  if (account.login.deactivatedAt) return 'DEACTIVATED';
  if (account.login.lockedUntil && now.getTime() < new Date(account.login.lockedUntil).getTime()) return 'LOCKED';
  return 'OPEN';
}

export function formatBerlinDateTime(iso: string): string {
  const date = new Date(iso);
  const time = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(date);
  const [y, m, d] = berlinDate(date).split('-');
  return `${d}.${m}.${y} ${time}`;
}

export async function loginAttempt(
  deps: CoreDeps,
  who: Actor,
  found: Account,
  credential: Credential,
  check: (current: Account) => Promise<{ valid: boolean; next?: Account }>,
): Promise<Result<{ accountId: string }>> {
  const now = deps.clock.now();
  const { maxFailures, lockMs } = deps.policy.login;
  const failureCode: ErrorCode = credential === 'PASSWORD' ? 'INVALID_CREDENTIALS' : 'LOGIN_CODE_INVALID';
  const outcome = await deps.accounts.update(found.id, async (account): Promise<{ next?: Account; result: Outcome }> => {
    const state = lockState(account, now);
    const checked = await check(account);
    if (state === 'DEACTIVATED') return { result: { kind: 'DEACTIVATED', now: false } };
    if (state === 'LOCKED') {
      return {
        next: { ...account, login: { ...account.login, deactivatedAt: now.toISOString() } },
        result: { kind: 'DEACTIVATED', now: true },
      };
    }
    if (checked.valid) {
      const base = checked.next ?? account;
      const unchanged = base === account && account.login.failures === 0 && account.login.lockedUntil === undefined;
      return { ...(unchanged ? {} : { next: { ...base, login: { failures: 0 } } }), result: { kind: 'SUCCESS' } };
    }
    // A lock that has run out no longer counts: the person starts again with a clean slate.
    const failures = (account.login.lockedUntil ? 0 : account.login.failures) + 1;
    if (failures >= maxFailures) {
      const lockedUntil = new Date(now.getTime() + lockMs).toISOString();
      return { next: { ...account, login: { failures, lockedUntil } }, result: { kind: 'LOCKED', lockedUntil } };
    }
    return { next: { ...account, login: { failures } }, result: { kind: 'FAILURE', remaining: maxFailures - failures } };
  });
  if (!outcome) return fail(failureCode, {});
  const subject = found.id;
  const data = credential === 'LOGIN_CODE' ? { loginCode: true } : undefined;
  switch (outcome.kind) {
    case 'SUCCESS':
      await auditEvent(deps, who, now, { type: credential === 'PASSWORD' ? 'LOGIN_SUCCESS' : 'LOGIN_CODE_USED', subject });
      return ok({ accountId: found.id });
    case 'FAILURE':
      await auditEvent(deps, who, now, { type: 'LOGIN_FAILURE', subject, ...(data ? { data } : {}) });
      return fail(failureCode, outcome.remaining === 1 ? { nextFailureLocks: true, lockHours: lockMs / 3_600_000 } : {});
    case 'LOCKED':
      await auditEvent(deps, who, now, { type: 'LOGIN_FAILURE', subject, ...(data ? { data } : {}) });
      await auditEvent(deps, who, now, { type: 'ACCOUNT_LOCKED', subject, data: { lockedUntil: outcome.lockedUntil } });
      await sendQuietly(deps, lockedMail(found.language, deps.brand.name, found.email.email, formatBerlinDateTime(outcome.lockedUntil)));
      return fail('ACCOUNT_LOCKED', { lockedUntil: outcome.lockedUntil });
    case 'DEACTIVATED':
      await auditEvent(deps, who, now, { type: 'LOGIN_FAILURE', subject, data: { ...data, whileLocked: outcome.now } });
      if (outcome.now) {
        await auditEvent(deps, who, now, { type: 'ACCOUNT_DEACTIVATED', subject });
        await sendQuietly(deps, deactivatedMail(found.language, deps.brand.name, found.email.email));
      }
      return fail('ACCOUNT_DEACTIVATED');
  }
}

/** Failed logins answer no sooner than the floor, so every failure path costs the same time. */
export async function paced<T>(deps: CoreDeps, work: () => Promise<Result<T>>): Promise<Result<T>> {
  const mark = deps.pacer.mark();
  const result = await work();
  if (!result.ok) await deps.pacer.hold(mark, deps.policy.login.failureFloorMs);
  return result;
}
