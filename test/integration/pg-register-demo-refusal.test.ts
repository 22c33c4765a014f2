/**
 * `npm run register:demo -- --replace` never puts fictional persons in place of a branch's real
 * register: a database that holds accounts or audit entries (a branch in use, or one whose real
 * register was imported and recorded) is refused with a plain message, and nothing changes.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PgAuditTrail } from '../../src-main/audit/pg-audit-trail.js';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { PgAccountStore } from '../../src-main/store/pg/account-store.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { PgRegisterStore } from '../../src-main/store/pg/register-store.js';
import { sampleAccount } from '../contract/account-store.contract.js';
import { crashRegister } from '../fixtures/crash-persons.js';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe.skipIf(!pgAdminUrl)('register:demo --replace on a branch database', () => {
  let database: TestDatabase;
  let db: PgDatabase;
  let dir: string;
  const real = crashRegister(4);

  beforeEach(async () => {
    database = await freshDatabase();
    db = new PgDatabase({ url: database.url });
    await new PgRegisterStore(db).replaceAll(real);
    dir = mkdtempSync(join(tmpdir(), 'kontokiosk-demoreg-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ store: { kind: 'postgres', url: database.url } }));
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const replace = () =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli/register-demo.ts', '--replace'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, KONTOKIOSK_CONFIG: join(dir, 'config.json') },
      timeout: 60_000,
    });
  const registerKept = async () => {
    const register = new PgRegisterStore(db);
    expect(await register.count()).toBe(real.length);
    expect(await register.getByKvnr(DEMO_REGISTER[0]?.kvnr ?? '')).toBeUndefined();
  };

  it('is refused where accounts exist', async () => {
    await new PgAccountStore(db).insert(sampleAccount(1));
    const run = replace();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('is in use (1 accounts, 0 audit entries)');
    await registerKept();
  });

  it('is refused where the audit trail records anything (a real register’s import)', async () => {
    await new PgAuditTrail(db, randomBytes(32)).append(
      { type: 'REGISTER_IMPORTED', actor: 'staff:operator', terminal: 'desk', data: { accepted: real.length, rejected: 0 } },
      new Date(),
    );
    const run = replace();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('is in use (0 accounts, 1 audit entries)');
    await registerKept();
  });

  it('replaces the register of a database nobody uses yet', async () => {
    const run = replace();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(await new PgRegisterStore(db).count()).toBe(DEMO_REGISTER.length);
  });
});
