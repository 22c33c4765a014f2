/**
 * A register import that dies half way (its process killed, its connection lost) leaves its
 * staging table behind: a full copy of the register's personal data, outside every rule that
 * governs the register. The next import removes it; two imports never run at once, so a staging
 * table found by an import is never one that is still being filled.
 */
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { copyLine, PgRegisterStore, replaceRegister } from '../../src-main/store/pg/register-store.js';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';

describe.skipIf(!pgAdminUrl)('staging tables of register imports that died', () => {
  let database: TestDatabase;
  let db: PgDatabase;

  beforeEach(async () => {
    database = await freshDatabase();
    db = new PgDatabase({ url: database.url });
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
  });

  const stagingTables = async () =>
    (await db.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relname LIKE 'register\\_staging\\_%' AND relkind = 'r'`))
      .rows;

  /** Polls the server (not the clock) until the import's COPY is running; its backend pid. */
  async function copyRunning(): Promise<number> {
    for (let i = 0; i < 500; i++) {
      const found = await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE query LIKE 'COPY register_staging_%'`);
      if (found.rows[0]) return found.rows[0].pid;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the import never started its COPY');
  }

  it('are removed by the next import, which then swaps its register in', async () => {
    const lines = new PassThrough();
    lines.write(copyLine(DEMO_REGISTER[0] ?? (undefined as never)));
    const dying = replaceRegister(db, lines).catch((error: unknown) => error);
    const pid = await copyRunning();
    const admin = new pg.Client(database.url);
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.end();
    expect(await dying).toBeInstanceOf(Error);
    lines.destroy();
    expect(await stagingTables()).toHaveLength(1);

    await new PgRegisterStore(db).replaceAll(DEMO_REGISTER);
    expect(await stagingTables()).toEqual([]);
    expect(await new PgRegisterStore(db).count()).toBe(DEMO_REGISTER.length);
  });

  it('two imports at once each finish whole, one after the other: neither removes the other’s staging table', async () => {
    const register = new PgRegisterStore(db);
    const smaller = DEMO_REGISTER.slice(0, 2);
    const results = await Promise.allSettled([register.replaceAll(DEMO_REGISTER), register.replaceAll(smaller)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect([DEMO_REGISTER.length, smaller.length]).toContain(await register.count());
    expect(await stagingTables()).toEqual([]);
  });

  it('a table that merely looks like a staging table but has another name is left alone', async () => {
    await db.query('CREATE TABLE "register_staging_X; DROP TABLE accounts" (n int)');
    await new PgRegisterStore(db).replaceAll(DEMO_REGISTER);
    expect((await stagingTables()).map((t) => t.relname)).toEqual(['register_staging_X; DROP TABLE accounts']);
    expect(await db.query('SELECT count(*) FROM accounts')).toMatchObject({ rows: [{ count: '0' }] });
  });
});
