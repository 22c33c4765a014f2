/**
 * Login (R6). Threats: password guessing (five failures lock for 24 h), guessing during the lock
 * (any attempt deactivates), username enumeration (unknown names cost a dummy verify and get the
 * same answer, counting for nobody), lost updates under concurrent attempts (the store serialises
 * updates per account and the verify runs inside that critical section).
 */
import type { Account } from '../account.js';
import { berlinDate } from '../dates.js';
import { auditEvent, type Actor, type CoreDeps } from '../deps.js';
import { deactivatedMail, lockedMail } from '../mail-texts.js';
import { usernameKey } from '../registration/username.js';
import { sendQuietly } from '../registration/register-account.js';
import { fail, ok, type Result } from '../result.js';

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

export async function login(
  deps: CoreDeps,
  who: Actor,
  input: { username: string; password: string },
): Promise<Result<{ accountId: string }>> {
  const mark = deps.pacer.mark();
  const result = await attempt(deps, who, input);
  if (!result.ok) await deps.pacer.hold(mark, deps.policy.login.failureFloorMs);
  return result;
}

async function attempt(deps: CoreDeps, who: Actor, input: { username: string; password: string }): Promise<Result<{ accountId: string }>> {
  const now = deps.clock.now();
  const { maxFailures, lockMs } = deps.policy.login;
  const found = await deps.accounts.findByUsernameKey(usernameKey(input.username));
  if (!found) {
    await deps.passwords.dummyVerify(input.password);
    // Recorded for monitoring; names no account, since none matched.
    await auditEvent(deps, who, now, { type: 'LOGIN_FAILURE', data: { unknownUser: true } });
    return fail('INVALID_CREDENTIALS', {});
  }
  const outcome = await deps.accounts.update(found.id, async (account): Promise<{ next?: Account; result: Outcome }> => {
    const state = lockState(account, now);
    if (state === 'DEACTIVATED') {
      await deps.passwords.dummyVerify(input.password);
      return { result: { kind: 'DEACTIVATED', now: false } };
    }
    if (state === 'LOCKED') {
      await deps.passwords.dummyVerify(input.password);
      return {
        next: { ...account, login: { ...account.login, deactivatedAt: now.toISOString() } },
        result: { kind: 'DEACTIVATED', now: true },
      };
    }
    const valid = await deps.passwords.verify(account.password.hash, input.password);
    // A lock that has run out no longer counts: the person starts again with a clean slate.
    const previous = account.login.lockedUntil ? 0 : account.login.failures;
    if (valid) {
      const changed = account.login.failures !== 0 || account.login.lockedUntil !== undefined;
      return { ...(changed ? { next: { ...account, login: { failures: 0 } } } : {}), result: { kind: 'SUCCESS' } };
    }
    const failures = previous + 1;
    if (failures >= maxFailures) {
      const lockedUntil = new Date(now.getTime() + lockMs).toISOString();
      return { next: { ...account, login: { failures, lockedUntil } }, result: { kind: 'LOCKED', lockedUntil } };
    }
    return { next: { ...account, login: { failures } }, result: { kind: 'FAILURE', remaining: maxFailures - failures } };
  });
  if (!outcome) {
    return fail('INVALID_CREDENTIALS', {});
  }
  const subject = found.id;
  switch (outcome.kind) {
    case 'SUCCESS':
      await auditEvent(deps, who, now, { type: 'LOGIN_SUCCESS', subject });
      return ok({ accountId: found.id });
    case 'FAILURE':
      await auditEvent(deps, who, now, { type: 'LOGIN_FAILURE', subject });
      return fail('INVALID_CREDENTIALS', outcome.remaining === 1 ? { nextFailureLocks: true, lockHours: lockMs / 3_600_000 } : {});
    case 'LOCKED':
      await auditEvent(deps, who, now, { type: 'LOGIN_FAILURE', subject });
      await auditEvent(deps, who, now, { type: 'ACCOUNT_LOCKED', subject, data: { lockedUntil: outcome.lockedUntil } });
      await sendQuietly(deps, lockedMail(found.language, deps.brand.name, found.email.email, formatBerlinDateTime(outcome.lockedUntil)));
      return fail('ACCOUNT_LOCKED', { lockedUntil: outcome.lockedUntil });
    case 'DEACTIVATED':
      await auditEvent(deps, who, now, { type: 'LOGIN_FAILURE', subject, data: { whileLocked: outcome.now } });
      if (outcome.now) {
        await auditEvent(deps, who, now, { type: 'ACCOUNT_DEACTIVATED', subject });
        await sendQuietly(deps, deactivatedMail(found.language, deps.brand.name, found.email.email));
      }
      return fail('ACCOUNT_DEACTIVATED');
  }
}
