/**
 * The audit entries of a change, appended to the branch's chain inside the change's transaction:
 * both commit or neither. A store made without the branch's trail refuses entries instead of
 * dropping them: that is a wiring mistake, never a reason to lose an entry.
 */
import type { PgAuditTrail } from '../../audit/pg-audit-trail.js';
import type { AuditEntry } from '../../core/ports.js';
import type { Queryable } from './database.js';

export async function appendInTx(client: Queryable, trail: PgAuditTrail | undefined, entries: readonly AuditEntry[] = []): Promise<void> {
  if (entries.length === 0) return;
  if (!trail) throw new Error('this store has no audit trail to record in');
  for (const { event, at } of entries) await trail.appendIn(client, event, at);
}
