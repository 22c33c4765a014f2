/** One contract suite, run against every account store adapter. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src-main/core/account.js';
import type { AccountStore } from '../../src-main/core/ports.js';
import { ShardedAccountStore } from '../../src-main/store/account-store.js';

export function sampleAccount(n: number, overrides: Partial<Account> = {}): Account {
  return {
    id: `acc-${n}`,
    kvnr: `K${String(n).padStart(9, '0')}`,
    username: `user.${n}`,
    usernameKey: `user.${n}`,
    language: 'de',
    createdAt: '2026-11-29T10:00:00.000Z',
    password: { hash: '$argon2id$fake', changedAt: '2026-11-29T10:00:00.000Z', history: [] },
    consents: {
      privacy: { version: '2026-01', acceptedAt: '2026-11-29T10:00:00.000Z' },
      participation: { version: '2026-01', acceptedAt: '2026-11-29T10:00:00.000Z' },
    },
    email: { email: `user${n}@example.org`, resentAt: [] },
    identity: {},
    mailbox: { state: 'PENDING' },
    login: { failures: 0 },
    ...overrides,
  };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'kontokiosk-store-'));
  dirs.push(d);
  return d;
};

const adapters: { name: string; open: () => Promise<{ store: AccountStore; reopen?: () => Promise<AccountStore>; dir?: string }> }[] = [
  { name: 'lowdb in memory', open: () => Promise.resolve({ store: ShardedAccountStore.inMemory() }) },
  {
    name: 'lowdb files (durable, sharded)',
    open: async () => {
      const dir = freshDir();
      return { store: await ShardedAccountStore.openDirectory(dir, 8), reopen: () => ShardedAccountStore.openDirectory(dir, 8), dir };
    },
  },
];

describe.each(adapters)('account store contract: $name', ({ open }) => {
  it('inserts, finds by id, username key, KVNR and POSTIDENT case', async () => {
    const { store } = await open();
    const account = sampleAccount(1, {
      identity: { postident: { caseId: 'CASE-1', continueUrl: 'x', openedAt: 'x', state: 'OPEN' } },
    });
    expect(await store.insert(account)).toBe('OK');
    expect(await store.get('acc-1')).toEqual(account);
    expect((await store.findByUsernameKey('user.1'))?.id).toBe('acc-1');
    expect((await store.findByKvnr(account.kvnr))?.id).toBe('acc-1');
    expect((await store.findByPostidentCase('CASE-1'))?.id).toBe('acc-1');
    expect(await store.count()).toBe(1);
  });

  it('refuses a second account for a KVNR or a taken username', async () => {
    const { store } = await open();
    await store.insert(sampleAccount(1));
    expect(await store.insert(sampleAccount(2, { kvnr: sampleAccount(1).kvnr }))).toBe('KVNR_TAKEN');
    expect(await store.insert(sampleAccount(3, { usernameKey: 'user.1' }))).toBe('USERNAME_TAKEN');
    expect(await store.count()).toBe(1);
  });

  it('update applies the change and keeps indexes in step', async () => {
    const { store } = await open();
    await store.insert(sampleAccount(1));
    const result = await store.update('acc-1', (a) => ({
      next: { ...a, identity: { postident: { caseId: 'CASE-9', continueUrl: 'x', openedAt: 'x', state: 'OPEN' } } },
      result: 'done',
    }));
    expect(result).toBe('done');
    expect((await store.findByPostidentCase('CASE-9'))?.id).toBe('acc-1');
    expect(await store.update('missing', () => ({ result: 1 }))).toBeUndefined();
  });

  it('a result without next writes nothing', async () => {
    const { store } = await open();
    await store.insert(sampleAccount(1));
    const before = await store.get('acc-1');
    await store.update('acc-1', () => ({ result: null }));
    expect(await store.get('acc-1')).toBe(before);
  });

  it('counts exactly under concurrent updates of one account', async () => {
    const { store } = await open();
    await store.insert(sampleAccount(1));
    await Promise.all(
      Array.from({ length: 50 }, () =>
        store.update('acc-1', async (a) => {
          await new Promise((r) => setImmediate(r));
          return { next: { ...a, login: { failures: a.login.failures + 1 } }, result: null };
        }),
      ),
    );
    expect((await store.get('acc-1'))?.login.failures).toBe(50);
  });

  it('two concurrent inserts for one KVNR: exactly one wins', async () => {
    const { store } = await open();
    const results = await Promise.all([store.insert(sampleAccount(1)), store.insert(sampleAccount(2, { kvnr: sampleAccount(1).kvnr }))]);
    expect(results.sort()).toEqual(['KVNR_TAKEN', 'OK']);
  });

  it('delete removes the account and frees username and KVNR', async () => {
    const { store } = await open();
    await store.insert(sampleAccount(1));
    await store.delete('acc-1');
    expect(await store.get('acc-1')).toBeUndefined();
    expect(await store.findByUsernameKey('user.1')).toBeUndefined();
    expect(await store.insert(sampleAccount(1))).toBe('OK');
  });

  it('survives a reopen with the same content (file adapters)', async () => {
    const { store, reopen, dir } = await open();
    if (!reopen || !dir) return;
    for (let i = 0; i < 20; i++) await store.insert(sampleAccount(i));
    await store.update('acc-3', (a) => ({ next: { ...a, mailbox: { state: 'ACTIVE' } }, result: null }));
    await store.delete('acc-5');
    const again = await reopen();
    expect(await again.count()).toBe(19);
    expect((await again.get('acc-3'))?.mailbox.state).toBe('ACTIVE');
    expect((await again.findByUsernameKey('user.7'))?.id).toBe('acc-7');
    expect(await again.get('acc-5')).toBeUndefined();
    // Nothing of the deleted account is left in any store file.
    for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file), 'utf8')).not.toContain('user5@example.org');
  });
});
