/**
 * The embedded account store: lowdb, split into shards so that one change rewrites one shard
 * (about 1/256 of the accounts) instead of the whole store. Indexes (username, KVNR, POSTIDENT
 * case) are derived in memory at start-up. Updates of one account are serialised, and each
 * resolves only after its shard is durably on disk. Every shard is checked on open (schema, the
 * account's shard, unique KVNR/username/case): a damaged store refuses to open instead of starting
 * with accounts silently missing, which the next write would make permanent.
 */
import { Low, Memory } from 'lowdb';
import { join } from 'node:path';
import type { Account } from '../core/account.js';
import type { AccountStore } from '../core/ports.js';
import { removeStaleTempFiles } from '../lib/durable-file.js';
import { KeyedMutex } from '../lib/keyed-mutex.js';
import { DurableJsonFile } from './durable-json-file.js';
import { DamagedFileError } from './json-file.js';
import { usernameKey } from '../core/registration/username.js';
import { SHARD_FILE } from './schemas.js';

interface ShardData {
  accounts: Record<string, Account>;
}

export const DEFAULT_SHARDS = 256;

export function shardFileName(index: number): string {
  return `accounts-${String(index).padStart(4, '0')}.json`;
}

export const EMPTY_SHARD = JSON.stringify({ accounts: {} } satisfies ShardData);

export function shardOf(id: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shards;
}

export class ShardedAccountStore implements AccountStore {
  private readonly byUsername = new Map<string, string>();
  private readonly byKvnr = new Map<string, string>();
  private readonly byCase = new Map<string, string>();
  private readonly accountLocks = new KeyedMutex();
  private readonly shardLocks = new KeyedMutex();

  private constructor(private readonly shards: Low<ShardData>[]) {
    for (const shard of shards) for (const account of Object.values(shard.data.accounts)) this.index(account);
  }

  static async openDirectory(dir: string, shardCount = DEFAULT_SHARDS): Promise<ShardedAccountStore> {
    await removeStaleTempFiles(dir);
    const files = Array.from({ length: shardCount }, (_, i) => join(dir, shardFileName(i)));
    const shards = await Promise.all(
      files.map(async (file) => {
        const db = new Low<ShardData>(new DurableJsonFile<ShardData>(file, SHARD_FILE), { accounts: {} });
        await db.read();
        return db;
      }),
    );
    checkConsistency(shards, files);
    return new ShardedAccountStore(shards);
  }

  static inMemory(shardCount = 16): ShardedAccountStore {
    return new ShardedAccountStore(Array.from({ length: shardCount }, () => new Low<ShardData>(new Memory<ShardData>(), { accounts: {} })));
  }

  private shardFor(id: string): { db: Low<ShardData>; key: string } {
    const index = shardOf(id, this.shards.length);
    const db = this.shards[index];
    if (!db) throw new Error('shard out of range');
    return { db, key: String(index) };
  }

  private index(account: Account): void {
    this.byUsername.set(account.usernameKey, account.id);
    this.byKvnr.set(account.kvnr, account.id);
    const caseId = account.identity.postident?.caseId;
    if (caseId) this.byCase.set(caseId, account.id);
  }

  private unindex(account: Account): void {
    this.byUsername.delete(account.usernameKey);
    this.byKvnr.delete(account.kvnr);
    const caseId = account.identity.postident?.caseId;
    if (caseId) this.byCase.delete(caseId);
  }

  private flush(id: string): Promise<void> {
    const { db, key } = this.shardFor(id);
    return this.shardLocks.run(key, () => db.write());
  }

  private read(id: string): Account | undefined {
    return this.shardFor(id).db.data.accounts[id];
  }

  get(id: string): Promise<Account | undefined> {
    return Promise.resolve(this.read(id));
  }

  findByUsernameKey(usernameKey: string): Promise<Account | undefined> {
    const id = this.byUsername.get(usernameKey);
    return Promise.resolve(id === undefined ? undefined : this.read(id));
  }

  findByKvnr(kvnr: string): Promise<Account | undefined> {
    const id = this.byKvnr.get(kvnr);
    return Promise.resolve(id === undefined ? undefined : this.read(id));
  }

