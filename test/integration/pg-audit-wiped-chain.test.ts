/**
 * The branch chain cannot be wiped without the key (R13): the chain's start (sequence 0, the
 * genesis hash, no seal) is the one head anyone with write access to the database can set. Beside
 * accounts or staff, each recorded in the chain when it was made, an empty chain is a wiped one
 * and is reported, not called intact.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PgAuditTrail, verifyPgTrail } from '../../src-main/audit/pg-audit-trail.js';
import { PgAccountStore } from '../../src-main/store/pg/account-store.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { sampleAccount } from '../contract/account-store.contract.js';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';

describe.skipIf(!pgAdminUrl)('an audit chain wiped back to its start', () => {
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

  const wipe = async () => {
    await db.query('DELETE FROM audit_events');
    await db.query(`UPDATE audit_head SET seq = 0, hash = repeat('0', 64), seal = NULL`);
  };

  it('is found where the database holds accounts', async () => {
    const trail = new PgAuditTrail(db, key);
    await new PgAccountStore(db, trail).insert(sampleAccount(1));
    await trail.append({ type: 'REGISTRATION', subject: 'acc-1', actor: 'anonymous', terminal: 'kiosk-a' }, new Date());
    expect(await verifyPgTrail(db, key)).toEqual({ ok: true, code: 'INTACT', entries: 1 });
    await wipe();
    expect(await verifyPgTrail(db, key)).toMatchObject({ ok: false, code: 'HEAD_INVALID', entries: 0, headSeq: 0 });
  });

  it('is found where the database holds staff', async () => {
    await db.query('INSERT INTO staff (id, doc) VALUES ($1, $2)', ['st-1', { id: 'st-1', usernameKey: 'desk.one' }]);
    expect(await verifyPgTrail(db, key)).toMatchObject({ ok: false, code: 'HEAD_INVALID' });
  });

  it('a new database, with nothing recorded and nothing to record, is intact', async () => {
    expect(await verifyPgTrail(db, key)).toEqual({ ok: true, code: 'INTACT', entries: 0 });
  });
});
