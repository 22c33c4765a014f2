/**
 * The embedded account store on disk: a change cut short between its writes is repaired by the
 * next open (entries follow the account file, counters move once); an index that disagrees with
 * the accounts without a pending intent is refused by name; the earlier 256-shard layout is
 * migrated on open. Faults are injected into the durable write: the write fails and the store
 * writes nothing more, as after a crash at that point.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Account } from '../../src-main/core/account.js';
import { ACCOUNTS_DIR, INDEX_DIR, PENDING_DIR, accountPath, indexFileName, indexShardOf } from '../../src-main/store/account-layout.js';
import { DEFAULT_SHARDS, shardFileName, shardOf } from '../../src-main/store/account-migrate.js';
import { ShardedAccountStore } from '../../src-main/store/account-store.js';
import { DamagedFileError } from '../../src-main/store/json-file.js';
import { sampleAccount } from '../contract/account-store.contract.js';

const fault: { when?: (path: string) => boolean; written?: (path: string, content: string) => void } = {};
vi.mock('../../src-main/lib/durable-file.js', async (original) => {
  const real = await original<typeof import('../../src-main/lib/durable-file.js')>();
  return {
    ...real,
    writeFileDurably: (path: string, content: string | Uint8Array) => {
      if (fault.when?.(path)) return Promise.reject(new Error('injected crash'));
      fault.written?.(path, String(content));
      return real.writeFileDurably(path, content);
    },
  };
});

const dirs: string[] = [];
afterEach(() => {
  delete fault.when;
  delete fault.written;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-accounts-'));
  dirs.push(dir);
  return dir;
}

const root = (dir: string) => join(dir, ACCOUNTS_DIR);
const pending = (dir: string) => readdirSync(join(root(dir), PENDING_DIR));
const caseOf = (caseId: string): Partial<Account> => ({
  identity: { postident: { caseId, continueUrl: 'x', openedAt: 'x', state: 'OPEN' } },
});
const confirmed = (a: Account): Account => ({ ...a, email: { ...a.email, confirmedAt: '2026-11-29T10:05:00.000Z' } });

/** Runs `work` with a crash injected at the first durable write whose path `at` names; the store is then dead. */
async function crashAt(store: ShardedAccountStore, at: (path: string) => boolean, work: (s: ShardedAccountStore) => Promise<unknown>) {
  fault.when = at;
  await expect(work(store)).rejects.toThrow('injected crash');
  delete fault.when;
  // Nothing more is written by a store that saw a failed write.
  await expect(store.get('acc-1')).rejects.toThrow(/stopped after a failed write/);
}

const isAccountFile = (id: string) => (path: string) => path.endsWith(accountPath('', id));
const isCatalog = (path: string) => path.endsWith('catalog.json');
const isIndex = (kind: string) => (path: string) => path.includes(`${INDEX_DIR}/${kind}-`);

