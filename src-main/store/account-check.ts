/**
 * The full check of the account store (npm run store:check): every account file against its
 * schema, its place (folder and name from its id) and its username key; KVNR, username key and
 * POSTIDENT case unique; every index entry naming the account that holds the key and every key in
 * the index; the catalog's counters and entry counts. These need every file, so they are not run
 * on a start (which reads only the layout, the catalog and pending intents).
 *
 * `repair` rewrites the indexes and the catalog from the account files, which are the truth; it
 * never changes an account file, and it refuses (changes nothing) while an account file is damaged
 * or two accounts share a key: those need the backup.
 *
 * Memory holds the keys of every account (not the accounts) while the check runs.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Account } from '../core/account.js';
import { usernameKey } from '../core/registration/username.js';
import { writeFileDurably } from '../lib/durable-file.js';
import {
  ACCOUNT_FILE,
  ACCOUNTS_DIR,
  accountPath,
  CATALOG_FILE,
  CATALOG_SCHEMA,
  INDEX_DIR,
  INDEX_KINDS,
  INDEX_SCHEMA,
  LAYOUT_FILE,
  LAYOUT_SCHEMA,
  allFolders,
  emptyCatalog,
  folderName,
  funnelOf,
  idOfFileName,
  indexFileName,
  indexShardOf,
  keysOf,
  type Catalog,
  type IndexKind,
  type IndexShard,
  type Layout,
} from './account-layout.js';
import { ShardedAccountStore } from './account-store.js';
import { DamagedFileError, readJsonFile } from './json-file.js';

const FIELD: Record<IndexKind, string> = { kvnr: 'kvnr', username: 'usernameKey', case: 'postidentCase' };

export interface AccountCheck {
  readonly accounts: number;
  /** What the repair rewrote (index shards and the catalog), or what a check without repair found wrong there. */
  readonly indexProblems: readonly string[];
  readonly repaired: boolean;
}

async function scanAccounts(root: string, catalog: Catalog, indexShards: number) {
  const keys: Record<IndexKind, Map<string, string>> = { kvnr: new Map(), username: new Map(), case: new Map() };
  const counted = emptyCatalog(indexShards);
  const ids = new Set<string>();
  let accounts = 0;
  for (const folder of allFolders()) {
    const dir = join(root, folder);
    for (const name of (await readdir(dir)).sort()) {
      const file = join(dir, name);
      // Left by a writer that died before its rename: never confirmed.
      if (name.includes('.tmp-')) {
        await rm(file, { force: true });
        continue;
      }
      const id = idOfFileName(name);
      const account = await readJsonFile<Account>(file, ACCOUNT_FILE);
      if (!account) continue;
      if (id === undefined || account.id !== id) throw new DamagedFileError(file, 'the id differs from the file name');
      if (folderName(id) !== folder) throw new DamagedFileError(file, 'the account is in another folder than its id names');
      if (account.usernameKey !== usernameKey(account.username))
        throw new DamagedFileError(file, 'usernameKey is not the key of its username');
      const own = keysOf(account);
      for (const kind of INDEX_KINDS) {
        const key = own[kind];
        if (key === undefined) continue;
        if (keys[kind].has(key)) throw new DamagedFileError(file, `${FIELD[kind]} is also used by another account`);
        keys[kind].set(key, id);
        const shard = indexShardOf(key, indexShards);
        counted.entries[kind][shard] = (counted.entries[kind][shard] ?? 0) + 1;
      }
      const one = funnelOf(account);
      for (const k of ['registered', 'emailConfirmed', 'identityConfirmed', 'mailboxDecided'] as const) counted.funnel[k] += one[k];
      accounts += 1;
      ids.add(id);
    }
  }
  counted.lastIntent = catalog.lastIntent;
  return { keys, counted, accounts, ids };
}

/** Checks the store under `storeDir` (throws DamagedFileError at the first damaged account); with `repair`, rebuilds indexes and catalog. */
export async function checkAccountStore(storeDir: string, repair = false): Promise<AccountCheck> {
  // Opening repairs what a crash cut short and checks the layout, the catalog and the folders.
  await ShardedAccountStore.openDirectory(storeDir);
  const root = join(storeDir, ACCOUNTS_DIR);
  const layout = (await readJsonFile<Layout>(join(root, LAYOUT_FILE), LAYOUT_SCHEMA)) as Layout;
  const catalogPath = join(root, CATALOG_FILE);
  const catalog = (await readJsonFile<Catalog>(catalogPath, CATALOG_SCHEMA)) as Catalog;
  const { keys, counted, accounts, ids } = await scanAccounts(root, catalog, layout.indexShards);
  const problems: string[] = [];
  for (const kind of INDEX_KINDS) {
    const expected = new Map<number, Record<string, string>>();
    for (const [key, id] of keys[kind]) {
      const shard = indexShardOf(key, layout.indexShards);
      expected.set(shard, { ...expected.get(shard), [key]: id });
    }
    for (let shard = 0; shard < layout.indexShards; shard++) {
      const file = join(root, INDEX_DIR, indexFileName(kind, shard));
      const want = expected.get(shard) ?? {};
      let found: IndexShard | undefined;
      try {
        found = await readJsonFile<IndexShard>(file, INDEX_SCHEMA);
      } catch (error) {
        if (!(error instanceof DamagedFileError)) throw error;
      }
      // An entry for an account whose file is gone is a lost account, not an index to rebuild.
      for (const [key, id] of Object.entries(found?.entries ?? {})) {
        if (keys[kind].get(key) === id || ids.has(id)) continue;
        throw new DamagedFileError(accountPath(root, id), 'the account file is missing while the index names it');
      }
      const same =
        found !== undefined
          ? Object.keys(found.entries).length === Object.keys(want).length &&
            Object.entries(want).every(([k, id]) => found.entries[k] === id)
          : Object.keys(want).length === 0;
      if (same) continue;
      problems.push(`${file}: does not match the account files`);
      if (repair) await writeFileDurably(file, JSON.stringify({ entries: want }));
    }
  }
  const catalogSame = JSON.stringify({ ...catalog, lastIntent: '' }) === JSON.stringify({ ...counted, lastIntent: '' });
  if (!catalogSame) {
    problems.push(`${catalogPath}: the counters or entry counts do not match the account files`);
    if (repair) await writeFileDurably(catalogPath, JSON.stringify(counted));
  }
  return { accounts, indexProblems: problems, repaired: repair && problems.length > 0 };
}
