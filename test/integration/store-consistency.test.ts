/**
 * Damage that passes the account schema but breaks the store's indexes is refused: two accounts on
 * one POSTIDENT case (the later would take the case over), a username key that is not the key of
 * its username (its owner could no longer log in, and the name would be free again). The insert
 * refuses a taken case; damage written behind the store is found by the full check (npm run
 * store:check), which a start no longer runs, and by every read of the damaged account.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Account } from '../../src-main/core/account.js';
import { writeFileSync } from 'node:fs';
import { checkAccountStore } from '../../src-main/store/account-check.js';
import { ACCOUNTS_DIR, accountPath } from '../../src-main/store/account-layout.js';
import { ShardedAccountStore } from '../../src-main/store/account-store.js';
import { DamagedFileError } from '../../src-main/store/json-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function account(id: string, kvnr: string, username: string, overrides: Partial<Account> = {}): Account {
  return {
    id,
    kvnr,
    username,
    usernameKey: username.toLowerCase(),
    language: 'de',
    createdAt: '2026-11-29T10:00:00.000Z',
    password: { hash: '$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA', changedAt: '2026-11-29T10:00:00.000Z', history: [] },
    consents: {
      privacy: { version: '2026-01', acceptedAt: '2026-11-29T10:00:00.000Z' },
      participation: { version: '2026-01', acceptedAt: '2026-11-29T10:00:00.000Z' },
    },
    email: { email: `${username}@example.org`, resentAt: [] },
    identity: {},
    mailbox: { state: 'PENDING' },
    login: { failures: 0 },
    ...overrides,
  };
}

async function storeWith(...accounts: Account[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-consistency-'));
  dirs.push(dir);
  const store = await ShardedAccountStore.openDirectory(dir, 4);
  for (const a of accounts) expect(await store.insert(a)).toBe('OK');
  return dir;
}

const postident = (caseId: string) => ({
  identity: { postident: { caseId, continueUrl: 'https://example.invalid', openedAt: '2026-11-29T10:00:00.000Z', state: 'OPEN' as const } },
});

describe('store consistency', () => {
  it('accepts a consistent store', async () => {
    const dir = await storeWith(
      account('a1', 'A123456780', 'Erika.M', postident('CASE-1')),
      account('a2', 'B800070009', 'tobias.b', postident('CASE-2')),
    );
    expect(await (await ShardedAccountStore.openDirectory(dir, 4)).count()).toBe(2);
    expect(await checkAccountStore(dir)).toEqual({ accounts: 2, indexProblems: [], repaired: false });
  });

  it('refuses two accounts on one POSTIDENT case: at insert, and in the full check when written behind the store', async () => {
    const dir = await storeWith(account('a1', 'A123456780', 'erika.m', postident('CASE-1')));
    const store = await ShardedAccountStore.openDirectory(dir, 4);
    await expect(store.insert(account('a2', 'B800070009', 'tobias.b', postident('CASE-1')))).rejects.toThrow(/held by another account/);
    expect(await store.count()).toBe(1);
    const twin = account('a2', 'B800070009', 'tobias.b', postident('CASE-1'));
    writeFileSync(accountPath(join(dir, ACCOUNTS_DIR), twin.id), JSON.stringify(twin));
    await expect(checkAccountStore(dir)).rejects.toThrow(/postidentCase is also used by another account/);
  });

  it('refuses a username key that is not the key of its username, without naming either', async () => {
    const dir = await storeWith(account('a1', 'A123456780', 'erika.m', { usernameKey: 'ERIKAZZ' }));
    const checking = checkAccountStore(dir);
    await expect(checking).rejects.toBeInstanceOf(DamagedFileError);
    await expect(checking).rejects.toThrow(/usernameKey is not the key of its username/);
    await expect(checking).rejects.not.toThrow(/erika|ERIKAZZ/);
    const reading = (await ShardedAccountStore.openDirectory(dir, 4)).get('a1');
    await expect(reading).rejects.toThrow(/usernameKey is not the key of its username/);
    await expect(reading).rejects.not.toThrow(/erika|ERIKAZZ/);
  });
});
