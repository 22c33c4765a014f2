/**
 * Forgot password (R7). The person names username, KVNR and date of birth; an 8-digit code goes
 * to the confirmed e-mail address (30 minutes, 5 tries); a new password under the policy then
 * lifts a lock and resets the failure count. Deactivated accounts and accounts without a confirmed
 * e-mail address are sent to the service counter: only staff can help them.
 */
import type { Account } from '../account.js';
import { numericCode } from '../codes.js';
import { attemptFlowCode, forgotLimitReached, holdsFlow, notYourFlow, withFlowCode } from '../flow-code.js';
import { auditEntries, auditEvent, type Actor, type CoreDeps } from '../deps.js';
import type { AccountChange } from '../ports.js';
import { maskEmail } from '../email/address.js';
import { parseKvnr } from '../kvnr.js';
import { flowCodeMail, passwordChangedMail } from '../texts.js';
import { deliveryData, sendQuietly, type Delivery } from '../notify.js';
import { usernameKey } from '../registration/username.js';
import { fail, ok, type Result } from '../result.js';
import { prepareNewPassword, setNewPassword } from './new-password.js';
import { checkCurrentPassword } from '../login/current-password.js';
import { paced } from '../login/attempt.js';
import type { LoginGuards, MismatchLimits } from '../login/guards.js';

/**
 * Threats: finding a birth date by trying (mismatches are limited per terminal and per username),
 * blocking the owner with those limits (past a limit the answer is RATE_LIMITED whatever the
 * details, and a code still goes to the owner when they match), and strangers entering codes for
 * someone else's reset (each request binds its code to a flow token that only the requesting
 * screen holds; without it, code entries count nothing and all get the same answer).
 */
