/**
 * Cost of one confirmed account change at 1k, 10k and 100k realistic accounts (about 1.6 kB each:
 * mailbox messages, password history), and the ratio 100k/1k of the embedded store, measured in
 * the same run (the store's promise: at most 2×).
 *
 * Baselines measured in the same run:
 *   - the floor: one durable write of a tiny file
 *   - the earlier layout: every account in one of 256 shards, the whole shard rewritten durably
 *   - one file holding every account, rewritten durably
 * Against them: the embedded store (one file per account, store/accounts/), which rewrites only the
 * account's own file. Two changes: a login failure counted, a mailbox message added.
 *
 *   npm run bench:store
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Account } from '../src-main/core/account.js';
import { writeFileDurably } from '../src-main/lib/durable-file.js';
import { DEFAULT_SHARDS, ShardedAccountStore, shardOf } from '../src-main/store/account-store.js';
import { layOutAccounts, realisticAccount } from './store-fixtures.js';

async function timeIt(runs: number, work: (i: number) => Promise<void>): Promise<number> {
  await work(-1);
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await work(i);
  return Number(process.hrtime.bigint() - start) / 1e6 / runs;
}

const fmt = (ms: number) => `${ms.toFixed(2).padStart(8)} ms`;

const root = mkdtempSync(join(tmpdir(), 'kontokiosk-bench-'));
try {
  const floor = await timeIt(30, (i) => writeFileDurably(join(root, 'tiny.json'), JSON.stringify({ i })));
  console.log(`durable write of a tiny file (floor): ${fmt(floor)}`);
  const sample = JSON.stringify(realisticAccount(1)).length;
  console.log(`one account: ${sample} bytes of JSON\n`);
  console.log('accounts | one file durable | 256 shards (earlier) | store: login failure | store: mailbox message');
  const results = new Map<number, { failure: number; message: number }>();
  for (const n of [1_000, 10_000, 100_000]) {
    const accounts = Array.from({ length: n }, (_, i) => realisticAccount(i));
    const runs = n >= 100_000 ? 3 : 10;

    const all = Object.fromEntries(accounts.map((a) => [a.id, a]));
    const oneFile = await timeIt(runs, async (i) => {
      const target = accounts[Math.abs(i) % n] as Account;
      all[target.id] = { ...target, login: { failures: i & 3 } };
      await writeFileDurably(join(root, `one-${n}.json`), JSON.stringify({ accounts: all }));
    });

    const shards = Array.from({ length: DEFAULT_SHARDS }, () => ({ accounts: {} as Record<string, Account> }));
    for (const a of accounts) (shards[shardOf(a.id, DEFAULT_SHARDS)] as { accounts: Record<string, Account> }).accounts[a.id] = a;
    const earlier = await timeIt(Math.max(runs, 20), async (i) => {
      const target = accounts[(Math.abs(i) * 7919) % n] as Account;
      const index = shardOf(target.id, DEFAULT_SHARDS);
      const shard = shards[index] as { accounts: Record<string, Account> };
      shard.accounts[target.id] = { ...target, login: { failures: i & 3 } };
      await writeFileDurably(join(root, `earlier-${n}-${index}.json`), JSON.stringify(shard));
    });

    const dir = join(root, `store-${n}`);
    layOutAccounts(dir, accounts);
    const store = await ShardedAccountStore.openDirectory(dir);
    const failure = await timeIt(40, async (i) => {
      const target = accounts[(Math.abs(i) * 7919) % n] as Account;
      await store.update(target.id, (a) => ({ next: { ...a, login: { failures: (a.login.failures + 1) % 5 } }, result: null }));
    });
    const message = await timeIt(40, async (i) => {
      const target = accounts[(Math.abs(i) * 104_729) % n] as Account;
      await store.update(target.id, (a) => ({
        next: {
          ...a,
          mailbox: {
            ...a.mailbox,
            messages: [
              ...(a.mailbox.messages ?? []).slice(-2),
              { id: `x${i}`, from: 'INSURER', subject: 'Hinweis', body: 'Text', at: a.createdAt, read: false },
            ],
          },
        },
        result: null,
      }));
    });
    results.set(n, { failure, message });
    console.log(`${String(n).padStart(8)} | ${fmt(oneFile)}     | ${fmt(earlier)}          | ${fmt(failure)}          | ${fmt(message)}`);
    rmSync(dir, { recursive: true, force: true });
  }
  const small = results.get(1_000);
  const large = results.get(100_000);
  if (small && large) {
    const ratio = Math.max(large.failure / small.failure, large.message / small.message);
    console.log(
      `\nembedded store, 100k/1k: login failure ${(large.failure / small.failure).toFixed(2)}×, ` +
        `mailbox message ${(large.message / small.message).toFixed(2)}× (limit 2×: ${ratio <= 2 ? 'met' : 'NOT met'})`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
