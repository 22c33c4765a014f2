/**
 * The store's lowdb adapter: every write goes through the durable write of lib/durable-file.ts,
 * every read is checked against the file's schema, so a damaged file stops the start instead of
 * loading as empty.
 */
import type { Adapter } from 'lowdb';
import { writeFileDurably } from '../lib/durable-file.js';
import { readJsonFile, type JsonSchema } from './json-file.js';

/**
 * Compact JSON, since nobody reads these by hand.
 * Every read is checked against the file's schema (DamagedFileError). A missing file reads as
 * null (lowdb's default data): whether that is allowed is decided at start-up, per data directory.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(
    private readonly path: string,
    private readonly schema: JsonSchema,
  ) {}

  async read(): Promise<T | null> {
    return (await readJsonFile<T>(this.path, this.schema)) ?? null;
  }

  write(data: T): Promise<void> {
    return writeFileDurably(this.path, JSON.stringify(data));
  }
}
