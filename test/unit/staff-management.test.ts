/**
 * What a supervisor may do to staff accounts (R10), rule by rule: the account a creation stores,
 * the audit entry of every change (type, subject, actor, data), the refusals with their codes, the
 * four-eyes day, and what a reset or an unlock leaves behind. Times on the harness's fake clock.
 */
import { describe, expect, it } from 'vitest';
import { totpCode } from '../../src-main/core/staff/totp.js';
import { makeHarness } from '../fixtures/harness.js';
import { COUNTER, readyStaff, STAFF_PASSWORD } from '../fixtures/staff.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

type Harness = ReturnType<typeof makeHarness>;

async function team(h: Harness) {
  const boss = await readyStaff(h, 'anna.schmidt', 'supervisor');
  const clerk = await readyStaff(h, 'berta.meier', 'staff');
  type Change = 'DISABLE' | 'RESET_PASSWORD' | 'RESET_TOTP' | 'UNLOCK' | { role: 'staff' | 'supervisor' };
  const change = (staffChange: Change, reason = 'Anlass am Schalter', by = boss.principal, staffId = clerk.principal.staffId) =>
    h.core.supervisor.changeStaff(COUNTER, by, { staffId, change: staffChange, reason });
  return { boss, clerk, change };
}

const lockOut = async (h: Harness, username: string) => {
  for (let i = 0; i < 5; i++) await h.core.staff.login(COUNTER, { username, password: 'Falsch-geraten-1' });
};

describe('a supervisor creates a staff account', () => {
  it('stored with a one-time password for 72 hours that must be changed, audited as STAFF_CREATED with role and reason', async () => {
    const h = makeHarness();
    const { boss } = await team(h);
    const from = h.audit.events().length;
    const created = await h.core.supervisor.createStaff(COUNTER, boss.principal, {
      username: 'Dora.Klein',
      role: 'staff',
      ownKvnr: 'a 123 456 780',
      reason: 'neue Kollegin',
    });
    if (!created.ok) throw new Error(created.error.code);
    const { id } = created.value.staff;
    const now = h.clock.now();
    expect(created.value.staff).toEqual({
      id,
      username: 'Dora.Klein',
      role: 'staff',
      createdAt: now.toISOString(),
      totpEnrolled: false,
      mustChangePassword: true,
      failures: 0,
    });
    const stored = await h.staff.get(id);
    expect(stored).toMatchObject({
      usernameKey: 'dora.klein',
      ownKvnr: 'A123456780',
      createdBy: boss.principal.staffId,
      password: { changedAt: now.toISOString(), mustChange: true, oneTimeUntil: new Date(now.getTime() + 72 * HOUR).toISOString() },
      login: { failures: 0 },
      epoch: 0,
    });
    expect(await h.core.staff.login(COUNTER, { username: 'dora.klein', password: created.value.oneTimePassword })).toMatchObject({
      ok: true,
      value: { stage: 'CHANGE_PASSWORD' },
    });
    expect(h.audit.events().slice(from)[0]).toMatchObject({
      type: 'STAFF_CREATED',
      subject: id,
      actor: `staff:${boss.principal.staffId}`,
      terminal: 'counter-1',
      data: { role: 'staff', reason: 'neue Kollegin' },
    });
  });

  it('refuses a username outside the rule (USERNAME_INVALID) and an own KVNR that is none (KVNR_INVALID), storing nothing', async () => {
    const h = makeHarness();
    const { boss } = await team(h);
    const create = (username: string, ownKvnr?: string) =>
      h.core.supervisor.createStaff(COUNTER, boss.principal, { username, role: 'staff', ownKvnr, reason: 'neue Kollegin' });
    expect(await create('dora')).toEqual({ ok: false, error: { code: 'USERNAME_INVALID' } });
    expect(await create('dora klein')).toEqual({ ok: false, error: { code: 'USERNAME_INVALID' } });
    expect(await create('dora.klein', 'A123456781')).toEqual({ ok: false, error: { code: 'KVNR_INVALID' } });
    expect(await h.staff.list()).toHaveLength(2);
    expect(h.audit.events().filter((e) => e.type === 'STAFF_CREATED')).toHaveLength(2);
  });

  it('an account without an own KVNR has none, and every account gets its own id', async () => {
    const h = makeHarness();
    const { boss, clerk } = await team(h);
    const created = await h.core.supervisor.createStaff(COUNTER, boss.principal, {
      username: 'dora.klein',
      role: 'supervisor',
      reason: 'neu',
    });
    if (!created.ok) throw new Error(created.error.code);
    const stored = await h.staff.get(created.value.staff.id);
    expect(stored && 'ownKvnr' in stored).toBe(false);
    expect(new Set([boss.principal.staffId, clerk.principal.staffId, created.value.staff.id]).size).toBe(3);
  });

  it('the staff list is sorted by username and shows a lock only while it lasts', async () => {
    const h = makeHarness();
    await readyStaff(h, 'carl.braun', 'staff');
    await readyStaff(h, 'anna.schmidt', 'supervisor');
    await readyStaff(h, 'berta.meier', 'staff');
    await lockOut(h, 'berta.meier');
    const until = new Date(h.clock.now().getTime() + 15 * MIN).toISOString();
    const listed = await h.core.supervisor.listStaff();
    expect(listed.ok && listed.value.map((s) => s.username)).toEqual(['anna.schmidt', 'berta.meier', 'carl.braun']);
    expect(listed.ok && listed.value[1]).toMatchObject({ lockedUntil: until, failures: 5 });
    h.clock.advance(15 * MIN);
    const later = await h.core.supervisor.listStaff();
    expect(later.ok && later.value[1] && 'lockedUntil' in later.value[1]).toBe(false);
  });
});

