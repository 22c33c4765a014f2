/**
 * The embedded account store: one durable file per account (store/accounts/, account-layout.ts),
 * on-disk indexes read lazily (account-index.ts) and a small catalog with the funnel counters. An
 * ordinary change (a login failure, a mailbox message) rewrites the account's own file and nothing
 * else, so its cost does not grow with the number of accounts; start-up reads the layout, the
 * catalog and any intent left by a crash, never every account.
 *
 * Model: one process per data directory (the data-directory lock). Changes of one account are
 * serialised; every change that touches an index or the catalog (insert, delete, a new key, a
 * funnel step) runs under one catalog lock, in this order:
 *   1. the intent (pending/<id>.json): the keys before and after, the funnel before;
 *   2. index entries for the new keys;  3. the account file;  4. removal of entries of old keys;
 *   5. the catalog, naming the intent;  6. removal of the intent.
 * A crash anywhere leaves the intent, and the next open repairs from it: the account file decides
 * which entries stay, and the catalog's counters move once (it names the last intent applied).
 * Without an intent, an index entry that disagrees with its account is damage, never a leftover,
 * and is refused by name (npm run store:check finds and repairs such damage by a full scan).
 *
 * Threats: uniqueness of KVNR, username key and POSTIDENT case rests on the indexes, checked and
 * written under the catalog lock, so two concurrent inserts cannot both win. Ids become file names
 * only as hex, so no id can name a path outside the store.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Account } from '../core/account.js';
import type { AccountChange, AccountStore, AuditEntry } from '../core/ports.js';
import { refuseAudit, refuseEntries } from './audited-account-store.js';
import { usernameKey } from '../core/registration/username.js';
import { fsyncDirectory, removeStaleTempFiles, writeFileDurably } from '../lib/durable-file.js';
import { KeyedMutex } from '../lib/keyed-mutex.js';
import { AccountIndex } from './account-index.js';
import {
  ACCOUNT_FILE,
  ACCOUNTS_DIR,
  CATALOG_FILE,
  CATALOG_SCHEMA,
  DEFAULT_INDEX_SHARDS,
  INDEX_DIR,
  INDEX_KINDS,
  INTENT_SCHEMA,
  LAYOUT_FILE,
  LAYOUT_SCHEMA,
  PENDING_DIR,
  accountPath,
  allFolders,
  idOfFileName,
  emptyCatalog,
  fileNameOf,
  funnelOf,
  indexShardOf,
  keysOf,
  nullable,
  type Catalog,
  type Funnel,
  type IndexKind,
  type Intent,
  type Layout,
} from './account-layout.js';
import { migrateLegacyShards } from './account-migrate.js';
import { DamagedFileError, readJsonFile } from './json-file.js';
import { MemoryAccountStore } from './memory-account-store.js';

export { DEFAULT_SHARDS, shardFileName, shardOf } from './account-migrate.js';

const CACHED_ACCOUNTS = 4096;

/** Ids are tokens; anything else is refused before it comes near a path. */
const isId = (id: string): boolean => id.length > 0 && id.length <= 200;

const funnelKeys = ['registered', 'emailConfirmed', 'identityConfirmed', 'mailboxDecided'] as const;
const sameFunnel = (a: Funnel, b: Funnel): boolean => funnelKeys.every((k) => a[k] === b[k]);

/** Creates an empty store: every folder and the catalog first, the layout last (its presence means complete). */
export async function createAccountLayout(storeDir: string, indexShards = DEFAULT_INDEX_SHARDS): Promise<void> {
  const root = join(storeDir, ACCOUNTS_DIR);
  if (await readJsonFile<Layout>(join(root, LAYOUT_FILE), LAYOUT_SCHEMA)) return;
  if (await readJsonFile<Catalog>(join(root, CATALOG_FILE), CATALOG_SCHEMA)) {
    throw new DamagedFileError(join(root, LAYOUT_FILE), 'the layout of the account store is missing beside its catalog');
  }
  await mkdir(root, { recursive: true, mode: 0o700 });
  for (const folder of [...allFolders(), INDEX_DIR, PENDING_DIR]) await mkdir(join(root, folder), { recursive: true, mode: 0o700 });
  await fsyncDirectory(root);
  await writeFileDurably(join(root, CATALOG_FILE), JSON.stringify(emptyCatalog(indexShards)));
  await writeFileDurably(join(root, LAYOUT_FILE), JSON.stringify({ format: 1, indexShards } satisfies Layout));
}

