/**
 * mTAN enrolment (R8), as a flow with an expiry: the last five digits of the health card (3 wrong
 * entries end the attempt), a mobile number, and a 6-digit SMS code (10 minutes, 3 tries). Only
 * the confirmed code activates mTAN; if the SMS cannot be sent, the flow stays where it was.
 */
import type { Account, HashedCode, MtanEnrolment } from '../account.js';
import { attemptIn, CODE_ERRORS, issueCode, numericCode } from '../codes.js';
import { auditEntries, type Actor, type CoreDeps } from '../deps.js';
import type { AccountChange } from '../ports.js';
import { fail, ok, type Result } from '../result.js';
import { reserveSms } from '../delivery-limits.js';
import { DAY_MS } from '../dates.js';
import { paced } from '../login/attempt.js';
import { cardDigitsBlockedMail, mtanCodeSms } from '../texts.js';
import { windowLimit } from '../rate-limit.js';
import { sendQuietly } from '../notify.js';
import { requireIdentity } from '../identity.js';
import { maskPhone, parseMobile } from './phone.js';

export interface EnrolmentView {
  readonly stage: MtanEnrolment['stage'];
  readonly phoneMasked?: string;
  readonly expiresAt: string;
  /** The code's SMS did not go at once: it is on its way (the gateway is tried again). */
  readonly smsQueued?: true;
}

export function enrolmentView(enrolment: MtanEnrolment): EnrolmentView {
  return {
    stage: enrolment.stage,
    expiresAt: enrolment.expiresAt,
    ...(enrolment.phone ? { phoneMasked: maskPhone(enrolment.phone) } : {}),
  };
}

function live(account: Account, now: Date): MtanEnrolment | undefined {
  const e = account.mtanEnrolment;
  return e && now.getTime() < new Date(e.expiresAt).getTime() ? e : undefined;
}

export function newEnrolment(deps: CoreDeps, now: Date, phone?: string): MtanEnrolment {
  return {
    stage: 'CARD',
    startedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + deps.policy.mtan.enrolmentMs).toISOString(),
    cardFailures: 0,
    ...(phone ? { phone } : {}),
  };
}

/**
 * Wrong card digits are counted on the account, across enrolments: three end one enrolment (R8),
 * and `policy.mtan.cardFailuresPerDay` in 24 hours block new ones, so the five digits cannot be
 * found by starting again and again.
 */
function cardBlock(deps: CoreDeps, account: Account, now: Date): { retryAt: string } | undefined {
  const limit = windowLimit(account.cardFailedAt ?? [], now, deps.policy.mtan.cardFailuresPerDay, DAY_MS);
  return limit.allowed ? undefined : { retryAt: limit.retryAt };
}

export async function startEnrolment(deps: CoreDeps, accountId: string): Promise<Result<EnrolmentView>> {
  const now = deps.clock.now();
  const result = await deps.accounts.update(accountId, (account): { next?: Account; result: Result<EnrolmentView> } => {
    const identity = requireIdentity(account);
    if (!identity.ok) return { result: identity };
    // Changing an active number goes through a TAN first (see services/contact changes).
    if (account.mtan) return { result: fail('WRONG_STEP') };
    const blocked = cardBlock(deps, account, now);
    if (blocked) return { result: fail('RATE_LIMITED', blocked) };
    const existing = live(account, now);
    if (existing) return { result: ok(enrolmentView(existing)) };
    const enrolment = newEnrolment(deps, now);
    return { next: { ...account, mtanEnrolment: enrolment }, result: ok(enrolmentView(enrolment)) };
  });
  return result ?? fail('NOT_FOUND');
}

