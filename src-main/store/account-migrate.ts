/**
 * Migration of the earlier account store layout (every account in one of 256 lowdb shards,
 * store/accounts-NNNN.json) to one file per account (account-layout.ts), once, on open.
 *
 * Model: the new layout is built in store/accounts.migrating/ (every file synced), renamed to
 * store/accounts/ in one step, and only then are the old shards removed. A crash before the rename
 * leaves the old shards untouched and the half-built folder is built again; a crash after it
 * leaves both, and the new layout wins. Each old shard is checked as the earlier version checked
 * it on open (schema, one account per KVNR, username key and POSTIDENT case): a damaged store is
 * refused by the shard's name and nothing is changed.
 */
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Account } from '../core/account.js';
import { usernameKey } from '../core/registration/username.js';
import { fsyncDirectory, writeFileDurably, writeFilesDurably } from '../lib/durable-file.js';
import {
  ACCOUNTS_DIR,
  CATALOG_FILE,
  INDEX_DIR,
  INDEX_KINDS,
  LAYOUT_FILE,
  LAYOUT_SCHEMA,
  PENDING_DIR,
  allFolders,
  emptyCatalog,
  fileNameOf,
  folderName,
  funnelOf,
  hashOf,
  indexFileName,
  indexShardOf,
  keysOf,
  type IndexKind,
  type Layout,
} from './account-layout.js';
import { DamagedFileError, readJsonFile } from './json-file.js';
import { SHARD_FILE } from './schemas.js';

/** The earlier layout's shard count (also the fan-out named in the data directory's marker). */
export const DEFAULT_SHARDS = 256;
const LEGACY_NAME = /^accounts-\d{4}\.json$/;
const STAGING = `${ACCOUNTS_DIR}.migrating`;

export function shardFileName(index: number): string {
  return `accounts-${String(index).padStart(4, '0')}.json`;
}

export const shardOf = (id: string, shards: number): number => hashOf(id) % shards;

async function legacyShardNames(storeDir: string): Promise<string[]> {
  return (await readdir(storeDir)).filter((n) => LEGACY_NAME.test(n)).sort();
}

/** Builds the new layout from the old shards; returns whether there was anything to migrate. */
export async function migrateLegacyShards(storeDir: string, indexShards: number): Promise<boolean> {
  const legacy = await legacyShardNames(storeDir);
  if (legacy.length === 0) return false;
  const root = join(storeDir, ACCOUNTS_DIR);
  const done = await readJsonFile<Layout>(join(root, LAYOUT_FILE), LAYOUT_SCHEMA);
  if (!done) {
    const staging = join(storeDir, STAGING);
    await rm(staging, { recursive: true, force: true });
    await build(storeDir, staging, legacy, indexShards);
    await rm(root, { recursive: true, force: true });
    await rename(staging, root);
    await fsyncDirectory(storeDir);
  }
  for (const name of legacy) await rm(join(storeDir, name), { force: true });
  await fsyncDirectory(storeDir);
  return true;
}

async function build(storeDir: string, staging: string, legacy: readonly string[], indexShards: number): Promise<void> {
  const catalog = emptyCatalog(indexShards);
  const index: Record<IndexKind, Map<number, Record<string, string>>> = { kvnr: new Map(), username: new Map(), case: new Map() };
  for (const folder of [...allFolders(), INDEX_DIR, PENDING_DIR]) await mkdir(join(staging, folder), { recursive: true, mode: 0o700 });
  for (const name of legacy) {
    const file = join(storeDir, name);
    const data = await readJsonFile<{ accounts: Record<string, Account> }>(file, SHARD_FILE);
    if (!data) continue;
    const byFolder = new Map<string, { name: string; content: string }[]>();
    Object.values(data.accounts).forEach((account, ordinal) => {
      const entry = `accounts[#${ordinal + 1}]`;
      if (account.usernameKey !== usernameKey(account.username))
        throw new DamagedFileError(file, `${entry}: usernameKey is not the key of its username`);
      const keys = keysOf(account);
      for (const kind of INDEX_KINDS) {
        const key = keys[kind];
        if (key === undefined) continue;
        const shard = indexShardOf(key, indexShards);
        const entries = index[kind].get(shard) ?? {};
        if (Object.hasOwn(entries, key))
          throw new DamagedFileError(
            file,
            `${entry}: ${kind === 'username' ? 'usernameKey' : kind === 'case' ? 'postidentCase' : 'kvnr'} is also used by another account`,
          );
        entries[key] = account.id;
        index[kind].set(shard, entries);
      }
      const one = funnelOf(account);
      catalog.funnel.registered += one.registered;
      catalog.funnel.emailConfirmed += one.emailConfirmed;
      catalog.funnel.identityConfirmed += one.identityConfirmed;
      catalog.funnel.mailboxDecided += one.mailboxDecided;
      const folder = folderName(account.id);
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), { name: fileNameOf(account.id), content: JSON.stringify(account) }]);
    });
    for (const [folder, files] of byFolder) await writeFilesDurably(join(staging, folder), files);
  }
  const indexFiles: { name: string; content: string }[] = [];
  for (const kind of INDEX_KINDS) {
    for (const [shard, entries] of index[kind]) {
      catalog.entries[kind][shard] = Object.keys(entries).length;
      indexFiles.push({ name: indexFileName(kind, shard), content: JSON.stringify({ entries }) });
    }
  }
  await writeFilesDurably(join(staging, INDEX_DIR), indexFiles);
  await writeFileDurably(join(staging, CATALOG_FILE), JSON.stringify(catalog));
  await writeFileDurably(join(staging, LAYOUT_FILE), JSON.stringify({ format: 1, indexShards } satisfies Layout));
}
