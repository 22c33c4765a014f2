/** Staff accounts of the counter (R10): their own lock, first-login stages, TOTP, sessions, supervisors. */
import { describe, expect, it } from 'vitest';
import { AesSecretBox } from '../../src-main/adapters/crypto.js';
import { DEFAULT_POLICY, policySchema } from '../../src-main/core/policy.js';
import { totpCode } from '../../src-main/core/staff/totp.js';
import { makeHarness } from '../fixtures/harness.js';
import { COUNTER, readyStaff, STAFF_PASSWORD, staffLogsIn } from '../fixtures/staff.js';

const MIN = 60_000;

describe('staff accounts: creation and first login', () => {
  it('there is no staff account and no default password until one is created on the machine', async () => {
    const h = makeHarness();
    for (const username of ['admin', 'supervisor', 'root']) {
      for (const password of ['admin', 'Passwort123!', '']) {
        expect((await h.core.staff.login(COUNTER, { username, password })).ok).toBe(false);
      }
    }
    expect(await h.staff.list()).toEqual([]);
  });

  it('a new account walks through own password and TOTP enrolment before anything opens', async () => {
    const h = makeHarness();
    const created = await h.core.staff.createFromMachine({ username: 'anna.schmidt', role: 'supervisor' });
    if (!created.ok) throw new Error('create');
    expect(created.value.oneTimePassword).toMatch(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/);
    const login = await h.core.staff.login(COUNTER, { username: 'Anna.Schmidt', password: created.value.oneTimePassword });
    if (!login.ok) throw new Error(login.error.code);
    expect(login.value.stage).toBe('CHANGE_PASSWORD');
    const token = login.value.session;
    // Not a principal yet: no counter channel opens.
    expect(await h.core.staff.resolve(token)).toBeUndefined();
    // Later stages cannot be skipped to.
    expect(await h.core.staff.beginEnrolment(token)).toEqual({ ok: false, error: { code: 'STAFF_STAGE' } });
    // The one-time password is not kept, a short or common one is refused, and nothing moves.
    expect(await h.core.staff.replacePassword(COUNTER, token, created.value.oneTimePassword)).toMatchObject({
      ok: false,
      error: { code: 'PASSWORD_REUSED' },
    });
    expect(await h.core.staff.replacePassword(COUNTER, token, 'Kurz-2026!x')).toMatchObject({
      ok: false,
      error: { code: 'PASSWORD_REJECTED', details: { rules: ['TOO_SHORT'] } },
    });
    expect(await h.core.staff.replacePassword(COUNTER, token, 'anna.schmidt-2026')).toMatchObject({
      ok: false,
      error: { code: 'PASSWORD_REJECTED', details: { rules: ['CONTAINS_USERNAME'] } },
    });
    expect(await h.core.staff.replacePassword(COUNTER, token, STAFF_PASSWORD)).toEqual({ ok: true, value: { stage: 'ENROL_TOTP' } });
    const enrol = await h.core.staff.beginEnrolment(token);
    if (!enrol.ok) throw new Error('enrol');
    expect(enrol.value.uri).toMatch(/^otpauth:\/\/totp\/Kontokiosk:anna\.schmidt\?/);
    expect(await h.core.staff.confirmEnrolment(COUNTER, token, '000000')).toMatchObject({ ok: false, error: { code: 'TOTP_INVALID' } });
    expect(await h.core.staff.confirmEnrolment(COUNTER, token, totpCode(enrol.value.secret, h.clock.now()))).toEqual({
      ok: true,
      value: { stage: 'READY' },
    });
    expect(await h.core.staff.resolve(token)).toMatchObject({ username: 'anna.schmidt', role: 'supervisor' });
    const types = h.audit.events().map((e) => e.type);
    expect(types).toEqual(['STAFF_CREATED', 'STAFF_LOGIN_SUCCESS', 'STAFF_PASSWORD_CHANGED', 'STAFF_TOTP_ENROLLED']);
  });

  it('the TOTP secret is stored sealed with a key outside the store, never in plain text', async () => {
    const h = makeHarness();
    const ready = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const stored = JSON.stringify(await h.staff.list());
    expect(stored).not.toContain(ready.secret);
    const sealed = (await h.staff.list())[0]?.totp?.sealedSecret ?? '';
    expect(new AesSecretBox(new Uint8Array(32).fill(5)).open(sealed)).toBe(ready.secret);
    expect(() => new AesSecretBox(new Uint8Array(32).fill(6)).open(sealed)).toThrow();
  });

  it('TOTP is required for supervisors always and for counter staff as configured', async () => {
    const h = makeHarness({ policy: policySchema.parse({ staff: { totpForStaff: false } }) });
    for (const [username, role, stage] of [
      ['berta.meier', 'staff', 'READY'],
      ['carla.vogt', 'supervisor', 'ENROL_TOTP'],
    ] as const) {
      const created = await h.core.staff.createFromMachine({ username, role });
      if (!created.ok) throw new Error('create');
      const login = await h.core.staff.login(COUNTER, { username, password: created.value.oneTimePassword });
      if (!login.ok) throw new Error('login');
      expect(await h.core.staff.replacePassword(COUNTER, login.value.session, STAFF_PASSWORD)).toEqual({ ok: true, value: { stage } });
    }
  });
});

