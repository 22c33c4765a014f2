/**
 * The embedded register of insured persons (master data): sharded by KVNR with a birth-date index
 * (register-layout.ts), read lazily through a bounded cache, so start-up reads register.json only
 * and memory does not grow with the register. An import stages a new folder and swaps it in
 * atomically (register-staging.ts); a register above the configured ceiling is refused before
 * anything is replaced. Whether a missing register.json is allowed (a new data directory) is
 * decided at start-up, not here; the single-document register of the earlier version is migrated
 * on open.
 */
import { lstat } from 'node:fs/promises';
import { z } from 'zod';
import { join } from 'node:path';
import type { AuditEntry, RegisterStore } from '../core/ports.js';
import { refuseEntries } from './audited-account-store.js';
import type { InsuredPerson } from '../core/register/person.js';
import { removeStaleTempFiles } from '../lib/durable-file.js';
import { KeyedMutex } from '../lib/keyed-mutex.js';
import { DamagedFileError, readJsonFile } from './json-file.js';
import { MemoryRegisterStore } from './memory-register-store.js';
import {
  BORN_SHARD,
  LEGACY_FILE,
  META_FILE,
  PERSON_SHARD,
  REGISTER_FILE_NAME,
  bornShardName,
  personShardName,
  shardOfKey,
  type RegisterMeta,
} from './register-layout.js';
import { RegisterStaging, removeOtherFolders } from './register-staging.js';

export { REGISTER_FILE_NAME } from './register-layout.js';

const CACHED_SHARDS = 64;

/** Thrown by replaceAll above the ceiling; the core checks the ceiling first and answers REGISTER_TOO_LARGE. */
export class RegisterTooLargeError extends Error {
  constructor(
    readonly persons: number,
    readonly max: number,
  ) {
    super(`the register has ${persons} persons, the embedded store accepts at most ${max}: use store.kind "postgres"`);
    this.name = 'RegisterTooLargeError';
  }
}

/** register.json: the current layout, or the earlier single document (migrated by the caller). */
async function readRegisterFile(file: string): Promise<RegisterMeta | { persons: InsuredPerson[] } | undefined> {
  const raw = await readJsonFile<unknown>(file, { schema: z.unknown() });
  if (raw === undefined) return undefined;
  const legacy = raw !== null && typeof raw === 'object' && Array.isArray((raw as { persons?: unknown }).persons);
  return legacy ? readJsonFile<{ persons: InsuredPerson[] }>(file, LEGACY_FILE) : readJsonFile<RegisterMeta>(file, META_FILE);
}

/** Streams persons into a staged folder and swaps it in; refuses above `maxPersons` with nothing replaced. */
export async function importPersons(
  storeDir: string,
  persons: AsyncIterable<{ person: InsuredPerson; line: number }> | Iterable<{ person: InsuredPerson; line: number }>,
  maxPersons?: number,
  options: { refuseEmpty?: boolean } = {},
): Promise<
  | { status: 'IMPORTED'; persons: number; duplicateLines: readonly number[] }
  | { status: 'TOO_LARGE'; persons: number; max: number }
  | { status: 'EMPTY' }
> {
  await removeStaleTempFiles(storeDir);
  const staging = await RegisterStaging.begin(storeDir);
  try {
    for await (const { person, line } of persons) await staging.add(person, line);
    if (options.refuseEmpty && staging.rows === 0) {
      await staging.abort();
      return { status: 'EMPTY' };
    }
    const staged = await staging.finish(maxPersons);
    if (staged.status === 'TOO_LARGE') return staged;
    await staging.commit(staged.meta);
    return { status: 'IMPORTED', persons: staged.meta.persons, duplicateLines: staged.duplicateLines };
  } catch (error) {
    await staging.abort();
    throw error;
  }
}

const numbered = (persons: readonly InsuredPerson[]) => persons.map((person, i) => ({ person, line: i + 1 }));

/** Replaces the register whole without reading the old one (an import may repair a damaged register). */
export async function writeRegisterFile(dir: string, persons: readonly InsuredPerson[]): Promise<void> {
  await importPersons(dir, numbered(persons));
}

export class LowdbRegisterStore implements RegisterStore {
  private readonly cache = new Map<string, Promise<unknown>>();
  private readonly imports = new KeyedMutex();

  private constructor(
    private readonly dir: string,
    private meta: RegisterMeta | undefined,
    readonly maxPersons: number | undefined,
  ) {}

  static async openDirectory(dir: string, options: { maxPersons?: number } = {}): Promise<LowdbRegisterStore> {
    await removeStaleTempFiles(dir);
    const file = join(dir, REGISTER_FILE_NAME);
    let found = await readRegisterFile(file);
    if (found && 'persons' in found && Array.isArray(found.persons)) {
      await writeRegisterFile(dir, found.persons);
      found = await readRegisterFile(file);
    }
    const meta = found as RegisterMeta | undefined;
    if (meta) {
      const folder = join(dir, meta.folder);
      const info = await lstat(folder).catch(() => undefined);
      if (!info?.isDirectory())
        throw new DamagedFileError(folder, 'the folder of the register that register.json names is missing or not a folder');
    }
    // What register.json does not name is a replaced register or an import cut short.
    await removeOtherFolders(dir, meta?.folder);
    return new LowdbRegisterStore(dir, meta, options.maxPersons);
  }

