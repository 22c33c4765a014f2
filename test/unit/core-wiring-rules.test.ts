/**
 * The core's wiring (core/index.ts): what holds around the use cases rather than inside them. The
 * account holder hears of every counter action on their access; a refused staff action is
 * recorded with what was tried; staff logouts and the first supervisor made on the machine are in
 * the trail; the principals the core hands the dispatcher carry exactly what the session proves.
 */
import { describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core/index.js';
import { DEFAULT_POLICY } from '../../src-main/core/policy.js';
import { totpCode } from '../../src-main/core/staff/totp.js';
import { makeHarness, registeredAndConfirmed, WHO, erikaInput } from '../fixtures/harness.js';
import { COUNTER, readyStaff, STAFF_PASSWORD, staffLogsIn } from '../fixtures/staff.js';

const reason = 'Person am Schalter';
type Harness = ReturnType<typeof makeHarness>;

const lockOut = async (h: Harness, attempts: number) => {
  for (let i = 0; i < attempts; i++) await h.core.login.withPassword(WHO, { username: 'erika.m', password: 'falsch' });
};
const noticesSince = (h: Harness, from: number) =>
  h.mails
    .slice(from)
    .filter((m) => m.kind.startsWith('COUNTER_'))
    .map((m) => ({ kind: m.kind, to: m.to, accountId: m.accountId }));

describe('the account holder hears of counter actions on their access', () => {
  it('identity confirmed, a lock lifted, a temporary password and a login code: one notice each, to the confirmed address, filed under the account', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const to = 'erika@example.org';
    let from = h.mails.length;
    expect((await h.core.counter.confirmIdentity(COUNTER, principal, id, { reason, document: 'PASSPORT' })).ok).toBe(true);
    expect(noticesSince(h, from)).toEqual([{ kind: 'COUNTER_IDENTITY_CONFIRMED', to, accountId: id }]);
    await lockOut(h, 5);
    from = h.mails.length;
    expect((await h.core.counter.liftLock(COUNTER, principal, id, { reason })).ok).toBe(true);
    expect(noticesSince(h, from)).toEqual([{ kind: 'COUNTER_LOCK_LIFTED', to, accountId: id }]);
    from = h.mails.length;
    expect((await h.core.counter.temporaryPassword(COUNTER, principal, id, { reason, document: 'ID_CARD' })).ok).toBe(true);
    expect(noticesSince(h, from)).toEqual([{ kind: 'COUNTER_TEMPORARY_PASSWORD', to, accountId: id }]);
    from = h.mails.length;
    expect((await h.core.counter.issueLoginCode(COUNTER, principal, id, { reason, document: 'ID_CARD' })).ok).toBe(true);
    expect(noticesSince(h, from)).toEqual([{ kind: 'COUNTER_LOGIN_CODE', to, accountId: id }]);
  });

  it('a reactivation is told as such, and a deletion’s notice is not filed under the account that is gone', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    await lockOut(h, 6);
    let from = h.mails.length;
    expect((await h.core.counter.reactivate(COUNTER, principal, id, { reason, document: 'ID_CARD' })).ok).toBe(true);
    expect(noticesSince(h, from)).toEqual([{ kind: 'COUNTER_REACTIVATED', to: 'erika@example.org', accountId: id }]);
    from = h.mails.length;
    expect((await h.core.counter.deleteAccount(COUNTER, principal, id, { reason, document: 'ID_CARD' })).ok).toBe(true);
    expect(noticesSince(h, from)).toEqual([{ kind: 'COUNTER_DELETED', to: 'erika@example.org', accountId: undefined }]);
  });

  it('an address never confirmed hears nothing, and neither does anyone of a refused action or of one that changes no access', async () => {
    const h = makeHarness();
    const registered = await h.core.registration.register(WHO, erikaInput());
    if (!registered.ok) throw new Error('register');
    const id = registered.value.accountId;
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const from = h.mails.length;
    expect((await h.core.counter.temporaryPassword(COUNTER, principal, id, { reason, document: 'ID_CARD' })).ok).toBe(true);
    expect(noticesSince(h, from)).toEqual([]);

    const other = makeHarness();
    const otherId = await registeredAndConfirmed(other);
    const clerk = await readyStaff(other, 'berta.meier', 'staff');
    const otherFrom = other.mails.length;
    expect((await other.core.counter.liftLock(COUNTER, clerk.principal, otherId, { reason })).ok).toBe(false);
    expect((await other.core.counter.account(COUNTER, clerk.principal, otherId, reason)).ok).toBe(true);
    expect((await other.core.counter.newActivationLetter(COUNTER, clerk.principal, otherId, { reason })).ok).toBe(true);
    expect(noticesSince(other, otherFrom)).toEqual([]);
  });
});