export function enterCardDigits(deps: CoreDeps, who: Actor, accountId: string, digits: string): Promise<Result<EnrolmentView>> {
  // A wrong entry answers no sooner than the failure floor, like a failed login.
  return paced(deps, async () => {
    const now = deps.clock.now();
    const account = await deps.accounts.get(accountId);
    if (!account) return fail('NOT_FOUND');
    const person = await deps.register.getByKvnr(account.kvnr);
    const max = deps.policy.mtan.cardMaxFailures;
    const decide = (current: Account): { next?: Account; result: Result<EnrolmentView>; blockedNow?: boolean; compared?: true } => {
      const enrolment = live(current, now);
      if (!enrolment) return { result: fail('ENROLMENT_ENDED') };
      if (enrolment.stage !== 'CARD') return { result: fail('WRONG_STEP') };
      const blocked = cardBlock(deps, current, now);
      if (blocked) return { result: fail('RATE_LIMITED', blocked) };
      if (person && person.cardNumber.slice(-5) === digits) {
        const next: MtanEnrolment = { ...enrolment, stage: enrolment.phone ? 'SMS' : 'PHONE' };
        return { next: { ...current, mtanEnrolment: next }, result: ok(enrolmentView(next)), compared: true };
      }
      const counted: Account = { ...current, cardFailedAt: [...(current.cardFailedAt ?? []), now.toISOString()] };
      const blockedNow = cardBlock(deps, counted, now) !== undefined;
      const cardFailures = enrolment.cardFailures + 1;
      if (cardFailures >= max || blockedNow) {
        const { mtanEnrolment: _ended, ...rest } = counted;
        return { next: rest, result: fail('ENROLMENT_ENDED', { reason: 'CARD_DIGITS' }), blockedNow, compared: true };
      }
      return {
        next: { ...counted, mtanEnrolment: { ...enrolment, cardFailures } },
        result: fail('CARD_DIGITS_WRONG', { remaining: max - cardFailures }),
        blockedNow,
        compared: true,
      };
    };
    // Every entry compared with the card, and the start of a block (once), recorded with the change;
    // an entry refused before any comparison (no enrolment, another step, a block) is no check.
    const outcome = await deps.accounts.update(accountId, (current): AccountChange<{ r: Result<EnrolmentView>; blockedNow: boolean }> => {
      const { next, result: r, blockedNow = false, compared = false } = decide(current);
      const audit = auditEntries(
        who,
        now,
        ...(compared ? [{ type: 'CODE_CHECKED' as const, subject: accountId, data: { kind: 'CARD_DIGITS', success: r.ok } }] : []),
        ...(blockedNow ? [{ type: 'LIMIT_REACHED' as const, subject: accountId, data: { limit: 'CARD_DIGITS' } }] : []),
      );
      return { ...(next ? { next } : {}), result: { r, blockedNow }, audit };
    });
    if (!outcome) return fail('NOT_FOUND');
    const result = outcome.r;
    // Once, when the block begins: the holder learns of it.
    if (outcome.blockedNow)
      await sendQuietly(deps, cardDigitsBlockedMail(account.language, deps.brand.name, account.email.email), accountId);
    // A preset number (a change of number) goes straight on to the SMS code.
    if (result.ok && result.value.stage === 'SMS') return sendEnrolmentCode(deps, who, accountId, undefined);
    return result;
  });
}

