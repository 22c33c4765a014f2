/**
 * Forgot password (R7). The person names username, KVNR and date of birth; an 8-digit code goes
 * to the confirmed e-mail address (30 minutes, 5 tries); a new password under the policy then
 * lifts a lock and resets the failure count. Deactivated accounts and accounts without a confirmed
 * e-mail address are sent to the service counter: only staff can help them.
 */
import type { Account } from '../account.js';
import { attemptCode, CODE_ERRORS, issueCode, numericCode } from '../codes.js';
import { auditEvent, type Actor, type CoreDeps } from '../deps.js';
import { parseKvnr } from '../kvnr.js';
import { passwordChangedMail, resetCodeMail } from '../mail-texts.js';
import { hourlyLimit } from '../rate-limit.js';
import { sendQuietly } from '../registration/register-account.js';
import { usernameKey } from '../registration/username.js';
import { fail, ok, type Result } from '../result.js';
import { withNewPassword } from './new-password.js';
import { checkCurrentPassword } from '../login/current-password.js';
import type { LoginGuards, MismatchLimits } from '../login/guards.js';

export async function requestPasswordReset(
  deps: CoreDeps,
  mismatches: MismatchLimits,
  who: Actor,
  input: { username: string; kvnr: string; birthDate: string },
): Promise<Result<{ emailSent: boolean; emailMasked: string }>> {
  const now = deps.clock.now();
  const { limits } = deps.policy;
  // A mismatch tells that username, KVNR and birth date do not belong together: limited per
  // terminal and per username, so the birth date cannot be found by trying.
  const limitKeys = [`forgot:terminal:${who.terminal}`, `forgot:user:${usernameKey(input.username)}`] as const;
  const blockedUntil = mismatches.blockedUntil(
    [
      [limitKeys[0], limits.forgotMismatchesPerTerminal],
      [limitKeys[1], limits.forgotMismatchesPerUsername],
    ],
    now.getTime(),
  );
  if (blockedUntil !== undefined) {
    await auditEvent(deps, who, now, { type: 'LIMIT_REACHED', data: { limit: 'FORGOT_MISMATCH' } });
    return fail('RATE_LIMITED', { retryAt: new Date(blockedUntil).toISOString() });
  }
  const found = await deps.accounts.findByUsernameKey(usernameKey(input.username));
  const kvnr = parseKvnr(input.kvnr);
  const person = found ? await deps.register.getByKvnr(found.kvnr) : undefined;
  if (!found || !person || kvnr !== found.kvnr || person.birthDate !== input.birthDate) {
    mismatches.record(limitKeys, now.getTime());
    await auditEvent(deps, who, now, {
      type: 'PASSWORD_RESET_REQUESTED',
      ...(found ? { subject: found.id } : {}),
      data: { detailsMatch: false },
    });
    return fail('DETAILS_MISMATCH');
  }
  if (found.login.deactivatedAt) return fail('GO_TO_COUNTER', { reason: 'DEACTIVATED' });
  if (!found.email.confirmedAt) return fail('GO_TO_COUNTER', { reason: 'EMAIL_NOT_CONFIRMED' });

  const { policy } = deps;
  const code = numericCode(deps.random, policy.emailCode.digits);
  const result = await deps.accounts.update(found.id, (account): { next?: Account; result: Result<null> } => {
    const limit = hourlyLimit(account.passwordReset?.requestedAt ?? [], now, policy.passwordReset.maxRequestsPerHour);
    if (!limit.allowed) return { result: fail('RESEND_LIMIT', { retryAt: limit.retryAt }) };
    return {
      next: {
        ...account,
        passwordReset: {
          code: issueCode(deps.secrets, code, now, policy.passwordReset.validityMs),
          requestedAt: [...limit.recent, now.toISOString()],
        },
      },
      result: ok(null),
    };
  });
  if (!result) return fail('DETAILS_MISMATCH');
  if (!result.ok) return result;
  const emailSent = await sendQuietly(
    deps,
    resetCodeMail(found.language, deps.brand.name, found.email.email, code, policy.passwordReset.validityMs),
    found.id,
  );
  await auditEvent(deps, who, now, { type: 'PASSWORD_RESET_REQUESTED', subject: found.id, data: { delivered: emailSent } });
  const [local = '', domain = ''] = found.email.email.split('@');
  return ok({ emailSent, emailMasked: `${local.slice(0, 1)}***@${domain}` });
}

