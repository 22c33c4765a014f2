/**
 * On the branch database, a message that did not go out and that staff dismiss leaves the queue
 * in the same transaction as its DELIVERY_DISMISSED entry: while the chain refuses every new entry
 * the dismissal fails and the message stays listed; with the chain back it goes, recorded once.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PgAuditTrail, verifyPgTrail } from '../../src-main/audit/pg-audit-trail.js';
import { dismissUndelivered } from '../../src-main/core/counter/undelivered.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { PgOutboundStore } from '../../src-main/store/pg/outbound-store.js';
import { makeHarness } from '../fixtures/harness.js';
import { gaveUpRecord } from '../fixtures/outbound-records.js';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';

const STAFF = { actor: 'staff:s-1', terminal: 'desk-1' };

const gaveUp = (id: string) => gaveUpRecord(id, { accountId: 'acc-1' });

describe.skipIf(!pgAdminUrl)('dismissing an undelivered message on the branch database', () => {
  const key = randomBytes(32);
  let database: TestDatabase;
  let db: PgDatabase;
  let store: PgOutboundStore;

  beforeEach(async () => {
    database = await freshDatabase();
    db = new PgDatabase({ url: database.url });
    store = new PgOutboundStore(db, new PgAuditTrail(db, key));
    await store.add(gaveUp('m-1'));
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
  });

  const types = async () => (await db.query<{ type: string }>('SELECT type FROM audit_events ORDER BY seq')).rows.map((r) => r.type);

  it('commits the removal with its entry, or neither', async () => {
    const h = makeHarness();
    const deps = { ...h.deps, outbound: store };
    await db.query('ALTER TABLE audit_events ADD CONSTRAINT refuse_all CHECK (seq < 0) NOT VALID');
    await expect(dismissUndelivered(deps, STAFF, 'm-1')).rejects.toThrow();
    expect((await store.gaveUp(10)).map((r) => r.id)).toEqual(['m-1']);
    expect(await types()).toEqual([]);

    await db.query('ALTER TABLE audit_events DROP CONSTRAINT refuse_all');
    expect(await dismissUndelivered(deps, STAFF, 'm-1')).toEqual({ ok: true, value: null });
    expect(await store.gaveUp(10)).toEqual([]);
    expect(await types()).toEqual(['DELIVERY_DISMISSED']);
    expect(await dismissUndelivered(deps, STAFF, 'm-1')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await types()).toEqual(['DELIVERY_DISMISSED']);
    expect(await verifyPgTrail(db, key)).toEqual({ ok: true, code: 'INTACT', entries: 1 });
  });

  it('a store without the branch trail refuses a change that carries entries instead of dropping them', async () => {
    const bare = new PgOutboundStore(db);
    const h = makeHarness();
    await expect(dismissUndelivered({ ...h.deps, outbound: bare }, STAFF, 'm-1')).rejects.toThrow(/audit trail/);
    expect((await store.gaveUp(10)).map((r) => r.id)).toEqual(['m-1']);
  });
});
