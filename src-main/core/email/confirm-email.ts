/** E-mail confirmation, step 2 (R3): 8-digit code, 24 h, void after 5 wrong entries, 5 re-sends an hour. */
import { onboardingStep } from '../account.js';
import { checkCode, issueCode, numericCode } from '../codes.js';
import { HOUR_MS } from '../dates.js';
import { auditEvent, type Actor, type CoreDeps } from '../deps.js';
import { emailCodeMail } from '../mail-texts.js';
import { sendQuietly } from '../registration/register-account.js';
import { fail, ok, type Result } from '../result.js';
import { normalizeEmail } from '../text.js';

export async function confirmEmail(
  deps: CoreDeps,
  who: Actor,
  accountId: string,
  input: { email: string; code: string },
): Promise<Result<null>> {
  const now = deps.clock.now();
  const { maxFailures } = deps.policy.emailCode;
  const result = await deps.accounts.update(accountId, (account) => {
    if (onboardingStep(account, now) !== 'CONFIRM_EMAIL') return { result: fail('WRONG_STEP') };
    const code = account.email.code;
    if (!code) return { result: fail('CODE_VOID') };
    const check = checkCode(code, input.code.trim(), now, maxFailures, deps.secrets);
    // A wrong address counts like a wrong code: the pair is what the person proves.
    const emailMatches = normalizeEmail(input.email) === account.email.email;
    if (check.outcome === 'OK' && emailMatches) {
      return {
        next: { ...account, email: { ...account.email, code: check.next, confirmedAt: now.toISOString() } },
        result: ok(null),
      };
    }
    if (check.outcome === 'EXPIRED') return { result: fail('CODE_EXPIRED') };
    if (check.outcome === 'VOID' && code.state !== 'ACTIVE') return { result: fail('CODE_VOID') };
    const failures = code.failures + 1;
    const state = failures >= maxFailures ? 'VOID' : 'ACTIVE';
    return {
      next: { ...account, email: { ...account.email, code: { ...code, failures, state } } },
      result: state === 'VOID' ? fail('CODE_VOID') : fail('CODE_INVALID', { remaining: maxFailures - failures }),
    };
  });
  if (!result) return fail('NOT_FOUND');
  if (result.ok || result.error.code === 'CODE_INVALID' || result.error.code === 'CODE_VOID') {
    await auditEvent(deps, who, now, {
      type: result.ok ? 'EMAIL_CONFIRMED' : 'EMAIL_CODE_CHECKED',
      subject: accountId,
      data: { success: result.ok },
    });
  }
  return result;
}

export async function resendEmailCode(deps: CoreDeps, who: Actor, accountId: string): Promise<Result<{ emailSent: boolean }>> {
  const now = deps.clock.now();
  const { policy } = deps;
  const code = numericCode(deps.random, policy.emailCode.digits);
  const result = await deps.accounts.update(accountId, (account) => {
    if (account.email.confirmedAt) return { result: fail('WRONG_STEP') };
    const recent = account.email.resentAt.filter((at) => now.getTime() - new Date(at).getTime() < HOUR_MS);
    if (recent.length >= policy.emailCode.maxResendsPerHour) {
      const oldest = recent.reduce((a, b) => (a < b ? a : b));
      return { result: fail('RESEND_LIMIT', { retryAt: new Date(new Date(oldest).getTime() + HOUR_MS).toISOString() }) };
    }
    return {
      next: {
        ...account,
        email: {
          ...account.email,
          code: issueCode(deps.secrets, code, now, policy.emailCode.validityMs),
          resentAt: [...recent, now.toISOString()],
        },
      },
      result: ok({ to: account.email.email, language: account.language }),
    };
  });
  if (!result) return fail('NOT_FOUND');
  if (!result.ok) return result;
  const mail = emailCodeMail(result.value.language, deps.brand.name, result.value.to, code, policy.emailCode.validityMs);
  const emailSent = await sendQuietly(deps, mail);
  await auditEvent(deps, who, now, { type: 'EMAIL_CODE_SENT', subject: accountId, data: { delivered: emailSent, resend: true } });
  return ok({ emailSent });
}
