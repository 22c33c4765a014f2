/**
 * TAN challenges (R8): 6 digits by SMS, valid 5 minutes, usable once, bound to the account, the
 * action and a keyed digest of its parameters; 3 wrong entries void it. A TAN is consumed inside
 * the same atomic account update that performs the protected action, so two simultaneous uses of
 * one TAN succeed at most once.
 */
import type { Account, TanAction } from '../account.js';
import { attemptCode, issueCode, numericCode } from '../codes.js';
import { auditEvent, type Actor, type CoreDeps } from '../deps.js';
import { fail, ok, type AppError, type Result } from '../result.js';
import { reserveSms } from '../delivery-limits.js';
import { maskPhone } from './phone.js';

export type TanParams = Readonly<Record<string, string>>;

function paramsDigest(deps: CoreDeps, action: TanAction, params: TanParams): string {
  const canonical = JSON.stringify([
    action,
    Object.keys(params)
      .sort()
      .map((k) => [k, params[k]]),
  ]);
  return deps.secrets.hash(canonical);
}

const PURPOSE: Record<TanAction, { de: string; en: string }> = {
  RECEIPT_VIEW: { de: 'Patientenquittung anzeigen', en: 'show patient receipt' },
  CHANGE_MOBILE: { de: 'Mobilnummer ändern', en: 'change mobile number' },
  CHANGE_EMAIL: { de: 'E-Mail-Adresse ändern', en: 'change e-mail address' },
};

export async function requestTan(
  deps: CoreDeps,
  who: Actor,
  accountId: string,
  action: TanAction,
  params: TanParams,
): Promise<Result<{ expiresAt: string; sentTo: string }>> {
  const now = deps.clock.now();
  const account = await deps.accounts.get(accountId);
  if (!account) return fail('NOT_FOUND');
  if (!account.identity.confirmedAt) return fail('IDENTITY_REQUIRED');
  const phone = account.mtan?.phone;
  if (!phone) return fail('MTAN_REQUIRED');
  const code = numericCode(deps.random, deps.policy.mtan.tanDigits);
  const purpose = PURPOSE[action][account.language];
  const minutes = Math.round(deps.policy.mtan.tanValidityMs / 60_000);
  const text =
    account.language === 'en'
      ? `${deps.brand.name}: your TAN to ${purpose}: ${code}. Valid ${minutes} minutes. Never pass it on.`
      : `${deps.brand.name}: Ihre TAN für „${purpose}“: ${code}. Gültig ${minutes} Minuten. Niemals weitergeben.`;
  const slot = await reserveSms(deps, who, accountId, now, 'TAN');
  if (!slot.ok) return slot;
  // Sent first: a TAN that is stored but never arrived would only confuse.
  try {
    await deps.sms.send({ to: phone, text, kind: 'TAN', accountId });
  } catch {
    return fail('DELIVERY_FAILED', { channel: 'SMS' });
  }
  const tan = {
    ...issueCode(deps.secrets, code, now, deps.policy.mtan.tanValidityMs),
    action,
    paramsDigest: paramsDigest(deps, action, params),
  };
  const stored = await deps.accounts.update(accountId, (current) => ({ next: { ...current, tan }, result: true }));
  if (!stored) return fail('NOT_FOUND');
  await auditEvent(deps, who, now, { type: 'TAN_SENT', subject: accountId, data: { action } });
  return ok({ expiresAt: tan.expiresAt, sentTo: maskPhone(phone) });
}

/**
 * Checks and consumes the TAN inside an account update. Returns the account with the TAN marked
 * used (or with the failure counted) and the outcome.
 */
function consumeTan(
  deps: CoreDeps,
  account: Account,
  action: TanAction,
  params: TanParams,
  input: string,
  now: Date,
): { account: Account; error?: AppError } {
  const tan = account.tan;
  if (!tan) return { account, error: { code: 'TAN_VOID' } };
  const bound = tan.action === action && tan.paramsDigest === paramsDigest(deps, action, params);
  const attempt = attemptCode(
    tan,
    input.trim(),
    now,
    deps.policy.mtan.tanMaxFailures,
    deps.secrets,
    { invalid: 'TAN_INVALID', expired: 'TAN_EXPIRED', void: 'TAN_VOID', mismatch: 'TAN_MISMATCH' },
    bound,
  );
  if (attempt.ok) return { account: { ...account, tan: attempt.next } };
  return { account: attempt.next ? { ...account, tan: attempt.next } : account, error: attempt.error };
}

/** Runs a protected change: the TAN is consumed and the change applied in one atomic update. */
export async function withTan<T>(
  deps: CoreDeps,
  who: Actor,
  accountId: string,
  action: TanAction,
  params: TanParams,
  tan: string,
  apply: (account: Account) => { next: Account; value: T } | { error: AppError },
): Promise<Result<T>> {
  const now = deps.clock.now();
  const result = await deps.accounts.update(accountId, (account): { next?: Account; result: Result<T> } => {
    if (!account.mtan) return { result: fail('MTAN_REQUIRED') };
    const consumed = consumeTan(deps, account, action, params, tan, now);
    if (consumed.error) {
      const changed = consumed.account !== account;
      return { ...(changed ? { next: consumed.account } : {}), result: { ok: false, error: consumed.error } };
    }
    const applied = apply(consumed.account);
    if ('error' in applied) return { result: { ok: false, error: applied.error } };
    return { next: applied.next, result: ok(applied.value) };
  });
  if (!result) return fail('NOT_FOUND');
  await auditEvent(deps, who, now, { type: 'TAN_CHECKED', subject: accountId, data: { action, success: result.ok } });
  return result;
}