  static inMemory(persons: readonly InsuredPerson[] = []): RegisterStore {
    return new MemoryRegisterStore(persons);
  }

  /** A shard as read from disk, checked against its count in register.json. */
  private shard<T>(name: string, expected: number, schema: typeof PERSON_SHARD, size: (data: T) => number): Promise<T> {
    const meta = this.meta;
    if (!meta) return Promise.reject(new Error('no register'));
    const key = `${meta.folder}/${name}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached as Promise<T>;
    }
    const file = join(this.dir, meta.folder, name);
    const loading = (async () => {
      const data = await readJsonFile<T>(file, schema);
      if (!data) throw new DamagedFileError(file, `this shard of the register is missing (register.json counts ${expected} in it)`);
      if (size(data) !== expected) throw new DamagedFileError(file, `it holds ${size(data)} where register.json counts ${expected}`);
      return data;
    })();
    this.cache.set(key, loading);
    loading.catch(() => this.cache.delete(key));
    while (this.cache.size > CACHED_SHARDS) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return loading;
  }

  private async persons(shard: number): Promise<readonly InsuredPerson[]> {
    const expected = this.meta?.counts[shard] ?? 0;
    if (expected === 0) return [];
    return (await this.shard<{ persons: InsuredPerson[] }>(personShardName(shard), expected, PERSON_SHARD, (d) => d.persons.length))
      .persons;
  }

  async getByKvnr(kvnr: string): Promise<InsuredPerson | undefined> {
    if (!this.meta) return undefined;
    return (await this.persons(shardOfKey(kvnr, this.meta.shards))).find((p) => p.kvnr === kvnr);
  }

  async findByBirthDate(birthDate: string): Promise<readonly InsuredPerson[]> {
    const meta = this.meta;
    if (!meta) return [];
    const shard = shardOfKey(birthDate, meta.shards);
    const expected = meta.bornCounts[shard] ?? 0;
    if (expected === 0) return [];
    const born = await this.shard<{ entries: Record<string, string[]> }>(
      bornShardName(shard),
      expected,
      BORN_SHARD,
      (d) => Object.keys(d.entries).length,
    );
    const kvnrs = Object.hasOwn(born.entries, birthDate) ? (born.entries[birthDate] ?? []) : [];
    const persons = await Promise.all(kvnrs.map((k) => this.getByKvnr(k)));
    return persons.filter((p): p is InsuredPerson => p !== undefined);
  }

  /** Every person, one shard at a time (store:migrate). */
  async *all(): AsyncGenerator<InsuredPerson> {
    for (let shard = 0; shard < (this.meta?.shards ?? 0); shard++) yield* await this.persons(shard);
  }

  /** One shard at a time: memory holds the given set and the answer, never the register. */
  async missingFrom(kvnrs: ReadonlySet<string>): Promise<readonly string[]> {
    const missing: string[] = [];
    for (let shard = 0; shard < (this.meta?.shards ?? 0); shard++) {
      for (const person of await this.persons(shard)) if (!kvnrs.has(person.kvnr)) missing.push(person.kvnr);
    }
    return missing;
  }

  async replaceAll(persons: readonly InsuredPerson[], audit?: readonly AuditEntry[]): Promise<void> {
    refuseEntries(audit, 'AuditedRegisterStore');
    return this.imports.run('import', async () => {
      const done = await importPersons(this.dir, numbered(persons), this.maxPersons);
      if (done.status === 'TOO_LARGE') throw new RegisterTooLargeError(done.persons, done.max);
      if (done.status === 'EMPTY') return;
      this.meta = await readJsonFile<RegisterMeta>(join(this.dir, REGISTER_FILE_NAME), META_FILE);
      this.cache.clear();
    });
  }

  count(): Promise<number> {
    return Promise.resolve(this.meta?.persons ?? 0);
  }
}

/** The full check (npm run store:check): every shard read and checked against its count; returns the number of persons. */
export async function checkRegisterStore(dir: string): Promise<number> {
  const store = await LowdbRegisterStore.openDirectory(dir);
  const total = await store.count();
  const seen = await store.missingFrom(new Set());
  if (seen.length !== total) throw new DamagedFileError(join(dir, REGISTER_FILE_NAME), 'its shards hold another number of persons');
  for (const kvnr of seen)
    if (!(await store.getByKvnr(kvnr))) throw new DamagedFileError(join(dir, REGISTER_FILE_NAME), 'a person is in the wrong shard');
  return total;
}