/** Opens the layout: no account and no index shard is read here. */
async function openLayout(root: string): Promise<{ layout: Layout; catalog: Catalog }> {
  const layoutPath = join(root, LAYOUT_FILE);
  const layout = await readJsonFile<Layout>(layoutPath, LAYOUT_SCHEMA);
  if (!layout) throw new DamagedFileError(layoutPath, 'the layout of the account store is missing');
  const catalogPath = join(root, CATALOG_FILE);
  const catalog = await readJsonFile<Catalog>(catalogPath, CATALOG_SCHEMA);
  if (!catalog) throw new DamagedFileError(catalogPath, 'the catalog of the account store is missing');
  for (const kind of INDEX_KINDS) {
    if (catalog.entries[kind].length !== layout.indexShards)
      throw new DamagedFileError(catalogPath, `entries.${kind}: not one count per index shard`);
  }
  // A deleted folder of account files would drop every account in it without a trace: refused.
  const present = new Set(await readdir(root));
  for (const folder of [...allFolders(), INDEX_DIR, PENDING_DIR]) {
    if (!present.has(folder)) throw new DamagedFileError(join(root, folder), 'this folder of the account store is missing');
  }
  return { layout, catalog };
}

export class ShardedAccountStore implements AccountStore {
  private readonly accountLocks = new KeyedMutex();
  private readonly catalogLock = new KeyedMutex();
  private readonly cache = new Map<string, Account>();
  private broken: Error | undefined;

  private constructor(
    private readonly root: string,
    private readonly index: AccountIndex,
    private readonly catalog: Catalog,
  ) {}

  /**
   * Opens store/accounts/ under `storeDir`: creates it when there is none, migrates a store of the
   * earlier 256-shard layout, and repairs a change a crash cut short.
   */
  static async openDirectory(storeDir: string, indexShards = DEFAULT_INDEX_SHARDS): Promise<ShardedAccountStore> {
    await removeStaleTempFiles(storeDir);
    const root = join(storeDir, ACCOUNTS_DIR);
    await migrateLegacyShards(storeDir, indexShards);
    await createAccountLayout(storeDir, indexShards);
    const { layout, catalog } = await openLayout(root);
    for (const dir of [root, join(root, INDEX_DIR), join(root, PENDING_DIR)]) await removeStaleTempFiles(dir);
    const store = new ShardedAccountStore(root, new AccountIndex(root, layout.indexShards, catalog), catalog);
    await store.repairPending();
    return store;
  }

  static inMemory(): AccountStore {
    return new MemoryAccountStore();
  }

  /** After a failed write this instance's view may be off: it refuses everything until the next open repairs. */
  private usable<T>(work: () => Promise<T>): Promise<T> {
    if (this.broken)
      return Promise.reject(new Error('the account store stopped after a failed write; it repairs itself on the next start'));
    return work();
  }

  private remember(account: Account): Account {
    this.cache.delete(account.id);
    this.cache.set(account.id, account);
    if (this.cache.size > CACHED_ACCOUNTS) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return account;
  }

  private async readAccount(id: string): Promise<Account | undefined> {
    if (!isId(id)) return undefined;
    const cached = this.cache.get(id);
    if (cached) return cached;
    const file = accountPath(this.root, id);
    const account = await readJsonFile<Account>(file, ACCOUNT_FILE);
    if (!account) return undefined;
    if (account.id !== id) throw new DamagedFileError(file, 'the id differs from the file name');
    if (account.usernameKey !== usernameKey(account.username))
      throw new DamagedFileError(file, 'usernameKey is not the key of its username');
    return this.remember(account);
  }

