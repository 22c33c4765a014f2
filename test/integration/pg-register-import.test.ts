/**
 * The register import in PostgreSQL at scale: loading and indexing a register takes far longer than
 * a terminal's statement timeout, and must not be cut off by it; the connection goes back to the
 * pool with the timeout in force again.
 */
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { PgRegisterStore, replaceRegister } from '../../src-main/store/pg/register-store.js';
import { crashPerson } from '../fixtures/crash-persons.js';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';

describe.skipIf(!pgAdminUrl)('register import in PostgreSQL', () => {
  let database: TestDatabase;
  let db: PgDatabase;

  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
  });

  it('an import longer than the statement timeout completes, and the timeout holds again afterwards', async () => {
    // One connection and a timeout of a tenth of a second: no load of 100 000 persons fits into it.
    db = new PgDatabase({ url: database.url, poolSize: 1, statementTimeoutMs: 100 });
    const persons = Array.from({ length: 100_000 }, (_, i) => crashPerson(i));
    const line = (p: (typeof persons)[number]) => `${p.kvnr}\t${p.birthDate}\tkey\t${JSON.stringify(p)}\n`;
    await replaceRegister(db, Readable.from(persons.map(line)));
    const check = new PgDatabase({ url: database.url });
    try {
      expect(await new PgRegisterStore(check).count()).toBe(100_000);
    } finally {
      await check.close();
    }
    const timeout = await db.query<{ statement_timeout: string }>('SHOW statement_timeout');
    expect(timeout.rows[0]?.statement_timeout).toBe('100ms');
  });

  it("the import's audit entry commits with the swap: when it cannot be written, the old register stays", async () => {
    db = new PgDatabase({ url: database.url });
    const line = (p: ReturnType<typeof crashPerson>) => `${p.kvnr}\t${p.birthDate}\tkey\t${JSON.stringify(p)}\n`;
    const first = Array.from({ length: 3 }, (_, i) => crashPerson(i));
    await replaceRegister(db, Readable.from(first.map(line)));
    const second = Array.from({ length: 5 }, (_, i) => crashPerson(10 + i));
    const seen: number[] = [];
    await expect(
      replaceRegister(db, Readable.from(second.map(line)), {
        beforeCommit: (_client, { persons }) => {
          seen.push(persons);
          return Promise.reject(new Error('the chain refuses the entry'));
        },
      }),
    ).rejects.toThrow('the chain refuses the entry');
    expect(seen).toEqual([5]);
    const register = new PgRegisterStore(db);
    expect(await register.count()).toBe(3);
    expect(await register.getByKvnr(first[0]?.kvnr ?? '')).toBeDefined();
    // No staging table is left behind, and the next import goes through.
    const left = await db.query("SELECT 1 FROM pg_class WHERE relname LIKE 'register\\_staging\\_%'");
    expect(left.rowCount).toBe(0);
    await replaceRegister(db, Readable.from(second.map(line)), { beforeCommit: () => Promise.resolve() });
    expect(await register.count()).toBe(5);
  });
});
