/**
 * On the branch database, every audit entry about a staff account, a help request or an answered
 * message commits in the same transaction as the change it records. Each step runs first while
 * the chain refuses every new entry (as a full disk or a revoked grant would): the step fails and
 * neither the staff nor the inbox rows have changed. Then it runs again with the chain back: it
 * succeeds, the change is there and exactly its entries are in the chain, which verifies.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PgAuditTrail, verifyPgTrail } from '../../src-main/audit/pg-audit-trail.js';
import { createCore, type Core, type StaffPrincipal } from '../../src-main/core/index.js';
import { totpCode } from '../../src-main/core/staff/totp.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { PgInboxStore } from '../../src-main/store/pg/inbox-store.js';
import { PgStaffStore } from '../../src-main/store/pg/staff-store.js';
import { activeAccount } from '../fixtures/active.js';
import type { makeHarness } from '../fixtures/harness.js';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';
import { COUNTER, readyStaff, STAFF_PASSWORD } from '../fixtures/staff.js';

type Entry = { readonly type: string; readonly subject?: string; readonly data?: Record<string, unknown> };

describe.skipIf(!pgAdminUrl)('staff and counter audit entries on the branch database', () => {
  const key = randomBytes(32);
  let database: TestDatabase;
  let db: PgDatabase;
  let h: ReturnType<typeof makeHarness>;
  let core: Core;
  let accountId: string;

  beforeEach(async () => {
    database = await freshDatabase();
    db = new PgDatabase({ url: database.url });
    const trail = new PgAuditTrail(db, key);
    // The person's account lives in the harness; staff, inbox and the chain are the branch's, as a terminal wires them.
    ({ h, id: accountId } = await activeAccount());
    core = createCore({ ...h.core.deps, staff: new PgStaffStore(db, trail), inbox: new PgInboxStore(db, trail), audit: trail });
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
  });

  const rows = async () =>
    (
      await db.query<{ t: string }>(
        'SELECT t FROM (SELECT doc::text AS t FROM staff UNION ALL SELECT doc::text FROM inbox) AS r ORDER BY t',
      )
    ).rows;
  const head = async () => Number((await db.query<{ seq: string }>('SELECT seq FROM audit_head')).rows[0]?.seq);
  const entriesAfter = async (seq: number): Promise<Entry[]> =>
    (await db.query<{ line: string }>('SELECT line FROM audit_events WHERE seq > $1 ORDER BY seq', [seq])).rows.map((r) => {
      const { type, subject, data } = JSON.parse(r.line) as Entry;
      return { type, ...(subject ? { subject } : {}), ...(data ? { data } : {}) };
    });

  /** Runs `step` with the chain refusing (nothing may change), then with it back (exactly `expected` is recorded). */
  async function commitsWithItsEntries<T>(
    step: () => Promise<T>,
    expected: (result: T) => Entry[],
    refusedLeaves: () => Promise<void> = () => Promise.resolve(),
  ): Promise<T> {
    const before = await rows();
    const seq = await head();
    await db.query('ALTER TABLE audit_events ADD CONSTRAINT refuse_all CHECK (seq < 0) NOT VALID');
    await expect(step()).rejects.toThrow();
    expect(await rows()).toEqual(before);
    expect(await head()).toBe(seq);
    await refusedLeaves();
    await db.query('ALTER TABLE audit_events DROP CONSTRAINT refuse_all');
    const result = await step();
    expect(await entriesAfter(seq)).toEqual(expected(result));
    expect(await verifyPgTrail(db, key)).toMatchObject({ ok: true, code: 'INTACT' });
    return result;
  }

  const value = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T => {
    if (!r.ok) throw new Error(r.error.code);
    return r.value;
  };
  const staffRow = async (id: string) => {
    const found = await core.deps.staff.get(id);
    if (!found) throw new Error('no staff');
    return found;
  };

  it('a staff member’s first login: created, password stage, own password, TOTP enrolled', async () => {
    const created = await commitsWithItsEntries(
      async () => value(await core.staff.createFromMachine({ username: 'anna.schmidt', role: 'supervisor' })),
      (r) => [{ type: 'STAFF_CREATED', subject: r.staff.id, data: { role: 'supervisor', reason: 'created on the machine' } }],
    );
    const id = created.staff.id;
    const login = await commitsWithItsEntries(
      async () => value(await core.staff.login(COUNTER, { username: 'anna.schmidt', password: created.oneTimePassword })),
      () => [{ type: 'STAFF_LOGIN_SUCCESS', subject: id, data: { stage: 'PASSWORD' } }],
    );
    await commitsWithItsEntries(
      async () => value(await core.staff.replacePassword(COUNTER, login.session, STAFF_PASSWORD)),
      () => [{ type: 'STAFF_PASSWORD_CHANGED', subject: id }],
    );
    expect((await staffRow(id)).password.mustChange).toBe(false);
    const { secret } = value(await core.staff.beginEnrolment(login.session));
    await commitsWithItsEntries(
      async () => value(await core.staff.confirmEnrolment(COUNTER, login.session, totpCode(secret, h.clock.now()))),
      () => [{ type: 'STAFF_TOTP_ENROLLED', subject: id }],
    );
    expect((await staffRow(id)).totp).toBeDefined();
  });

  it('later logins: the password stage that writes nothing, TOTP, failures and the lock', async () => {
    const berta = await readyStaff({ ...h, core }, 'berta.meier', 'staff');
    const id = berta.principal.staffId;
    // TOTP still to come: this decision writes nothing, yet its entry commits or the login fails.
    const login = await commitsWithItsEntries(
      async () => value(await core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD })),
      () => [{ type: 'STAFF_LOGIN_SUCCESS', subject: id, data: { stage: 'PASSWORD' } }],
    );
    const step = (await staffRow(id)).totp?.lastStep;
    await commitsWithItsEntries(
      async () => value(await core.staff.totp(COUNTER, login.session, totpCode(berta.secret, h.clock.now()))),
      () => [{ type: 'STAFF_LOGIN_SUCCESS', subject: id, data: { stage: 'TOTP' } }],
    );
    expect((await staffRow(id)).totp?.lastStep).not.toBe(step);
    const wrong = () => core.staff.login(COUNTER, { username: 'berta.meier', password: 'falsch' });
    await commitsWithItsEntries(wrong, () => [{ type: 'STAFF_LOGIN_FAILURE', subject: id, data: { credential: 'PASSWORD' } }]);
    expect((await staffRow(id)).login.failures).toBe(1);
    for (let i = 0; i < 3; i++) await wrong();
    const locked = await commitsWithItsEntries(wrong, (r) => [
      { type: 'STAFF_LOGIN_FAILURE', subject: id, data: { credential: 'PASSWORD' } },
      { type: 'STAFF_LOCKED', subject: id, data: { until: r.ok ? '' : String(r.error.details?.['lockedUntil']) } },
    ]);
    expect(locked).toMatchObject({ ok: false, error: { code: 'STAFF_LOCKED' } });
    expect((await staffRow(id)).login.lockedUntil).toBeDefined();
  });

  it('a wrong current password counts; supervisors’ changes: unlock, resets, role, disable', async () => {
    const anna = await readyStaff({ ...h, core }, 'anna.schmidt', 'supervisor');
    const berta = await readyStaff({ ...h, core }, 'berta.meier', 'staff');
    const carl = await readyStaff({ ...h, core }, 'carl.braun', 'staff');
    const [b, c] = [berta.principal.staffId, carl.principal.staffId];
    await commitsWithItsEntries(
      () =>
        core.staff.changePassword(COUNTER, carl.token, carl.principal, { currentPassword: 'falsch', newPassword: 'Neues-Passwort-2026!' }),
      () => [{ type: 'STAFF_LOGIN_FAILURE', subject: c, data: { credential: 'CURRENT_PASSWORD' } }],
    );
    expect((await staffRow(c)).login.failures).toBe(1);
    for (let i = 0; i < 5; i++) await core.staff.login(COUNTER, { username: 'berta.meier', password: 'falsch' });
    const change =
      (principal: StaffPrincipal, staffId: string, what: Parameters<Core['supervisor']['changeStaff']>[2]['change']) => async () =>
        value(await core.supervisor.changeStaff(COUNTER, principal, { staffId, change: what, reason: 'Dienstanweisung' }));
    const reason = { reason: 'Dienstanweisung' };
    await commitsWithItsEntries(change(anna.principal, b, 'UNLOCK'), () => [{ type: 'STAFF_UNLOCKED', subject: b, data: reason }]);
    expect((await staffRow(b)).login.failures).toBe(0);
    await commitsWithItsEntries(change(anna.principal, b, 'RESET_TOTP'), () => [{ type: 'STAFF_TOTP_RESET', subject: b, data: reason }]);
    expect((await staffRow(b)).totp).toBeUndefined();
    await commitsWithItsEntries(change(anna.principal, c, 'RESET_PASSWORD'), () => [
      { type: 'STAFF_PASSWORD_RESET', subject: c, data: reason },
    ]);
    expect((await staffRow(c)).password.mustChange).toBe(true);
    await commitsWithItsEntries(change(anna.principal, c, { role: 'supervisor' }), () => [
      { type: 'STAFF_ROLE_CHANGED', subject: c, data: { ...reason, role: 'supervisor' } },
    ]);
    expect((await staffRow(c)).role).toBe('supervisor');
    await commitsWithItsEntries(change(anna.principal, b, 'DISABLE'), () => [{ type: 'STAFF_DISABLED', subject: b, data: reason }]);
    expect((await staffRow(b)).disabledAt).toBeDefined();
  });

  it('help requests: opened and done', async () => {
    const { principal } = await readyStaff({ ...h, core }, 'berta.meier', 'staff');
    await commitsWithItsEntries(
      async () => value(await core.help.request('kiosk-7')),
      () => [{ type: 'HELP_REQUESTED', data: { request: expect.any(String) } }],
    );
    const [open] = value(await core.counter.helpRequests());
    if (!open) throw new Error('no request');
    h.clock.advance(120_000);
    await commitsWithItsEntries(
      async () => value(await core.counter.closeHelp(COUNTER, principal, open.id)),
      () => [{ type: 'HELP_DONE', data: { request: open.id, kioskTerminal: 'kiosk-7', waitedSeconds: 120 } }],
    );
    expect(value(await core.counter.helpRequests())[0]?.doneAt).toBeDefined();
  });

  it('an answered message: the answer stands only with its entry', async () => {
    value(await core.mailbox.write(accountId, { subject: 'Frage', body: 'Guten Tag' }));
    const { principal } = await readyStaff({ ...h, core }, 'berta.meier', 'staff');
    const messageId = (await db.query<{ id: string }>('SELECT id FROM inbox WHERE NOT is_help')).rows[0]?.id ?? '';
    const answers = async () => value(await core.mailbox.messages(accountId)).filter((m) => m.subject === 'Re: Frage');
    const answer = { subject: 'Re: Frage', body: 'Antwort', reason: 'Person am Schalter' };
    await commitsWithItsEntries(
      async () => value(await core.counter.answerMessage(COUNTER, principal, messageId, answer)),
      () => [{ type: 'INBOX_MESSAGE_ANSWERED', subject: accountId, data: { message: messageId, reason: answer.reason } }],
      // Taken back: the person's mailbox holds no answer that the chain does not know of.
      async () => expect(await answers()).toEqual([]),
    );
    expect(await answers()).toHaveLength(1);
    expect(await core.deps.inbox.get(messageId)).toMatchObject({ handledBy: `staff:${principal.staffId}`, answerId: expect.any(String) });
  });
});
