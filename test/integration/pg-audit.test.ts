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
});