describe('staff login: lock and TOTP', () => {
  it('5 wrong passwords lock for 15 minutes; attempts during the lock count for nothing and never deactivate', async () => {
    const h = makeHarness();
    const ready = await readyStaff(h, 'berta.meier', 'staff');
    for (let i = 1; i <= 4; i++) {
      // The same answer as for a name nobody has: no count that would tell the name is real.
      expect(await h.core.staff.login(COUNTER, { username: 'berta.meier', password: 'wrong' })).toEqual({
        ok: false,
        error: { code: 'INVALID_CREDENTIALS' },
      });
    }
    const locked = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: 'wrong' });
    const until = new Date(h.clock.now().getTime() + 15 * MIN).toISOString();
    expect(locked).toEqual({ ok: false, error: { code: 'STAFF_LOCKED', details: { lockedUntil: until } } });
    // The right password during the lock opens nothing, and 20 more attempts change nothing.
    for (let i = 0; i < 20; i++) {
      expect(await h.core.staff.login(COUNTER, { username: 'berta.meier', password: i % 2 ? 'wrong' : STAFF_PASSWORD })).toMatchObject({
        ok: false,
        error: { code: 'STAFF_LOCKED', details: { lockedUntil: until } },
      });
    }
    expect((await h.staff.list())[0]?.disabledAt).toBeUndefined();
    // A session whose login was complete goes on: guesses at a desk do not throw a working colleague out.
    expect(await h.core.staff.resolve(ready.token)).toMatchObject({ username: 'berta.meier' });
    h.clock.advance(15 * MIN - 1);
    expect(await h.core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD })).toMatchObject({
      error: { code: 'STAFF_LOCKED' },
    });
    h.clock.advance(1);
    // A lock that ran out leaves a clean slate: one wrong password is not a new lock.
    expect(await h.core.staff.login(COUNTER, { username: 'berta.meier', password: 'wrong' })).toEqual({
      ok: false,
      error: { code: 'INVALID_CREDENTIALS' },
    });
    expect(await staffLogsIn(h, 'berta.meier', ready.secret)).toEqual(expect.any(String));
    expect((await h.staff.list())[0]?.login.failures).toBe(0);
    expect(h.audit.events().filter((e) => e.type === 'STAFF_LOCKED')).toHaveLength(1);
  });

  it('20 simultaneous wrong passwords lock exactly once, after exactly 5', async () => {
    const h = makeHarness();
    await readyStaff(h, 'berta.meier', 'staff');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => h.core.staff.login(COUNTER, { username: 'berta.meier', password: 'wrong' })),
    );
    const codes = answers.map((a) => (a.ok ? 'OK' : a.error.code));
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(4);
    expect(codes.filter((c) => c === 'STAFF_LOCKED')).toHaveLength(16);
    expect((await h.staff.list())[0]?.login.failures).toBe(5);
    expect(h.audit.events().filter((e) => e.type === 'STAFF_LOCKED')).toHaveLength(1);
  });

  it('a TOTP code is good once, one step of clock skew either way is accepted, two are not, and wrong codes count', async () => {
    const h = makeHarness();
    const ready = await readyStaff(h, 'berta.meier', 'staff');
    // Later than the enrolment code's step, whose code is spent.
    h.clock.advance(60_000);
    const first = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD });
    if (!first.ok) throw new Error('login');
    expect(first.value.stage).toBe('TOTP');
    // The code of the step before (a phone 30 s behind) works...
    const behind = totpCode(ready.secret, new Date(h.clock.now().getTime() - 30_000));
    expect(await h.core.staff.totp(COUNTER, first.value.session, behind)).toEqual({ ok: true, value: { stage: 'READY' } });
    // ...and is refused the second time, even in a new login within its window.
    const second = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD });
    if (!second.ok) throw new Error('login');
    expect(await h.core.staff.totp(COUNTER, second.value.session, behind)).toMatchObject({ ok: false, error: { code: 'TOTP_INVALID' } });
    // Two steps off is refused; the right code of now works.
    const farAhead = totpCode(ready.secret, new Date(h.clock.now().getTime() + 90_000));
    expect(await h.core.staff.totp(COUNTER, second.value.session, farAhead)).toMatchObject({
      ok: false,
      error: { code: 'TOTP_INVALID', details: { remaining: 3 } },
    });
    expect(await h.core.staff.totp(COUNTER, second.value.session, totpCode(ready.secret, h.clock.now()))).toEqual({
      ok: true,
      value: { stage: 'READY' },
    });
    expect(
      h.audit
        .events()
        .filter((e) => e.type === 'STAFF_LOGIN_FAILURE')
        .map((e) => e.data),
    ).toEqual([{ credential: 'TOTP' }, { credential: 'TOTP' }]);
  });
});

