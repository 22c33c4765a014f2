/**
 * A small lowdb store of records by id in one durable JSON file: the staff accounts and the
 * counter's inbox (a branch has dozens of staff and a queue of messages, not millions). Writes are
 * serialised and resolve only when the file is on disk; a failed write restores the record.
 */
import { Low, Memory } from 'lowdb';
import { KeyedMutex } from '../lib/keyed-mutex.js';
import { DurableJsonFile } from './durable-json-file.js';
import type { JsonSchema } from './json-file.js';

export interface RecordData<T> {
  records: Record<string, T>;
}

export class RecordFileStore<T extends { readonly id: string }> {
  private readonly lock = new KeyedMutex();

  private constructor(private readonly db: Low<RecordData<T>>) {}

  static async open<T extends { readonly id: string }>(path: string, schema: JsonSchema): Promise<RecordFileStore<T>> {
    const db = new Low<RecordData<T>>(new DurableJsonFile<RecordData<T>>(path, schema), { records: {} });
    await db.read();
    return new RecordFileStore(db);
  }

  static inMemory<T extends { readonly id: string }>(): RecordFileStore<T> {
    return new RecordFileStore(new Low<RecordData<T>>(new Memory<RecordData<T>>(), { records: {} }));
  }

  get(id: string): T | undefined {
    return Object.hasOwn(this.db.data.records, id) ? this.db.data.records[id] : undefined;
  }

  all(): readonly T[] {
    return Object.values(this.db.data.records);
  }

  /** Runs `change` under the store's lock; it returns the record to write (or undefined to delete) and a result. */
  mutate<R>(id: string, change: (current: T | undefined) => { write?: { value: T | undefined }; result: R }): Promise<R> {
    return this.lock.run('file', async () => {
      const current = this.get(id);
      const { write, result } = change(current);
      if (!write) return result;
      if (write.value === undefined) delete this.db.data.records[id];
      else this.db.data.records[id] = write.value;
      try {
        await this.db.write();
      } catch (error) {
        if (current === undefined) delete this.db.data.records[id];
        else this.db.data.records[id] = current;
        throw error;
      }
      return result;
    });
  }

  /** Removes every record the predicate names, in one write. */
  removeWhere(predicate: (record: T) => boolean): Promise<number> {
    return this.lock.run('file', async () => {
      const gone = Object.values(this.db.data.records).filter(predicate);
      if (gone.length === 0) return 0;
      const before = { ...this.db.data.records };
      for (const record of gone) delete this.db.data.records[record.id];
      try {
        await this.db.write();
      } catch (error) {
        this.db.data.records = before;
        throw error;
      }
      return gone.length;
    });
  }
}