/** Sends the SMS code to the given (or preset) number. Nothing is stored unless the SMS went out. */
export async function sendEnrolmentCode(
  deps: CoreDeps,
  who: Actor,
  accountId: string,
  phoneInput: string | undefined,
): Promise<Result<EnrolmentView>> {
  const now = deps.clock.now();
  const account = await deps.accounts.get(accountId);
  const enrolment = account ? live(account, now) : undefined;
  if (!account || !enrolment) return fail('ENROLMENT_ENDED');
  if (enrolment.stage === 'CARD') return fail('WRONG_STEP');
  // Without a new number input, the code goes (again) to the number already chosen.
  let phone = enrolment.phone;
  if (phoneInput !== undefined) {
    const parsed = parseMobile(phoneInput, deps.policy.mtan.defaultRegion);
    if (!parsed.ok) return fail(parsed.reason);
    phone = parsed.e164;
  }
  if (!phone) return fail('WRONG_STEP');
  const code = numericCode(deps.random, deps.policy.mtan.smsCodeDigits);
  const text = mtanCodeSms(account.language, deps.brand.name, code, deps.policy.mtan.smsCodeValidityMs);
  const slot = await reserveSms(deps, who, accountId, now, 'MTAN_CODE');
  if (!slot.ok) return slot;
  let queued = false;
  try {
    const expiresAt = new Date(now.getTime() + deps.policy.mtan.smsCodeValidityMs).toISOString();
    queued = (await deps.sms.send({ to: phone, text, kind: 'MTAN_CODE', accountId, expiresAt })) === 'QUEUED';
  } catch {
    return fail('DELIVERY_FAILED', { channel: 'SMS' });
  }
  const smsCode = issueCode(deps.secrets, code, now, deps.policy.mtan.smsCodeValidityMs);
  // The SMS went out: recorded also when the enrolment ended while it was on its way.
  const audit = auditEntries(who, now, { type: 'MTAN_CODE_SENT', subject: accountId });
  const result = await deps.accounts.update(accountId, (current): AccountChange<Result<EnrolmentView>> => {
    const e = live(current, now);
    if (!e || e.stage === 'CARD') return { result: fail('ENROLMENT_ENDED'), audit };
    const next: MtanEnrolment = { ...e, stage: 'SMS', phone, code: smsCode };
    return { next: { ...current, mtanEnrolment: next }, result: ok(enrolmentView(next)), audit };
  });
  if (!result) return fail('NOT_FOUND');
  return result.ok && queued ? ok({ ...result.value, smsQueued: true }) : result;
}

export async function confirmEnrolmentCode(
  deps: CoreDeps,
  who: Actor,
  accountId: string,
  input: string,
): Promise<Result<{ phoneMasked: string }>> {
  const now = deps.clock.now();
  const max = deps.policy.mtan.smsCodeMaxFailures;
  const decide = (current: Account): { next?: Account; result: Result<{ phoneMasked: string }> } => {
    const enrolment = live(current, now);
    if (!enrolment) return { result: fail('ENROLMENT_ENDED') };
    if (enrolment.stage !== 'SMS' || !enrolment.code || !enrolment.phone) return { result: fail('WRONG_STEP') };
    const withCode = (code: HashedCode): Account => ({ ...current, mtanEnrolment: { ...enrolment, code } });
    const attempt = attemptIn(enrolment.code, input.trim(), now, max, deps.secrets, CODE_ERRORS, withCode);
    if (!attempt.ok) return attempt.answer;
    const { mtanEnrolment: _done, tan: _oldTan, ...rest } = current;
    return {
      next: { ...rest, mtan: { phone: enrolment.phone, enrolledAt: now.toISOString() } },
      result: ok({ phoneMasked: maskPhone(enrolment.phone) }),
    };
  };
  const result = await deps.accounts.update(accountId, (current) => {
    const change = decide(current);
    const checked = { type: 'CODE_CHECKED' as const, subject: accountId, data: { kind: 'MTAN_SMS_CODE', success: change.result.ok } };
    const enrolled = { type: 'MTAN_ENROLLED' as const, subject: accountId };
    return { ...change, audit: change.result.ok ? auditEntries(who, now, checked, enrolled) : auditEntries(who, now, checked) };
  });
  if (!result) return fail('NOT_FOUND');
  return result;
}

/** Leaving mTAN deletes the stored number and every pending flow of it. */
export async function leaveMtan(deps: CoreDeps, who: Actor, accountId: string): Promise<Result<null>> {
  const now = deps.clock.now();
  const result = await deps.accounts.update(accountId, (current) => {
    const { mtan: _m, mtanEnrolment: _e, tan: _t, ...rest } = current;
    return { next: rest as Account, result: ok(null), audit: auditEntries(who, now, { type: 'MTAN_LEFT', subject: accountId }) };
  });
  if (!result) return fail('NOT_FOUND');
  return result;
}