describe('refused staff actions in the trail', () => {
  it('a refusal on an account names the action, the code and the reason, with the account as subject and the staff member as actor', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    expect(await h.core.counter.liftLock({ actor: 'x', terminal: 'counter-3' }, principal, id, { reason })).toEqual({
      ok: false,
      error: { code: 'NOT_LOCKED' },
    });
    expect(h.audit.events().at(-1)).toEqual(
      expect.objectContaining({
        type: 'STAFF_ACTION_REFUSED',
        subject: id,
        actor: `staff:${principal.staffId}`,
        terminal: 'counter-3',
        data: { action: 'LIFT_LOCK', code: 'NOT_LOCKED', reason },
      }),
    );
  });

  it('a refusal for an account that does not exist has no subject', async () => {
    const h = makeHarness();
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    expect(await h.core.counter.account(COUNTER, principal, 'no-such-account', reason)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const entry = h.audit.events().at(-1);
    expect(entry).toMatchObject({ type: 'STAFF_ACTION_REFUSED', data: { action: 'VIEW', code: 'NOT_FOUND', reason } });
    expect(entry).not.toHaveProperty('subject');
  });

  it('a reason refused for its content is recorded without the reason, for an account and for a staff action alike', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const boss = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const chatty = 'Anruf von Erika Mustermann';
    expect(await h.core.counter.account(COUNTER, boss.principal, id, chatty)).toEqual({ ok: false, error: { code: 'REASON_REJECTED' } });
    expect(h.audit.events().at(-1)).toMatchObject({ subject: id, data: { action: 'VIEW', code: 'REASON_REJECTED' } });
    expect(h.audit.events().at(-1)?.data).toEqual({ action: 'VIEW', code: 'REASON_REJECTED' });
    const created = await h.core.supervisor.createStaff(COUNTER, boss.principal, {
      username: 'neu.kollege',
      role: 'staff',
      reason: 'Brief vom 12.08.',
    });
    expect(created).toEqual({ ok: false, error: { code: 'REASON_REJECTED' } });
    expect(h.audit.events().at(-1)?.data).toEqual({ action: 'CREATE_STAFF', code: 'REASON_REJECTED' });
    expect(h.audit.lines.join('\n')).not.toMatch(/Mustermann|12\.08\./);
  });
});

describe('staff in the trail', () => {
  it('a staff logout is recorded by the staff member, about their account, at the desk, and the session ends', async () => {
    const h = makeHarness();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const from = h.audit.events().length;
    await h.core.staff.logout({ actor: 'anonymous', terminal: 'counter-4' }, clerk.token);
    expect(h.audit.events().slice(from)).toEqual([
      expect.objectContaining({
        type: 'STAFF_LOGOUT',
        subject: clerk.principal.staffId,
        actor: `staff:${clerk.principal.staffId}`,
        terminal: 'counter-4',
      }),
    ]);
    expect(await h.core.staff.resolve(clerk.token)).toBeUndefined();
  });

  it('a logout without a live staff session records nothing', async () => {
    const h = makeHarness();
    await readyStaff(h, 'berta.meier', 'staff');
    const from = h.audit.events().length;
    await h.core.staff.logout(COUNTER, undefined);
    await h.core.staff.logout(COUNTER, 'forged-token');
    expect(h.audit.events()).toHaveLength(from);
  });

  it('the first supervisor made on the machine is recorded as created by the machine, with the reason the machine gives', async () => {
    const h = makeHarness();
    const created = await h.core.staff.createFromMachine({ username: 'anna.schmidt', role: 'supervisor' });
    if (!created.ok) throw new Error(created.error.code);
    const stored = await h.staff.get(created.value.staff.id);
    expect(stored?.createdBy).toBe('cli');
    expect(h.audit.events().at(-1)).toEqual(
      expect.objectContaining({
        type: 'STAFF_CREATED',
        subject: created.value.staff.id,
        actor: 'system:cli',
        terminal: 'machine',
        data: { role: 'supervisor', reason: 'created on the machine' },
      }),
    );
  });
});

