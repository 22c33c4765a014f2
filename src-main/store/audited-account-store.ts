/**
 * Gives an account store without transactions (the embedded store, the in-memory one) the audit
 * entries of AccountChange: the inner store writes the change, then the entries are appended to
 * the trail, while the account is still held by this wrapper, so the entries of one account are
 * in the order of its changes. Not atomic: a crash between the two loses the entry, never the
 * change (the file trail's group commit makes that window milliseconds). The PostgreSQL store
 * records them itself, in the change's transaction.
 */
import type { Account } from '../core/account.js';
import type { AccountChange, AccountStore, AuditEntry, OutboundRecord } from '../core/ports.js';
import { EntriesAfterWrite } from './entries-after-write.js';

export class AuditedAccountStore extends EntriesAfterWrite<AccountStore> implements AccountStore {
  get(id: string): Promise<Account | undefined> {
    return this.inner.get(id);
  }
  findByUsernameKey(usernameKey: string): Promise<Account | undefined> {
    return this.inner.findByUsernameKey(usernameKey);
  }
  findByKvnr(kvnr: string): Promise<Account | undefined> {
    return this.inner.findByKvnr(kvnr);
  }
  findByPostidentCase(caseId: string): Promise<Account | undefined> {
    return this.inner.findByPostidentCase(caseId);
  }
  insert(
    account: Account,
    audit: readonly AuditEntry[] = [],
    outbound: readonly OutboundRecord[] = [],
  ): Promise<'OK' | 'KVNR_TAKEN' | 'USERNAME_TAKEN'> {
    return this.after(account.id, async (keep) => {
      const inserted = await this.inner.insert(account);
      if (inserted === 'OK') keep({ audit, outbound });
      return inserted;
    });
  }
  delete(id: string, audit: readonly AuditEntry[] = []): Promise<void> {
    return this.after(id, async (keep) => {
      // Only the removal that finds the account records it.
      const present = (await this.inner.get(id)) !== undefined;
      await this.inner.delete(id);
      if (present) keep({ audit });
    });
  }
  count(): Promise<number> {
    return this.inner.count();
  }
  funnel(): ReturnType<AccountStore['funnel']> {
    return this.inner.funnel();
  }

  update<R>(id: string, fn: (current: Account) => AccountChange<R>, seen?: Account): Promise<R | undefined> {
    return this.after(id, (keep) => this.inner.update(id, (current) => keep(fn(current)), seen));
  }
}

/** For stores that cannot record audit entries or queue messages: a change that carries some is a wiring mistake. */
export function refuseAudit<R>(change: AccountChange<R>): AccountChange<R> {
  refuseEntries(change.audit);
  if (change.outbound && change.outbound.length > 0) throw new Error('this store queues no messages: wrap it in AuditedAccountStore');
  return change;
}

/** For a store that records no entries itself: a change that carries some is a wiring mistake. */
export function refuseEntries(audit: readonly AuditEntry[] | undefined, wrapper = 'AuditedAccountStore'): void {
  if (audit && audit.length > 0) throw new Error(`this store records no audit entries: wrap it in ${wrapper}`);
}
