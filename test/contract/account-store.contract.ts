/**
 * The account store contract: what every AccountStore adapter must guarantee, as one suite that
 * each adapter runs with its own factory (account-store.test.ts). A new adapter (PostgreSQL) adds
 * one call there and passes the same assertions.
 *
 * Several processes on one backing store: an adapter that declares `sharedBacking: true` must make
 * every instance see the others' writes and keep KVNR and username unique across them. The lowdb
 * adapter cannot: each instance keeps its own locks, caches and counters, so a second one neither
 * serialises its changes with the first nor sees its counts until reopened. It is therefore
 * single-process by design; the data-directory lock (src-main/startup/data-dir-lock.ts) keeps a
 * second process away, and the suite pins that nature so that it cannot change unnoticed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Account } from '../../src-main/core/account.js';
import type { AccountStore } from '../../src-main/core/ports.js';

export interface StoreUnderTest {
  readonly store: AccountStore;
  /** Opens the same backing store afresh, as a restart does (durable adapters only). */
  readonly reopen?: () => Promise<AccountStore>;
  /** Opens a second instance on the same backing store while the first stays open, as a second process would. */
  readonly second?: () => Promise<AccountStore>;
  /** The instances from `second` share one state: each sees the others' writes at once. */
  readonly sharedBacking?: boolean;
  /** Everything the backing store keeps, as text (files, rows), to prove deleted data is gone. */
  readonly backingContents?: () => Promise<readonly string[]>;
  /**
   * The stored version of one account (a row's transaction id): changes with every write of it.
   * Adapters without one keep the very object in memory until it is written, which the suite checks instead.
   */
  readonly version?: (id: string) => Promise<string>;
  /** Releases what the factory opened (connections, temporary directories). */
  readonly close?: () => Promise<void>;
}

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

const countFailure = async (store: AccountStore, id: string) => {
  await new Promise((r) => setImmediate(r));
  return store.update(id, (a) => ({ next: { ...a, login: { failures: a.login.failures + 1 } }, result: null }));
};

export function accountStoreContract(name: string, factory: () => Promise<StoreUnderTest>): void {
  describe(`account store contract: ${name}`, () => {
    const closers: (() => Promise<void>)[] = [];
    const open = async (): Promise<StoreUnderTest> => {
      const opened = await factory();
      if (opened.close) closers.push(opened.close);
      return opened;
    };
    afterEach(async () => {
      for (const close of closers.splice(0)) await close();
    });

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
      const { store, version } = await open();
      await store.insert(sampleAccount(1));
      const before = await store.get('acc-1');
      const versionBefore = await version?.('acc-1');
      await store.update('acc-1', () => ({ result: null }));
      if (version) {
        expect(await version('acc-1')).toBe(versionBefore);
        await store.update('acc-1', (a) => ({ next: { ...a, language: 'en' }, result: null }));
        expect(await version('acc-1')).not.toBe(versionBefore);
      } else {
        expect(await store.get('acc-1')).toBe(before);
      }
    });

    it('counts exactly under concurrent updates of one account', async () => {
      const { store } = await open();
      await store.insert(sampleAccount(1));
      await Promise.all(Array.from({ length: 50 }, () => countFailure(store, 'acc-1')));
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

    it('survives a reopen with the same content (durable adapters)', async (ctx) => {
      const { store, reopen, backingContents } = await open();
      if (!reopen || !backingContents) return ctx.skip();
      for (let i = 0; i < 20; i++) await store.insert(sampleAccount(i));
      await store.update('acc-3', (a) => ({ next: { ...a, mailbox: { state: 'ACTIVE' } }, result: null }));
      await store.delete('acc-5');
      const again = await reopen();
      expect(await again.count()).toBe(19);
      expect((await again.get('acc-3'))?.mailbox.state).toBe('ACTIVE');
      expect((await again.findByUsernameKey('user.7'))?.id).toBe('acc-7');
      expect(await again.get('acc-5')).toBeUndefined();
      // Nothing of the deleted account is left anywhere in the backing store.
      const contents = await backingContents();
      expect(contents.length).toBeGreaterThan(0);
      for (const text of contents) expect(text).not.toContain('user5@example.org');
    });

    it('two instances on one backing store share every write (adapters for several processes)', async (ctx) => {
      const { store: first, second, sharedBacking } = await open();
      if (!second || !sharedBacking) return ctx.skip();
      const other = await second();
      const account = sampleAccount(1, {
        identity: { postident: { caseId: 'CASE-1', continueUrl: 'x', openedAt: 'x', state: 'OPEN' } },
      });
      expect(await first.insert(account)).toBe('OK');
      expect(await other.get('acc-1')).toEqual(account);
      expect((await other.findByUsernameKey('user.1'))?.id).toBe('acc-1');
      expect((await other.findByKvnr(account.kvnr))?.id).toBe('acc-1');
      expect((await other.findByPostidentCase('CASE-1'))?.id).toBe('acc-1');
      expect(await other.count()).toBe(1);
      // Uniqueness holds across instances, also when both insert at once.
      expect(await other.insert(sampleAccount(2, { kvnr: account.kvnr }))).toBe('KVNR_TAKEN');
      expect(await other.insert(sampleAccount(3, { usernameKey: 'user.1' }))).toBe('USERNAME_TAKEN');
      const raced = await Promise.all([first.insert(sampleAccount(4)), other.insert(sampleAccount(5, { kvnr: sampleAccount(4).kvnr }))]);
      expect(raced.sort()).toEqual(['KVNR_TAKEN', 'OK']);
      // Counters stay exact when both instances update one account concurrently.
      await Promise.all(Array.from({ length: 20 }, (_, i) => countFailure(i % 2 === 0 ? first : other, 'acc-1')));
      expect((await first.get('acc-1'))?.login.failures).toBe(20);
      expect((await other.get('acc-1'))?.login.failures).toBe(20);
      await first.delete('acc-1');
      expect(await other.get('acc-1')).toBeUndefined();
      expect(await other.findByKvnr(account.kvnr)).toBeUndefined();
    });

    it('two instances on one backing store: a single-process adapter does not share them', async (ctx) => {
      const { store: first, second, reopen, sharedBacking } = await open();
      if (!second || !reopen || sharedBacking) return ctx.skip();
      const other = await second();
      const account = sampleAccount(1);
      expect(await first.insert(account)).toBe('OK');
      // The second instance read the catalog when it opened and keeps its own caches and locks: its
      // counts do not move with the first's writes, and its changes would not be serialised with
      // them. This is why one process only may open the backing store.
      expect(await other.count()).toBe(0);
      // What was written durably is seen once the store is opened again.
      const reopened = await reopen();
      expect(await reopened.count()).toBe(1);
      expect(await reopened.get('acc-1')).toEqual(account);
      expect((await reopened.findByKvnr(account.kvnr))?.id).toBe('acc-1');
    });
  });
}
