/**
 * What an account may cause to be delivered: every SMS costs money and lands on somebody's phone,
 * every printed letter or coupon costs paper and postage and carries personal data. Each is
 * limited per account in a sliding window (`policy.limits`). The slot is taken in the same atomic
 * update that checks the limit, before anything is sent, so parallel requests cannot slip past it;
 * a session belongs to one account, so this is also the session's limit. A refusal is audited once
 * per window (when it begins), so refused calls cannot flood the trail.
 */
import type { Account } from './account.js';
import { DAY_MS, HOUR_MS } from './dates.js';
import { auditEvent, type Actor, type CoreDeps } from './deps.js';
import { windowLimit } from './rate-limit.js';
import { fail, ok, type Result } from './result.js';

type Kind = 'SMS' | 'PRINT';

const FIELD = { SMS: 'smsSentAt', PRINT: 'printsAt' } as const satisfies Record<Kind, keyof Account>;

function rule(deps: CoreDeps, kind: Kind): { max: number; windowMs: number } {
  return kind === 'SMS'
    ? { max: deps.policy.limits.smsPerHour, windowMs: HOUR_MS }
    : { max: deps.policy.limits.printsPerDay, windowMs: DAY_MS };
}

async function reserve(deps: CoreDeps, who: Actor, accountId: string, now: Date, kind: Kind, what: string): Promise<Result<null>> {
  const { max, windowMs } = rule(deps, kind);
  let announce = false;
  const reserved = await deps.accounts.update(accountId, (current) => {
    const limit = windowLimit(current[FIELD[kind]] ?? [], now, max, windowMs);
    if (!limit.allowed) {
      const refused = fail('RATE_LIMITED', { retryAt: limit.retryAt });
      if (current.limitNotices?.[kind] === limit.retryAt) return { result: refused };
      announce = true;
      return { next: { ...current, limitNotices: { ...current.limitNotices, [kind]: limit.retryAt } }, result: refused };
    }
    return { next: { ...current, [FIELD[kind]]: [...limit.recent, now.toISOString()] }, result: ok(null) };
  });
  if (!reserved) return fail('NOT_FOUND');
  if (announce) await auditEvent(deps, who, now, { type: 'LIMIT_REACHED', subject: accountId, data: { limit: kind, kind: what } });
  return reserved;
}

export function reserveSms(deps: CoreDeps, who: Actor, accountId: string, now: Date, what: string): Promise<Result<null>> {
  return reserve(deps, who, accountId, now, 'SMS', what);
}

/** Letters the person asks for at the kiosk (activation key, POSTIDENT coupon). */
export function reservePrint(deps: CoreDeps, who: Actor, accountId: string, now: Date, what: string): Promise<Result<null>> {
  return reserve(deps, who, accountId, now, 'PRINT', what);
}
