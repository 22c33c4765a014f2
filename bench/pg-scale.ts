/**
 * The PostgreSQL store at an insurer's scale: 11 million register persons and a million accounts
 * (by default) in a throwaway cluster that syncs its WAL (fsync on, so a commit costs what it
 * costs on a branch's server). Every figure has its baseline measured in the same run:
 *   - the register import through the real path (replaceRegister): persons per second;
 *   - start-up: openApp on the full database against an empty one of the same cluster (goal ≤ 1.2×);
 *   - register lookup by KVNR (goal p50 ≤ 2 ms) and the counter's search by birth date, beside a
 *     bare round trip on the same pool;
 *   - a durable account change (PgAccountStore.update) against a bare one-row UPDATE commit on a
 *     small table, same pool (goal ≤ 2×);
 *   - logins per second through the terminal's core against bare argon2 verifies (goal ≥ 95 %):
 *     the verifies as many at once as there are cores, the logins as many and twice as many (so
 *     that hashing goes on while other logins wait for the database); then once more with the
 *     server's processes on cores of their own, as on a branch where PostgreSQL has its own server;
 *   - the database's size on disk.
 *
 *   npm run bench:pg -- [--persons 11000000] [--accounts 1000000]
 */
import { verify } from '@node-rs/argon2';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ARGON2_OPTIONS, Argon2PasswordHasher } from '../src-main/adapters/crypto.js';
import { openApp } from '../src-main/app.js';
import { parseConfig } from '../src-main/config/config.js';
import { startCluster } from '../src-main/demo/pg-cluster.js';
import { PgAccountStore } from '../src-main/store/pg/account-store.js';
import { PgDatabase } from '../src-main/store/pg/database.js';
import { migrateSchema } from '../src-main/store/pg/migrate.js';
import { PgRegisterStore, replaceRegister } from '../src-main/store/pg/register-store.js';
import { accountAt, accountIdAt, accountLine, birthDateAt, kvnrAt, registerLines } from './pg-scale-data.js';

const { values: args } = parseArgs({
  options: { persons: { type: 'string', default: '11000000' }, accounts: { type: 'string', default: '1000000' } },
});
const PERSONS = Number(args.persons);
const ACCOUNTS = Number(args.accounts);
if (!Number.isInteger(PERSONS) || !Number.isInteger(ACCOUNTS) || PERSONS < 1 || ACCOUNTS < 1 || ACCOUNTS > PERSONS) {
  console.error('usage: npm run bench:pg -- [--persons N] [--accounts M], 1 ≤ M ≤ N');
  process.exit(64);
}
/** Accounts with a real argon2 hash of PASSWORD, for the login runs. */
const KNOWN = Math.min(2_000, ACCOUNTS);
const PASSWORD = 'Bench*Mark42';
const CORES = availableParallelism();
const who = { actor: 'bench', terminal: 'bench' };
const assetsDir = resolve(import.meta.dirname, '../assets');
const migrationsDir = join(assetsDir, 'migrations');

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => `${n.toFixed(2)} ms`;
const randomInt = (max: number) => Math.floor(Math.random() * max);

function quantiles(samples: readonly number[]): { p50: number; p95: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

async function sample(count: number, work: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await work(i);
    samples.push(performance.now() - t);
  }
  return samples;
}

/** Runs `work` `count` times with `parallel` callers at once; answers completions per second. */
async function throughput(count: number, parallel: number, work: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) await work(next++);
    }),
  );
  return (count / (performance.now() - start)) * 1000;
}

const summary: string[] = [];
const row = (what: string, value: string, baseline: string, ratio: string, goal: string) =>
  summary.push(`${what.padEnd(34)} | ${value.padStart(22)} | ${baseline.padStart(26)} | ${ratio.padStart(8)} | ${goal}`);
const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

