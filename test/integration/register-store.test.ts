/**
 * The embedded register on disk: sharded by KVNR with a birth-date index, read lazily; an import
 * is staged and swapped in at once; a cut-short import leaves the old register; a register above
 * the ceiling is refused before anything is replaced, by the command (a clear message naming
 * PostgreSQL) and by the counter console (REGISTER_TOO_LARGE); the earlier single document is
 * migrated on open.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InsuredPerson } from '../../src-main/core/register/person.js';
import { importRegisterFromConsole } from '../../src-main/core/supervisor/register-import.js';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { RegisterStaging } from '../../src-main/store/register-staging.js';
import { LowdbRegisterStore, RegisterTooLargeError, importPersons, writeRegisterFile } from '../../src-main/store/register-store.js';
import { person } from '../../bench/store-fixtures.js';
import { makeHarness, WHO } from '../fixtures/harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-register-'));
  dirs.push(dir);
  return dir;
}

const persons = (count: number, from = 0): InsuredPerson[] => Array.from({ length: count }, (_, i) => person(from + i));
const folders = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('register-'));

describe('the sharded register', () => {
  it('finds every person by KVNR and by birth date after a reopen, across many shards', async () => {
    const dir = freshDir();
    // Every hundredth person shares one birth date, as many do in a real register.
    const all = persons(3_000).map((p, i) => (i % 100 === 0 ? { ...p, birthDate: '1984-08-12' } : p));
    await writeRegisterFile(dir, all);
    const meta = JSON.parse(readFileSync(join(dir, 'register.json'), 'utf8')) as { shards: number; persons: number };
    expect(meta).toMatchObject({ shards: 8, persons: 3_000 });
    const store = await LowdbRegisterStore.openDirectory(dir);
    expect(await store.count()).toBe(3_000);
    for (const p of all.filter((_, i) => i % 97 === 0)) expect(await store.getByKvnr(p.kvnr)).toEqual(p);
    const dates = new Map<string, string[]>();
    for (const p of all) dates.set(p.birthDate, [...(dates.get(p.birthDate) ?? []), p.kvnr]);
    const [date, born] = [...dates].find(([, kvnrs]) => kvnrs.length > 1) ?? ['', []];
    expect(born.length).toBeGreaterThan(1);
    expect((await store.findByBirthDate(date)).map((p) => p.kvnr).sort()).toEqual([...born].sort());
    expect(await store.getByKvnr('Z999999999')).toBeUndefined();
    expect(await store.findByBirthDate('1800-01-01')).toEqual([]);
    const keep = new Set(all.slice(1).map((p) => p.kvnr));
    expect(await store.missingFrom(keep)).toEqual([all[0]?.kvnr]);
  });

  it('keeps the first row of a repeated KVNR and names the lines of the repeats', async () => {
    const dir = freshDir();
    const rows = [...persons(3), { ...person(1), firstName: 'Später' }].map((p, i) => ({ person: p, line: i + 2 }));
    const done = await importPersons(dir, rows);
    expect(done).toEqual({ status: 'IMPORTED', persons: 3, duplicateLines: [5] });
    expect((await (await LowdbRegisterStore.openDirectory(dir)).getByKvnr(person(1).kvnr))?.firstName).toBe(person(1).firstName);
  });

  it('migrates the single register.json of the earlier version on open', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'register.json'), JSON.stringify({ persons: DEMO_REGISTER }));
    const store = await LowdbRegisterStore.openDirectory(dir);
    expect(await store.count()).toBe(DEMO_REGISTER.length);
    expect(await store.getByKvnr(DEMO_REGISTER[0]?.kvnr ?? '')).toEqual(DEMO_REGISTER[0]);
    expect(JSON.parse(readFileSync(join(dir, 'register.json'), 'utf8'))).toMatchObject({ format: 2 });
  });

  it('an import cut short before the swap leaves the old register, and its folder is removed on open', async () => {
    const dir = freshDir();
    await writeRegisterFile(dir, persons(10));
    const staging = await RegisterStaging.begin(dir);
    for (const [i, p] of persons(50, 100).entries()) await staging.add(p, i + 2);
    const staged = await staging.finish(undefined);
    expect(staged.status).toBe('STAGED');
    expect(folders(dir)).toHaveLength(2);
    const store = await LowdbRegisterStore.openDirectory(dir);
    expect(await store.count()).toBe(10);
    expect(await store.getByKvnr(person(100).kvnr)).toBeUndefined();
    expect(folders(dir)).toHaveLength(1);
  });

  it('a shard emptied or deleted behind the store is refused by name when read', async () => {
    const dir = freshDir();
    await writeRegisterFile(dir, persons(2_000));
    const [folder] = folders(dir);
    const shard = join(dir, folder ?? '', 'p-0001.json');
    writeFileSync(shard, '{"persons":[]}');
    const store = await LowdbRegisterStore.openDirectory(dir);
    // 2 000 persons make four shards (register-layout.ts); this one lives in the second.
    const hit = persons(2_000).find((p) => hashShard(p.kvnr) === 1);
    await expect(store.getByKvnr(hit?.kvnr ?? '')).rejects.toThrow(shard);
    rmSync(shard);
    await expect((await LowdbRegisterStore.openDirectory(dir)).getByKvnr(hit?.kvnr ?? '')).rejects.toThrow(/missing/);
  });
});

function hashShard(kvnr: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < kvnr.length; i++) {
    h ^= kvnr.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % 4;
}

describe('the ceiling of the embedded register', () => {
  it('replaceAll above it changes nothing and leaves no folder behind', async () => {
    const dir = freshDir();
    await writeRegisterFile(dir, persons(3));
    const before = readFileSync(join(dir, 'register.json'), 'utf8');
    const store = await LowdbRegisterStore.openDirectory(dir, { maxPersons: 5 });
    await expect(store.replaceAll(persons(6, 10))).rejects.toBeInstanceOf(RegisterTooLargeError);
    expect(readFileSync(join(dir, 'register.json'), 'utf8')).toBe(before);
    expect(folders(dir)).toHaveLength(1);
    expect(await store.count()).toBe(3);
    await store.replaceAll(persons(5, 10));
    expect(await store.count()).toBe(5);
  });

  it('the counter console answers REGISTER_TOO_LARGE naming the limit and PostgreSQL, before comparing or replacing', async () => {
    const dir = freshDir();
    await writeRegisterFile(dir, DEMO_REGISTER);
    const register = await LowdbRegisterStore.openDirectory(dir, { maxPersons: 2 });
    const h = makeHarness();
    const csv = [
      'kvnr;first_name;last_name;birth_date;street;postal_code;city;insurance_start;insurance_end;card_number;receipts',
      ...persons(3).map((p) =>
        [p.kvnr, p.firstName, p.lastName, p.birthDate, p.street, '10115', p.city, p.insuranceStart, '', p.cardNumber, ''].join(';'),
      ),
    ].join('\n');
    const result = await importRegisterFromConsole({ ...h.core.deps, register }, WHO, csv, 'monthly export');
    expect(result).toEqual({ ok: false, error: { code: 'REGISTER_TOO_LARGE', details: { accepted: 3, max: 2, use: 'postgres' } } });
    expect(await register.count()).toBe(DEMO_REGISTER.length);
    expect(h.audit.events().filter((e) => e.type === 'REGISTER_IMPORTED')).toEqual([]);
  });

  it('the command refuses it with a message naming PostgreSQL, and the register stays as it was', () => {
    const dir = freshDir();
    const csv = join(dir, 'register.csv');
    writeFileSync(
      csv,
      [
        'kvnr;first_name;last_name;birth_date;street;postal_code;city;insurance_start;insurance_end;card_number;receipts',
        ...persons(3).map((p) =>
          [p.kvnr, p.firstName, p.lastName, p.birthDate, p.street, '10115', p.city, p.insuranceStart, '', p.cardNumber, ''].join(';'),
        ),
      ].join('\n'),
    );
    const config = join(dir, 'small.json');
    writeFileSync(config, JSON.stringify({ store: { kind: 'lowdb', maxRegisterPersons: 2 } }));
    const data = join(dir, 'data');
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main/cli/register-import.ts'), csv, data], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, ...env },
        timeout: 30_000,
      });
    const refused = run({ KONTOKIOSK_CONFIG: config });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('the register has 3 persons, the embedded store holds at most 2');
    expect(refused.stderr).toContain('Nothing was replaced');
    expect(refused.stderr).toContain('store.kind to "postgres"');
    expect(existsSync(join(data, 'store', 'register.json'))).toBe(false);
    expect(folders(join(data, 'store'))).toEqual([]);
    writeFileSync(config, JSON.stringify({ store: { kind: 'lowdb', maxRegisterPersons: 3 } }));
    const imported = run({ KONTOKIOSK_CONFIG: config });
    expect(imported.stdout).toContain('imported 3 persons, rejected 0 rows');
    expect(imported.status).toBe(0);
  }, 60_000);
});
