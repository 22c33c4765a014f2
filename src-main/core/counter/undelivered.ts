/**
 * Mail and SMS that could not be delivered (delivery/outbound-queue.ts gave them up), as the
 * counter sees them: when, which channel and kind, why (a code: SMTP_550 is a refused recipient,
 * ETIMEDOUT a server that did not answer), how often it was tried, and for which account, so staff
 * can reach the person another way or have the address corrected. The content is gone by then.
 *
 * Model: listing names accounts, so it is audited like the inbox's list; dismissing one (after
 * staff dealt with it) removes it for every desk and is audited; a message still being tried
 * cannot be dismissed (it would go out all the same).
 */
import { auditEvent, type Actor, type CoreDeps } from '../deps.js';
import type { AuditEvent, OutboundChange } from '../ports.js';
import { fail, ok, type Result } from '../result.js';

const LIST_LIMIT = 100;

export interface UndeliveredEntry {
  readonly id: string;
  readonly channel: 'EMAIL' | 'SMS' | 'LETTER';
  readonly kind: string;
  readonly reason: string;
  readonly attempts: number;
  readonly createdAt: string;
  readonly gaveUpAt: string;
  /** The account it was for; absent for mail to an account that is gone (the notice of a deletion). */
  readonly accountId?: string;
  readonly username?: string;
}

export async function undeliveredList(deps: CoreDeps, who: Actor): Promise<Result<readonly UndeliveredEntry[]>> {
  const records = await deps.outbound.gaveUp(LIST_LIMIT);
  await auditEvent(deps, who, deps.clock.now(), { type: 'INBOX_LISTED', data: { list: 'undelivered', shown: records.length } });
  const entries: UndeliveredEntry[] = [];
  for (const r of records) {
    const account = r.accountId === undefined ? undefined : await deps.accounts.get(r.accountId);
    entries.push({
      id: r.id,
      channel: r.channel,
      kind: r.kind,
      reason: r.lastError ?? 'UNKNOWN',
      attempts: r.attempts,
      createdAt: r.createdAt,
      gaveUpAt: r.gaveUpAt ?? r.createdAt,
      ...(account ? { accountId: account.id, username: account.username } : {}),
    });
  }
  return ok(entries);
}

export async function dismissUndelivered(deps: CoreDeps, who: Actor, id: string): Promise<Result<null>> {
  const now = deps.clock.now();
  // The removal and its entry in one change: a dismissal is never without its record, nor recorded twice.
  const outcome = await deps.outbound.update(id, (current): OutboundChange<'DISMISSED' | 'STILL_TRYING'> => {
    if (current.state !== 'GAVE_UP') return { result: 'STILL_TRYING' };
    const event: AuditEvent = {
      type: 'DELIVERY_DISMISSED',
      actor: who.actor,
      terminal: who.terminal,
      ...(current.accountId === undefined ? {} : { subject: current.accountId }),
      data: { message: id, channel: current.channel, kind: current.kind },
    };
    return { next: null, result: 'DISMISSED', audit: [{ event, at: now }] };
  });
  if (outcome === undefined) return fail('NOT_FOUND');
  if (outcome === 'STILL_TRYING') return fail('WRONG_STEP');
  return ok(null);
}
