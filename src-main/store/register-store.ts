/**
 * The register of insured persons (master data). Rewritten only by an import, read by KVNR. The
 * file is checked against its schema on open; whether a missing file is allowed (a new data
 * directory) is decided at start-up, not here.
 */
import { Low, Memory } from 'lowdb';
import { join } from 'node:path';
import type { RegisterStore } from '../core/ports.js';
import type { InsuredPerson } from '../core/register/person.js';
import { removeStaleTempFiles, writeFileDurably } from '../lib/durable-file.js';
import { DurableJsonFile } from './durable-json-file.js';
import { REGISTER_FILE } from './schemas.js';

export const REGISTER_FILE_NAME = 'register.json';

interface RegisterData {
  persons: InsuredPerson[];
}

export class LowdbRegisterStore implements RegisterStore {
  private byKvnr = new Map<string, InsuredPerson>();
  /** The counter's search by name and birth date reaches persons through this index. */
  private byBirthDate = new Map<string, InsuredPerson[]>();

  private constructor(private readonly db: Low<RegisterData>) {
    this.reindex();
  }

  static async openDirectory(dir: string): Promise<LowdbRegisterStore> {
    await removeStaleTempFiles(dir);
    const db = new Low<RegisterData>(new DurableJsonFile<RegisterData>(join(dir, REGISTER_FILE_NAME), REGISTER_FILE), { persons: [] });
    await db.read();
    return new LowdbRegisterStore(db);
  }

  static inMemory(persons: readonly InsuredPerson[] = []): LowdbRegisterStore {
    return new LowdbRegisterStore(new Low<RegisterData>(new Memory<RegisterData>(), { persons: [...persons] }));
  }

  private reindex(): void {
    this.byKvnr = new Map(this.db.data.persons.map((p) => [p.kvnr, p]));
    this.byBirthDate = new Map();
    for (const person of this.db.data.persons) {
      const born = this.byBirthDate.get(person.birthDate);
      if (born) born.push(person);
      else this.byBirthDate.set(person.birthDate, [person]);
    }
  }

  missingFrom(kvnrs: ReadonlySet<string>): Promise<readonly string[]> {
    return Promise.resolve([...this.byKvnr.keys()].filter((kvnr) => !kvnrs.has(kvnr)));
  }

  findByBirthDate(birthDate: string): Promise<readonly InsuredPerson[]> {
    return Promise.resolve(this.byBirthDate.get(birthDate) ?? []);
  }

  getByKvnr(kvnr: string): Promise<InsuredPerson | undefined> {
    return Promise.resolve(this.byKvnr.get(kvnr));
  }

  async replaceAll(persons: readonly InsuredPerson[]): Promise<void> {
    const previous = this.db.data;
    this.db.data = { persons: [...persons] };
    try {
      await this.db.write();
    } catch (error) {
      this.db.data = previous;
      throw error;
    }
    this.reindex();
  }

  count(): Promise<number> {
    return Promise.resolve(this.byKvnr.size);
  }
}

/** Replaces the register file whole without reading the old one (an import may repair a damaged file). */
export async function writeRegisterFile(dir: string, persons: readonly InsuredPerson[]): Promise<void> {
  await removeStaleTempFiles(dir);
  await writeFileDurably(join(dir, REGISTER_FILE_NAME), JSON.stringify({ persons }));
}
