/**
 * An audited account change in PostgreSQL in one statement (audited_change, migration 0005): the
 * decision is made on the account as the caller read it, written only if the row is still that
 * version, with its entries sealed onto the head the terminal knows; a row or a head that moved in
 * between is found by the database and nothing is lost, doubled or written half.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account } from '../../src-main/core/account.js';
import { StoreUnavailableError, type AccountChange, type AuditEntry } from '../../src-main/core/ports.js';
import { PgAuditTrail, verifyPgTrail } from '../../src-main/audit/pg-audit-trail.js';
import { PgAccountStore } from '../../src-main/store/pg/account-store.js';
import { PgDatabase, type NamedStatement } from '../../src-main/store/pg/database.js';
import { sampleAccount } from '../contract/account-store.contract.js';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';

const key = randomBytes(32);
const at = new Date('2026-11-30T10:00:00.000Z');
const entry = (subject: string, type: 'LOGIN_SUCCESS' | 'LOGIN_FAILURE' = 'LOGIN_FAILURE'): AuditEntry => ({
  event: { type, subject, actor: 'anonymous', terminal: 'kiosk-1' },
  at,
});

/** Names every statement a pool sends (a named one by its name). */
function recordStatements(db: PgDatabase): string[] {
  const sent: string[] = [];
  const query = db.query.bind(db);
  db.query = ((statement: string | NamedStatement, values?: readonly unknown[]) => {
    sent.push(typeof statement === 'string' ? statement : statement.name);
    return query(statement, values);
  }) as PgDatabase['query'];
  return sent;
}

/** Counts a failure, records it, and answers the count it decided on. */
const countFailure = (a: Account): AccountChange<number> => ({
  next: { ...a, login: { failures: a.login.failures + 1 } },
  result: a.login.failures,
  audit: [entry(a.id)],
});

