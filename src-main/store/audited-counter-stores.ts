/**
 * Gives the staff and inbox stores without transactions (the files of the data directory, the
 * in-memory ones of tests) the audit entries of their changes (RecordChange): the inner store
 * writes, then the entries of the decision it kept are appended, in order, while the record is
 * still held by this wrapper, so the entries of one record follow the order of its changes. Not
 * atomic: a crash between the two loses the entry, never the change (the file trail's group
 * commit makes that window milliseconds). A write that fails appends nothing. The PostgreSQL
 * stores record their entries themselves, in the change's transaction.
 */
import type { HelpRequest, InboxItem } from '../core/counter/inbox-item.js';
import type { AuditEntry, InboxStore, RecordChange, StaffStore } from '../core/ports.js';
import type { StaffAccount } from '../core/staff/staff-account.js';
import { EntriesAfterWrite } from './entries-after-write.js';

export class AuditedStaffStore extends EntriesAfterWrite<StaffStore> implements StaffStore {
  get(id: string): Promise<StaffAccount | undefined> {
    return this.inner.get(id);
  }
  findByUsernameKey(usernameKey: string): Promise<StaffAccount | undefined> {
    return this.inner.findByUsernameKey(usernameKey);
  }
  list(): Promise<readonly StaffAccount[]> {
    return this.inner.list();
  }

  insert(staff: StaffAccount, audit?: readonly AuditEntry[]): Promise<'OK' | 'USERNAME_TAKEN'> {
    return this.after(staff.id, async (keep) => {
      const inserted = await this.inner.insert(staff);
      if (inserted === 'OK') keep({ audit });
      return inserted;
    });
  }

  update<R>(id: string, fn: (current: StaffAccount) => RecordChange<StaffAccount, R>): Promise<R | undefined> {
    return this.after(id, (keep) => this.inner.update(id, (current) => keep(fn(current))));
  }
}

export class AuditedInboxStore extends EntriesAfterWrite<InboxStore> implements InboxStore {
  get(id: string): Promise<InboxItem | undefined> {
    return this.inner.get(id);
  }
  list(limit: number): Promise<readonly InboxItem[]> {
    return this.inner.list(limit);
  }
  removeFor(accountId: string): Promise<number> {
    return this.inner.removeFor(accountId);
  }
  listHelp(limit: number): Promise<readonly HelpRequest[]> {
    return this.inner.listHelp(limit);
  }
  pruneHelp(before: string): Promise<number> {
    return this.inner.pruneHelp(before);
  }

  add(item: InboxItem, audit?: readonly AuditEntry[]): Promise<void> {
    return this.after(item.id, async (keep) => {
      await this.inner.add(item);
      keep({ audit });
    });
  }

  update<R>(id: string, fn: (current: InboxItem) => RecordChange<InboxItem, R>): Promise<R | undefined> {
    return this.after(id, (keep) => this.inner.update(id, (current) => keep(fn(current))));
  }

  addHelp<R>(
    id: string,
    terminal: string,
    decide: (sameTerminal: readonly HelpRequest[]) => { add?: HelpRequest; result: R; audit?: readonly AuditEntry[] },
  ): Promise<R> {
    return this.after(id, (keep) => this.inner.addHelp(id, terminal, (same) => keep(decide(same))));
  }

  updateHelp<R>(id: string, fn: (current: HelpRequest) => RecordChange<HelpRequest, R>): Promise<R | undefined> {
    return this.after(id, (keep) => this.inner.updateHelp(id, (current) => keep(fn(current))));
  }
}
