/**
 * Builds a new register folder from a stream of persons, with memory bounded by one bucket (about
 * 1/256 of the register), never the whole register: persons are appended to bucket files by a hash
 * of the KVNR, then each bucket is read, its repeated KVNRs found (the first row wins, as in the
 * CSV report), and split into the final shards. Nothing of the current register is touched until
 * `commit`, which swaps register.json in one atomic write; `abort` removes the folder.
 *
 * The ceiling (`maxPersons`) is checked on the number of distinct persons before anything is
 * swapped: a register larger than the embedded store accepts belongs in PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { InsuredPerson } from '../core/register/person.js';
import { fsyncDirectory, writeFileDurably, writeFilesDurably } from '../lib/durable-file.js';
import {
  BUCKETS,
  FOLDER,
  REGISTER_FILE_NAME,
  bornShardName,
  personShardName,
  shardCountFor,
  shardOfKey,
  type RegisterMeta,
} from './register-layout.js';

const FLUSH_CHARS = 32_768;
const STAGE = '.stage';

export type Staged =
  | { readonly status: 'STAGED'; readonly meta: RegisterMeta; readonly duplicateLines: readonly number[] }
  | { readonly status: 'TOO_LARGE'; readonly persons: number; readonly max: number };

export class RegisterStaging {
  private readonly buffers = new Map<number, string>();
  private added = 0;

  private constructor(
    private readonly storeDir: string,
    readonly folder: string,
  ) {}

  static async begin(storeDir: string): Promise<RegisterStaging> {
    const folder = `register-${randomBytes(8).toString('hex')}`;
    await mkdir(join(storeDir, folder, STAGE), { recursive: true, mode: 0o700 });
    return new RegisterStaging(storeDir, folder);
  }

  private path(...parts: string[]): string {
    return join(this.storeDir, this.folder, ...parts);
  }

  async add(person: InsuredPerson, line: number): Promise<void> {
    const bucket = shardOfKey(person.kvnr, BUCKETS);
    const text = `${this.buffers.get(bucket) ?? ''}${JSON.stringify([line, person])}\n`;
    this.added += 1;
    if (text.length < FLUSH_CHARS) this.buffers.set(bucket, text);
    else {
      this.buffers.delete(bucket);
      await appendFile(this.path(STAGE, `${bucket}.jsonl`), text, { mode: 0o600 });
    }
  }

  private async flushAll(): Promise<void> {
    for (const [bucket, text] of this.buffers) await appendFile(this.path(STAGE, `${bucket}.jsonl`), text, { mode: 0o600 });
    this.buffers.clear();
  }

  private async readLines<T>(name: string): Promise<T[]> {
    let text: string;
    try {
      text = await readFile(this.path(STAGE, name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as T);
  }

  /** Distinct persons per bucket, first row wins; the lines of the repeats. */
  private async distinct(bucket: number, duplicates: number[]): Promise<InsuredPerson[]> {
    const rows = (await this.readLines<[number, InsuredPerson]>(`${bucket}.jsonl`)).sort((a, b) => a[0] - b[0]);
    const seen = new Set<string>();
    const persons: InsuredPerson[] = [];
    for (const [line, person] of rows) {
      if (seen.has(person.kvnr)) duplicates.push(line);
      else {
        seen.add(person.kvnr);
        persons.push(person);
      }
    }
    return persons;
  }

  /** Writes the shards and the birth-date index; refuses (and keeps nothing) above `maxPersons`. */
  async finish(maxPersons: number | undefined): Promise<Staged> {
    await this.flushAll();
    const duplicates: number[] = [];
    let persons = 0;
    for (let b = 0; b < BUCKETS; b++) persons += (await this.distinct(b, [])).length;
    if (maxPersons !== undefined && persons > maxPersons) {
      await this.abort();
      return { status: 'TOO_LARGE', persons, max: maxPersons };
    }
    const shards = shardCountFor(persons);
    const counts = Array<number>(shards).fill(0);
    const bornCounts = Array<number>(shards).fill(0);
    // Shards line up with buckets (both powers of two): a group of buckets fills a group of shards.
    const groups = Math.min(shards, BUCKETS);
    for (let g = 0; g < groups; g++) {
      const group: InsuredPerson[] = [];
      for (let b = g; b < BUCKETS; b += groups) group.push(...(await this.distinct(b, duplicates)));
      const byShard = new Map<number, InsuredPerson[]>();
      const bornLines = new Map<number, string[]>();
      for (const person of group) {
        const shard = shardOfKey(person.kvnr, shards);
        const list = byShard.get(shard);
        if (list) list.push(person);
        else byShard.set(shard, [person]);
        const bucket = shardOfKey(person.birthDate, BUCKETS);
        const lines = bornLines.get(bucket);
        const line = JSON.stringify([person.birthDate, person.kvnr]);
        if (lines) lines.push(line);
        else bornLines.set(bucket, [line]);
      }
      for (const [bucket, lines] of bornLines) {
        await appendFile(this.path(STAGE, `born-${bucket}.jsonl`), `${lines.join('\n')}\n`, { mode: 0o600 });
      }
      const files = [...byShard].map(([shard, list]) => {
        counts[shard] = list.length;
        return { name: personShardName(shard), content: JSON.stringify({ persons: list }) };
      });
      await writeFilesDurably(this.path(), files);
    }
    // The birth-date index the same way, from its own buckets: one group of dates in memory at a time.
    for (let g = 0; g < groups; g++) {
      const byShard = new Map<number, Map<string, string[]>>();
      for (let b = g; b < BUCKETS; b += groups) {
        for (const [date, kvnr] of await this.readLines<[string, string]>(`born-${b}.jsonl`)) {
          const shard = shardOfKey(date, shards);
          const dates = byShard.get(shard) ?? new Map<string, string[]>();
          const kvnrs = dates.get(date);
          if (kvnrs) kvnrs.push(kvnr);
          else dates.set(date, [kvnr]);
          byShard.set(shard, dates);
        }
      }
      const files = [...byShard].map(([shard, dates]) => {
        bornCounts[shard] = dates.size;
        return { name: bornShardName(shard), content: JSON.stringify({ entries: Object.fromEntries(dates) }) };
      });
      await writeFilesDurably(this.path(), files);
    }
    await rm(this.path(STAGE), { recursive: true, force: true });
    await fsyncDirectory(this.path());
    await fsyncDirectory(this.storeDir);
    const meta: RegisterMeta = { format: 2, folder: this.folder, persons, shards, counts, bornCounts };
    return { status: 'STAGED', meta, duplicateLines: duplicates.sort((a, b) => a - b) };
  }

  get rows(): number {
    return this.added;
  }

  /** The swap: register.json names the new folder (one atomic rename); then the other folders go. */
  async commit(meta: RegisterMeta): Promise<void> {
    await writeFileDurably(join(this.storeDir, REGISTER_FILE_NAME), JSON.stringify(meta));
    await removeOtherFolders(this.storeDir, meta.folder);
  }

  abort(): Promise<void> {
    return rm(this.path(), { recursive: true, force: true });
  }
}

/** Register folders that register.json does not name: a replaced register, or an import cut short. */
export async function removeOtherFolders(storeDir: string, keep: string | undefined): Promise<void> {
  for (const name of await readdir(storeDir)) {
    if (FOLDER.test(name) && name !== keep) await rm(join(storeDir, name), { recursive: true, force: true });
  }
}