describe('staff sessions', () => {
  it('end after 5 minutes without input and after 10 hours in any case', async () => {
    const h = makeHarness();
    const ready = await readyStaff(h, 'berta.meier', 'staff');
    h.clock.advance(DEFAULT_POLICY.staff.idleMs - 1);
    expect(await h.core.staff.resolve(ready.token)).toBeDefined();
    h.clock.advance(DEFAULT_POLICY.staff.idleMs);
    expect(await h.core.staff.resolve(ready.token)).toBeUndefined();

    const token = await staffLogsIn(h, 'berta.meier', ready.secret);
    // Busy all day: still out after 10 hours.
    for (let t = 0; t < 10 * 60 - 4; t += 4) {
      h.clock.advance(4 * MIN);
      expect(await h.core.staff.resolve(token)).toBeDefined();
    }
    h.clock.advance(4 * MIN);
    expect(await h.core.staff.resolve(token)).toBeUndefined();
  });

  it('a disabled staff member’s open session ends at once, and their login is refused', async () => {
    const h = makeHarness();
    const boss = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const disabled = await h.core.supervisor.changeStaff(COUNTER, boss.principal, {
      staffId: clerk.principal.staffId,
      change: 'DISABLE',
      reason: 'left the branch',
    });
    expect(disabled).toMatchObject({ ok: true, value: { staff: { disabledAt: h.clock.now().toISOString() } } });
    expect(await h.core.staff.resolve(clerk.token)).toBeUndefined();
    expect(await h.core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD })).toEqual({
      ok: false,
      error: { code: 'STAFF_DISABLED' },
    });
    expect(h.audit.events().find((e) => e.type === 'STAFF_DISABLED')).toMatchObject({
      subject: clerk.principal.staffId,
      data: { reason: 'left the branch' },
    });
  });
});

