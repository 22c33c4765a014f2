/**
 * The outbox's sweep for accounts deleted at another terminal deletes on proof only (R9, R14): an
 * account the database merely does not hold (a terminal pointed at a wrong or new database, a
 * database restored from an older backup or lagging behind) keeps the letters, mails and SMS
 * waiting here; only a deletion the branch's trail records takes them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src-main/app.js';
import { parseConfig } from '../../src-main/config/config.js';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { PgRegisterStore } from '../../src-main/store/pg/register-store.js';
import { erikaInput, fastPasswords } from '../fixtures/harness.js';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';

const ASSETS = resolve(import.meta.dirname, '../../assets');

describe.skipIf(!pgAdminUrl)('the outbox sweep of a terminal on a branch database', () => {
  const databases: TestDatabase[] = [];
  let root: string;

  const database = async () => {
    const made = await freshDatabase();
    databases.push(made);
    const db = new PgDatabase({ url: made.url });
    await new PgRegisterStore(db).replaceAll(DEMO_REGISTER);
    await db.close();
    return made;
  };
  const open = (url: string) =>
    openApp({
      dataDir: join(root, 'kiosk'),
      assetsDir: ASSETS,
      config: parseConfig({ terminalId: 'kiosk-a', store: { kind: 'postgres', url, keyFile: join(root, 'branch.key') } }),
      passwords: fastPasswords,
    });
  const mails = (app: App) => readdirSync(join(app.paths.outbox, 'mail')).filter((f) => f.endsWith('.eml'));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kontokiosk-pgsweep-'));
    writeFileSync(join(root, 'branch.key'), randomBytes(32), { mode: 0o600 });
  });
  afterEach(async () => {
    for (const made of databases.splice(0)) await made.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it('started on another, empty database, keeps the items of accounts that database does not know', async () => {
    const first = await open((await database()).url);
    const registered = await first.core.registration.register({ actor: 'test', terminal: 'kiosk-a' }, erikaInput());
    if (!registered.ok) throw new Error(registered.error.code);
    expect(mails(first)).toHaveLength(1);
    await first.close();

    const other = await open((await database()).url);
    try {
      expect(mails(other)).toHaveLength(1);
      expect(await other.sweepOutbox()).toBe(0);
      expect(mails(other)).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('keeps the items of an account that is gone from the database without a recorded deletion', async () => {
    const app = await open((await database()).url);
    try {
      const registered = await app.core.registration.register({ actor: 'test', terminal: 'kiosk-a' }, erikaInput());
      if (!registered.ok) throw new Error(registered.error.code);
      await app.core.deps.accounts.delete(registered.value.accountId);
      expect(await app.sweepOutbox()).toBe(0);
      expect(mails(app)).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
