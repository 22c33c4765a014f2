/**
 * Deletion on a branch (R9): an account deleted at one terminal leaves nothing in another
 * terminal's outbox. That terminal's own purge cannot reach the other's disk, so each terminal
 * sweeps its outbox for items of accounts the branch database no longer holds.
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
import { crashPerson } from '../fixtures/crash-persons.js';
import { erikaInput, fastPasswords } from '../fixtures/harness.js';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';

const ASSETS = resolve(import.meta.dirname, '../../assets');

describe.skipIf(!pgAdminUrl)('outbox items of an account deleted at another terminal', () => {
  let database: TestDatabase;
  let root: string;
  const apps: App[] = [];

  beforeEach(async () => {
    database = await freshDatabase();
    const db = new PgDatabase({ url: database.url });
    await new PgRegisterStore(db).replaceAll([...DEMO_REGISTER, crashPerson(1)]);
    await db.close();
    root = mkdtempSync(join(tmpdir(), 'kontokiosk-pgoutbox-'));
    writeFileSync(join(root, 'branch.key'), randomBytes(32), { mode: 0o600 });
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await database.drop();
    rmSync(root, { recursive: true, force: true });
  });

  const terminal = async (name: string) => {
    const config = parseConfig({ terminalId: name, store: { kind: 'postgres', url: database.url, keyFile: join(root, 'branch.key') } });
    const app = await openApp({ dataDir: join(root, name), assetsDir: ASSETS, config, passwords: fastPasswords });
    apps.push(app);
    return app;
  };
  const itemsOf = (app: App, accountId: string) => readdirSync(join(app.paths.outbox, 'mail')).filter((f) => f.includes(`~${accountId}.`));

  it('are removed by that terminal’s sweep; items of accounts that still exist stay', async () => {
    const a = await terminal('kiosk-a');
    const b = await terminal('kiosk-b');
    const who = { actor: 'test', terminal: 'kiosk-a' };
    const erika = await a.core.registration.register(who, erikaInput());
    const max = crashPerson(1);
    if (!erika.ok) throw new Error('setup');
    const other = await a.core.registration.register(
      who,
      erikaInput({
        kvnr: max.kvnr,
        firstName: max.firstName,
        lastName: max.lastName,
        birthDate: max.birthDate,
        email: 'max@example.org',
        username: 'vorname.eins',
      }),
    );
    if (!other.ok) throw new Error(other.error.code);
    expect(itemsOf(a, erika.value.accountId)).toHaveLength(1);

    const deleted = await b.core.services.deleteAccount({ actor: 'test', terminal: 'kiosk-b' }, erika.value.accountId, {
      password: 'Heide*Blume7',
      confirm: true,
    });
    expect(deleted.ok).toBe(true);
    // Kiosk B's purge ran on kiosk B's disk; kiosk A still holds the e-mail until its sweep.
    expect(itemsOf(a, erika.value.accountId)).toHaveLength(1);
    expect(await a.sweepOutbox()).toBe(1);
    expect(itemsOf(a, erika.value.accountId)).toEqual([]);
    expect(itemsOf(a, other.value.accountId)).toHaveLength(1);
  });
});