  findByPostidentCase(caseId: string): Promise<Account | undefined> {
    const id = this.byCase.get(caseId);
    return Promise.resolve(id === undefined ? undefined : this.read(id));
  }

  async insert(account: Account): Promise<'OK' | 'KVNR_TAKEN' | 'USERNAME_TAKEN'> {
    // Checked and reserved synchronously, so two concurrent inserts cannot both pass.
    if (this.byKvnr.has(account.kvnr)) return 'KVNR_TAKEN';
    if (this.byUsername.has(account.usernameKey)) return 'USERNAME_TAKEN';
    this.index(account);
    const { db } = this.shardFor(account.id);
    db.data.accounts[account.id] = account;
    try {
      await this.flush(account.id);
    } catch (error) {
      delete db.data.accounts[account.id];
      this.unindex(account);
      throw error;
    }
    return 'OK';
  }

  update<R>(id: string, fn: (current: Account) => { next?: Account; result: R }): Promise<R | undefined> {
    return this.accountLocks.run(id, async () => {
      const current = this.read(id);
      if (!current) return undefined;
      const { next, result } = fn(current);
      if (!next) return result;
      if (next.id !== id) throw new Error('update must not change the id');
      const { db } = this.shardFor(id);
      if (db.data.accounts[id] !== current) throw new Error('account changed outside its lock');
      this.unindex(current);
      this.index(next);
      db.data.accounts[id] = next;
      try {
        await this.flush(id);
      } catch (error) {
        this.unindex(next);
        this.index(current);
        db.data.accounts[id] = current;
        throw error;
      }
      return result;
    });
  }

  delete(id: string): Promise<void> {
    return this.accountLocks.run(id, async () => {
      const current = this.read(id);
      if (!current) return;
      this.unindex(current);
      delete this.shardFor(id).db.data.accounts[id];
      await this.flush(id);
    });
  }

  count(): Promise<number> {
    return Promise.resolve(this.byKvnr.size);
  }

  funnel(): Promise<{ registered: number; emailConfirmed: number; identityConfirmed: number; mailboxDecided: number }> {
    const counts = { registered: 0, emailConfirmed: 0, identityConfirmed: 0, mailboxDecided: 0 };
    for (const shard of this.shards) {
      for (const account of Object.values(shard.data.accounts)) {
        counts.registered += 1;
        if (account.email.confirmedAt) counts.emailConfirmed += 1;
        if (account.identity.confirmedAt) counts.identityConfirmed += 1;
        if (account.mailbox.state !== 'PENDING') counts.mailboxDecided += 1;
      }
    }
    return Promise.resolve(counts);
  }
}

/**
 * An account in the wrong shard could not be found by id; a second account with a KVNR, username
 * key or POSTIDENT case (which insert and the rules refuse) would shadow the first in the indexes;
 * a username key that is not the key of its username would lock its owner out and free the name
 * for someone else.
 */
function checkConsistency(shards: readonly Low<ShardData>[], files: readonly string[]): void {
  const seen = { kvnr: new Set<string>(), usernameKey: new Set<string>(), postidentCase: new Set<string>() };
  shards.forEach((shard, index) => {
    const file = files[index] ?? '';
    Object.values(shard.data.accounts).forEach((account, ordinal) => {
      const entry = `accounts[#${ordinal + 1}]`;
      if (shardOf(account.id, shards.length) !== index) throw new DamagedFileError(file, `${entry} belongs to another shard`);
      if (account.usernameKey !== usernameKey(account.username)) {
        throw new DamagedFileError(file, `${entry}: usernameKey is not the key of its username`);
      }
      const caseId = account.identity.postident?.caseId;
      const unique = { kvnr: account.kvnr, usernameKey: account.usernameKey, postidentCase: caseId };
      for (const field of ['kvnr', 'usernameKey', 'postidentCase'] as const) {
        const value = unique[field];
        if (value === undefined) continue;
        if (seen[field].has(value)) throw new DamagedFileError(file, `${entry}: ${field} is also used by another account`);
        seen[field].add(value);
      }
    });
  });
}
