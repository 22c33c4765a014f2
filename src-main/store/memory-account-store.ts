/**
 * The account store in memory, for tests and benchmarks: the same contract as the embedded store
 * (account-store.ts), with maps for indexes. Nothing is durable.
 */
import type { Account } from '../core/account.js';
import type { AccountChange, AccountStore, AuditEntry } from '../core/ports.js';
import { refuseAudit, refuseEntries } from './audited-account-store.js';
import { KeyedMutex } from '../lib/keyed-mutex.js';
import { funnelOf, INDEX_KINDS, keysOf, type Funnel, type IndexKind } from './account-layout.js';

export class MemoryAccountStore implements AccountStore {
  private readonly accounts = new Map<string, Account>();
  private readonly indexes: Record<IndexKind, Map<string, string>> = { kvnr: new Map(), username: new Map(), case: new Map() };
  private readonly locks = new KeyedMutex();

  private find(kind: IndexKind, key: string): Promise<Account | undefined> {
    const id = this.indexes[kind].get(key);
    return Promise.resolve(id === undefined ? undefined : this.accounts.get(id));
  }

  private put(before: Account | undefined, after: Account | undefined): void {
    const id = (before ?? after)?.id ?? '';
    for (const kind of INDEX_KINDS) {
      const old = keysOf(before)[kind];
      if (old !== undefined && this.indexes[kind].get(old) === id) this.indexes[kind].delete(old);
      const key = keysOf(after)[kind];
      if (key !== undefined) this.indexes[kind].set(key, id);
    }
    if (after) this.accounts.set(id, after);
    else this.accounts.delete(id);
  }

  get(id: string): Promise<Account | undefined> {
    return Promise.resolve(this.accounts.get(id));
  }

  findByUsernameKey(key: string): Promise<Account | undefined> {
    return this.find('username', key);
  }

  findByKvnr(kvnr: string): Promise<Account | undefined> {
    return this.find('kvnr', kvnr);
  }

  findByPostidentCase(caseId: string): Promise<Account | undefined> {
    return this.find('case', caseId);
  }

  async insert(account: Account, audit?: readonly AuditEntry[]): Promise<'OK' | 'KVNR_TAKEN' | 'USERNAME_TAKEN'> {
    refuseEntries(audit);
    // Checked and reserved synchronously, so two concurrent inserts cannot both pass.
    if (this.indexes.kvnr.has(account.kvnr)) return Promise.resolve('KVNR_TAKEN');
    if (this.indexes.username.has(account.usernameKey)) return Promise.resolve('USERNAME_TAKEN');
    this.put(undefined, account);
    return Promise.resolve('OK');
  }

  update<R>(id: string, fn: (current: Account) => AccountChange<R>): Promise<R | undefined> {
    return this.locks.run(id, () => {
      const current = this.accounts.get(id);
      if (!current) return Promise.resolve(undefined);
      const { next, result } = refuseAudit(fn(current));
      if (!next) return Promise.resolve(result);
      if (next.id !== id) throw new Error('update must not change the id');
      this.put(current, next);
      return Promise.resolve(result);
    });
  }

  async delete(id: string, audit?: readonly AuditEntry[]): Promise<void> {
    refuseEntries(audit);
    return this.locks.run(id, () => {
      this.put(this.accounts.get(id), undefined);
      return Promise.resolve();
    });
  }

  count(): Promise<number> {
    return Promise.resolve(this.accounts.size);
  }

  funnel(): Promise<Funnel> {
    const counts = funnelOf(undefined);
    for (const account of this.accounts.values()) {
      const one = funnelOf(account);
      counts.registered += one.registered;
      counts.emailConfirmed += one.emailConfirmed;
      counts.identityConfirmed += one.identityConfirmed;
      counts.mailboxDecided += one.mailboxDecided;
    }
    return Promise.resolve(counts);
  }
}