  /** Every account, one file at a time (store:migrate): never all of them in memory at once. */
  async *all(): AsyncGenerator<Account> {
    for (const folder of allFolders()) {
      const names = (await readdir(join(this.root, folder))).sort();
      for (const name of names) {
        const id = idOfFileName(name);
        if (id === undefined) continue;
        const account = await this.readAccount(id);
        if (account) yield account;
      }
    }
  }

  /** The account that holds `key`, checked against its file; under the catalog lock a disagreement is damage. */
  private async holder(kind: IndexKind, key: string, locked: boolean): Promise<Account | undefined> {
    const id = await this.index.get(kind, key);
    if (id === undefined) return undefined;
    const account = await this.readAccount(id);
    if (account && keysOf(account)[kind] === key) return account;
    // Outside the lock a change may be half-way: look again once nothing is in flight.
    if (!locked) return this.catalogLock.run('catalog', () => this.holder(kind, key, true));
    throw new DamagedFileError(
      this.index.path(kind, indexShardOf(key, this.index.shards)),
      `an entry names an account ${account ? 'that does not hold its key' : 'whose file is missing'}; ` +
        'restore the store folder from the backup, or check and repair it with npm run store:check -- --repair',
    );
  }

  get(id: string): Promise<Account | undefined> {
    return this.usable(() => this.readAccount(id));
  }

  findByUsernameKey(key: string): Promise<Account | undefined> {
    return this.usable(() => this.holder('username', key, false));
  }

  findByKvnr(kvnr: string): Promise<Account | undefined> {
    return this.usable(() => this.holder('kvnr', kvnr, false));
  }

  findByPostidentCase(caseId: string): Promise<Account | undefined> {
    return this.usable(() => this.holder('case', caseId, false));
  }

  async insert(account: Account, audit?: readonly AuditEntry[]): Promise<'OK' | 'KVNR_TAKEN' | 'USERNAME_TAKEN'> {
    refuseEntries(audit);
    if (!isId(account.id)) return Promise.reject(new Error('account id out of range'));
    return this.usable(() =>
      this.accountLocks.run(account.id, () =>
        this.catalogLock.run('catalog', async () => {
          if (await this.holder('kvnr', account.kvnr, true)) return 'KVNR_TAKEN';
          if (await this.holder('username', account.usernameKey, true)) return 'USERNAME_TAKEN';
          await this.refuseTakenCase(account);
          if (await this.readAccount(account.id)) throw new Error('an account with this id exists');
          await this.change(account.id, undefined, account);
          return 'OK' as const;
        }),
      ),
    );
  }

  /** A POSTIDENT case belongs to one account; the rules open fresh cases, so this is a defect, not a refusal. */
  private async refuseTakenCase(next: Account): Promise<void> {
    const caseId = keysOf(next).case;
    const holder = caseId === undefined ? undefined : await this.holder('case', caseId, true);
    if (holder && holder.id !== next.id) throw new Error('the POSTIDENT case is held by another account');
  }

  update<R>(id: string, fn: (current: Account) => AccountChange<R>): Promise<R | undefined> {
    return this.usable(() =>
      this.accountLocks.run(id, async () => {
        const current = await this.readAccount(id);
        if (!current) return undefined;
        const { next, result } = refuseAudit(fn(current));
        if (!next) return result;
        if (next.id !== id) throw new Error('update must not change the id');
        const before = keysOf(current);
        const after = keysOf(next);
        const keysChange = INDEX_KINDS.some((k) => before[k] !== after[k]);
        if (!keysChange && sameFunnel(funnelOf(current), funnelOf(next))) {
          await writeFileDurably(accountPath(this.root, id), JSON.stringify(next));
          this.remember(next);
          return result;
        }
        await this.catalogLock.run('catalog', async () => {
          for (const kind of INDEX_KINDS) {
            const key = after[kind];
            if (key === undefined || key === before[kind]) continue;
            const holder = await this.holder(kind, key, true);
            if (holder && holder.id !== id) throw new Error(`the account's new ${kind} is held by another account`);
          }
          await this.change(id, current, next);
        });
        return result;
      }),
    );
  }

