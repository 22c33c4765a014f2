/**
 * `npm run store:migrate`: a kiosk's embedded store moved into a branch database. Everything a
 * person or the counter had is there afterwards and works with the branch key (the data
 * directory's key): the login, the mailbox, the staff member's TOTP, the counter's queue; the
 * chain in the database starts by naming the file trail's end; a second run refuses.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src-main/app.js';
import { verifyPgTrail } from '../../src-main/audit/pg-audit-trail.js';
import { parseConfig } from '../../src-main/config/config.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { erikaInput, fastPasswords } from '../fixtures/harness.js';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ASSETS = join(ROOT, 'assets');
const WHO = { actor: 'test', terminal: 'kiosk-1' };

describe.skipIf(!pgAdminUrl)('moving a kiosk to a branch database', () => {
  let database: TestDatabase;
  let root: string;
  let accountId = '';

  beforeAll(async () => {
    database = await freshDatabase({ migrate: false });
    root = mkdtempSync(join(tmpdir(), 'kontokiosk-migrate-'));
    const mails: { text: string }[] = [];
    const app = await openApp({
      dataDir: join(root, 'kiosk'),
      assetsDir: ASSETS,
      passwords: fastPasswords,
      mailer: { send: (m) => Promise.resolve(void mails.push(m)) },
    });
    const registered = await app.core.registration.register(WHO, erikaInput());
    if (!registered.ok) throw new Error(registered.error.code);
    accountId = registered.value.accountId;
    const code = /^\s+(\d{8})$/m.exec(mails.at(-1)?.text ?? '')?.[1] ?? '';
    expect((await app.core.email.confirm(WHO, accountId, { email: 'erika@example.org', code })).ok).toBe(true);
    const started = await app.core.identity.startPostident(WHO, accountId);
    if (!started.ok) throw new Error(started.error.code);
    const { caseId } = started.value;
    await app.core.identity.postidentResult(caseId, 'SUCCESS');
    await app.core.mailbox.decide(WHO, accountId, true);
    expect((await app.core.mailbox.write(accountId, { subject: 'Frage vor dem Umzug', body: 'Guten Tag' })).ok).toBe(true);
    expect((await app.core.staff.createFromMachine({ username: 'desk.one', role: 'staff' })).ok).toBe(true);
    await app.core.help.request('kiosk-1');
    await app.close();
  }, 60_000);

  afterAll(async () => {
    await database?.drop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const migrate = () =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src-main/cli/store-migrate.ts', join(root, 'kiosk'), database.url, '--key-file', join(root, 'branch.key')],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
    );

  it('moves every account, message, staff member and queue item, and the kiosk goes on from the database', async () => {
    const result = migrate();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      `migrated 1 accounts (3 mailbox messages), ${DEMO_REGISTER.length} register persons, 1 staff and 2 queue items`,
    );
    expect(readFileSync(join(root, 'branch.key'))).toEqual(readFileSync(join(root, 'kiosk', 'secret.key')));

    const config = parseConfig({ store: { kind: 'postgres', url: database.url, keyFile: join(root, 'branch.key') } });
    const app = await openApp({ dataDir: join(root, 'terminal'), assetsDir: ASSETS, config, passwords: fastPasswords });
    try {
      const login = await app.core.login.withPassword(WHO, { username: 'erika.m', password: 'Heide*Blume7' });
      expect(login.ok && login.value.accountId).toBe(accountId);
      const messages = await app.core.mailbox.messages(accountId);
      expect(messages.ok && messages.value.map((m) => m.subject)).toContain('Frage vor dem Umzug');
      expect((await app.core.deps.accounts.get(accountId))?.mailbox.messages).toBeUndefined();
      expect((await app.core.deps.staff.findByUsernameKey('desk.one'))?.role).toBe('staff');
      expect(await app.core.deps.inbox.list(10)).toHaveLength(1);
      expect(await app.core.deps.inbox.listHelp(10)).toHaveLength(1);
      expect(await app.core.deps.register.count()).toBe(DEMO_REGISTER.length);
    } finally {
      await app.close();
    }
    const db = new PgDatabase({ url: database.url });
    try {
      const key = readFileSync(join(root, 'branch.key'));
      const check = await verifyPgTrail(db, key);
      expect(check.ok).toBe(true);
      const first = await db.query<{ line: string }>('SELECT line FROM audit_events WHERE seq = 1');
      const entry = JSON.parse(first.rows[0]?.line ?? '{}') as { type: string; data: Record<string, unknown> };
      expect(entry.type).toBe('STORE_MIGRATED');
      expect(entry.data).toMatchObject({ accounts: 1, staff: 1, fileTrailLastSeq: expect.any(Number) });
    } finally {
      await db.close();
    }
  });

  it('refuses a second run into a database that already holds data', () => {
    const again = migrate();
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already holds data; the target must be empty');
  });
});