export function requestPasswordReset(
  deps: CoreDeps,
  mismatches: MismatchLimits,
  who: Actor,
  input: { username: string; kvnr: string; birthDate: string },
  flowToken: string,
): Promise<Result<{ emailDelivery: Delivery; emailMasked: string }>> {
  return paced(deps, async () => {
    const now = deps.clock.now();
    const { limits } = deps.policy;
    const limitKeys = [`forgot:terminal:${who.terminal}`, `forgot:user:${usernameKey(input.username)}`] as const;
    const blocked = await forgotLimitReached(
      deps,
      mismatches,
      who,
      now,
      [
        [limitKeys[0], limits.forgotMismatchesPerTerminal],
        [limitKeys[1], limits.forgotMismatchesPerUsername],
      ],
      'FORGOT_MISMATCH',
    );
    const found = await deps.accounts.findByUsernameKey(usernameKey(input.username));
    const kvnr = parseKvnr(input.kvnr);
    const person = found ? await deps.register.getByKvnr(found.kvnr) : undefined;
    const matches = found !== undefined && person !== undefined && kvnr === found.kvnr && person.birthDate === input.birthDate;
    if (blocked) {
      // The same answer whether the details match or not; the owner still gets a code.
      if (matches && found) await issueResetCode(deps, who, found, now, flowToken, { underLimit: true });
      return fail('RATE_LIMITED', { retryAt: new Date(blocked.until).toISOString(), codeSentIfMatching: true });
    }
    if (!matches || !found) {
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
    const issued = await issueResetCode(deps, who, found, now, flowToken, {});
    if (!issued.ok) return issued;
    return ok({ emailDelivery: issued.value.emailDelivery, emailMasked: maskEmail(found.email.email) });
  });
}

/** A new code for a matching request, bound to the requesting screen's flow token. */
async function issueResetCode(
  deps: CoreDeps,
  who: Actor,
  found: Account,
  now: Date,
  flowToken: string,
  auditData: Readonly<Record<string, boolean>>,
): Promise<Result<{ emailDelivery: Delivery }>> {
  const { policy } = deps;
  if (found.login.deactivatedAt || !found.email.confirmedAt) return fail('GO_TO_COUNTER');
  const code = numericCode(deps.random, policy.emailCode.digits);
  const mail = flowCodeMail('RESET_CODE', found.language, deps.brand.name, found.email.email, code, policy.passwordReset.validityMs);
  const expiresAt = new Date(now.getTime() + policy.passwordReset.validityMs).toISOString();
  const queued = deps.courier.prepare({ channel: 'EMAIL', mail: { ...mail, expiresAt, accountId: found.id } });
  // The code's mail is queued with the code itself.
  const result = await deps.accounts.update(found.id, (account) => {
    const change = withFlowCode(deps, account, 'passwordReset', code, now, flowToken);
    return change.next ? { ...change, outbound: [queued] } : change;
  });
  if (!result) return fail('DETAILS_MISMATCH');
  if (!result.ok) return result;
  const emailDelivery = await deps.courier.firstTry(queued);
  await auditEvent(deps, who, now, {
    type: 'PASSWORD_RESET_REQUESTED',
    subject: found.id,
    data: { ...auditData, ...deliveryData(emailDelivery) },
  });
  return ok({ emailDelivery });
}

export function completePasswordReset(
  deps: CoreDeps,
  who: Actor,
  input: { username: string; code: string; newPassword: string },
  flowToken: string,
): Promise<Result<{ accountId: string }>> {
  return paced(deps, async () => {
    const now = deps.clock.now();
    // Without the token of the request that issued the code, nothing is looked at or counted.
    const uniform = notYourFlow();
    const found = await deps.accounts.findByUsernameKey(usernameKey(input.username));
    if (!found?.passwordReset?.code || !holdsFlow(deps, found.passwordReset, flowToken)) return uniform;
    const person = await deps.register.getByKvnr(found.kvnr);
    // A wrong or used-up code is recorded with the failure it counts, and so is the one answer for a
    // request replaced or a password changed meanwhile (it reads as a wrong code).
    const refusedCode = <T>(answer: AccountChange<Result<T>>): AccountChange<Result<T>> =>
      !answer.result.ok && (answer.result.error.code === 'CODE_INVALID' || answer.result.error.code === 'CODE_VOID')
        ? { ...answer, audit: auditEntries(who, now, { type: 'PASSWORD_RESET', subject: found.id, data: { success: false } }) }
        : answer;
    // First the code alone (cheap): a wrong one is counted at once and nothing is hashed for it.
    const codeCheck = await deps.accounts.update(found.id, (account): AccountChange<Result<Account>> => {
      if (!account.passwordReset?.code || !holdsFlow(deps, account.passwordReset, flowToken)) return refusedCode({ result: uniform });
      if (account.login.deactivatedAt) return { result: fail('GO_TO_COUNTER', { reason: 'DEACTIVATED' }) };
      const attempt = attemptFlowCode(deps, account, 'passwordReset', input.code, now, flowToken);
      // A right code is not used up yet: a rejected new password leaves it usable.
      return attempt.ok ? { result: ok(account) } : refusedCode(attempt.answer);
    });
    let result: Result<null> | undefined = codeCheck && !codeCheck.ok ? codeCheck : undefined;
    if (codeCheck?.ok) {
      // Then the new password, hashed outside the update; then code and password in one change.
      const prepared = await prepareNewPassword(deps, codeCheck.value, person, input.newPassword);
      result = !prepared.ok
        ? prepared
        : await deps.accounts.update(found.id, (account): AccountChange<Result<null>> => {
            if (!account.passwordReset?.code || !holdsFlow(deps, account.passwordReset, flowToken)) return refusedCode({ result: uniform });
            if (account.login.deactivatedAt) return { result: fail('GO_TO_COUNTER', { reason: 'DEACTIVATED' }) };
            const attempt = attemptFlowCode(deps, account, 'passwordReset', input.code, now, flowToken);
            if (!attempt.ok) return refusedCode(attempt.answer);
            // Changed by another terminal in between: the person starts the reset again.
            const changed = setNewPassword(attempt.next, prepared.value, now);
            if (!changed) return refusedCode({ result: uniform });
            return {
              next: { ...changed, login: { failures: 0 } },
              result: ok(null),
              audit: auditEntries(who, now, {
                type: 'PASSWORD_RESET',
                subject: found.id,
                data: { success: true, lockLifted: account.login.lockedUntil !== undefined },
              }),
            };
          });
    }
    if (!result) return uniform;
    if (!result.ok) return result;
    await sendQuietly(deps, passwordChangedMail(found.language, deps.brand.name, found.email.email), found.id);
    return ok({ accountId: found.id });
  });
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
  const verified = await deps.accounts.get(accountId);
  if (!verified) return fail('NOT_FOUND');
  // Changed elsewhere since it was checked: the entered password is no longer the current one.
  if (verified.password.hash !== current.value.verifiedHash) return fail('CURRENT_PASSWORD_WRONG');
  const prepared = await prepareNewPassword(deps, verified, person, input.newPassword);
  if (!prepared.ok) return prepared;
  const result = await deps.accounts.update(accountId, (account): AccountChange<Result<{ epoch: number }>> => {
    const changed = setNewPassword(account, prepared.value, now);
    if (!changed) return { result: fail('CURRENT_PASSWORD_WRONG') };
    // The new epoch, read inside the update, is the one the asking screen's fresh session gets.
    return {
      next: changed,
      result: ok({ epoch: changed.epoch ?? 0 }),
      audit: auditEntries(who, now, { type: 'PASSWORD_CHANGED', subject: accountId }),
    };
  });
  if (!result) return fail('NOT_FOUND');
  if (result.ok) {
    await sendQuietly(deps, passwordChangedMail(existing.language, deps.brand.name, existing.email.email), existing.id);
  }
  return result;
}