describe('a supervisor changes a staff account', () => {
  it('each change is audited with its own type, the account as subject, the supervisor as actor, and the reason', async () => {
    const h = makeHarness();
    const { boss, clerk, change } = await team(h);
    const other = await readyStaff(h, 'fritz.lang', 'supervisor');
    const from = h.audit.events().length;
    await lockOut(h, 'berta.meier');
    const afterLock = h.audit.events().length;
    expect((await change('UNLOCK', 'Tippfehler')).ok).toBe(true);
    expect((await change('RESET_PASSWORD', 'vergessen')).ok).toBe(true);
    expect((await change('RESET_TOTP', 'neues Telefon', other.principal)).ok).toBe(true);
    expect((await change({ role: 'supervisor' }, 'Vertretung')).ok).toBe(true);
    expect((await change('DISABLE', 'gegangen')).ok).toBe(true);
    expect(afterLock - from).toBe(6);
    const by = (p: { staffId: string }) => ({ actor: `staff:${p.staffId}`, terminal: 'counter-1', subject: clerk.principal.staffId });
    expect(h.audit.events().slice(afterLock)).toEqual([
      expect.objectContaining({ type: 'STAFF_UNLOCKED', ...by(boss.principal), data: { reason: 'Tippfehler' } }),
      expect.objectContaining({ type: 'STAFF_PASSWORD_RESET', ...by(boss.principal), data: { reason: 'vergessen' } }),
      expect.objectContaining({ type: 'STAFF_TOTP_RESET', ...by(other.principal), data: { reason: 'neues Telefon' } }),
      expect.objectContaining({ type: 'STAFF_ROLE_CHANGED', ...by(boss.principal), data: { reason: 'Vertretung', role: 'supervisor' } }),
      expect.objectContaining({ type: 'STAFF_DISABLED', ...by(boss.principal), data: { reason: 'gegangen' } }),
    ]);
  });

  it('only a password reset hands out a one-time password; the answer is otherwise the account as the counter shows it', async () => {
    const h = makeHarness();
    const { clerk, change } = await team(h);
    await lockOut(h, 'berta.meier');
    const unlocked = await change('UNLOCK');
    expect(unlocked).toEqual({
      ok: true,
      value: {
        staff: {
          id: clerk.principal.staffId,
          username: 'berta.meier',
          role: 'staff',
          createdAt: expect.any(String),
          totpEnrolled: true,
          mustChangePassword: false,
          failures: 0,
        },
      },
    });
    const promoted = await change({ role: 'supervisor' });
    expect(promoted.ok && Object.keys(promoted.value)).toEqual(['staff']);
    expect(promoted.ok && promoted.value.staff.role).toBe('supervisor');
    const reset = await change('RESET_PASSWORD');
    expect(reset.ok && reset.value.oneTimePassword).toMatch(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/);
    expect(reset.ok && reset.value.staff.mustChangePassword).toBe(true);
  });

  it('a changed account gets a new epoch, except by an unlock; a disabled one carries the time', async () => {
    const h = makeHarness();
    const { clerk, change } = await team(h);
    const epoch = async () => (await h.staff.get(clerk.principal.staffId))?.epoch ?? -1;
    const start = await epoch();
    await lockOut(h, 'berta.meier');
    await change('UNLOCK');
    expect(await epoch()).toBe(start);
    await change({ role: 'supervisor' });
    expect(await epoch()).toBe(start + 1);
    await change('RESET_PASSWORD');
    expect(await epoch()).toBe(start + 2);
    h.clock.advance(DAY);
    await change('RESET_TOTP');
    expect(await epoch()).toBe(start + 3);
    const disabled = await change('DISABLE');
    expect(await epoch()).toBe(start + 4);
    expect(disabled).toMatchObject({ ok: true, value: { staff: { disabledAt: h.clock.now().toISOString() } } });
  });

  it('a disabled account takes no other change (STAFF_DISABLED), is not disabled twice, and nothing is recorded but the refusals', async () => {
    const h = makeHarness();
    const { change } = await team(h);
    await change('DISABLE');
    const from = h.audit.events().length;
    for (const refused of ['DISABLE', 'RESET_PASSWORD', 'RESET_TOTP', 'UNLOCK', { role: 'supervisor' as const }] as const) {
      expect(await change(refused)).toEqual({ ok: false, error: { code: 'STAFF_DISABLED' } });
    }
    expect(
      h.audit
        .events()
        .slice(from)
        .map((e) => e.type),
    ).toEqual(Array.from({ length: 5 }, () => 'STAFF_ACTION_REFUSED'));
  });

  it('refuses what does not apply: an unknown account (NOT_FOUND), the same role (WRONG_STEP), a TOTP reset without TOTP (WRONG_STEP)', async () => {
    const h = makeHarness();
    const { change } = await team(h);
    expect(await change('UNLOCK', 'x', undefined, 'no-such-staff')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await change({ role: 'staff' })).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect((await change('RESET_TOTP')).ok).toBe(true);
    h.clock.advance(DAY);
    expect(await change('RESET_TOTP')).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
  });

  it('a supervisor changes nothing of their own account: every change of it is OWN_ACCOUNT, a role change OWN_ROLE', async () => {
    const h = makeHarness();
    const { boss, change } = await team(h);
    for (const own of ['RESET_PASSWORD', 'RESET_TOTP', 'UNLOCK'] as const) {
      expect(await change(own, 'x', boss.principal, boss.principal.staffId)).toEqual({ ok: false, error: { code: 'OWN_ACCOUNT' } });
    }
    expect(await change({ role: 'supervisor' }, 'x', boss.principal, boss.principal.staffId)).toEqual({
      ok: false,
      error: { code: 'OWN_ROLE' },
    });
  });

  it('of two supervisors demoting each other at once, the refused one hears LAST_SUPERVISOR', async () => {
    const h = makeHarness();
    const anna = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const carl = await readyStaff(h, 'carl.braun', 'supervisor');
    const answers = await Promise.all([
      h.core.supervisor.changeStaff(COUNTER, anna.principal, { staffId: carl.principal.staffId, change: { role: 'staff' }, reason: 'x' }),
      h.core.supervisor.changeStaff(COUNTER, carl.principal, { staffId: anna.principal.staffId, change: 'DISABLE', reason: 'x' }),
    ]);
    expect(answers.map((a) => (a.ok ? 'OK' : a.error.code)).sort()).toEqual(['LAST_SUPERVISOR', 'OK']);
  });

  it('only disabling or demoting takes a supervisor away: the last active one’s password, TOTP and lock are judged on their own', async () => {
    const h = makeHarness();
    const anna = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const carl = await readyStaff(h, 'carl.braun', 'supervisor');
    // Carl demotes Anna while her request, authorised a moment before, is on its way.
    expect(
      (
        await h.core.supervisor.changeStaff(COUNTER, carl.principal, {
          staffId: anna.principal.staffId,
          change: { role: 'staff' },
          reason: 'x',
        })
      ).ok,
    ).toBe(true);
    const onCarl = (staffChange: 'RESET_PASSWORD' | 'RESET_TOTP' | 'UNLOCK' | { role: 'supervisor' | 'staff' }) =>
      h.core.supervisor.changeStaff(COUNTER, anna.principal, { staffId: carl.principal.staffId, change: staffChange, reason: 'x' });
    expect(await onCarl('UNLOCK')).toEqual({ ok: false, error: { code: 'NOT_LOCKED' } });
    expect(await onCarl({ role: 'supervisor' })).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect((await onCarl('RESET_PASSWORD')).ok).toBe(true);
    expect(await onCarl({ role: 'staff' })).toEqual({ ok: false, error: { code: 'LAST_SUPERVISOR' } });
  });

  it('a supervisor may demote or disable another while a second active supervisor remains, and promote a clerk', async () => {
    const h = makeHarness();
    const { boss, clerk, change } = await team(h);
    const carl = await readyStaff(h, 'carl.braun', 'supervisor');
    expect((await change({ role: 'supervisor' })).ok).toBe(true);
    expect((await change({ role: 'staff' }, 'x', boss.principal, carl.principal.staffId)).ok).toBe(true);
    expect((await change('DISABLE', 'x', boss.principal, clerk.principal.staffId)).ok).toBe(true);
    const active = (await h.staff.list()).filter((s) => s.role === 'supervisor' && !s.disabledAt);
    expect(active.map((s) => s.username)).toEqual(['anna.schmidt']);
  });
});

