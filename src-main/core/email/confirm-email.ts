/** E-mail confirmation, step 2 (R3): 8-digit code, 24 h, void after 5 wrong entries, 5 re-sends an hour. */
import { onboardingStep, type Account } from '../account.js';
import { attemptIn, CODE_ERRORS, issueCode, numericCode } from '../codes.js';
import { auditEntries, auditEvent, type Actor, type CoreDeps } from '../deps.js';
import type { AccountChange } from '../ports.js';
import { emailCodeMail } from '../texts.js';
import { hourlyLimit } from '../rate-limit.js';
import { deliveryData, type Delivery } from '../notify.js';
import { fail, ok, type Result } from '../result.js';
import { normalizeEmail } from './address.js';

export async function confirmEmail(
  deps: CoreDeps,
  who: Actor,
  accountId: string,
  input: { email: string; code: string },
): Promise<Result<null>> {
  const now = deps.clock.now();
  const { maxFailures } = deps.policy.emailCode;
  const decide = (account: Account): AccountChange<Result<null>> => {
    if (onboardingStep(account, now) !== 'CONFIRM_EMAIL') return { result: fail('WRONG_STEP') };
    const code = account.email.code;
    if (!code) return { result: fail('CODE_VOID') };
    // A wrong address counts like a wrong code: the pair is what the person proves.
    const emailMatches = normalizeEmail(input.email) === account.email.email;
    const withCode = (next: typeof code): Account => ({ ...account, email: { ...account.email, code: next } });
    const attempt = attemptIn(code, input.code.trim(), now, maxFailures, deps.secrets, CODE_ERRORS, withCode, emailMatches);
    if (!attempt.ok) return attempt.answer;
    const confirmed = attempt.next;
    return { next: { ...confirmed, email: { ...confirmed.email, confirmedAt: now.toISOString() } }, result: ok(null) };
  };
  // Every counted entry is in the audit trail, recorded with the change it made.
  const result = await deps.accounts.update(accountId, (account) => {
    const change = decide(account);
    const r = change.result;
    if (!r.ok && r.error.code !== 'CODE_INVALID' && r.error.code !== 'CODE_VOID') return change;
    const type = r.ok ? 'EMAIL_CONFIRMED' : 'EMAIL_CODE_CHECKED';
    return { ...change, audit: auditEntries(who, now, { type, subject: accountId, data: { success: r.ok } }) };
  });
  if (!result) return fail('NOT_FOUND');
  return result;
}

export async function resendEmailCode(deps: CoreDeps, who: Actor, accountId: string): Promise<Result<{ emailDelivery: Delivery }>> {
  const now = deps.clock.now();
  const { policy } = deps;
  const code = numericCode(deps.random, policy.emailCode.digits);
  const expiresAt = new Date(now.getTime() + policy.emailCode.validityMs).toISOString();
  const result = await deps.accounts.update(accountId, (account) => {
    if (account.email.confirmedAt) return { result: fail('WRONG_STEP') };
    const limit = hourlyLimit(account.email.resentAt, now, policy.emailCode.maxResendsPerHour);
    if (!limit.allowed) return { result: fail('RESEND_LIMIT', { retryAt: limit.retryAt }) };
    // The new code's mail is queued with the new code: the code that works is the one on its way.
    const mail = emailCodeMail(account.language, deps.brand.name, account.email.email, code, policy.emailCode.validityMs, account.username);
    const queued = deps.courier.prepare({ channel: 'EMAIL', mail: { ...mail, expiresAt, accountId } });
    return {
      outbound: [queued],
      next: {
        ...account,
        email: {
          ...account.email,
          code: issueCode(deps.secrets, code, now, policy.emailCode.validityMs),
          resentAt: [...limit.recent, now.toISOString()],
        },
      },
      result: ok(queued),
    };
  });
  if (!result) return fail('NOT_FOUND');
  if (!result.ok) return result;
  const emailDelivery = await deps.courier.firstTry(result.value);
  await auditEvent(deps, who, now, { type: 'EMAIL_CODE_SENT', subject: accountId, data: { ...deliveryData(emailDelivery), resend: true } });
  return ok({ emailDelivery });
}