const cluster = await startCluster({ fsync: true });
const work = mkdtempSync(join(tmpdir(), 'kontokiosk-bench-pg-'));
const dbs: PgDatabase[] = [];
try {
  const admin = new pg.Client(cluster.adminUrl);
  await admin.connect();
  await admin.query('CREATE DATABASE kk_full');
  await admin.query('CREATE DATABASE kk_empty');
  const urlOf = (name: string) => {
    const url = new URL(cluster.adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const fullUrl = urlOf('kk_full');
  const emptyUrl = urlOf('kk_empty');
  await migrateSchema(fullUrl, migrationsDir);
  await migrateSchema(emptyUrl, migrationsDir);
  console.log(`PostgreSQL scale benchmark: ${fmtInt(PERSONS)} register persons, ${fmtInt(ACCOUNTS)} accounts, fsync on, ${CORES} cores`);

  // The pool a terminal has (store.poolSize's default).
  const db = new PgDatabase({ url: fullUrl, poolSize: 10 });
  dbs.push(db);
  const register = new PgRegisterStore(db);

  // 1. The register import, through the real path; the lines are made in this process as it runs.
  {
    const start = performance.now();
    await replaceRegister(db, Readable.from(registerLines(PERSONS)));
    const seconds = (performance.now() - start) / 1000;
    const count = await register.count();
    if (count !== PERSONS) throw new Error(`the register holds ${count} persons, not ${PERSONS}`);
    console.log(`register import: ${fmtInt(PERSONS)} persons in ${seconds.toFixed(1)} s = ${fmtInt(PERSONS / seconds)} persons/s`);
    row('register import (replaceRegister)', `${fmtInt(PERSONS / seconds)} persons/s`, `${seconds.toFixed(1)} s in all`, '', '');
  }

  // 2. Accounts, loaded in bulk (not a measured path). Account n belongs to person n·step.
  const step = Math.floor(PERSONS / ACCOUNTS);
  {
    const hasher = new Argon2PasswordHasher(ARGON2_OPTIONS);
    const start = performance.now();
    const hashes: string[] = new Array<string>(KNOWN);
    let next = 0;
    await Promise.all(
      Array.from({ length: CORES }, async () => {
        while (next < KNOWN) {
          const n = next++;
          hashes[n] = await hasher.hash(PASSWORD);
        }
      }),
    );
    const hashed = performance.now();
    function* lines(): Generator<string> {
      for (let s = 0; s < ACCOUNTS; s += 1_000) {
        let chunk = '';
        for (let n = s; n < Math.min(ACCOUNTS, s + 1_000); n++) chunk += accountLine(accountAt(n, n * step, hashes[n]));
        yield chunk;
      }
    }
    const client = await db.pool.connect();
    try {
      // A bulk load, not a terminal's query: without the pool's statement timeout.
      await client.query('SET statement_timeout = 0');
      await pipeline(Readable.from(lines()), client.query(copyFrom('COPY accounts (id, doc) FROM STDIN')));
      // A database in use has been vacuumed and analysed by autovacuum; a fresh load has not.
      await client.query('VACUUM (ANALYZE) accounts');
      await client.query('CHECKPOINT');
      await client.query('RESET statement_timeout');
    } finally {
      client.release();
    }
    console.log(
      `accounts: ${fmtInt(KNOWN)} argon2 hashes in ${((hashed - start) / 1000).toFixed(1)} s, ` +
        `${fmtInt(ACCOUNTS)} accounts loaded in ${((performance.now() - hashed) / 1000).toFixed(1)} s`,
    );
  }

  // 3. Start-up of a terminal: data directory and branch store, full database against an empty one.
  {
    const keyFile = join(work, 'branch.key');
    writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
    const terminals = [
      { name: 'full', url: fullUrl, dataDir: join(work, 'terminal-full') },
      { name: 'empty', url: emptyUrl, dataDir: join(work, 'terminal-empty') },
    ];
    const times = new Map<string, number[]>(terminals.map((t) => [t.name, []]));
    const ROUNDS = 9;
    for (let round = -1; round < ROUNDS; round++) {
      // Alternating order, so drift of the machine hits both alike; round -1 sets the directories up.
      for (const t of round % 2 === 0 ? terminals : [...terminals].reverse()) {
        const config = parseConfig({ store: { kind: 'postgres', url: t.url, keyFile } });
        const start = performance.now();
        const app = await openApp({ dataDir: t.dataDir, assetsDir, config });
        const elapsed = performance.now() - start;
        await app.close();
        if (round >= 0) times.get(t.name)?.push(elapsed);
      }
    }
    const full = quantiles(times.get('full') ?? []).p50;
    const empty = quantiles(times.get('empty') ?? []).p50;
    console.log(
      `start-up (median of ${ROUNDS}): full database ${ms(full)}, empty database ${ms(empty)}, ratio ${(full / empty).toFixed(2)}×`,
    );
    row(
      'start-up (openApp), median',
      ms(full),
      `empty database ${ms(empty)}`,
      `${(full / empty).toFixed(2)}×`,
      `≤ 1.2×: ${verdict(full / empty <= 1.2)}`,
    );
  }

  // 4. Register lookups: by KVNR and the counter's search by birth date, beside a bare round trip.
  {
    const kvnrs = Array.from({ length: 2_000 }, () => kvnrAt(randomInt(PERSONS)));
    const dates = Array.from({ length: 500 }, () => birthDateAt(randomInt(PERSONS)));
    await sample(200, (i) => register.getByKvnr(kvnrs[i] as string));
    const bare = quantiles(await sample(2_000, (i) => db.query('SELECT $1::text AS k', [kvnrs[i]])));
    const byKvnr = quantiles(
      await sample(kvnrs.length, async (i) => {
        if (!(await register.getByKvnr(kvnrs[i] as string))) throw new Error('a register person was not found');
      }),
    );
    let found = 0;
    const byDate = quantiles(
      await sample(dates.length, async (i) => (found += (await register.findByBirthDate(dates[i] as string)).length)),
    );
    console.log(`bare round trip (SELECT $1): p50 ${ms(bare.p50)}, p95 ${ms(bare.p95)}`);
    console.log(`getByKvnr: p50 ${ms(byKvnr.p50)}, p95 ${ms(byKvnr.p95)}`);
    console.log(`findByBirthDate: p50 ${ms(byDate.p50)}, p95 ${ms(byDate.p95)} (${(found / dates.length).toFixed(0)} persons a date)`);
    const base = `round trip p50 ${ms(bare.p50)}`;
    row(
      'getByKvnr p50 / p95',
      `${ms(byKvnr.p50)} / ${ms(byKvnr.p95)}`,
      base,
      `${(byKvnr.p50 / bare.p50).toFixed(2)}×`,
      `p50 ≤ 2 ms: ${verdict(byKvnr.p50 <= 2)}`,
    );
    row(
      `findByBirthDate p50 / p95 (${(found / dates.length).toFixed(0)} hits)`,
      `${ms(byDate.p50)} / ${ms(byDate.p95)}`,
      base,
      `${(byDate.p50 / bare.p50).toFixed(2)}×`,
      '',
    );
  }

  // 5. A durable account change against a bare one-row UPDATE commit, on the same pool.
  {
    const accounts = new PgAccountStore(db);
    await db.query('CREATE TABLE bare (id int PRIMARY KEY, n int NOT NULL)');
    await db.query('INSERT INTO bare SELECT g, 0 FROM generate_series(1, 100) g');
    const change = async () => {
      // Accounts without the known password, so the login runs find theirs as they were.
      const id = accountIdAt(KNOWN + randomInt(ACCOUNTS - KNOWN || 1));
      const r = await accounts.update(id, (a) => ({ next: { ...a, login: { failures: (a.login.failures + 1) % 4 } }, result: true }));
      if (!r) throw new Error('an account was not found');
    };
    const bareUpdate = () => db.query('UPDATE bare SET n = n + 1 WHERE id = $1', [1 + randomInt(100)]);
    const changes: number[] = [];
    const bares: number[] = [];
    for (let round = 0; round < 10; round++) {
      // Interleaved rounds, so that checkpoints and drift hit both alike.
      changes.push(...(await sample(150, change)));
      bares.push(...(await sample(150, bareUpdate)));
    }
    const c = quantiles(changes);
    const b = quantiles(bares);
    console.log(`account update: mean ${ms(c.mean)}, p50 ${ms(c.p50)}, p95 ${ms(c.p95)}`);
    console.log(`bare UPDATE commit: mean ${ms(b.mean)}, p50 ${ms(b.p50)}, p95 ${ms(b.p95)}`);
    row(
      'account update, mean (p50 / p95)',
      `${ms(c.mean)} (${c.p50.toFixed(2)} / ${c.p95.toFixed(2)})`,
      `bare UPDATE ${ms(b.mean)} (${b.p50.toFixed(2)} / ${b.p95.toFixed(2)})`,
      `${(c.mean / b.mean).toFixed(2)}×`,
      `≤ 2×: ${verdict(c.mean / b.mean <= 2)}`,
    );
  }

  /** The server's processes: the postmaster and every backend and helper it started. */
  const serverPids = () => {
    const main = cluster.postmasterPid();
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(main)], { encoding: 'utf8' });
    return [
      main,
      ...children
        .split('\n')
        .map((l) => Number(l.trim()))
        .filter((n) => n > 0),
    ];
  };
  /** CPU time the server's processes have used so far, in ms (from /proc; a process gone since is left out). */
  const serverCpuMs = () => {
    const tick = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    let ticks = 0;
    for (const pid of serverPids()) {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // Ended between the listing and the read.
      }
    }
    return ticks * tick;
  };

  /** A terminal on the full database, its login of the known accounts, and a bare verify of their password. */
  const loginTerminal = async (name: string) => {
    const config = parseConfig({ store: { kind: 'postgres', url: fullUrl, keyFile: join(work, 'branch.key') } });
    const app = await openApp({ dataDir: join(work, name), assetsDir, config });
    const usernames = Array.from({ length: KNOWN }, (_, n) => accountAt(n, n * step).username);
    const hash = (await app.core.deps.accounts.findByUsernameKey(usernames[0] as string))?.password.hash;
    if (!hash) throw new Error('the first login account is missing');
    let turn = 0;
    const login = async () => {
      const username = usernames[turn++ % KNOWN] as string;
      const r = await app.core.login.withPassword(who, { username, password: PASSWORD });
      if (!r.ok) throw new Error(`login failed: ${r.error.code}`);
    };
    const bare = async () => {
      if (!(await verify(hash, PASSWORD))) throw new Error('verify failed');
    };
    return { app, login, bare };
  };
  /**
   * Logins (`loginsAtOnce` in flight) against bare verifies (`baresAtOnce`) in interleaved rounds, so
   * that drift and checkpoints hit both alike; rates are combined as total count over total time.
   */
  const loginsAgainstBare = async (
    t: Awaited<ReturnType<typeof loginTerminal>>,
    loginsAtOnce: number,
    baresAtOnce: number,
    perRound: number,
  ) => {
    await throughput(4 * loginsAtOnce, loginsAtOnce, t.login);
    await throughput(4 * baresAtOnce, baresAtOnce, t.bare);
    const logins: number[] = [];
    const bares: number[] = [];
    for (let round = 0; round < 10; round++) {
      if (round % 2 === 0) bares.push(await throughput(perRound, baresAtOnce, t.bare));
      logins.push(await throughput(perRound, loginsAtOnce, t.login));
      if (round % 2 === 1) bares.push(await throughput(perRound, baresAtOnce, t.bare));
    }
    const rate = (rates: number[]) => rates.length / rates.reduce((sum, r) => sum + 1 / r, 0);
    return { l: rate(logins), b: rate(bares), rate };
  };

  // 6. Logins through the terminal's core against bare argon2 verifies, `CORES` at once.
  {
    const t = await loginTerminal('terminal-full');
    const { app, login } = t;
    try {
      const { l, b, rate } = await loginsAgainstBare(t, CORES, CORES, 60);
      console.log(
        `logins (x${CORES}): ${l.toFixed(1)}/s; bare argon2 verify (x${CORES}): ${b.toFixed(1)}/s; ${((l / b) * 100).toFixed(1)} %`,
      );
      row(
        `logins/s (x${CORES}), core.login`,
        `${l.toFixed(1)}/s`,
        `bare verify ${b.toFixed(1)}/s`,
        `${((l / b) * 100).toFixed(1)} %`,
        '(information)',
      );
      // For the reading of the ratio: with more logins in flight than cores, the hashing workers
      // stay busy while other logins wait for the database.
      const deeper: number[] = [];
      for (let round = 0; round < 4; round++) deeper.push(await throughput(60, 2 * CORES, login));
      const d = rate(deeper);
      console.log(`logins (x${2 * CORES}): ${d.toFixed(1)}/s; ${((d / b) * 100).toFixed(1)} % of bare argon2 verify (x${CORES})`);
      row(
        `logins/s (x${2 * CORES}), core.login`,
        `${d.toFixed(1)}/s`,
        `bare verify ${b.toFixed(1)}/s`,
        `${((d / b) * 100).toFixed(1)} %`,
        `≥ 95 %: ${verdict(d / b >= 0.95)}`,
      );
    } finally {
      await app.close();
    }
  }

  // 6a. What a login costs besides the hash: the same path with a hasher that does no work, on
  // accounts outside the known ones, one at a time; the terminal's CPU (this process) and the
  // server's (its processes, from /proc) per login, against the CPU of one bare verify.
  {
    const config = parseConfig({ store: { kind: 'postgres', url: fullUrl, keyFile: join(work, 'branch.key') } });
    const app = await openApp({
      dataDir: join(work, 'terminal-nohash'),
      assetsDir,
      config,
      passwords: { hash: (p) => Promise.resolve(p), verify: () => Promise.resolve(true) },
    });
    try {
      const others = Math.max(1, Math.min(20_000, ACCOUNTS - KNOWN));
      const usernames = Array.from({ length: others }, (_, i) => accountAt(KNOWN + i, (KNOWN + i) * step).username);
      const login = async (i: number) => {
        const r = await app.core.login.withPassword(who, { username: usernames[i % others] as string, password: PASSWORD });
        if (!r.ok) throw new Error(`login without hashing failed: ${r.error.code}`);
      };
      for (let i = 0; i < 300; i++) await login(i);
      const COUNT = 3_000;
      const cpu = process.cpuUsage();
      const server = serverCpuMs();
      for (let i = 0; i < COUNT; i++) await login(300 + i);
      const used = process.cpuUsage(cpu);
      const terminalMs = (used.user + used.system) / 1000 / COUNT;
      const serverMs = (serverCpuMs() - server) / COUNT;
      const hash = (await app.core.deps.accounts.findByUsernameKey(accountAt(0, 0).username))?.password.hash;
      if (!hash) throw new Error('the first login account is missing');
      const verifyCpu = process.cpuUsage();
      for (let i = 0; i < 50; i++) await verify(hash, PASSWORD);
      const verifyUsed = process.cpuUsage(verifyCpu);
      const verifyMs = (verifyUsed.user + verifyUsed.system) / 1000 / 50;
      console.log(
        `login without hashing: terminal ${ms(terminalMs)} + server ${ms(serverMs)} of CPU a login; one bare verify ${ms(verifyMs)} of CPU`,
      );
      row(
        'login besides the hash, CPU',
        `${ms(terminalMs)} + ${ms(serverMs)}`,
        `one verify ${ms(verifyMs)}`,
        `${(((terminalMs + serverMs) / verifyMs) * 100).toFixed(1)} %`,
        'terminal + server, per login',
      );
    } finally {
      await app.close();
    }
  }

  // 6b. The same with the database on cores of its own, as on a branch where PostgreSQL runs on its
  // own server: this process (the terminal) on the first half of the cores, the server and every
  // backend on the rest; the terminal is opened after the move, so its hashing workers match.
  if (CORES >= 2 && spawnSync('taskset', ['-V']).status === 0) {
    const terminalCores = Math.floor(CORES / 2);
    const range = (from: number, to: number) => `${from}-${to - 1}`;
    const place = (pid: number, cpus: string) => execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
    for (const pid of serverPids()) place(pid, range(terminalCores, CORES));
    place(process.pid, range(0, terminalCores));
    const t = await loginTerminal('terminal-placed');
    const { app } = t;
    try {
      // The terminal's hashing workers stay busy while other logins wait for the database: as many
      // logins in flight as twice its cores, and the bare verifies as many as its cores (their best).
      const inFlight = 2 * terminalCores;
      const { l, b } = await loginsAgainstBare(t, inFlight, terminalCores, 40);
      const where = `terminal on ${terminalCores} core${terminalCores === 1 ? '' : 's'}, server on ${CORES - terminalCores}`;
      console.log(
        `${where}: logins (x${inFlight}) ${l.toFixed(1)}/s; bare argon2 verify (x${terminalCores}) ${b.toFixed(1)}/s; ${((l / b) * 100).toFixed(1)} %`,
      );
      row(
        `logins/s, ${where}`,
        `${l.toFixed(1)}/s`,
        `bare verify ${b.toFixed(1)}/s`,
        `${((l / b) * 100).toFixed(1)} %`,
        `≥ 95 %: ${verdict(l / b >= 0.95)}`,
      );
    } finally {
      await app.close();
      const all = range(0, CORES);
      for (const pid of serverPids()) place(pid, all);
      place(process.pid, all);
    }
  } else {
    console.log('logins with the server on cores of its own: not measured (needs 2 cores and taskset)');
  }

  // 7. Size on disk.
  {
    const size = async (sql: string, values: unknown[]) => Number((await admin.query<{ n: string }>(sql, values)).rows[0]?.n ?? 0);
    const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
    const full = await size('SELECT pg_database_size($1) AS n', ['kk_full']);
    const empty = await size('SELECT pg_database_size($1) AS n', ['kk_empty']);
    const table = (name: string) =>
      db.query<{ n: string }>('SELECT pg_total_relation_size($1) AS n', [name]).then((r) => Number(r.rows[0]?.n));
    const registerSize = await table('register_persons');
    const accountsSize = await table('accounts');
    console.log(`database size: ${gb(full)} (register ${gb(registerSize)}, accounts ${gb(accountsSize)}); empty database ${gb(empty)}`);
    row('database size on disk', gb(full), `empty database ${gb(empty)}`, '', `register ${gb(registerSize)}, accounts ${gb(accountsSize)}`);
  }
  await admin.end();

  console.log(
    `\n${'measure'.padEnd(34)} | ${'value'.padStart(22)} | ${'baseline (same run)'.padStart(26)} | ${'ratio'.padStart(8)} | goal`,
  );
  for (const line of summary) console.log(line);
} finally {
  await Promise.all(dbs.map((d) => d.close().catch(() => undefined)));
  cluster.stop();
  rmSync(work, { recursive: true, force: true });
}
