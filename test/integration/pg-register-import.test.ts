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
});