export async function completePasswordReset(
  deps: CoreDeps,
  who: Actor,
  input: { username: string; code: string; newPassword: string },
): Promise<Result<{ accountId: string }>> {
  const now = deps.clock.now();
  const found = await deps.accounts.findByUsernameKey(usernameKey(input.username));
  if (!found?.passwordReset?.code) return fail('CODE_INVALID', { remaining: 0 });
  const person = await deps.register.getByKvnr(found.kvnr);
  const { maxFailures } = deps.policy.passwordReset;
  const result = await deps.accounts.update(found.id, async (account): Promise<{ next?: Account; result: Result<null> }> => {
    const code = account.passwordReset?.code;
    if (!code) return { result: fail('CODE_INVALID', { remaining: 0 }) };
    if (account.login.deactivatedAt) return { result: fail('GO_TO_COUNTER', { reason: 'DEACTIVATED' }) };
    const resetWith = (next: typeof code) => ({ requestedAt: account.passwordReset?.requestedAt ?? [], code: next });
    const withCode = (next: typeof code): Account => ({ ...account, passwordReset: resetWith(next) });
    const attempt = attemptCode(code, input.code.trim(), now, maxFailures, deps.secrets, CODE_ERRORS);
    if (!attempt.ok) return { ...(attempt.next ? { next: withCode(attempt.next) } : {}), result: { ok: false, error: attempt.error } };
    // A rejected new password leaves the code usable: the person just tries another password.
    const changed = await withNewPassword(deps, account, person, input.newPassword, now);
    if (!changed.ok) return { result: changed };
    return { next: { ...changed.value, passwordReset: resetWith(attempt.next), login: { failures: 0 } }, result: ok(null) };
  });
  if (!result) return fail('CODE_INVALID', { remaining: 0 });
  if (!result.ok) {
    if (result.error.code === 'CODE_INVALID' || result.error.code === 'CODE_VOID') {
      await auditEvent(deps, who, now, { type: 'PASSWORD_RESET', subject: found.id, data: { success: false } });
    }
    return result;
  }
  await auditEvent(deps, who, now, {
    type: 'PASSWORD_RESET',
    subject: found.id,
    data: { success: true, lockLifted: found.login.lockedUntil !== undefined },
  });
  await sendQuietly(deps, passwordChangedMail(found.language, deps.brand.name, found.email.email), found.id);
  return ok({ accountId: found.id });
}

export async function changePassword(
  deps: CoreDeps,
  guards: LoginGuards,
  who: Actor,
  accountId: string,
  input: { currentPassword: string; newPassword: string },
  sessionEpoch?: number,
): Promise<Result<{ epoch: number }>> {
  const now = deps.clock.now();
  const existing = await deps.accounts.get(accountId);
  if (!existing) return fail('NOT_FOUND');
  const current = await checkCurrentPassword(
    deps,
    guards,
    who,
    { accountId, epoch: sessionEpoch },
    input.currentPassword,
    'CURRENT_PASSWORD_WRONG',
  );
  if (!current.ok) return current;
  const person = await deps.register.getByKvnr(existing.kvnr);
  const result = await deps.accounts.update(accountId, async (account): Promise<{ next?: Account; result: Result<{ epoch: number }> }> => {
    // Changed elsewhere since it was checked: the entered password is no longer the current one.
    if (account.password.hash !== current.value.verifiedHash) return { result: fail('CURRENT_PASSWORD_WRONG') };
    const changed = await withNewPassword(deps, account, person, input.newPassword, now);
    // The new epoch, read inside the update, is the one the asking screen's fresh session gets.
    return changed.ok ? { next: changed.value, result: ok({ epoch: changed.value.epoch ?? 0 }) } : { result: changed };
  });
  if (!result) return fail('NOT_FOUND');
  if (result.ok) {
    await auditEvent(deps, who, now, { type: 'PASSWORD_CHANGED', subject: accountId });
    await sendQuietly(deps, passwordChangedMail(existing.language, deps.brand.name, existing.email.email), existing.id);
  }
  return result;
}