describe('a change cut short is repaired on the next open', () => {
  it('insert cut before the account file: the KVNR and username are free again, nothing is counted', async () => {
    const dir = freshDir();
    const store = await ShardedAccountStore.openDirectory(dir);
    await crashAt(store, isAccountFile('acc-1'), (s) => s.insert(sampleAccount(1)));
    expect(pending(dir)).toHaveLength(1);
    const again = await ShardedAccountStore.openDirectory(dir);
    expect(pending(dir)).toHaveLength(0);
    expect(await again.findByKvnr(sampleAccount(1).kvnr)).toBeUndefined();
    expect(await again.findByUsernameKey('user.1')).toBeUndefined();
    expect(await again.count()).toBe(0);
    expect(await again.insert(sampleAccount(2, { kvnr: sampleAccount(1).kvnr, usernameKey: 'user.1' }))).toBe('OK');
    expect(await again.count()).toBe(1);
  });

  it('insert cut before the catalog: the account is there and counted once, also after a second open', async () => {
    const dir = freshDir();
    const store = await ShardedAccountStore.openDirectory(dir);
    await store.insert(sampleAccount(9));
    await crashAt(store, isCatalog, (s) => s.insert(confirmed(sampleAccount(1))));
    for (let i = 0; i < 2; i++) {
      const again = await ShardedAccountStore.openDirectory(dir);
      expect((await again.findByKvnr(sampleAccount(1).kvnr))?.id).toBe('acc-1');
      expect(await again.count()).toBe(2);
      expect((await again.funnel()).emailConfirmed).toBe(1);
    }
  });

  it('an intent left after the catalog was written moves the counters only once', async () => {
    const dir = freshDir();
    const store = await ShardedAccountStore.openDirectory(dir);
    await store.insert(sampleAccount(1));
    const intents: [string, string][] = [];
    fault.written = (path, content) => void (path.includes(`/${PENDING_DIR}/`) && intents.push([path, content]));
    await store.update('acc-1', (a) => ({ next: confirmed(a), result: null }));
    expect(intents).toHaveLength(1);
    // As if the crash came after the catalog was written but before the intent was removed.
    const [path, content] = intents[0] as [string, string];
    writeFileSync(path, content);
    for (let i = 0; i < 2; i++) {
      const again = await ShardedAccountStore.openDirectory(dir);
      expect(pending(dir)).toHaveLength(0);
      expect(await again.funnel()).toEqual({ registered: 1, emailConfirmed: 1, identityConfirmed: 0, mailboxDecided: 0 });
      expect((await again.findByKvnr(sampleAccount(1).kvnr))?.id).toBe('acc-1');
    }
  });

  it('delete cut after the account file went: its keys are freed and it is no longer counted', async () => {
    const dir = freshDir();
    const store = await ShardedAccountStore.openDirectory(dir);
    await store.insert(sampleAccount(1));
    await crashAt(store, isIndex('kvnr'), (s) => s.delete('acc-1'));
    const again = await ShardedAccountStore.openDirectory(dir);
    expect(await again.get('acc-1')).toBeUndefined();
    expect(await again.findByKvnr(sampleAccount(1).kvnr)).toBeUndefined();
    expect(await again.findByUsernameKey('user.1')).toBeUndefined();
    expect(await again.count()).toBe(0);
  });

  it('a new POSTIDENT case cut before the account file: the case entry is dropped, the old one kept', async () => {
    const dir = freshDir();
    const store = await ShardedAccountStore.openDirectory(dir);
    await store.insert(sampleAccount(1, caseOf('CASE-1')));
    await crashAt(store, isAccountFile('acc-1'), (s) => s.update('acc-1', (a) => ({ next: { ...a, ...caseOf('CASE-2') }, result: null })));
    const again = await ShardedAccountStore.openDirectory(dir);
    expect(await again.findByPostidentCase('CASE-2')).toBeUndefined();
    expect((await again.findByPostidentCase('CASE-1'))?.id).toBe('acc-1');
    expect(await again.update('acc-1', (a) => ({ next: { ...a, ...caseOf('CASE-2') }, result: 'ok' }))).toBe('ok');
    expect((await again.findByPostidentCase('CASE-2'))?.id).toBe('acc-1');
    expect(await again.findByPostidentCase('CASE-1')).toBeUndefined();
  });
});

describe('an index that disagrees without an intent is refused, never trusted', () => {
  it('an account file deleted behind the store: the lookup names the index shard', async () => {
    const dir = freshDir();
    const store = await ShardedAccountStore.openDirectory(dir);
    await store.insert(sampleAccount(1));
    unlinkSync(accountPath(root(dir), 'acc-1'));
    const again = await ShardedAccountStore.openDirectory(dir);
    const lookup = again.findByKvnr(sampleAccount(1).kvnr);
    await expect(lookup).rejects.toBeInstanceOf(DamagedFileError);
    await expect(lookup).rejects.toThrow(indexFileName('kvnr', indexShardOf(sampleAccount(1).kvnr, 256)));
    await expect(lookup).rejects.toThrow(/whose file is missing/);
    // Nor is its KVNR handed to someone else.
    await expect(again.insert(sampleAccount(2, { kvnr: sampleAccount(1).kvnr }))).rejects.toBeInstanceOf(DamagedFileError);
  });

  it('an index shard deleted or emptied: refused when read, by name, without its keys', async () => {
    const dir = freshDir();
    const store = await ShardedAccountStore.openDirectory(dir);
    await store.insert(sampleAccount(1));
    const shard = join(root(dir), INDEX_DIR, indexFileName('username', indexShardOf('user.1', 256)));
    writeFileSync(shard, '{"entries":{}}');
    const again = await ShardedAccountStore.openDirectory(dir);
    const lookup = again.findByUsernameKey('user.1');
    await expect(lookup).rejects.toThrow(shard);
    await expect(lookup).rejects.toThrow(/holds 0 entries where the catalog counts 1/);
    await expect(again.insert(sampleAccount(2, { usernameKey: 'user.1' }))).rejects.toThrow(shard);
    unlinkSync(shard);
    await expect((await ShardedAccountStore.openDirectory(dir)).findByUsernameKey('user.1')).rejects.toThrow(shard);
  });

  it('a deleted folder of account files refuses the open by name', async () => {
    const dir = freshDir();
    await ShardedAccountStore.openDirectory(dir);
    rmSync(join(root(dir), '7f'), { recursive: true });
    await expect(ShardedAccountStore.openDirectory(dir)).rejects.toThrow(join(root(dir), '7f'));
  });
});

