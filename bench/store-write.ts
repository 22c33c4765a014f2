/**
 * Write cost of one confirmed change at 1k, 10k and 100k accounts.
 *
 * Baselines measured in the same run:
 *   - lowdb's own JSONFile adapter on one file holding every account (rewrites the whole store, no fsync)
 *   - the same single file with the durable write (temp file, fsync, rename, fsync of the folder)
 *   - the floor: one durable write of a tiny file
 * Against them: the sharded store (256 lowdb shards, durable), which rewrites only one shard.
 *
 *   npm run bench
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { Account } from '../src-main/core/account.js';
import { DEFAULT_SHARDS, ShardedAccountStore, shardOf } from '../src-main/store/account-store.js';
import { writeFileDurably } from '../src-main/lib/durable-file.js';
import { DurableJsonFile } from '../src-main/store/durable-json-file.js';
import { SHARD_FILE } from '../src-main/store/schemas.js';

function account(n: number): Account {
  return {
    id: `acc-${String(n).padStart(7, '0')}-${(n * 2654435761) % 2 ** 32}`,
    kvnr: `K${String(n).padStart(9, '0')}`,
    username: `user.${n}`,
    usernameKey: `user.${n}`,
    language: 'de',
    createdAt: '2026-11-29T10:00:00.000Z',
    password: {
      hash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g',
      changedAt: '2026-11-29T10:00:00.000Z',
      history: [],
    },
    consents: {
      privacy: { version: '2026-01', acceptedAt: '2026-11-29T10:00:00.000Z' },
      participation: { version: '2026-01', acceptedAt: '2026-11-29T10:00:00.000Z' },
    },
    email: { email: `user${n}@example.org`, confirmedAt: '2026-11-29T10:05:00.000Z', resentAt: [] },
    identity: { confirmedAt: '2026-11-30T10:00:00.000Z', method: 'LETTER' },
    mailbox: { state: 'ACTIVE', decidedAt: '2026-11-30T10:01:00.000Z' },
    login: { failures: 0 },
  };
}

async function timeIt(runs: number, work: (i: number) => Promise<void>): Promise<number> {
  await work(-1);
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await work(i);
  return Number(process.hrtime.bigint() - start) / 1e6 / runs;
}

const fmt = (ms: number) => `${ms.toFixed(2).padStart(9)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(3).padStart(8)}x`;

const root = mkdtempSync(join(tmpdir(), 'kontokiosk-bench-'));
try {
  const floor = await timeIt(20, (i) => writeFileDurably(join(root, 'tiny.json'), JSON.stringify({ i })));
  console.log(`durable write of a tiny file (floor): ${fmt(floor)}\n`);
  console.log('accounts | lowdb one file | one file durable | sharded durable | sharded/one-file | sharded/floor');
  for (const n of [1_000, 10_000, 100_000]) {
    const accounts = Array.from({ length: n }, (_, i) => account(i));
    const runs = n >= 100_000 ? 3 : 10;

    const plain = new Low(new JSONFile<{ accounts: Record<string, Account> }>(join(root, `plain-${n}.json`)), { accounts: {} });
    plain.data.accounts = Object.fromEntries(accounts.map((a) => [a.id, a]));
    const onePlain = await timeIt(runs, async (i) => {
      const target = accounts[Math.abs(i) % n] as Account;
      plain.data.accounts[target.id] = { ...target, login: { failures: i & 3 } };
      await plain.write();
    });

    const durable = new Low(new DurableJsonFile<{ accounts: Record<string, Account> }>(join(root, `durable-${n}.json`), SHARD_FILE), {
      accounts: {},
    });
    durable.data.accounts = plain.data.accounts;
    const oneDurable = await timeIt(runs, async (i) => {
      const target = accounts[Math.abs(i) % n] as Account;
      durable.data.accounts[target.id] = { ...target, login: { failures: i & 3 } };
      await durable.write();
    });

    // Lay the shards out directly (as the store would have written them), then measure updates.
    const dir = join(root, `sharded-${n}`);
    const shards = Array.from({ length: DEFAULT_SHARDS }, () => ({ accounts: {} as Record<string, Account> }));
    for (const a of accounts) (shards[shardOf(a.id, DEFAULT_SHARDS)] as { accounts: Record<string, Account> }).accounts[a.id] = a;
    await ShardedAccountStore.openDirectory(dir);
    shards.forEach((s, i) => writeFileSync(join(dir, `accounts-${String(i).padStart(4, '0')}.json`), JSON.stringify(s)));
    const store = await ShardedAccountStore.openDirectory(dir);
    const sharded = await timeIt(Math.max(runs, 20), async (i) => {
      const target = accounts[(Math.abs(i) * 7919) % n] as Account;
      await store.update(target.id, (a) => ({ next: { ...a, login: { failures: (a.login.failures + 1) % 5 } }, result: null }));
    });

    console.log(
      `${String(n).padStart(8)} | ${fmt(onePlain)} | ${fmt(oneDurable)}   | ${fmt(sharded)}    | ${ratio(sharded, oneDurable)}       | ${ratio(sharded, floor)}`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