describe('what a session proves', () => {
  it('a staff principal carries id, username, role and epoch, and an own KVNR only when the account has one', async () => {
    const h = makeHarness();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const stored = await h.staff.get(clerk.principal.staffId);
    expect(await h.core.staff.resolve(clerk.token)).toEqual({
      staffId: clerk.principal.staffId,
      username: 'berta.meier',
      role: 'staff',
      epoch: stored?.epoch,
    });
    const own = await readyStaff(h, 'carl.neu', 'supervisor', 'A123456780');
    expect(await h.core.staff.resolve(own.token)).toMatchObject({ username: 'carl.neu', role: 'supervisor', ownKvnr: 'A123456780' });
  });

  it('a login under way shows its stage, username and role; without a session the state is NOT_AUTHENTICATED', async () => {
    const h = makeHarness();
    const created = await h.core.staff.createFromMachine({ username: 'carl.neu', role: 'supervisor' });
    if (!created.ok) throw new Error(created.error.code);
    const login = await h.core.staff.login(COUNTER, { username: 'carl.neu', password: created.value.oneTimePassword });
    if (!login.ok) throw new Error(login.error.code);
    expect(await h.core.staff.state(login.value.session)).toEqual({
      ok: true,
      value: { stage: 'CHANGE_PASSWORD', username: 'carl.neu', role: 'supervisor' },
    });
    expect(await h.core.staff.resolve(login.value.session)).toBeUndefined();
    expect(await h.core.staff.state('forged-token')).toEqual({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
  });

  it('a kiosk principal is the account and its epoch; a temporary password adds that it must be changed', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const login = await h.core.login.withPassword(WHO, { username: 'erika.m', password: erikaInput().password });
    if (!login.ok) throw new Error(login.error.code);
    expect(await h.core.access.resolve(login.value.session)).toEqual({ accountId: id, epoch: 0 });
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    await h.core.counter.temporaryPassword(COUNTER, principal, id, { reason, document: 'ID_CARD' });
    const letter = h.letters.at(-1);
    if (letter?.kind !== 'TEMPORARY_PASSWORD') throw new Error('no letter');
    const second = await h.core.login.withPassword(WHO, { username: 'erika.m', password: letter.password });
    if (!second.ok) throw new Error(second.error.code);
    const epoch = (await h.accounts.get(id))?.epoch;
    expect(await h.core.access.resolve(second.value.session)).toEqual({ accountId: id, epoch, mustChangePassword: true });
  });
});

describe('the counter’s search and the staff login stages', () => {
  it('a search by name refuses a reason that names the person searched for, first name included', async () => {
    const h = makeHarness();
    await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const query = { by: 'NAME', lastName: 'Mustermann', firstName: 'Erika', birthDate: '1984-08-12' } as const;
    for (const named of ['Suche Mustermann', 'Frau erika am Schalter']) {
      expect(await h.core.counter.search(COUNTER, principal, query, named)).toEqual({ ok: false, error: { code: 'REASON_REJECTED' } });
      expect(h.audit.events().at(-1)?.data).toEqual({ action: 'SEARCH', code: 'REASON_REJECTED' });
    }
    const found = await h.core.counter.search(COUNTER, principal, query, reason);
    expect(found.ok && found.value.length).toBe(1);
    // The same words are no personal data in a search by KVNR: no name is known to the reason.
    expect((await h.core.counter.search(COUNTER, principal, { by: 'KVNR', kvnr: 'A123456780' }, 'Suche Mustermann')).ok).toBe(true);
  });

  it('an enrolment code is confirmed only after the enrolment began in the same session', async () => {
    const h = makeHarness();
    const created = await h.core.staff.createFromMachine({ username: 'carl.neu', role: 'supervisor' });
    if (!created.ok) throw new Error(created.error.code);
    const login = await h.core.staff.login(COUNTER, { username: 'carl.neu', password: created.value.oneTimePassword });
    if (!login.ok) throw new Error(login.error.code);
    const token = login.value.session;
    // Before the own password: no enrolment yet.
    expect(await h.core.staff.beginEnrolment(token)).toEqual({ ok: false, error: { code: 'STAFF_STAGE' } });
    expect((await h.core.staff.replacePassword(COUNTER, token, 'Schalter-Dienst-2026!')).ok).toBe(true);
    expect(await h.core.staff.confirmEnrolment(COUNTER, token, '123456')).toEqual({ ok: false, error: { code: 'STAFF_STAGE' } });
    expect(await h.core.staff.state(token)).toMatchObject({ ok: true, value: { stage: 'ENROL_TOTP' } });
  });

  it('the onboarding view of an account that does not exist is NOT_FOUND', async () => {
    const h = makeHarness();
    expect(await h.core.view('no-such-account')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('a staff login under way that meets a lock', () => {
  // A lock shorter than the idle limit: a login that merely waited out the lock would go on.
  const shortLock = () => makeHarness({ policy: { ...DEFAULT_POLICY, staff: { ...DEFAULT_POLICY.staff, lockMs: 60_000 } } });
  /** A six-digit code that is none of the three a login accepts right now. */
  const wrongCode = (secret: string, now: Date) => {
    const right = new Set([-30_000, 0, 30_000].map((d) => totpCode(secret, new Date(now.getTime() + d))));
    for (let n = 0; ; n++) if (!right.has(String(n).padStart(6, '0'))) return String(n).padStart(6, '0');
  };

  it('is over for good when its own wrong codes lock the account: after the lock the password is asked again', async () => {
    const h = shortLock();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const login = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD });
    if (!login.ok) throw new Error(login.error.code);
    const token = login.value.session;
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await h.core.staff.totp(COUNTER, token, wrongCode(clerk.secret, h.clock.now()));
      codes.push(r.ok ? 'OK' : r.error.code);
    }
    expect(codes.at(-1)).toBe('STAFF_LOCKED');
    h.clock.advance(60_001);
    expect(await h.core.staff.state(token)).toEqual({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    expect(await h.core.staff.totp(COUNTER, token, totpCode(clerk.secret, h.clock.now()))).toEqual({
      ok: false,
      error: { code: 'STAFF_STAGE' },
    });
  });

  it('is over for good when a lock from another desk meets it', async () => {
    const h = shortLock();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const login = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD });
    if (!login.ok) throw new Error(login.error.code);
    const token = login.value.session;
    for (let i = 0; i < 5; i++)
      await h.core.staff.login({ actor: 'anonymous', terminal: 'counter-9' }, { username: 'berta.meier', password: 'falsch' });
    expect(await h.core.staff.state(token)).toEqual({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    h.clock.advance(60_001);
    expect(await h.core.staff.state(token)).toEqual({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    // Her working session, whose login was complete, went on through it all.
    expect(await h.core.staff.resolve(clerk.token)).toBeDefined();
  });

  it('every step of a login under way counts as activity: it ends only after 5 minutes without one', async () => {
    const h = makeHarness();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const login = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD });
    if (!login.ok) throw new Error(login.error.code);
    const token = login.value.session;
    h.clock.advance(4 * 60_000);
    expect(await h.core.staff.state(token)).toMatchObject({ ok: true, value: { stage: 'TOTP' } });
    h.clock.advance(4 * 60_000);
    expect(await h.core.staff.totp(COUNTER, token, totpCode(clerk.secret, h.clock.now()))).toEqual({ ok: true, value: { stage: 'READY' } });
    h.clock.advance(5 * 60_000);
    expect(await h.core.staff.state(token)).toEqual({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
  });
});

describe('counter and supervisor actions, as the trail and the sessions show them', () => {
  it('each refused action is recorded under its own name', async () => {
    const h = makeHarness();
    const boss = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const p = boss.principal;
    const doc = { reason, document: 'ID_CARD' } as const;
    await h.core.counter.confirmIdentity(COUNTER, p, 'nope', doc);
    await h.core.counter.reactivate(COUNTER, p, 'nope', doc);
    await h.core.counter.temporaryPassword(COUNTER, p, 'nope', doc);
    await h.core.counter.newActivationLetter(COUNTER, p, 'nope', { reason });
    await h.core.counter.issueLoginCode(COUNTER, p, 'nope', doc);
    await h.core.counter.resendEmailCode(COUNTER, p, 'nope', { reason });
    await h.core.counter.deleteAccount(COUNTER, p, 'nope', doc);
    await h.core.counter.readMessage(COUNTER, p, 'nope', reason);
    await h.core.counter.answerMessage(COUNTER, p, 'nope', { subject: 'Re', body: 'Antwort', reason });
    await h.core.supervisor.changeStaff(COUNTER, p, { staffId: 'nope', change: 'UNLOCK', reason });
    const refused = h.audit.events().filter((e) => e.type === 'STAFF_ACTION_REFUSED');
    expect(refused.map((e) => e.data?.['action'])).toEqual([
      'CONFIRM_IDENTITY',
      'REACTIVATE',
      'TEMPORARY_PASSWORD',
      'NEW_ACTIVATION_LETTER',
      'ISSUE_LOGIN_CODE',
      'RESEND_EMAIL_CODE',
      'DELETE_ACCOUNT',
      'READ_MESSAGE',
      'ANSWER_MESSAGE',
      'CHANGE_STAFF',
    ]);
  });

  it('a refused action leaves the sessions open: the person’s at the kiosk and the staff member’s at the counter', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const login = await h.core.login.withPassword(WHO, { username: 'erika.m', password: erikaInput().password });
    if (!login.ok) throw new Error(login.error.code);
    const boss = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const chatty = { reason: 'Anruf von Erika', document: 'ID_CARD' } as const;
    expect((await h.core.counter.reactivate(COUNTER, boss.principal, id, chatty)).ok).toBe(false);
    expect((await h.core.counter.temporaryPassword(COUNTER, boss.principal, id, chatty)).ok).toBe(false);
    expect((await h.core.counter.deleteAccount(COUNTER, boss.principal, id, chatty)).ok).toBe(false);
    expect((await h.core.services.deleteAccount(WHO, id, { password: 'Falsch*Passwort1', confirm: true })).ok).toBe(false);
    expect(await h.core.access.resolve(login.value.session)).toBeDefined();
    const change = { staffId: clerk.principal.staffId, change: 'UNLOCK', reason } as const;
    expect(await h.core.supervisor.changeStaff(COUNTER, boss.principal, change)).toEqual({ ok: false, error: { code: 'NOT_LOCKED' } });
    expect(await h.core.staff.resolve(clerk.token)).toBeDefined();
    // One wrong current password in a voluntary change is no lock: the session goes on.
    const wrong = await h.core.staff.changePassword(COUNTER, clerk.token, clerk.principal, {
      currentPassword: 'Falsches-Passwort-99',
      newPassword: 'Ein-ganz-neues-Passwort-1',
    });
    expect(wrong.ok).toBe(false);
    expect(await h.core.staff.resolve(clerk.token)).toBeDefined();
  });

  it('every successful change of a staff account ends that member’s sessions, an unlock included', async () => {
    const h = makeHarness();
    const boss = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    for (let i = 0; i < 5; i++)
      await h.core.staff.login({ actor: 'x', terminal: 'counter-9' }, { username: 'berta.meier', password: 'falsch' });
    expect(await h.core.staff.resolve(clerk.token)).toBeDefined();
    const unlocked = await h.core.supervisor.changeStaff(COUNTER, boss.principal, {
      staffId: clerk.principal.staffId,
      change: 'UNLOCK',
      reason,
    });
    expect(unlocked.ok).toBe(true);
    expect(await h.core.staff.resolve(clerk.token)).toBeUndefined();
  });

  it('a complete login ends the staff member’s other counter session', async () => {
    const h = makeHarness();
    const boss = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const second = await staffLogsIn(h, 'anna.schmidt', boss.secret);
    expect(await h.core.staff.resolve(second)).toBeDefined();
    expect(await h.core.staff.resolve(boss.token)).toBeUndefined();
  });

  it('the replaced one-time password is recorded by the staff member at the desk', async () => {
    const h = makeHarness();
    const created = await h.core.staff.createFromMachine({ username: 'carl.neu', role: 'staff' });
    if (!created.ok) throw new Error(created.error.code);
    const desk = { actor: 'anonymous', terminal: 'counter-5' };
    const login = await h.core.staff.login(desk, { username: 'carl.neu', password: created.value.oneTimePassword });
    if (!login.ok) throw new Error(login.error.code);
    expect(await h.core.staff.replacePassword(desk, login.value.session, STAFF_PASSWORD)).toEqual({
      ok: true,
      value: { stage: 'ENROL_TOTP' },
    });
    expect(h.audit.events().find((e) => e.type === 'STAFF_PASSWORD_CHANGED')).toMatchObject({
      actor: `staff:${created.value.staff.id}`,
      terminal: 'counter-5',
    });
  });

  it('confirming an enrolment without a live login is STAFF_STAGE', async () => {
    const h = makeHarness();
    expect(await h.core.staff.confirmEnrolment(COUNTER, 'forged-token', '123456')).toEqual({ ok: false, error: { code: 'STAFF_STAGE' } });
    expect(await h.core.staff.confirmEnrolment(COUNTER, undefined, '123456')).toEqual({ ok: false, error: { code: 'STAFF_STAGE' } });
  });

  it('a new password cannot be set before the TOTP code: STAFF_STAGE, and the password stays', async () => {
    const h = makeHarness();
    await readyStaff(h, 'berta.meier', 'staff');
    const login = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD });
    if (!login.ok) throw new Error(login.error.code);
    expect(await h.core.staff.replacePassword(COUNTER, login.value.session, 'Ein-ganz-neues-Passwort-1')).toEqual({
      ok: false,
      error: { code: 'STAFF_STAGE' },
    });
    expect((await h.core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD })).ok).toBe(true);
  });

  it('a new activation letter names its last valid Berlin day; none once the identity is confirmed', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const letter = await h.core.counter.newActivationLetter(COUNTER, principal, id, { reason });
    // The day the counter names is the day printed on the letter.
    const printed = h.letters.at(-1);
    if (printed?.kind !== 'ACTIVATION_KEY') throw new Error('no letter');
    expect(printed.validUntil).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(letter).toEqual({ ok: true, value: { validThrough: printed.validUntil } });
    const key = h.letters.at(-1);
    if (key?.kind !== 'ACTIVATION_KEY') throw new Error('no letter');
    expect((await h.core.identity.enterKey(WHO, id, key.key)).ok).toBe(true);
    expect(await h.core.counter.newActivationLetter(COUNTER, principal, id, { reason })).toEqual({
      ok: false,
      error: { code: 'ALREADY_CONFIRMED' },
    });
  });

  it('no login code for a deactivated account', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    await lockOut(h, 6);
    const letters = h.letters.length;
    expect(await h.core.counter.issueLoginCode(COUNTER, principal, id, { reason, document: 'ID_CARD' })).toEqual({
      ok: false,
      error: { code: 'ACCOUNT_DEACTIVATED' },
    });
    expect(h.letters).toHaveLength(letters);
  });

  it('the undelivered list is open to staff, and dismissing an unknown entry is NOT_FOUND', async () => {
    const h = makeHarness();
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    expect(await h.core.counter.undelivered(COUNTER, principal)).toMatchObject({ ok: true });
    expect(await h.core.counter.dismissUndelivered(COUNTER, principal, 'nope')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('two terminals on one store', () => {
  it('a password changed at one kiosk ends the session open at another', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const other = createCore(h.deps);
    const there = await other.login.withPassword(WHO, { username: 'erika.m', password: erikaInput().password });
    if (!there.ok) throw new Error(there.error.code);
    expect(await other.access.resolve(there.value.session)).toEqual({ accountId: id, epoch: 0 });
    expect((await h.core.password.change(WHO, id, { currentPassword: erikaInput().password, newPassword: 'Neue*Wiese42' })).ok).toBe(true);
    expect(await other.access.resolve(there.value.session)).toBeUndefined();
  });
});

describe('reasons name no one concerned', () => {
  it('only the names of the person concerned are refused: other words are fine, in any language', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const english = 'Customer was here in person';
    expect((await h.core.counter.search(COUNTER, principal, { by: 'KVNR', kvnr: 'A123456780' }, english)).ok).toBe(true);
    const byName = { by: 'NAME', lastName: 'Mustermann', birthDate: '1984-08-12' } as const;
    expect((await h.core.counter.search(COUNTER, principal, byName, english)).ok).toBe(true);
    expect((await h.core.counter.account(COUNTER, principal, id, english)).ok).toBe(true);
  });
});

describe('answers passed on unchanged', () => {
  it('the counter’s e-mail code resend keeps the resend limit’s own answer; only an address already confirmed is renamed', async () => {
    const h = makeHarness();
    const registered = await h.core.registration.register(WHO, erikaInput());
    if (!registered.ok) throw new Error(registered.error.code);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const codes: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await h.core.counter.resendEmailCode(COUNTER, principal, registered.value.accountId, { reason });
      codes.push(r.ok ? 'OK' : r.error.code);
    }
    expect(codes).toContain('RESEND_LIMIT');
    expect(codes).not.toContain('EMAIL_ALREADY_CONFIRMED');
  });

  it('a POSTIDENT refresh names the open case, and WRONG_STEP for an account without one', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    expect(await h.core.identity.refreshPostident(id)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect((await h.core.identity.startPostident(WHO, id)).ok).toBe(true);
    expect(await h.core.identity.refreshPostident(id)).toEqual({ ok: true, value: { caseId: 'CASE-1', state: 'OPEN' } });
  });
});