  async delete(id: string, audit?: readonly AuditEntry[]): Promise<void> {
    refuseEntries(audit);
    return this.usable(() =>
      this.accountLocks.run(id, async () => {
        const current = await this.readAccount(id);
        if (!current) return;
        await this.catalogLock.run('catalog', () => this.change(id, current, undefined));
      }),
    );
  }

  count(): Promise<number> {
    return this.usable(() => Promise.resolve(this.catalog.funnel.registered));
  }

  funnel(): Promise<Funnel> {
    return this.usable(() => Promise.resolve({ ...this.catalog.funnel }));
  }

  private pendingPath(id: string): string {
    return join(this.root, PENDING_DIR, fileNameOf(id));
  }

  /** Steps 1–6 of the model; the caller holds the account's lock and the catalog lock. */
  private async change(id: string, before: Account | undefined, after: Account | undefined): Promise<void> {
    const intent: Intent = {
      token: randomBytes(12).toString('hex'),
      id,
      before: nullable(keysOf(before)),
      after: nullable(keysOf(after)),
      funnelBefore: funnelOf(before),
    };
    try {
      await writeFileDurably(this.pendingPath(id), JSON.stringify(intent));
      for (const kind of INDEX_KINDS) {
        const key = intent.after[kind];
        if (key !== null && key !== intent.before[kind]) await this.index.put(kind, key, id);
      }
      const file = accountPath(this.root, id);
      this.cache.delete(id);
      if (after) {
        await writeFileDurably(file, JSON.stringify(after));
        this.remember(after);
      } else {
        await rm(file, { force: true });
        await fsyncDirectory(join(file, '..'));
      }
      for (const kind of INDEX_KINDS) {
        const key = intent.before[kind];
        if (key !== null && key !== intent.after[kind]) await this.index.put(kind, key, undefined);
      }
      await this.finish(intent, funnelOf(after));
    } catch (error) {
      // Half a change is on disk; the intent stays for the next open to repair. Nothing more is
      // written by this instance, since its view of the indexes and the catalog may be off.
      this.broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    }
  }

  /** Step 5 and 6: the catalog moves by the change (once, as it names the intent), then the intent goes. */
  private async finish(intent: Intent, funnelAfter: Funnel): Promise<void> {
    const funnel = { ...this.catalog.funnel };
    if (this.catalog.lastIntent !== intent.token) {
      for (const k of funnelKeys) funnel[k] += funnelAfter[k] - intent.funnelBefore[k];
    }
    const next: Catalog = { ...this.catalog, funnel, lastIntent: intent.token };
    await writeFileDurably(join(this.root, CATALOG_FILE), JSON.stringify(next));
    this.catalog.funnel = funnel;
    this.catalog.lastIntent = intent.token;
    await rm(this.pendingPath(intent.id), { force: true });
    // A removed intent must stay removed: applied twice it would move the counters twice.
    await fsyncDirectory(join(this.root, PENDING_DIR));
  }

  /** Completes what a crash cut short: entries follow the account file, the catalog moves once. */
  private async repairPending(): Promise<void> {
    const dir = join(this.root, PENDING_DIR);
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      if (!(await stat(path)).isFile()) throw new DamagedFileError(path, 'not a file');
      const intent = await readJsonFile<Intent>(path, INTENT_SCHEMA);
      if (!intent || fileNameOf(intent.id) !== name) throw new DamagedFileError(path, 'the intent does not name its account');
      const actual = await this.readAccount(intent.id);
      const actualKeys = keysOf(actual);
      for (const kind of INDEX_KINDS) {
        for (const key of new Set([intent.before[kind], intent.after[kind]])) {
          if (key === null) continue;
          await this.index.recount(kind, key);
          const entry = await this.index.get(kind, key);
          if (actualKeys[kind] === key) await this.index.put(kind, key, intent.id);
          else if (entry === intent.id) await this.index.put(kind, key, undefined);
        }
      }
      await this.finish(intent, funnelOf(actual));
    }
  }
}