describe.skipIf(!pgAdminUrl)('audited account changes in PostgreSQL', () => {
  let database: TestDatabase;
  let db: PgDatabase;
  let other: pg.Client;
  let trail: PgAuditTrail;
  let store: PgAccountStore;

  beforeEach(async () => {
    database = await freshDatabase();
    db = new PgDatabase({ url: database.url, statementTimeoutMs: 2_000 });
    trail = new PgAuditTrail(db, key);
    store = new PgAccountStore(db, trail);
    other = new pg.Client(database.url);
    await other.connect();
    await store.insert(sampleAccount(1));
  });
  afterEach(async () => {
    await other.end();
    await db.close();
    await database.drop();
  });

  const failuresInDb = async () =>
    Number((await other.query<{ n: string }>(`SELECT doc->'login'->>'failures' AS n FROM accounts WHERE id = 'acc-1'`)).rows[0]?.n);
  const chain = async () => verifyPgTrail(db, key);

  it('a change decided on the account as read is written with its entry in one statement, without reading the row again', async () => {
    await trail.append(entry('acc-1').event, at);
    const seen = await store.get('acc-1');
    const sent = recordStatements(db);
    expect(await store.update('acc-1', countFailure, seen)).toBe(0);
    expect(sent).toEqual(['kk-audited-change']);
    expect(await failuresInDb()).toBe(1);
    expect(await chain()).toEqual({ ok: true, code: 'INTACT', entries: 2 });
  });

  it('an entry with nothing to change (a clean login) is one statement too', async () => {
    await trail.append(entry('acc-1').event, at);
    const seen = await store.findByUsernameKey('user.1');
    const sent = recordStatements(db);
    const success = (a: Account): AccountChange<string> => ({ result: a.id, audit: [entry(a.id, 'LOGIN_SUCCESS')] });
    expect(await store.update('acc-1', success, seen)).toBe('acc-1');
    expect(sent).toEqual(['kk-audited-change']);
    expect((await trail.history('acc-1', 5)).map((e) => e.type)).toEqual(['LOGIN_SUCCESS', 'LOGIN_FAILURE']);
  });

  it('a row another terminal changed after it was read is decided again on the row as it is, and recorded once', async () => {
    const seen = await store.get('acc-1');
    await other.query(`UPDATE accounts SET doc = jsonb_set(doc, '{login,failures}', '3') WHERE id = 'acc-1'`);
    expect(await store.update('acc-1', countFailure, seen)).toBe(3);
    expect(await failuresInDb()).toBe(4);
    expect(await chain()).toEqual({ ok: true, code: 'INTACT', entries: 1 });
  });

  it('an entry decided on a row that changed since is decided again, not recorded on the old row', async () => {
    const seen = await store.get('acc-1');
    await other.query(`UPDATE accounts SET doc = jsonb_set(doc, '{login,failures}', '2') WHERE id = 'acc-1'`);
    const decidedOn: number[] = [];
    const result = await store.update(
      'acc-1',
      (a) => {
        decidedOn.push(a.login.failures);
        return { result: a.login.failures, audit: [entry(a.id, 'LOGIN_SUCCESS')] };
      },
      seen,
    );
    expect(decidedOn).toEqual([0, 2]);
    expect(result).toBe(2);
    expect(await chain()).toEqual({ ok: true, code: 'INTACT', entries: 1 });
  });

  it('a decision on the account as read that writes nothing is made again on the row as it is', async () => {
    const seen = await store.get('acc-1');
    await other.query(`UPDATE accounts SET doc = jsonb_set(doc, '{login,failures}', '2') WHERE id = 'acc-1'`);
    expect(await store.update('acc-1', (a) => ({ result: a.login.failures }), seen)).toBe(2);
  });

  it('an account the store did not hand out (a copy) is not taken for the row: the row is read', async () => {
    const seen = await store.get('acc-1');
    if (!seen) throw new Error('setup');
    await other.query(`UPDATE accounts SET doc = jsonb_set(doc, '{login,failures}', '2') WHERE id = 'acc-1'`);
    const sent = recordStatements(db);
    expect(await store.update('acc-1', countFailure, { ...seen })).toBe(2);
    expect(sent[0]).toBe('kk-account-by-id');
    expect(await store.update('acc-9', countFailure, seen)).toBeUndefined();
  });

  it('two terminals appending at once keep one intact chain: a terminal whose head moved seals again onto the new one', async () => {
    const db2 = new PgDatabase({ url: database.url });
    try {
      const trail2 = new PgAuditTrail(db2, key);
      const store2 = new PgAccountStore(db2, trail2);
      await store.insert(sampleAccount(2), [entry('acc-2', 'LOGIN_SUCCESS')]);
      const rounds = 15;
      await Promise.all(
        Array.from({ length: rounds }, async (_, i) => {
          await store.update(i % 2 ? 'acc-1' : 'acc-2', countFailure, undefined);
          await store2.update(i % 2 ? 'acc-2' : 'acc-1', countFailure, undefined);
          await trail2.append(entry('acc-2').event, at);
        }),
      );
      expect(await failuresInDb()).toBe(rounds);
      expect(await chain()).toEqual({ ok: true, code: 'INTACT', entries: 1 + 3 * rounds });
    } finally {
      await db2.close();
    }
  });

  it('a head that keeps moving ends the attempts in one statement; the entry then goes the locked way, once', async () => {
    await trail.append(entry('acc-1').event, at);
    // Another terminal that appends right before each of this terminal's statements.
    const query = db.query.bind(db);
    let moved = 0;
    db.query = ((statement: string | NamedStatement, values?: readonly unknown[]) => {
      if (typeof statement !== 'string' && statement.name === 'kk-audited-change') {
        moved += 1;
        return Promise.resolve({ rows: [{ outcome: 'HEAD_MOVED', head_seq: '1', head_hash: 'f'.repeat(64) }] });
      }
      return query(statement, values);
    }) as PgDatabase['query'];
    expect(await trail.appendChange([entry('acc-1')])).toBe('CONTENDED');
    expect(moved).toBe(4);
    await trail.append(entry('acc-1').event, at);
    expect(moved).toBe(8);
    expect(await chain()).toEqual({ ok: true, code: 'INTACT', entries: 2 });
  });

  it('takes the account row before the head, as every transaction does: a terminal holding the row and wanting the head is not stuck', async () => {
    const seen = await store.get('acc-1');
    await trail.append(entry('acc-1').event, at);
    await other.query(`SET statement_timeout = 1500`);
    await other.query('BEGIN');
    await other.query(`SELECT doc FROM accounts WHERE id = 'acc-1' FOR UPDATE`);
    const updating = store.update('acc-1', countFailure, seen);
    for (;;) {
      const waiting = await other.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.datname = current_database()`,
      );
      if (Number(waiting.rows[0]?.n) > 0) break;
    }
    // The other terminal, holding the row, now takes the head (as a locked update does): it gets it.
    await other.query('SELECT seq FROM audit_head FOR UPDATE');
    await other.query(`UPDATE accounts SET doc = jsonb_set(doc, '{login,failures}', '2') WHERE id = 'acc-1'`);
    await other.query('COMMIT');
    expect(await updating).toBe(2);
    expect(await failuresInDb()).toBe(3);
    expect(await chain()).toEqual({ ok: true, code: 'INTACT', entries: 2 });
  });

  it('a statement the database rolled back as a deadlock victim runs again; another error is the caller’s', async () => {
    const query = db.query.bind(db);
    const failures = [new pg.DatabaseError('deadlock detected', 0, 'error'), new pg.DatabaseError('permission denied', 0, 'error')];
    Object.assign(failures[0] as object, { code: '40P01' });
    Object.assign(failures[1] as object, { code: '42501' });
    let failNext: pg.DatabaseError | undefined;
    db.query = ((statement: string | NamedStatement, values?: readonly unknown[]) => {
      if (typeof statement !== 'string' && statement.name === 'kk-audited-change' && failNext) {
        const error = failNext;
        failNext = undefined;
        return Promise.reject(error);
      }
      return query(statement, values);
    }) as PgDatabase['query'];
    failNext = failures[0];
    expect(await trail.appendChange([entry('acc-1')])).toBe('OK');
    failNext = failures[1];
    await expect(trail.appendChange([entry('acc-1')])).rejects.toThrow('permission denied');
    expect(await trail.appendChange([entry('acc-1')])).toBe('OK');
    expect(await chain()).toEqual({ ok: true, code: 'INTACT', entries: 2 });
  });

  it('a statement that gets no answer is given up after answerTimeoutMs, and the appends queued behind it go on', async () => {
    const silent = new PgDatabase({ url: database.url, statementTimeoutMs: 0, answerTimeoutMs: 300 });
    try {
      const terminal = new PgAuditTrail(silent, key);
      await terminal.append(entry('acc-1').event, at);
      // The head is held elsewhere and the server's own timeout is off: the statement waits without an answer.
      await other.query('BEGIN');
      await other.query('SELECT seq FROM audit_head FOR UPDATE');
      const first = terminal.appendChange([entry('acc-1')]);
      const second = terminal.appendChange([entry('acc-1')]);
      await expect(first).rejects.toBeInstanceOf(StoreUnavailableError);
      // The connection given up ends its statement on the server too (here at once).
      await other.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      await other.query('ROLLBACK');
      expect(await second).toBe('OK');
      expect(await chain()).toEqual({ ok: true, code: 'INTACT', entries: 2 });
    } finally {
      await silent.close();
    }
  });

  it('answers STALE and writes nothing when the row is not the version it was decided on', async () => {
    await trail.append(entry('acc-1').event, at);
    const version = (await other.query<{ v: string }>(`SELECT xmin::text AS v FROM accounts WHERE id = 'acc-1'`)).rows[0]?.v ?? '';
    await other.query(`UPDATE accounts SET doc = jsonb_set(doc, '{login,failures}', '2') WHERE id = 'acc-1'`);
    const current = await store.get('acc-1');
    expect(await trail.appendChange([entry('acc-1')], { id: 'acc-1', version, doc: { ...current, language: 'en' } })).toBe('STALE');
    expect(await trail.appendChange([entry('acc-1')], { id: 'acc-1', version })).toBe('STALE');
    expect((await store.get('acc-1'))?.language).toBe('de');
    expect(await chain()).toEqual({ ok: true, code: 'INTACT', entries: 1 });
  });
});
