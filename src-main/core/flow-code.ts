/**
 * Codes e-mailed to a screen where nobody is logged in: "forgot password" and "forgot username".
 * Model: a request puts an 8-digit code (30 minutes, 5 tries; policy.passwordReset) into the
 * account's slot for the flow, bound to a flow token that only the requesting screen holds; code and
 * token are kept only as keyed hashes; an account gets at most so many requests an hour.
 * Threats: strangers entering codes for someone else's request (without the token nothing is looked
 * at or counted, and every such entry gets one answer), mail bombing an account (the hourly limit),
 * guessing details (limits per terminal and per target, checked before anything is looked up).
 */
import type { Account, EmailedFlowCode, HashedCode } from './account.js';
import { attemptIn, CODE_ERRORS, issueCode } from './codes.js';
import { auditEvent, type Actor, type CoreDeps } from './deps.js';
import type { MismatchLimits } from './login/guards.js';
import { hourlyLimit } from './rate-limit.js';
import { fail, ok, type AppError, type Result } from './result.js';

export type FlowSlot = 'passwordReset' | 'usernameRecovery';

const put = (account: Account, slot: FlowSlot, value: EmailedFlowCode): Account =>
  slot === 'passwordReset' ? { ...account, passwordReset: value } : { ...account, usernameRecovery: value };

/** The one answer for an entry without the requesting screen's token: nothing was looked at or counted. */
export const notYourFlow = () => fail('CODE_INVALID', { remaining: 0 });

export function holdsFlow(deps: CoreDeps, record: EmailedFlowCode | undefined, flowToken: string): boolean {
  const flow = record?.flow;
  return flow !== undefined && flowToken !== '' && deps.secrets.verify(flowToken, flow);
}

/** Inside an account update: a new code in the flow's slot, or RESEND_LIMIT past the hourly limit. */
export function withFlowCode(
  deps: CoreDeps,
  account: Account,
  slot: FlowSlot,
  code: string,
  now: Date,
  flowToken: string,
): { next?: Account; result: Result<null> } {
  const rules = deps.policy.passwordReset;
  const limit = hourlyLimit(account[slot]?.requestedAt ?? [], now, rules.maxRequestsPerHour);
  if (!limit.allowed) return { result: fail('RESEND_LIMIT', { retryAt: limit.retryAt }) };
  const record: EmailedFlowCode = {
    code: issueCode(deps.secrets, code, now, rules.validityMs),
    flow: deps.secrets.hash(flowToken),
    requestedAt: [...limit.recent, now.toISOString()],
  };
  return { next: put(account, slot, record), result: ok(null) };
}

/**
 * Inside an account update: one entry of the flow's code. Without a code or without the requesting
 * screen's token the answer is notYourFlow and nothing is stored.
 */
export function attemptFlowCode(
  deps: CoreDeps,
  account: Account,
  slot: FlowSlot,
  input: string,
  now: Date,
  flowToken: string,
): { ok: true; next: Account } | { ok: false; answer: { next?: Account; result: { ok: false; error: AppError } } } {
  const record = account[slot];
  const code = record?.code;
  if (!record || !code || !holdsFlow(deps, record, flowToken)) return { ok: false, answer: { result: notYourFlow() } };
  const withCode = (next: HashedCode): Account => put(account, slot, { ...record, code: next });
  return attemptIn(code, input.trim(), now, deps.policy.passwordReset.maxFailures, deps.secrets, CODE_ERRORS, withCode);
}

/**
 * The limits on a "forgot" request, read before anything is looked up; the first refusal of a
 * block is audited once (not every refused call).
 */
export async function forgotLimitReached(
  deps: CoreDeps,
  mismatches: MismatchLimits,
  who: Actor,
  now: Date,
  limits: readonly (readonly [key: string, max: number])[],
  name: string,
): Promise<{ until: number } | undefined> {
  const blocked = mismatches.check(limits, now.getTime());
  if (blocked?.announce) await auditEvent(deps, who, now, { type: 'LIMIT_REACHED', data: { limit: name } });
  return blocked;
}