describe('the earlier 256-shard layout', () => {
  function writeLegacy(dir: string, accounts: Account[]): void {
    const shards = Array.from({ length: DEFAULT_SHARDS }, () => ({ accounts: {} as Record<string, Account> }));
    for (const a of accounts) (shards[shardOf(a.id, DEFAULT_SHARDS)] as { accounts: Record<string, Account> }).accounts[a.id] = a;
    shards.forEach((s, i) => writeFileSync(join(dir, shardFileName(i)), JSON.stringify(s)));
  }

  it('is migrated on open: every account, key and count kept, the old shards gone', async () => {
    const dir = freshDir();
    const accounts = Array.from({ length: 300 }, (_, i) => sampleAccount(i, i % 3 === 0 ? caseOf(`CASE-${i}`) : {}));
    accounts[5] = confirmed(accounts[5] as Account);
    writeLegacy(dir, accounts);
    const store = await ShardedAccountStore.openDirectory(dir);
    expect(readdirSync(dir).filter((n) => n.startsWith('accounts-'))).toEqual([]);
    expect(await store.count()).toBe(300);
    expect((await store.funnel()).emailConfirmed).toBe(1);
    for (const a of accounts) {
      expect(await store.get(a.id)).toEqual(a);
      expect((await store.findByKvnr(a.kvnr))?.id).toBe(a.id);
      expect((await store.findByUsernameKey(a.usernameKey))?.id).toBe(a.id);
    }
    expect((await store.findByPostidentCase('CASE-3'))?.id).toBe('acc-3');
    expect(await store.insert(sampleAccount(1000, { kvnr: sampleAccount(7).kvnr }))).toBe('KVNR_TAKEN');
    // And it opens again as the new layout.
    expect(await (await ShardedAccountStore.openDirectory(dir)).count()).toBe(300);
  });

  it('a migration cut short is built again; one cut after the swap only removes the old shards', async () => {
    const dir = freshDir();
    writeLegacy(dir, [sampleAccount(1), sampleAccount(2)]);
    fault.when = (path) => path.endsWith('layout.json');
    await expect(ShardedAccountStore.openDirectory(dir)).rejects.toThrow('injected crash');
    delete fault.when;
    expect(readdirSync(dir).filter((n) => n.startsWith('accounts-'))).toHaveLength(DEFAULT_SHARDS);
    expect(await (await ShardedAccountStore.openDirectory(dir)).count()).toBe(2);
    expect(readdirSync(dir).filter((n) => n.startsWith('accounts-'))).toEqual([]);
  });

  it('a damaged old shard is refused by name and nothing is changed', async () => {
    const dir = freshDir();
    writeLegacy(dir, [sampleAccount(1), sampleAccount(2, { kvnr: sampleAccount(1).kvnr })]);
    const opening = ShardedAccountStore.openDirectory(dir);
    await expect(opening).rejects.toThrow(/kvnr is also used by another account/);
    await expect(opening).rejects.toThrow(dir);
    expect(readdirSync(dir).filter((n) => n.startsWith('accounts-'))).toHaveLength(DEFAULT_SHARDS);
    expect(existsSync(root(dir))).toBe(false);
  });
});
