/**
 * A register row the branch database cannot store is refused by its line (R1): a NUL in a name,
 * an address or a receipt made PostgreSQL refuse the whole COPY, so one damaged row of an export
 * stopped the import of every other person.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importRegisterCsv } from '../../src-main/core/register/csv-import.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { PgRegisterStore } from '../../src-main/store/pg/register-store.js';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';

const HEADER = 'kvnr;first_name;last_name;birth_date;street;postal_code;city;insurance_start;insurance_end;card_number;receipts';
const ERIKA = 'A123456780;Erika;Mustermann;12.08.1984;Heidestraße 17;51147;Köln;01.01.2004;;80276883110000012345;';
const WITH_NUL =
  'X110411675;Xa\u0000ver;Beispiel;01.02.1990;Weg 2;53111;Bonn;01.01.2004;;80276883110000012346;2026-03-04|Praxis\u0000|Kontrolle|1,00';

describe('a register row with a NUL character', () => {
  it('is rejected by its line, naming the columns', () => {
    const report = importRegisterCsv([HEADER, ERIKA, WITH_NUL].join('\n'));
    if ('error' in report) throw new Error('unexpected');
    expect(report.accepted.map((p) => p.kvnr)).toEqual(['A123456780']);
    expect(report.rejected).toEqual([{ line: 3, reasons: ['first_name: contains a NUL character', 'receipts: contains a NUL character'] }]);
  });
});

describe.skipIf(!pgAdminUrl)('a register with one row holding a NUL, on a branch database', () => {
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

  it('imports every other person', async () => {
    const report = importRegisterCsv([HEADER, ERIKA, WITH_NUL].join('\n'));
    if ('error' in report) throw new Error('unexpected');
    const register = new PgRegisterStore(db);
    await register.replaceAll(report.accepted);
    expect(await register.count()).toBe(1);
    expect((await register.getByKvnr('A123456780'))?.street).toBe('Heidestraße 17');
  });
});
