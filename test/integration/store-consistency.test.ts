/**
 * Damage that passes the shard schema but breaks the store's indexes is refused at open: two
 * accounts on one POSTIDENT case (the later would take the case over), a username key that is not
 * the key of its username (its owner could no longer log in, and the name would be free again).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Account } from '../../src-main/core/account.js';
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

describe('store consistency at open', () => {
  it('accepts a consistent store', async () => {
    const dir = await storeWith(
      account('a1', 'A123456780', 'Erika.M', postident('CASE-1')),
      account('a2', 'B800070009', 'tobias.b', postident('CASE-2')),
    );
    expect(await (await ShardedAccountStore.openDirectory(dir, 4)).count()).toBe(2);
  });

  it('refuses two accounts on one POSTIDENT case', async () => {
    const dir = await storeWith(
      account('a1', 'A123456780', 'erika.m', postident('CASE-1')),
      account('a2', 'B800070009', 'tobias.b', postident('CASE-1')),
    );
    await expect(ShardedAccountStore.openDirectory(dir, 4)).rejects.toThrow(/postidentCase is also used by another account/);
  });

  it('refuses a username key that is not the key of its username, without naming either', async () => {
    const dir = await storeWith(account('a1', 'A123456780', 'erika.m', { usernameKey: 'ERIKAZZ' }));
    const opening = ShardedAccountStore.openDirectory(dir, 4);
    await expect(opening).rejects.toBeInstanceOf(DamagedFileError);
    await expect(opening).rejects.toThrow(/usernameKey is not the key of its username/);
    await expect(opening).rejects.not.toThrow(/erika|ERIKAZZ/);
  });
});
