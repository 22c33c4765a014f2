/**
 * The branch database failing under a terminal (R14): unreachable at start, gone in the middle of
 * the day, every connection busy, a schema from a newer version, no branch key. Each gets a typed
 * answer or a plain refusal, nothing half done, and the terminal recovers without a restart.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src-main/app.js';
import { parseConfig } from '../../src-main/config/config.js';
import { StoreUnavailableError } from '../../src-main/core/ports.js';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { PgAccountStore } from '../../src-main/store/pg/account-store.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { migrateSchema } from '../../src-main/store/pg/migrate.js';
import { PgRegisterStore } from '../../src-main/store/pg/register-store.js';
import { sampleAccount } from '../contract/account-store.contract.js';
import { erikaInput, fastPasswords } from '../fixtures/harness.js';
import { startCluster, type Cluster } from '../../src-main/demo/pg-cluster.js';
import { freshDatabase, MIGRATIONS_DIR, pgAdminUrl } from '../fixtures/pg.js';

const ASSETS = resolve(import.meta.dirname, '../../assets');

function branchFiles(url: string, withKey = true) {
  const root = mkdtempSync(join(tmpdir(), 'kontokiosk-pgfault-'));
  const keyFile = join(root, 'branch.key');
  if (withKey) writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
  const config = parseConfig({ store: { kind: 'postgres', url, keyFile, connectionTimeoutMs: 500 } });
  return { root, keyFile, config, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

describe.skipIf(!pgAdminUrl)('start-up refusals on PostgreSQL', () => {
  it('refuses without a configured branch key file, and with a key file that is not there', async () => {
    const database = await freshDatabase();
    const files = branchFiles(database.url, false);
    try {
      const noKey = parseConfig({ store: { kind: 'postgres', url: database.url } });
      await expect(openApp({ dataDir: join(files.root, 'a'), assetsDir: ASSETS, config: noKey })).rejects.toMatchObject({
        code: 'BRANCH_KEY_MISSING',
        message: expect.stringContaining('store.keyFile'),
      });
      await expect(openApp({ dataDir: join(files.root, 'b'), assetsDir: ASSETS, config: files.config })).rejects.toMatchObject({
        code: 'BRANCH_KEY_MISSING',
      });
    } finally {
      files.cleanup();
      await database.drop();
    }
  });

  it('refuses an unreachable database plainly, without printing its password', async () => {
    const files = branchFiles('postgres://kiosk:Geheim-123@127.0.0.1:1/branch');
    try {
      const refused = openApp({ dataDir: join(files.root, 'a'), assetsDir: ASSETS, config: files.config });
      await expect(refused).rejects.toMatchObject({ code: 'DATABASE_UNREACHABLE', message: expect.stringContaining('127.0.0.1:1/branch') });
      await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining('Geheim') });
    } finally {
      files.cleanup();
    }
  });

  it('refuses a database whose schema a newer version migrated', async () => {
    const database = await freshDatabase();
    const client = new pg.Client(database.url);
    await client.connect();
    await client.query(`INSERT INTO schema_migrations (name, run_on) VALUES ('9999_from-the-future', now())`);
    await client.end();
    const files = branchFiles(database.url);
    try {
      await expect(openApp({ dataDir: join(files.root, 'a'), assetsDir: ASSETS, config: files.config })).rejects.toMatchObject({
        code: 'DATABASE_SCHEMA_NEWER',
        message: expect.stringContaining('9999_from-the-future'),
      });
    } finally {
      files.cleanup();
      await database.drop();
    }
  });

  it('migrating twice, or from two terminals at once, applies each migration once', async () => {
    const database = await freshDatabase({ migrate: false });
    try {
      const [first, second] = await Promise.all([migrateSchema(database.url, MIGRATIONS_DIR), migrateSchema(database.url, MIGRATIONS_DIR)]);
      expect([...first, ...second]).toEqual([
        '0001_branch-store',
        '0002_mailbox-messages',
        '0003_accounts-fillfactor',
        '0004_outbound',
        '0005_audited-change',
      ]);
      expect(await migrateSchema(database.url, MIGRATIONS_DIR)).toEqual([]);
    } finally {
      await database.drop();
    }
  });
});

describe.skipIf(!pgAdminUrl)('the database failing while terminals run', () => {
  let cluster: Cluster;
  let url: string;

  beforeAll(async () => {
    cluster = await startCluster();
    const parsed = new URL(cluster.adminUrl);
    url = parsed.toString();
    await migrateSchema(url, MIGRATIONS_DIR);
    const db = new PgDatabase({ url });
    await new PgRegisterStore(db).replaceAll(DEMO_REGISTER);
    await db.close();
  }, 60_000);

  afterAll(() => cluster?.stop());

  it('a killed server gives STORE_UNAVAILABLE, changes nothing, and the terminal goes on when it is back', async () => {
    const files = branchFiles(url);
    const app = await openApp({ dataDir: join(files.root, 'a'), assetsDir: ASSETS, config: files.config, passwords: fastPasswords });
    try {
      const call = (channel: string, input: unknown) =>
        app.dispatcher.dispatch(channel, input, { sessionToken: undefined, terminal: 'kiosk-1' });
      cluster.kill();
      const during = await call('registration.submit', erikaInput());
      expect(during.result).toEqual({ ok: false, error: { code: 'STORE_UNAVAILABLE' } });
      cluster.restart();
      // The same terminal, not restarted: the pool reconnects, and nothing of the refused call was kept.
      const after = await call('registration.submit', erikaInput());
      expect(after.result.ok).toBe(true);
      expect(await app.core.deps.accounts.count()).toBe(1);
    } finally {
      await app.close();
      files.cleanup();
    }
  });

  it('a connection ended in the middle of an update rolls it back whole', async () => {
    const db = new PgDatabase({ url });
    const store = new PgAccountStore(db);
    const admin = new pg.Client(url);
    await admin.connect();
    try {
      await store.insert(sampleAccount(77));
      // Another connection holds the row; our update waits on it, and then its connection is killed.
      const holder = new pg.Client(url);
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM accounts WHERE id = 'acc-77' FOR UPDATE`);
      // Its outcome is taken at once: the rejection may come before the test looks at it.
      const waiting = store
        .update('acc-77', (a) => ({ next: { ...a, login: { failures: 3 } }, result: 'written' }))
        .then(
          (written) => written,
          (error: unknown) => error,
        );
      await expect
        .poll(async () => (await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`)).rows[0].n)
        .toBe(1);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock'`);
      expect(await waiting).toBeInstanceOf(StoreUnavailableError);
      await holder.query('ROLLBACK');
      await holder.end();
      expect((await store.get('acc-77'))?.login.failures).toBe(0);
      // The pool hands out a working connection again.
      expect(await store.update('acc-77', (a) => ({ next: { ...a, login: { failures: 1 } }, result: 'ok' }))).toBe('ok');
      await store.delete('acc-77');
    } finally {
      await admin.end();
      await db.close();
    }
  });

  it('every connection busy: the caller waits briefly, then gets STORE_UNAVAILABLE instead of hanging', async () => {
    const db = new PgDatabase({ url, poolSize: 1, connectionTimeoutMs: 200 });
    const store = new PgAccountStore(db);
    try {
      const held = db.tx(async (client) => {
        await client.query('SELECT pg_sleep(1)');
      });
      await expect(store.count()).rejects.toBeInstanceOf(StoreUnavailableError);
      await held;
      expect(await store.count()).toBeGreaterThanOrEqual(0);
    } finally {
      await db.close();
    }
  });

  it('a deadlock with another transaction is retried, and the change is made once', async () => {
    const db = new PgDatabase({ url });
    const store = new PgAccountStore(db);
    const other = new pg.Client(url);
    await other.connect();
    try {
      await store.insert(sampleAccount(81));
      await store.insert(sampleAccount(82));
      let attempts = 0;
      await other.query('BEGIN');
      await other.query(`UPDATE accounts SET doc = doc WHERE id = 'acc-82'`);
      const both = db.tx(async (client) => {
        attempts += 1;
        // This side waits first, so PostgreSQL's deadlock check picks it: 40P01, then a retry.
        await client.query(`SET LOCAL deadlock_timeout = '200ms'`);
        await client.query(`UPDATE accounts SET doc = jsonb_set(doc, '{language}', '"en"') WHERE id = 'acc-81'`);
        await client.query(`UPDATE accounts SET doc = jsonb_set(doc, '{language}', '"en"') WHERE id = 'acc-82'`);
        return attempts;
      });
      await expect
        .poll(async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted`)).rows[0]?.n)
        .toBe(1);
      await other.query(`SET deadlock_timeout = '5s'`).catch(() => undefined);
      const closing = other.query(`UPDATE accounts SET doc = doc WHERE id = 'acc-81'`).then(() => other.query('COMMIT'));
      expect(await both).toBe(2);
      await closing;
      expect((await store.get('acc-81'))?.language).toBe('en');
      expect((await store.get('acc-82'))?.language).toBe('en');
    } finally {
      await other.end();
      await db.close();
    }
  });

  it('a transaction that keeps conflicting gives up with STORE_UNAVAILABLE and leaves nothing half done', async () => {
    const db = new PgDatabase({ url });
    const store = new PgAccountStore(db);
    try {
      await store.insert(sampleAccount(83));
      let attempts = 0;
      const conflicting = db.tx(async (client) => {
        attempts += 1;
        await client.query(`UPDATE accounts SET doc = jsonb_set(doc, '{language}', '"en"') WHERE id = 'acc-83'`);
        // As PostgreSQL reports a serialisation failure, every time.
        await client.query(`DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$`);
      }, 3);
      await expect(conflicting).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(attempts).toBe(3);
      expect((await store.get('acc-83'))?.language).toBe('de');
    } finally {
      await db.close();
    }
  });
});