describe('resets and unlocks', () => {
  it('one supervisor resetting both factors within a day is FOUR_EYES until the day is over; the same factor twice is fine', async () => {
    const h = makeHarness();
    const { change } = await team(h);
    expect((await change('RESET_PASSWORD')).ok).toBe(true);
    expect((await change('RESET_PASSWORD')).ok).toBe(true);
    h.clock.advance(DAY - 1);
    expect(await change('RESET_TOTP')).toEqual({ ok: false, error: { code: 'FOUR_EYES' } });
    h.clock.advance(1);
    expect((await change('RESET_TOTP')).ok).toBe(true);
  });

  it('a factor reset does not stand in the way of other changes by the same supervisor', async () => {
    const h = makeHarness();
    const { change } = await team(h);
    expect((await change('RESET_PASSWORD')).ok).toBe(true);
    await lockOut(h, 'berta.meier');
    expect((await change('UNLOCK')).ok).toBe(true);
    expect((await change({ role: 'supervisor' })).ok).toBe(true);
    expect((await change('DISABLE')).ok).toBe(true);
  });

  it('the same supervisor may reset a colleague’s TOTP twice in a day (a second lost phone)', async () => {
    const h = makeHarness();
    const { change } = await team(h);
    expect((await change('RESET_TOTP')).ok).toBe(true);
    const login = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD });
    if (!login.ok) throw new Error(login.error.code);
    const enrol = await h.core.staff.beginEnrolment(login.value.session);
    if (!enrol.ok) throw new Error(enrol.error.code);
    expect(await h.core.staff.confirmEnrolment(COUNTER, login.value.session, totpCode(enrol.value.secret, h.clock.now()))).toEqual({
      ok: true,
      value: { stage: 'READY' },
    });
    expect((await change('RESET_TOTP')).ok).toBe(true);
  });

  it('a reset password works as a one-time password for 72 hours, lifts a lock and leads through TOTP to a new password', async () => {
    const h = makeHarness();
    const { clerk, change } = await team(h);
    await lockOut(h, 'berta.meier');
    const reset = await change('RESET_PASSWORD');
    if (!reset.ok || !reset.value.oneTimePassword) throw new Error('reset');
    expect((await h.staff.get(clerk.principal.staffId))?.login).toEqual({ failures: 0 });
    const password = reset.value.oneTimePassword;
    h.clock.advance(72 * HOUR - 1);
    expect(await h.core.staff.login(COUNTER, { username: 'berta.meier', password })).toMatchObject({ ok: true, value: { stage: 'TOTP' } });
    h.clock.advance(1);
    expect(await h.core.staff.login(COUNTER, { username: 'berta.meier', password })).toEqual({
      ok: false,
      error: { code: 'TEMPORARY_PASSWORD_EXPIRED' },
    });
    expect((await h.core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD })).ok).toBe(false);
  });

  it('an unlock lifts a lock until its last millisecond; at its end there is nothing to lift (NOT_LOCKED)', async () => {
    const h = makeHarness();
    const { clerk, change } = await team(h);
    await lockOut(h, 'berta.meier');
    h.clock.advance(15 * MIN);
    expect(await change('UNLOCK')).toEqual({ ok: false, error: { code: 'NOT_LOCKED' } });
    await lockOut(h, 'berta.meier');
    h.clock.advance(15 * MIN - 1);
    expect((await change('UNLOCK')).ok).toBe(true);
    expect((await h.staff.get(clerk.principal.staffId))?.login).toEqual({ failures: 0 });
    expect((await h.core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD })).ok).toBe(true);
  });

  it('a TOTP reset removes the second factor: the next login enrols a new one', async () => {
    const h = makeHarness();
    const { clerk, change } = await team(h);
    expect(await change('RESET_TOTP')).toMatchObject({ ok: true, value: { staff: { totpEnrolled: false } } });
    expect((await h.staff.get(clerk.principal.staffId))?.totp).toBeUndefined();
    expect(await h.core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD })).toMatchObject({
      ok: true,
      value: { stage: 'ENROL_TOTP' },
    });
  });
});
