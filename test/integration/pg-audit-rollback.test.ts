/**
 * A branch chain rolled back to a head someone saved earlier verifies by itself (every entry and the
 * head are genuine); every terminal that saw the chain further finds it with its witness: the start
 * logs and records the finding once (AUDIT_ROLLBACK_FOUND), the supervisor's check and
 * `audit:verify --witness` report ROLLED_BACK, and a witness written without the branch key counts
 * for nothing.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openApp, type App } from '../../src-main/app.js';
import { PgAuditTrail, verifyPgTrail } from '../../src-main/audit/pg-audit-trail.js';
import { ChainWitness } from '../../src-main/audit/pg-witness.js';
import { parseConfig } from '../../src-main/config/config.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { fastPasswords } from '../fixtures/harness.js';
import { signedInSupervisor } from '../fixtures/supervisor.js';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';

const ASSETS = resolve(import.meta.dirname, '../../assets');

/** The supervisor's "check the audit trail" at the counter desk of `app`. */
async function supervisorCheck(app: App) {
  const send = await signedInSupervisor(app);
  return send('audit.verify', { reason: 'Prüfung nach Hinweis der Technik' });
}

describe.skipIf(!pgAdminUrl)('a branch chain rolled back below what a terminal saw', () => {
  let database: TestDatabase;
  let db: PgDatabase;
  let root: string;
  const key = randomBytes(32);
  const event = (n: number) => ({
    type: 'LOGIN_FAILURE' as const,
    subject: `acc-${n}`,
    actor: 'anonymous',
    terminal: 'kiosk-a',
    data: { n },
  });

  beforeEach(async () => {
    database = await freshDatabase();
    db = new PgDatabase({ url: database.url });
    root = mkdtempSync(join(tmpdir(), 'kontokiosk-witness-'));
    writeFileSync(join(root, 'branch.key'), key, { mode: 0o600 });
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
    rmSync(root, { recursive: true, force: true });
  });

  /** Five entries, the head saved, three more seen by the terminal, then the three removed and the saved head put back. */
  async function rollBack(trail: PgAuditTrail, witness: ChainWitness) {
    for (let i = 1; i <= 5; i++) await trail.append(event(i), new Date());
    const saved = (await db.query<{ seq: string; hash: string; seal: string }>('SELECT seq, hash, seal FROM audit_head')).rows[0];
    for (let i = 6; i <= 8; i++) await trail.append(event(i), new Date());
    await witness.remember();
    await db.query('DELETE FROM audit_events WHERE seq > 5');
    await db.query('UPDATE audit_head SET seq = $1, hash = $2, seal = $3', [saved?.seq, saved?.hash, saved?.seal]);
  }

  it('the chain alone verifies, the witness finds the rollback, also after the chain was continued from the old head', async () => {
    const trail = new PgAuditTrail(db, key);
    const witness = new ChainWitness(db, trail, join(root, 'audit-witness.json'));
    expect(await witness.check()).toBeUndefined();
    await rollBack(trail, witness);
    expect(await verifyPgTrail(db, key)).toEqual({ ok: true, code: 'INTACT', entries: 5 });
    expect(await witness.check()).toEqual({ code: 'ROLLED_BACK', witnessSeq: 8, headSeq: 5 });
    // Remembering without a recorded finding leaves the witness where it was.
    await witness.remember();
    expect(await witness.check()).toEqual({ code: 'ROLLED_BACK', witnessSeq: 8, headSeq: 5 });
    for (let i = 6; i <= 9; i++) await trail.append(event(100 + i), new Date());
    expect(await verifyPgTrail(db, key)).toEqual({ ok: true, code: 'INTACT', entries: 9 });
    expect(await witness.check()).toEqual({ code: 'ROLLED_BACK', witnessSeq: 8, headSeq: 9 });
  });

  it('a head put back below the witness is found while the entry it names is still there, and the witness never moves back', async () => {
    const trail = new PgAuditTrail(db, key);
    const witness = new ChainWitness(db, trail, join(root, 'audit-witness.json'));
    for (let i = 1; i <= 5; i++) await trail.append(event(i), new Date());
    const saved = (await db.query<{ seq: string; hash: string; seal: string }>('SELECT seq, hash, seal FROM audit_head')).rows[0];
    for (let i = 6; i <= 8; i++) await trail.append(event(i), new Date());
    await witness.remember();
    // First step: the entries between removed, the one the witness names kept, the saved head put back.
    await db.query('DELETE FROM audit_events WHERE seq > 5 AND seq < 8');
    await db.query('UPDATE audit_head SET seq = $1, hash = $2, seal = $3', [saved?.seq, saved?.hash, saved?.seal]);
    expect(await witness.check()).toEqual({ code: 'ROLLED_BACK', witnessSeq: 8, headSeq: 5 });
    await witness.remember();
    expect(JSON.parse(readFileSync(join(root, 'audit-witness.json'), 'utf8'))).toMatchObject({ seq: 8 });
    // Second step: the last entry goes too; the chain verifies, the witness still names what it saw.
    await db.query('DELETE FROM audit_events WHERE seq = 8');
    expect(await verifyPgTrail(db, key)).toEqual({ ok: true, code: 'INTACT', entries: 5 });
    expect(await witness.check()).toEqual({ code: 'ROLLED_BACK', witnessSeq: 8, headSeq: 5 });
  });

  it('audit:verify --witness exits 4 with the finding; without the witness the chain passes', async () => {
    const trail = new PgAuditTrail(db, key);
    await rollBack(trail, new ChainWitness(db, trail, join(root, 'audit-witness.json')));
    writeFileSync(
      join(root, 'config.json'),
      JSON.stringify({ store: { kind: 'postgres', url: database.url, keyFile: join(root, 'branch.key') } }),
    );
    const verify = (...extra: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli/audit-verify.ts', '--config', join(root, 'config.json'), ...extra], {
        cwd: resolve(import.meta.dirname, '../..'),
        encoding: 'utf8',
      });
    expect(verify().status).toBe(0);
    const found = verify('--witness', root);
    expect(found.status).toBe(4);
    expect(found.stdout).toContain('audit trail ROLLED BACK: the terminal of');
    expect(found.stdout).toContain('saw entry 8, the chain now ends at entry 5');
    // A directory without a witness is no witness: the check did not happen.
    const none = verify('--witness', join(root, 'no-such-terminal'));
    expect(none.status).toBe(1);
    expect(none.stdout).not.toContain('intact');
    expect(verify('--witness').status).toBe(1);
  });

  it('a terminal starting on the rolled-back chain logs and records the finding once, and its check shows it until then', async () => {
    const trail = new PgAuditTrail(db, key);
    const dataDir = join(root, 'kiosk');
    const open = () =>
      openApp({
        dataDir,
        assetsDir: ASSETS,
        config: parseConfig({ terminalId: 'kiosk-a', store: { kind: 'postgres', url: database.url, keyFile: join(root, 'branch.key') } }),
        passwords: fastPasswords,
      });
    const first = await open();
    await first.close();
    await rollBack(trail, new ChainWitness(db, trail, join(dataDir, 'audit-witness.json')));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const second = await open();
      await second.close();
      const third = await open();
      try {
        // The supervisor's check on any terminal keeps showing the recorded rollback.
        expect(await supervisorCheck(third)).toMatchObject({ ok: true, value: { ok: false, code: 'ROLLED_BACK' } });
      } finally {
        await third.close();
      }
      const logged = errors.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('[audit] the branch chain ends at entry 5'));
      expect(logged).toHaveLength(1);
    } finally {
      errors.mockRestore();
    }
    const found = await db.query<{ line: string }>("SELECT line FROM audit_events WHERE type = 'AUDIT_ROLLBACK_FOUND'");
    expect(found.rows.map((r) => JSON.parse(r.line) as { data: unknown; terminal: string })).toEqual([
      expect.objectContaining({ terminal: 'kiosk-a', data: { witnessSeq: 8, headSeq: 5 } }),
    ]);
    expect(await verifyPgTrail(db, key)).toMatchObject({ ok: true, code: 'INTACT' });
    // Once the witness moved on, the recorded finding is what audit:verify reports (exit 9), not an intact chain.
    writeFileSync(
      join(root, 'config.json'),
      JSON.stringify({ store: { kind: 'postgres', url: database.url, keyFile: join(root, 'branch.key') } }),
    );
    const verifyCli = () =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', 'src-main/cli/audit-verify.ts', '--config', join(root, 'config.json'), '--witness', dataDir],
        { cwd: resolve(import.meta.dirname, '../..'), encoding: 'utf8' },
      );
    const verified = verifyCli();
    expect(verified.status).toBe(9);
    expect(verified.stdout).toContain('records that terminal kiosk-a saw entry 8 and found the chain ending at entry 5');
    // The type column beside the sealed line is a copy nobody seals: changing it hides nothing.
    await db.query("UPDATE audit_events SET type = 'LOGIN_FAILURE' WHERE type = 'AUDIT_ROLLBACK_FOUND'");
    expect(verifyCli().status).toBe(9);
  });

  it('a witness that cannot be read does not stop the terminal: the start goes on and says why', async () => {
    const dataDir = join(root, 'kiosk');
    mkdirSync(join(dataDir, 'audit-witness.json'), { recursive: true });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const app = await openApp({
        dataDir,
        assetsDir: ASSETS,
        config: parseConfig({ terminalId: 'kiosk-a', store: { kind: 'postgres', url: database.url, keyFile: join(root, 'branch.key') } }),
        passwords: fastPasswords,
      });
      await app.close();
      expect(errors.mock.calls.map((c) => String(c[0]))).toContain(
        '[audit] the witness of the branch chain could not be checked (EISDIR); checked again in five minutes',
      );
    } finally {
      errors.mockRestore();
    }
  });

  it('a witness written without the branch key is replaced, not believed', async () => {
    const trail = new PgAuditTrail(db, key);
    const path = join(root, 'audit-witness.json');
    for (let i = 1; i <= 3; i++) await trail.append(event(i), new Date());
    writeFileSync(path, JSON.stringify({ seq: 99, hash: 'f'.repeat(64), seal: '0'.repeat(64) }));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const witness = new ChainWitness(db, trail, path);
      expect(await witness.check()).toBeUndefined();
      await witness.remember();
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ seq: 3 });
      expect(errors.mock.calls.map((c) => String(c[0]))).toContain(
        '[audit] the witness of the branch chain in this data directory is not sealed with the branch key; it is replaced',
      );
    } finally {
      errors.mockRestore();
    }
  });
});
