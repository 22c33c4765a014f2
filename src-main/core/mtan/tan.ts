/**
 * TAN challenges (R8): 6 digits by SMS, valid 5 minutes, usable once, bound to the account, the
 * action and a keyed digest of its parameters; 3 wrong entries void it. A TAN is consumed inside
 * the same atomic account update that performs the protected action, so two simultaneous uses of
 * one TAN succeed at most once.
 */
import type { Account, TanAction } from '../account.js';
import { attemptIn, issueCode, numericCode } from '../codes.js';
import { auditEntries, type Actor, type CoreDeps } from '../deps.js';
import type { AccountChange, AuditEvent } from '../ports.js';
import { fail, ok, type Result } from '../result.js';
import { reserveSms } from '../delivery-limits.js';
import { identified } from '../identity.js';
import { tanSms } from '../texts.js';
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

export async function requestTan(
  deps: CoreDeps,
  who: Actor,
  accountId: string,
  action: TanAction,
  params: TanParams,
): Promise<Result<{ expiresAt: string; sentTo: string; queued?: true }>> {
  const now = deps.clock.now();
  const found = await identified(deps, accountId);
  if (!found.ok) return found;
  const account = found.value;
  const phone = account.mtan?.phone;
  if (!phone) return fail('MTAN_REQUIRED');
  const code = numericCode(deps.random, deps.policy.mtan.tanDigits);
  const text = tanSms(account.language, deps.brand.name, action, code, deps.policy.mtan.tanValidityMs);
  const slot = await reserveSms(deps, who, accountId, now, 'TAN');
  if (!slot.ok) return slot;
  // Sent (or queued) first: a TAN that is stored but will never arrive would only confuse.
  let queued = false;
  try {
    // A TAN that arrives after it stopped working is not sent at all.
    const expiresAt = new Date(now.getTime() + deps.policy.mtan.tanValidityMs).toISOString();
    queued = (await deps.sms.send({ to: phone, text, kind: 'TAN', accountId, expiresAt })) === 'QUEUED';
  } catch {
    return fail('DELIVERY_FAILED', { channel: 'SMS' });
  }
  const tan = {
    ...issueCode(deps.secrets, code, now, deps.policy.mtan.tanValidityMs),
    action,
    paramsDigest: paramsDigest(deps, action, params),
  };
  const stored = await deps.accounts.update(accountId, (current) => ({
    next: { ...current, tan },
    result: true,
    audit: auditEntries(who, now, { type: 'TAN_SENT', subject: accountId, data: { action } }),
  }));
  if (!stored) return fail('NOT_FOUND');
  return ok({ expiresAt: tan.expiresAt, sentTo: maskPhone(phone), ...(queued ? { queued: true as const } : {}) });
}

/**
 * Checks and consumes the TAN inside an account update: the account with the TAN marked used, or
 * the update's answer (the error, and the failure counted when it counts).
 */
function consumeTan(deps: CoreDeps, account: Account, action: TanAction, params: TanParams, input: string, now: Date) {
  const tan = account.tan;
  if (!tan) return { ok: false as const, answer: { result: fail('TAN_VOID') } };
  const bound = tan.action === action && tan.paramsDigest === paramsDigest(deps, action, params);
  const errors = { invalid: 'TAN_INVALID', expired: 'TAN_EXPIRED', void: 'TAN_VOID', mismatch: 'TAN_MISMATCH' } as const;
  const withNext = (next: typeof tan): Account => ({ ...account, tan: next });
  return attemptIn(tan, input.trim(), now, deps.policy.mtan.tanMaxFailures, deps.secrets, errors, withNext, bound);
}

/** Runs a protected change: the TAN is consumed and the change applied in one atomic update. */
export async function withTan<T>(
  deps: CoreDeps,
  who: Actor,
  accountId: string,
  action: TanAction,
  params: TanParams,
  tan: string,
  apply: (account: Account) => {
    next: Account;
    value: T;
    events?: readonly Omit<AuditEvent, 'actor' | 'terminal'>[];
    /** Messages that go with the change (a code's mail with its code). */
    outbound?: AccountChange<unknown>['outbound'];
  },
): Promise<Result<T>> {
  const now = deps.clock.now();
  const checked = (success: boolean) => ({ type: 'TAN_CHECKED' as const, subject: accountId, data: { action, success } });
  const result = await deps.accounts.update(accountId, (account): AccountChange<Result<T>> => {
    if (!account.mtan) return { result: fail('MTAN_REQUIRED'), audit: auditEntries(who, now, checked(false)) };
    const consumed = consumeTan(deps, account, action, params, tan, now);
    if (!consumed.ok) return { ...consumed.answer, audit: auditEntries(who, now, checked(false)) };
    const applied = apply(consumed.next);
    return {
      next: applied.next,
      result: ok(applied.value),
      audit: auditEntries(who, now, checked(true), ...(applied.events ?? [])),
      ...(applied.outbound ? { outbound: applied.outbound } : {}),
    };
  });
  if (!result) return fail('NOT_FOUND');
  return result;
}
