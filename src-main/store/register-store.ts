/** The register of insured persons (master data). Rewritten only by an import, read by KVNR. */
import { Low, Memory } from 'lowdb';
import { join } from 'node:path';
import type { RegisterStore } from '../core/ports.js';
import type { InsuredPerson } from '../core/register/person.js';
import { DurableJsonFile, removeStaleTempFiles } from './durable-file.js';

interface RegisterData {
  persons: InsuredPerson[];
}

export class LowdbRegisterStore implements RegisterStore {
  private byKvnr = new Map<string, InsuredPerson>();

  private constructor(private readonly db: Low<RegisterData>) {
    this.reindex();
  }

  static async openDirectory(dir: string): Promise<LowdbRegisterStore> {
    await removeStaleTempFiles(dir);
    const db = new Low<RegisterData>(new DurableJsonFile(join(dir, 'register.json')), { persons: [] });
    await db.read();
    return new LowdbRegisterStore(db);
  }

  static inMemory(persons: readonly InsuredPerson[] = []): LowdbRegisterStore {
    return new LowdbRegisterStore(new Low<RegisterData>(new Memory<RegisterData>(), { persons: [...persons] }));
  }

  private reindex(): void {
    this.byKvnr = new Map(this.db.data.persons.map((p) => [p.kvnr, p]));
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
