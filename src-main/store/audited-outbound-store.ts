/**
 * Gives the embedded outbound queue (no transactions) the audit entries of OutboundChange: the
 * inner store writes the change, then its entries are appended while the record is still held by
 * this wrapper (entries-after-write.ts). A crash in between can lose the entry, never the change.
 * The PostgreSQL store records them itself, in the change's transaction.
 */
import type { OutboundChange, OutboundRecord, OutboundStore } from '../core/ports.js';
import { EntriesAfterWrite } from './entries-after-write.js';

export class AuditedOutboundStore extends EntriesAfterWrite<OutboundStore> implements OutboundStore {
  add(record: OutboundRecord): Promise<void> {
    return this.inner.add(record);
  }
  update<R>(id: string, fn: (current: OutboundRecord) => OutboundChange<R>): Promise<R | undefined> {
    return this.after(id, (keep) => this.inner.update(id, (current) => keep(fn(current))));
  }
  due(now: string, limit: number): Promise<readonly OutboundRecord[]> {
    return this.inner.due(now, limit);
  }
  gaveUp(limit: number): Promise<readonly OutboundRecord[]> {
    return this.inner.gaveUp(limit);
  }
  pruneGaveUp(before: string): Promise<number> {
    return this.inner.pruneGaveUp(before);
  }
  removeFor(accountId: string): Promise<number> {
    return this.inner.removeFor(accountId);
  }
}
