/**
 * The branch's audit trail in PostgreSQL (R13): one chain for every terminal, verified in pages.
 * Edits, removals at the end and a head moved back without the key are all found.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PgAuditTrail, verifyPgTrail } from '../../src-main/audit/pg-audit-trail.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { PgAccountStore } from '../../src-main/store/pg/account-store.js';
import { PgRegisterStore } from '../../src-main/store/pg/register-store.js';
import { crashPerson } from '../fixtures/crash-persons.js';
import { sampleAccount } from '../contract/account-store.contract.js';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';

describe.skipIf(!pgAdminUrl)('audit trail in PostgreSQL', () => {
  let database: TestDatabase;
  let db: PgDatabase;
  const key = randomBytes(32);

  beforeEach(async () => {
    database = await freshDatabase();
    db = new PgDatabase({ url: database.url });
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
  });

  const event = (i: number, terminal: string) => ({
    type: 'LOGIN_FAILURE' as const,
    subject: `acc-${i % 3}`,
    actor: 'anonymous',
    terminal,
    data: { n: i },
  });

  it('two terminals appending at once make one unbroken chain', async () => {
    const second = new PgDatabase({ url: database.url });
    try {
      const a = new PgAuditTrail(db, key);
      const b = new PgAuditTrail(second, key);
      const at = new Date('2026-11-30T10:00:00Z');
      await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).append(event(i, i % 2 ? 'kiosk-a' : 'kiosk-b'), at)));
      expect(await verifyPgTrail(db, key)).toEqual({ ok: true, code: 'INTACT', entries: 60 });
      const seqs = await db.query<{ seq: string }>('SELECT seq FROM audit_events ORDER BY seq');
      expect(seqs.rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      const history = await a.history('acc-1', 5);
      expect(history).toHaveLength(5);
      expect(history.every((e) => e.subject === 'acc-1')).toBe(true);
      expect(await b.eventsSince(new Date('2026-11-30T09:00:00Z'), ['LOGIN_FAILURE'])).toHaveLength(60);
      expect(await b.eventsSince(new Date('2026-11-30T11:00:00Z'), ['LOGIN_FAILURE'])).toHaveLength(0);
    } finally {
      await second.close();
    }
  });

  it('an edited entry breaks the chain at its sequence number; another key does not verify', async () => {
    const trail = new PgAuditTrail(db, key);
    for (let i = 0; i < 12; i++) await trail.append(event(i, 'kiosk-a'), new Date());
    expect((await verifyPgTrail(db, randomBytes(32))).ok).toBe(false);
    await db.query(`UPDATE audit_events SET line = replace(line, '"n":7', '"n":8') WHERE seq = 8`);
    expect(await verifyPgTrail(db, key)).toMatchObject({ ok: false, code: 'CHAIN_BROKEN', brokenAtSeq: 8, entries: 7 });
  });

  it('entries removed at the end are found by the head; a head moved back without the key is found too', async () => {
    const trail = new PgAuditTrail(db, key);
    for (let i = 0; i < 10; i++) await trail.append(event(i, 'kiosk-a'), new Date());
    await db.query('DELETE FROM audit_events WHERE seq > 7');
    expect(await verifyPgTrail(db, key)).toMatchObject({ ok: false, code: 'ENTRIES_MISSING', entries: 7, headSeq: 10 });
    const last = await db.query<{ line: string }>('SELECT line FROM audit_events WHERE seq = 7');
    const hash = (JSON.parse(last.rows[0]?.line ?? '{}') as { hash: string }).hash;
    await db.query('UPDATE audit_head SET seq = 7, hash = $1', [hash]);
    expect(await verifyPgTrail(db, key)).toMatchObject({ ok: false, code: 'HEAD_INVALID' });
  });

  it('npm run audit:verify -- --config checks the branch chain in the database, with the branch key', async () => {
    const trail = new PgAuditTrail(db, key);
    for (let i = 0; i < 5; i++) await trail.append(event(i, 'kiosk-a'), new Date());
    const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-verify-'));
    try {
      writeFileSync(join(dir, 'branch.key'), key);
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({ store: { kind: 'postgres', url: database.url, keyFile: join(dir, 'branch.key') } }),
      );
      const verify = () =>
        spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli/audit-verify.ts', '--config', join(dir, 'config.json')], {
          cwd: resolve(import.meta.dirname, '../..'),
          encoding: 'utf8',
        });
      const intact = verify();
      expect(intact.status).toBe(0);
      expect(intact.stdout).toContain('audit trail intact: 5 entries in the branch database');
      await db.query(`UPDATE audit_events SET line = replace(line, '"n":2', '"n":9') WHERE seq = 3`);
      const broken = verify();
      expect(broken.status).toBe(2);
      expect(broken.stdout).toContain('BROKEN at entry 3');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an account change and its audit entries commit together: if the entry cannot be appended, the change is not made', async () => {
    const trail = new PgAuditTrail(db, key);
    const store = new PgAccountStore(db, trail);
    await store.insert(sampleAccount(5));
    const countAndAudit = () =>
      store.update('acc-5', (a) => ({
        next: { ...a, login: { failures: a.login.failures + 1 } },
        result: 'counted',
        audit: [{ event: { type: 'LOGIN_FAILURE' as const, subject: 'acc-5', actor: 'anonymous', terminal: 'kiosk-a' }, at: new Date() }],
      }));
    // The chain refuses every new entry (as a full disk or a revoked grant would).
    await db.query('ALTER TABLE audit_events ADD CONSTRAINT refuse_all CHECK (seq < 0) NOT VALID');
    await expect(countAndAudit()).rejects.toThrow();
    expect((await store.get('acc-5'))?.login.failures).toBe(0);
    await db.query('ALTER TABLE audit_events DROP CONSTRAINT refuse_all');
    expect(await countAndAudit()).toBe('counted');
    expect((await store.get('acc-5'))?.login.failures).toBe(1);
    expect(await trail.history('acc-5', 10)).toEqual([expect.objectContaining({ type: 'LOGIN_FAILURE', subject: 'acc-5' })]);
    expect(await verifyPgTrail(db, key)).toEqual({ ok: true, code: 'INTACT', entries: 1 });
  });

  const entry = (type: 'REGISTRATION' | 'ACCOUNT_DELETED', subject: string) => [
    { event: { type, subject, actor: 'anonymous', terminal: 'kiosk-a' }, at: new Date() },
  ];
  const refuseEntries = () => db.query('ALTER TABLE audit_events ADD CONSTRAINT refuse_all CHECK (seq < 0) NOT VALID');
  const acceptEntries = () => db.query('ALTER TABLE audit_events DROP CONSTRAINT refuse_all');

  it('a registration commits with its entry: no account without REGISTRATION, no entry for a refused duplicate', async () => {
    const trail = new PgAuditTrail(db, key);
    const store = new PgAccountStore(db, trail);
    await refuseEntries();
    await expect(store.insert(sampleAccount(6), entry('REGISTRATION', 'acc-6'))).rejects.toThrow();
    expect(await store.get('acc-6')).toBeUndefined();
    await acceptEntries();
    expect(await store.insert(sampleAccount(6), entry('REGISTRATION', 'acc-6'))).toBe('OK');
    expect(await store.get('acc-6')).toBeDefined();
    // The same person again: refused, and the refusal records no registration.
    expect(
      await store.insert(
        { ...sampleAccount(6), id: 'acc-other', username: 'other', usernameKey: 'other' },
        entry('REGISTRATION', 'acc-other'),
      ),
    ).toBe('KVNR_TAKEN');
    expect(await trail.history('acc-6', 10)).toEqual([expect.objectContaining({ type: 'REGISTRATION', subject: 'acc-6' })]);
    expect(await trail.history('acc-other', 10)).toEqual([]);
    expect(await verifyPgTrail(db, key)).toEqual({ ok: true, code: 'INTACT', entries: 1 });
  });

  it('a deletion commits with its entry: the account stays while the entry cannot be written, and two deletions record one', async () => {
    const trail = new PgAuditTrail(db, key);
    const store = new PgAccountStore(db, trail);
    await store.insert(sampleAccount(7));
    await refuseEntries();
    await expect(store.delete('acc-7', entry('ACCOUNT_DELETED', 'acc-7'))).rejects.toThrow();
    expect(await store.get('acc-7')).toBeDefined();
    await acceptEntries();
    await Promise.all([store.delete('acc-7', entry('ACCOUNT_DELETED', 'acc-7')), store.delete('acc-7', entry('ACCOUNT_DELETED', 'acc-7'))]);
    expect(await store.get('acc-7')).toBeUndefined();
    expect(await trail.history('acc-7', 10)).toEqual([expect.objectContaining({ type: 'ACCOUNT_DELETED', subject: 'acc-7' })]);
    expect(await verifyPgTrail(db, key)).toEqual({ ok: true, code: 'INTACT', entries: 1 });
  });

  it("a register import's entry commits with the swap: while the chain refuses it, the old register stays", async () => {
    const trail = new PgAuditTrail(db, key);
    const register = new PgRegisterStore(db, trail);
    const imported = [
      { event: { type: 'REGISTER_IMPORTED' as const, actor: 'staff:s1', terminal: 'counter-1', data: { accepted: 2 } }, at: new Date() },
    ];
    await register.replaceAll([crashPerson(1)]);
    await refuseEntries();
    await expect(register.replaceAll([crashPerson(2), crashPerson(3)], imported)).rejects.toThrow();
    expect(await register.count()).toBe(1);
    await acceptEntries();
    await register.replaceAll([crashPerson(2), crashPerson(3)], imported);
    expect(await register.count()).toBe(2);
    expect(await verifyPgTrail(db, key)).toEqual({ ok: true, code: 'INTACT', entries: 1 });
    await expect(new PgRegisterStore(db).replaceAll([crashPerson(4)], imported)).rejects.toThrow(/no audit trail/);
    expect(await register.count()).toBe(2);
  });

  it('a store without a trail refuses an insert or a deletion that carries entries, and changes nothing', async () => {
    const store = new PgAccountStore(db);
    await expect(store.insert(sampleAccount(8), entry('REGISTRATION', 'acc-8'))).rejects.toThrow(/no audit trail/);
    expect(await store.get('acc-8')).toBeUndefined();
    await store.insert(sampleAccount(8));
    await expect(store.delete('acc-8', entry('ACCOUNT_DELETED', 'acc-8'))).rejects.toThrow(/no audit trail/);
    expect(await store.get('acc-8')).toBeDefined();
  });
});
