/** Runs the account store contract (account-store.contract.ts) against every adapter. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShardedAccountStore } from '../../src-main/store/account-store.js';
import { describe } from 'vitest';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { PgAccountStore } from '../../src-main/store/pg/account-store.js';
import { accountStoreContract } from './account-store.contract.js';
import { freshDatabase, pgAdminUrl } from '../fixtures/pg.js';

/** Every file below `dir` (account files, index shards, the catalog). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

accountStoreContract('lowdb in memory', () => Promise.resolve({ store: ShardedAccountStore.inMemory() }));

accountStoreContract('lowdb files (durable, sharded)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-store-'));
  const open = () => ShardedAccountStore.openDirectory(dir, 8);
  return {
    store: await open(),
    reopen: open,
    second: open,
    // Locks and caches live in memory per instance: one process per directory (the data-directory lock).
    sharedBacking: false,
    backingContents: () => Promise.resolve(filesUnder(dir).map((file) => readFileSync(file, 'utf8'))),
    close: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
});

describe.skipIf(!pgAdminUrl)('PostgreSQL', () => {
  accountStoreContract('PostgreSQL (shared by several terminals)', async () => {
    const database = await freshDatabase();
    const opened: PgDatabase[] = [];
    const open = () => {
      const db = new PgDatabase({ url: database.url, poolSize: 4 });
      opened.push(db);
      return Promise.resolve(new PgAccountStore(db));
    };
    return {
      store: await open(),
      reopen: open,
      second: open,
      sharedBacking: true,
      version: async (id) => {
        const rows = await opened[0]?.query<{ v: string }>('SELECT xmin::text AS v FROM accounts WHERE id = $1', [id]);
        return rows?.rows[0]?.v ?? 'missing';
      },
      backingContents: async () => {
        const rows = await opened[0]?.query<{ t: string }>(
          `SELECT t FROM (SELECT doc::text AS t FROM accounts UNION ALL SELECT line FROM audit_events) AS everything`,
        );
        return [...(rows?.rows.map((r) => r.t) ?? []), 'tables read'];
      },
      close: async () => {
        for (const db of opened) await db.close();
        await database.drop();
      },
    };
  });
});