describe('supervisors manage staff accounts', () => {
  it('create with a one-time password, reset password and TOTP, lift a lock', async () => {
    const h = makeHarness();
    const boss = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const created = await h.core.supervisor.createStaff(COUNTER, boss.principal, {
      username: 'dora.klein',
      role: 'staff',
      reason: 'new colleague',
    });
    if (!created.ok) throw new Error('create');
    expect(created.value.staff).toMatchObject({ username: 'dora.klein', role: 'staff', mustChangePassword: true, totpEnrolled: false });
    expect(await h.core.supervisor.createStaff(COUNTER, boss.principal, { username: 'DORA.klein', role: 'staff', reason: 'x' })).toEqual({
      ok: false,
      error: { code: 'USERNAME_TAKEN' },
    });
    const clerk = await readyStaff(h, 'emil.wolf', 'staff');
    for (let i = 0; i < 5; i++) await h.core.staff.login(COUNTER, { username: 'emil.wolf', password: 'wrong' });
    const id = clerk.principal.staffId;
    expect(await h.core.supervisor.changeStaff(COUNTER, boss.principal, { staffId: id, change: 'UNLOCK', reason: 'typo' })).toMatchObject({
      ok: true,
    });
    expect(await h.core.supervisor.changeStaff(COUNTER, boss.principal, { staffId: id, change: 'UNLOCK', reason: 'again' })).toEqual({
      ok: false,
      error: { code: 'NOT_LOCKED' },
    });
    expect(await staffLogsIn(h, 'emil.wolf', clerk.secret)).toEqual(expect.any(String));
    const reset = await h.core.supervisor.changeStaff(COUNTER, boss.principal, {
      staffId: id,
      change: 'RESET_PASSWORD',
      reason: 'forgotten',
    });
    if (!reset.ok || !reset.value.oneTimePassword) throw new Error('reset');
    // The old password is gone; the new one-time password leads to TOTP first (still enrolled), then a new password.
    expect((await h.core.staff.login(COUNTER, { username: 'emil.wolf', password: STAFF_PASSWORD })).ok).toBe(false);
    const again = await h.core.staff.login(COUNTER, { username: 'emil.wolf', password: reset.value.oneTimePassword });
    if (!again.ok) throw new Error('login');
    expect(again.value.stage).toBe('TOTP');
    h.clock.advance(30_000);
    expect(await h.core.staff.totp(COUNTER, again.value.session, totpCode(clerk.secret, h.clock.now()))).toEqual({
      ok: true,
      value: { stage: 'CHANGE_PASSWORD' },
    });
    // Both factors reset by one supervisor would give them a working login as the colleague: the
    // second reset within a day needs another supervisor.
    expect(
      await h.core.supervisor.changeStaff(COUNTER, boss.principal, { staffId: id, change: 'RESET_TOTP', reason: 'new phone' }),
    ).toEqual({
      ok: false,
      error: { code: 'FOUR_EYES' },
    });
    const second = await readyStaff(h, 'fritz.lang', 'supervisor');
    expect(
      await h.core.supervisor.changeStaff(COUNTER, second.principal, { staffId: id, change: 'RESET_TOTP', reason: 'new phone' }),
    ).toMatchObject({
      ok: true,
      value: { staff: { totpEnrolled: false } },
    });
    // The reset ended the session under way.
    expect(await h.core.staff.replacePassword(COUNTER, again.value.session, 'Ganz-neues-Passwort-1')).toEqual({
      ok: false,
      error: { code: 'STAFF_STAGE' },
    });
  });

  it('never their own role, never themselves disabled, never the last supervisor away, even at the same time', async () => {
    const h = makeHarness();
    const anna = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    expect(
      await h.core.supervisor.changeStaff(COUNTER, anna.principal, {
        staffId: anna.principal.staffId,
        change: { role: 'staff' },
        reason: 'x',
      }),
    ).toEqual({ ok: false, error: { code: 'OWN_ROLE' } });
    expect(
      await h.core.supervisor.changeStaff(COUNTER, anna.principal, { staffId: anna.principal.staffId, change: 'DISABLE', reason: 'x' }),
    ).toEqual({
      ok: false,
      error: { code: 'OWN_ACCOUNT' },
    });
    const carl = await readyStaff(h, 'carl.braun', 'supervisor');
    // Two supervisors demoting each other at once: one succeeds, the other is refused.
    const [a, b] = await Promise.all([
      h.core.supervisor.changeStaff(COUNTER, anna.principal, { staffId: carl.principal.staffId, change: { role: 'staff' }, reason: 'x' }),
      h.core.supervisor.changeStaff(COUNTER, carl.principal, { staffId: anna.principal.staffId, change: { role: 'staff' }, reason: 'x' }),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    const refused = a.ok ? b : a;
    expect(refused).toMatchObject({ ok: false });
    const supervisors = (await h.staff.list()).filter((s) => s.role === 'supervisor' && !s.disabledAt);
    expect(supervisors).toHaveLength(1);
    // The refusal is audited with its reason.
    expect(
      h.audit
        .events()
        .filter((e) => e.type === 'STAFF_ACTION_REFUSED')
        .map((e) => e.data?.['code']),
    ).toEqual(expect.arrayContaining(['OWN_ROLE', 'OWN_ACCOUNT']));
    expect(clerk.principal.role).toBe('staff');
  });
});
