/**
 * Start-up of the embedded store with 100k realistic accounts and a register of 1M persons,
 * against an empty store, measured in the same run; and the import of that register (streamed
 * from rows, staged, swapped), with its time and the process's peak memory.
 *
 *   npm run bench:start [-- <accounts> <persons>]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAccountLayout, ShardedAccountStore } from '../src-main/store/account-store.js';
import { importPersons, LowdbRegisterStore, writeRegisterFile } from '../src-main/store/register-store.js';
import { kvnrOf, layOutAccounts, person, realisticAccount } from './store-fixtures.js';

const ACCOUNTS = Number(process.argv[2] ?? 100_000);
const PERSONS = Number(process.argv[3] ?? 1_000_000);
const peakMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function openTime(storeDir: string, runs = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await Promise.all([ShardedAccountStore.openDirectory(storeDir), LowdbRegisterStore.openDirectory(storeDir)]);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? 0;
}

function* rows(count: number) {
  for (let i = 0; i < count; i++) yield { person: person(i), line: i + 2 };
}

function* accounts(count: number) {
  for (let i = 0; i < count; i++) yield realisticAccount(i);
}

const root = mkdtempSync(join(tmpdir(), 'kontokiosk-start-'));
try {
  const empty = join(root, 'empty');
  await createAccountLayout(empty);
  await writeRegisterFile(empty, []);

  const full = join(root, 'full');
  const before = peakMiB();
  let start = process.hrtime.bigint();
  const imported = await importPersons(full, rows(PERSONS));
  const importMs = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(
    `register import of ${PERSONS} persons: ${(importMs / 1000).toFixed(1)} s, peak memory ${peakMiB()} MiB (${before} MiB before)`,
  );
  if (imported.status !== 'IMPORTED') throw new Error('import refused');

  start = process.hrtime.bigint();
  layOutAccounts(full, accounts(ACCOUNTS));
  console.log(`laid out ${ACCOUNTS} accounts in ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s (no sync, bench only)`);

  const emptyMs = await openTime(empty);
  const fullMs = await openTime(full);
  const [store, register] = await Promise.all([ShardedAccountStore.openDirectory(full), LowdbRegisterStore.openDirectory(full)]);
  start = process.hrtime.bigint();
  const found = await store.findByKvnr(kvnrOf(ACCOUNTS - 1));
  const person1 = await register.getByKvnr(kvnrOf(PERSONS - 1));
  const born = await register.findByBirthDate(person(7).birthDate);
  const firstMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (!found || !person1 || born.length === 0) throw new Error('lookup failed');
  console.log(`open, empty store: ${emptyMs.toFixed(2)} ms`);
  console.log(
    `open, ${ACCOUNTS} accounts + ${PERSONS} persons: ${fullMs.toFixed(2)} ms (${(fullMs / emptyMs).toFixed(2)}× the empty store)`,
  );
  console.log(
    `first lookups after the open (account by KVNR, person by KVNR, ${born.length} persons by birth date): ${firstMs.toFixed(2)} ms`,
  );
  console.log(`count ${await store.count()} accounts, ${await register.count()} persons; peak memory of this process ${peakMiB()} MiB`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
