/**
 * How an account update meets other terminals in PostgreSQL: a decision that changes nothing (a
 * login on a clean account) neither takes nor waits for the row lock, and a write decided on a row
 * that another terminal changed meanwhile is decided again on the new row, never lost; and a
 * change stays on its row's page (leaving the indexes alone) even when the rows were packed in.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account } from '../../src-main/core/account.js';
import { PgAccountStore } from '../../src-main/store/pg/account-store.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { sampleAccount } from '../contract/account-store.contract.js';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';

describe.skipIf(!pgAdminUrl)('account updates in PostgreSQL', () => {
  let database: TestDatabase;
  let db: PgDatabase;
  let other: pg.Client;

  beforeEach(async () => {
    database = await freshDatabase();
    // A statement that waits for a lock fails after a second instead of hanging the test.
    db = new PgDatabase({ url: database.url, statementTimeoutMs: 1_000 });
    other = new pg.Client(database.url);
    await other.connect();
  });
  afterEach(async () => {
    await other.end();
    await db.close();
    await database.drop();
  });

  it('a decision that changes nothing answers while another terminal holds the row', async () => {
    const store = new PgAccountStore(db);
    await store.insert(sampleAccount(1));
    await other.query('BEGIN');
    await other.query(`SELECT doc FROM accounts WHERE id = 'acc-1' FOR UPDATE`);
    const seen = await store.update('acc-1', (a) => ({ result: a.login.failures }));
    await other.query('ROLLBACK');
    expect(seen).toBe(0);
  });

  it('a change of a full-size account is written beside it on its own page', async () => {
    const store = new PgAccountStore(db);
    const messages = Array.from({ length: 3 }, (_, i) => ({
      id: `m${i}`,
      from: 'INSURER' as const,
      subject: 'Ihre Mitgliedsbescheinigung',
      body: 'Die Bescheinigung liegt diesem Schreiben bei. '.repeat(6),
      at: '2026-11-29T10:00:00.000Z',
      read: true,
    }));
    for (let i = 0; i < 12; i++) await store.insert(sampleAccount(i, { mailbox: { state: 'ACTIVE', messages } }));
    const page = async (id: string) =>
      (await db.query<{ page: string }>(`SELECT (ctid::text::point)[0]::int AS page FROM accounts WHERE id = $1`, [id])).rows[0]?.page;
    const before = await page('acc-0');
    await store.update('acc-0', (a) => ({ next: { ...a, login: { failures: 1 } }, result: null }));
    expect(await page('acc-0')).toBe(before);
    expect(await page('acc-11')).not.toBe(before);
  });

  it('a write decided on a row changed meanwhile is decided again on the new row', async () => {
    const store = new PgAccountStore(db);
    await store.insert(sampleAccount(1));
    // Another terminal has changed the row but not committed yet: the update reads the old row.
    await other.query('BEGIN');
    await other.query(`UPDATE accounts SET doc = jsonb_set(doc, '{login,failures}', '7') WHERE id = 'acc-1'`);
    const seenFailures: number[] = [];
    const updating = store.update('acc-1', (a: Account) => {
      seenFailures.push(a.login.failures);
      return { next: { ...a, login: { failures: a.login.failures + 1 } }, result: a.login.failures };
    });
    // Its write waits for the other terminal's lock; then that terminal commits.
    for (;;) {
      const waiting = await other.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.datname = current_database()`,
      );
      if (Number(waiting.rows[0]?.n) > 0) break;
    }
    await other.query('COMMIT');
    expect(await updating).toBe(7);
    expect(seenFailures).toEqual([0, 7]);
    expect((await store.get('acc-1'))?.login.failures).toBe(8);
  });
});
