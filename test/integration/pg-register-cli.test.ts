/**
 * `npm run register:import` on a branch database: the file streams into a staging table and is
 * swapped in whole; duplicates are named by line and the first is kept; a file without a valid
 * row changes nothing; the import is in the branch's audit chain.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPgTrail } from '../../src-main/audit/pg-audit-trail.js';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { PgRegisterStore } from '../../src-main/store/pg/register-store.js';
import { crashRegister } from '../fixtures/crash-persons.js';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';

const ROOT = resolve(import.meta.dirname, '../..');
const HEADER = 'kvnr;first_name;last_name;birth_date;street;postal_code;city;insurance_start;insurance_end;card_number;receipts';

describe.skipIf(!pgAdminUrl)('register import into a branch database', () => {
  let database: TestDatabase;
  let dir: string;
  let db: PgDatabase;
  const key = randomBytes(32);

  beforeEach(async () => {
    database = await freshDatabase();
    db = new PgDatabase({ url: database.url });
    await new PgRegisterStore(db).replaceAll(DEMO_REGISTER);
    dir = mkdtempSync(join(tmpdir(), 'kontokiosk-pgimport-'));
    writeFileSync(join(dir, 'branch.key'), key, { mode: 0o600 });
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ store: { kind: 'postgres', url: database.url, keyFile: join(dir, 'branch.key') } }),
    );
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const importFile = (rows: readonly string[]) => {
    writeFileSync(join(dir, 'register.csv'), [HEADER, ...rows].join('\n'));
    return spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src-main/cli/register-import.ts', join(dir, 'register.csv'), join(dir, 'data')],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, KONTOKIOSK_CONFIG: join(dir, 'config.json') },
        timeout: 60_000,
      },
    );
  };
  const row = (p: (typeof DEMO_REGISTER)[number]) =>
    [p.kvnr, p.firstName, p.lastName, p.birthDate, p.street, '10115', p.city, p.insuranceStart, '', p.cardNumber, ''].join(';');

  it('replaces the register whole, names duplicate lines and keeps the first, and records the import', async () => {
    const persons = crashRegister(5);
    const first = persons[0];
    if (!first) throw new Error('setup');
    const result = importFile([...persons.map(row), row({ ...first, firstName: 'Zweitname' })]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('line 7: rejected: kvnr: appears twice in the file');
    expect(result.stdout).toContain('imported 5 persons, rejected 1 rows, into the branch database');
    const register = new PgRegisterStore(db);
    expect(await register.count()).toBe(5);
    expect((await register.getByKvnr(first.kvnr))?.firstName).toBe(first.firstName);
    expect(await register.getByKvnr(DEMO_REGISTER[0]?.kvnr ?? '')).toBeUndefined();
    expect(await verifyPgTrail(db, key)).toEqual({ ok: true, code: 'INTACT', entries: 1 });
    const events = await db.query<{ type: string }>('SELECT type FROM audit_events');
    expect(events.rows.map((r) => r.type)).toEqual(['REGISTER_IMPORTED']);
  });

  it('a file without a valid row changes nothing', async () => {
    const result = importFile(['not;a;valid;row']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('not imported: no valid row');
    expect(await new PgRegisterStore(db).count()).toBe(DEMO_REGISTER.length);
  });
});
