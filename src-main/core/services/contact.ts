/**
 * Changing the contact data (R9): the e-mail address and the mobile number change only behind a
 * TAN to the current number, so a person at an unattended, logged-in kiosk cannot take over the
 * account's channels. A new address counts once its code is confirmed; a new number once enrolled.
 */
import type { Account, HashedCode } from '../account.js';
import { attemptIn, CODE_ERRORS, issueCode, numericCode } from '../codes.js';
import { auditEntries, type Actor, type CoreDeps } from '../deps.js';
import type { AccountChange } from '../ports.js';
import { isValidEmail, normalizeEmail } from '../email/address.js';
import { emailChangeCodeMail, emailReplacedMail } from '../texts.js';
import { newEnrolment } from '../mtan/enrolment.js';
import { parseMobile } from '../mtan/phone.js';
import { withTan } from '../mtan/tan.js';
import { sendQuietly } from '../notify.js';
import { fail, ok, type Result } from '../result.js';

/** After a TAN to the current mobile number, a code goes to the new address; it counts once confirmed. */
export async function changeEmail(deps: CoreDeps, who: Actor, accountId: string, email: string, tan: string): Promise<Result<null>> {
  const now = deps.clock.now();
  const normalized = normalizeEmail(email);
  if (!isValidEmail(normalized)) return fail('EMAIL_INVALID');
  const code = numericCode(deps.random, deps.policy.emailCode.digits);
  const { validityMs } = deps.policy.emailCode;
  const expiresAt = new Date(now.getTime() + validityMs).toISOString();
  const result = await withTan(deps, who, accountId, 'CHANGE_EMAIL', { email: normalized }, tan, (account) => {
    // The code's mail is queued with the code: a terminal that stops now still sends the code that works.
    const mail = emailChangeCodeMail(account.language, deps.brand.name, normalized, code, validityMs);
    const queued = deps.courier.prepare({ channel: 'EMAIL', mail: { ...mail, expiresAt, accountId } });
    return {
      next: { ...account, emailChange: { email: normalized, code: issueCode(deps.secrets, code, now, validityMs) } },
      value: queued,
      outbound: [queued],
    };
  });
  if (!result.ok) return result;
  await deps.courier.firstTry(result.value);
  return ok(null);
}

export async function confirmEmailChange(deps: CoreDeps, who: Actor, accountId: string, input: string): Promise<Result<null>> {
  const now = deps.clock.now();
  const max = deps.policy.emailCode.maxFailures;
  const decide = (account: Account): AccountChange<Result<{ previous: string; next: string; language: 'de' | 'en' }>> => {
    const change = account.emailChange;
    if (!change) return { result: fail('WRONG_STEP') };
    const withCode = (code: HashedCode): Account => ({ ...account, emailChange: { ...change, code } });
    const attempt = attemptIn(change.code, input.trim(), now, max, deps.secrets, CODE_ERRORS, withCode);
    if (!attempt.ok) return attempt.answer;
    const { emailChange: _done, ...rest } = account;
    return {
      next: { ...rest, email: { ...account.email, email: change.email, confirmedAt: now.toISOString() } },
      result: ok({ previous: account.email.email, next: change.email, language: account.language }),
    };
  };
  // The entry and the change it records commit together.
  const result = await deps.accounts.update(accountId, (account) => {
    const change = decide(account);
    const checked = { type: 'CODE_CHECKED' as const, subject: accountId, data: { kind: 'EMAIL_CHANGE_CODE', success: change.result.ok } };
    const changed = { type: 'EMAIL_CHANGED' as const, subject: accountId };
    return { ...change, audit: change.result.ok ? auditEntries(who, now, checked, changed) : auditEntries(who, now, checked) };
  });
  if (!result) return fail('NOT_FOUND');
  if (!result.ok) return result;
  // The replaced address is told, with the new one masked: a takeover does not go unnoticed.
  const [local = '', domain = ''] = result.value.next.split('@');
  const masked = `${local.slice(0, 1)}***@${domain}`;
  await sendQuietly(deps, emailReplacedMail(result.value.language, deps.brand.name, result.value.previous, masked), accountId);
  return ok(null);
}

/**
 * Changing the mobile number: a TAN to the current number approves the new one, then the
 * enrolment runs again for it (card digits, SMS code). The old number stays until then.
 */
export async function changeMobile(deps: CoreDeps, who: Actor, accountId: string, phoneInput: string, tan: string): Promise<Result<null>> {
  const now = deps.clock.now();
  const parsed = parseMobile(phoneInput, deps.policy.mtan.defaultRegion);
  if (!parsed.ok) return fail(parsed.reason);
  return withTan(deps, who, accountId, 'CHANGE_MOBILE', { phone: parsed.e164 }, tan, (account) => ({
    next: { ...account, mtanEnrolment: newEnrolment(deps, now, parsed.e164) },
    value: null,
    events: [{ type: 'MOBILE_CHANGE_STARTED', subject: accountId }],
  }));
}
