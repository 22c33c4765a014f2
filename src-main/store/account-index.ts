/**
 * The account store's on-disk indexes (KVNR, username key, POSTIDENT case → account id): small
 * shard files chosen by a hash of the key, read when first needed and kept in a bounded cache, so
 * start-up reads none of them and memory does not grow with the number of accounts.
 *
 * Threat: an index shard that was deleted, emptied or restored from an older copy would make
 * accounts unfindable and their KVNR or username free for a second account. The catalog counts
 * the entries of every shard; a shard read from disk with another count is refused by name.
 */
import { join } from 'node:path';
import { writeFileDurably } from '../lib/durable-file.js';
import { INDEX_DIR, INDEX_SCHEMA, indexFileName, indexShardOf, type Catalog, type IndexKind, type IndexShard } from './account-layout.js';
import { DamagedFileError, readJsonFile } from './json-file.js';

const CACHED_SHARDS = 768;

export class AccountIndex {
  private readonly cache = new Map<string, Promise<IndexShard>>();

  constructor(
    private readonly root: string,
    readonly shards: number,
    /** Shared with the store: its entry counts move with every shard written. */
    private readonly catalog: Catalog,
  ) {}

  path(kind: IndexKind, shard: number): string {
    return join(this.root, INDEX_DIR, indexFileName(kind, shard));
  }

  private load(kind: IndexKind, shard: number): Promise<IndexShard> {
    const name = indexFileName(kind, shard);
    const cached = this.cache.get(name);
    if (cached) {
      this.cache.delete(name);
      this.cache.set(name, cached);
      return cached;
    }
    const loading = (async () => {
      const file = this.path(kind, shard);
      const data = (await readJsonFile<IndexShard>(file, INDEX_SCHEMA)) ?? { entries: {} };
      const expected = this.catalog.entries[kind][shard] ?? 0;
      const found = Object.keys(data.entries).length;
      if (found !== expected) {
        throw new DamagedFileError(
          file,
          `it holds ${found} entries where the catalog counts ${expected} (deleted, or restored from another time); ` +
            'restore the store folder from the backup, or rebuild the indexes with npm run store:check -- --repair',
        );
      }
      return data;
    })();
    this.cache.set(name, loading);
    loading.catch(() => this.cache.delete(name));
    while (this.cache.size > CACHED_SHARDS) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return loading;
  }

  async get(kind: IndexKind, key: string): Promise<string | undefined> {
    const shard = await this.load(kind, indexShardOf(key, this.shards));
    return Object.hasOwn(shard.entries, key) ? shard.entries[key] : undefined;
  }

  /** Sets (id) or removes (undefined) one entry, durably; the caller holds the store's catalog lock. */
  async put(kind: IndexKind, key: string, id: string | undefined): Promise<void> {
    const index = indexShardOf(key, this.shards);
    const shard = await this.load(kind, index);
    const current = Object.hasOwn(shard.entries, key) ? shard.entries[key] : undefined;
    if (current === id) return;
    const entries = { ...shard.entries };
    if (id === undefined) delete entries[key];
    else entries[key] = id;
    await writeFileDurably(this.path(kind, index), JSON.stringify({ entries }));
    // Only once on disk: a failed write leaves the cached shard and its count as they were.
    shard.entries = entries;
    this.catalog.entries[kind][index] = Object.keys(entries).length;
  }

  /**
   * Repair after a cut-short change: takes the shard holding `key` as it is on disk (the change's
   * intent says it may be ahead of the catalog) and sets the catalog's count to it.
   */
  async recount(kind: IndexKind, key: string): Promise<void> {
    const index = indexShardOf(key, this.shards);
    this.cache.delete(indexFileName(kind, index));
    const data = (await readJsonFile<IndexShard>(this.path(kind, index), INDEX_SCHEMA)) ?? { entries: {} };
    this.catalog.entries[kind][index] = Object.keys(data.entries).length;
  }

  /** Forgets every cached shard (after a repair rewrote them). */
  clear(): void {
    this.cache.clear();
  }
}
