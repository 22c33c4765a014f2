/**
 * The counter's account search at 100k accounts and 100k persons in the register.
 *
 * Baseline measured in the same run: one account read by id (the cheapest store access).
 * Against it: search by KVNR, by username, and by name and birth date (through the register's
 * birth-date index), plus, for comparison only, a search by name that scans every person.
 *
 *   npm run bench:search
 */
import type { Account } from '../src-main/core/account.js';
import type { CoreDeps } from '../src-main/core/deps.js';
import { searchAccounts } from '../src-main/core/counter/search.js';
import { kvnrCheckDigit } from '../src-main/core/kvnr.js';
import type { InsuredPerson } from '../src-main/core/register/person.js';
import { sameName } from '../src-main/core/text.js';
import { ShardedAccountStore } from '../src-main/store/account-store.js';
import { LowdbRegisterStore } from '../src-main/store/register-store.js';

const N = 100_000;
const LAST = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann'];
const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Emma', 'Felix', 'Greta', 'Hanna', 'Jonas', 'Lena', 'Paul', 'Sophie'];

function kvnr(n: number): string {
  const letter = String.fromCharCode(65 + (n % 26));
  const body = `${letter}${String(n).padStart(8, '0')}`;
  return `${body}${kvnrCheckDigit(body) ?? 0}`;
}

function birthDate(n: number): string {
  const year = 1930 + (n % 80);
  const day = 1 + (Math.floor(n / 80) % 365);
  return new Date(Date.UTC(year, 0, day)).toISOString().slice(0, 10);
}

function person(n: number): InsuredPerson {
  return {
    kvnr: kvnr(n),
    firstName: FIRST[n % FIRST.length] ?? 'Anna',
    lastName: LAST[Math.floor(n / 7) % LAST.length] ?? 'Müller',
    birthDate: birthDate(n),
    street: 'Musterweg 1',
    postalCode: '10115',
    city: 'Berlin',
    insuranceStart: '2000-01-01',
    cardNumber: `80276${String(n).padStart(15, '0')}`,
    receipts: [],
  };
}

function account(p: InsuredPerson, n: number): Account {
  const at = '2026-11-29T10:00:00.000Z';
  return {
    id: `acc-${n}`,
    kvnr: p.kvnr,
    username: `user.${n}`,
    usernameKey: `user.${n}`,
    language: 'de',
    createdAt: at,
    password: { hash: 'x', changedAt: at, history: [] },
    consents: { privacy: { version: '2026-01', acceptedAt: at }, participation: { version: '2026-01', acceptedAt: at } },
    email: { email: `user${n}@example.org`, confirmedAt: at, resentAt: [] },
    identity: {},
    mailbox: { state: 'PENDING' },
    login: { failures: 0 },
  };
}

async function timeIt(runs: number, work: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 50; i++) await work(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await work(i);
  return Number(process.hrtime.bigint() - start) / 1e6 / runs;
}

const persons = Array.from({ length: N }, (_, n) => person(n));
const register = LowdbRegisterStore.inMemory(persons);
const accounts = ShardedAccountStore.inMemory();
for (let n = 0; n < N; n++) await accounts.insert(account(persons[n] as InsuredPerson, n));
const deps = { accounts, register, clock: { now: () => new Date('2026-11-30T10:00:00Z') } } as unknown as CoreDeps;

const RUNS = 2_000;
const pick = (i: number) => (i * 7919) % N;
const read = await timeIt(RUNS, (i) => accounts.get(`acc-${pick(i)}`));
const byKvnr = await timeIt(RUNS, (i) => searchAccounts(deps, { by: 'KVNR', kvnr: kvnr(pick(i)) }));
const byUsername = await timeIt(RUNS, (i) => searchAccounts(deps, { by: 'USERNAME', username: `USER.${pick(i)}` }));
const byName = await timeIt(RUNS, (i) => {
  const p = persons[pick(i)] as InsuredPerson;
  return searchAccounts(deps, { by: 'NAME', lastName: p.lastName, firstName: p.firstName, birthDate: p.birthDate });
});
const scan = await timeIt(20, (i) => {
  const p = persons[pick(i)] as InsuredPerson;
  return Promise.resolve(persons.filter((q) => q.birthDate === p.birthDate && sameName(q.lastName, p.lastName)));
});

const fmt = (ms: number) => `${(ms * 1000).toFixed(1).padStart(9)} µs`;
const ratio = (ms: number) => `${(ms / read).toFixed(1).padStart(8)}x`;
console.log(`${N} accounts, ${N} persons; baseline: one account read by id ${fmt(read)}\n`);
console.log('search                         |      time | vs one read');
console.log(`by KVNR                        | ${fmt(byKvnr)} | ${ratio(byKvnr)}`);
console.log(`by username                    | ${fmt(byUsername)} | ${ratio(byUsername)}`);
console.log(`by name + birth date (index)   | ${fmt(byName)} | ${ratio(byName)}`);
console.log(`by name, scanning every person | ${fmt(scan)} | ${ratio(scan)}   (not used; for comparison)`);
console.log(`\ntarget: under 5 ms by KVNR or username: ${byKvnr < 5 && byUsername < 5 ? 'met' : 'NOT met'}`);
