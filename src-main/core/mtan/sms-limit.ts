/**
 * Every SMS costs money and lands on somebody's phone: an account may cause at most
 * `policy.limits.smsPerHour` of them in a sliding hour (mTAN codes and TANs together, whatever the
 * number they go to). The slot is taken in the same atomic update that checks the limit, before the
 * SMS is sent, so parallel requests cannot slip past it; a session belongs to one account, so this
 * is also the session's limit.
 */
import { auditEvent, type Actor, type CoreDeps } from '../deps.js';
import { hourlyLimit } from '../rate-limit.js';
import { fail, ok, type Result } from '../result.js';

export async function reserveSms(deps: CoreDeps, who: Actor, accountId: string, now: Date, kind: string): Promise<Result<null>> {
  const reserved = await deps.accounts.update(accountId, (current) => {
    const limit = hourlyLimit(current.smsSentAt ?? [], now, deps.policy.limits.smsPerHour);
    if (!limit.allowed) return { result: fail('RATE_LIMITED', { retryAt: limit.retryAt }) };
    return { next: { ...current, smsSentAt: [...limit.recent, now.toISOString()] }, result: ok(null) };
  });
  if (!reserved) return fail('NOT_FOUND');
  if (!reserved.ok) await auditEvent(deps, who, now, { type: 'LIMIT_REACHED', subject: accountId, data: { limit: 'SMS', kind } });
  return reserved;
}
