/**
 * The staff login's rules one by one (R10): what counts toward a lock and what wipes the count, the
 * audit entries of failures, locks and stages, the desk's pause, the one-time password's hours,
 * TOTP windows and replay, and the staff password rule. All times on the harness's fake clock.
 */
import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { LoginGuards } from '../../src-main/core/login/guards.js';
import { DEFAULT_POLICY, policySchema } from '../../src-main/core/policy.js';
import type { PasswordHasher } from '../../src-main/core/ports.js';
import { beginTotpEnrolment, changeStaffPassword, confirmTotpEnrolment, staffTotp } from '../../src-main/core/staff/staff-login.js';
import { checkStaffPassword } from '../../src-main/core/staff/staff-password.js';
import { newTotpSecret, totpCode } from '../../src-main/core/staff/totp.js';
import { fastPasswords, makeHarness } from '../fixtures/harness.js';
import { COUNTER, readyStaff, STAFF_PASSWORD, staffLogsIn } from '../fixtures/staff.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DESK = { actor: 'counter', terminal: 'counter-2' };

type Harness = ReturnType<typeof makeHarness>;

/** A six-digit code that is none of the three a login accepts right now. */
function wrongCode(secret: string, now: Date): string {
  const right = new Set([-30_000, 0, 30_000].map((d) => totpCode(secret, new Date(now.getTime() + d))));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!right.has(code)) return code;
  }
}

const failures = async (h: Harness, staffId: string) => (await h.staff.get(staffId))?.login.failures;
const wrongLogin = (h: Harness, username: string, who = DESK) => h.core.staff.login(who, { username, password: 'Falsch-geraten-1' });
const eventsSince = (h: Harness, from: number) => h.audit.events().slice(from);

/** Password hashing that counts its verifications, to see what is looked at. */
function countingPasswords(): PasswordHasher & { verified: number } {
  const counting = {
    verified: 0,
    hash: (password: string) => fastPasswords.hash(password),
    verify: (hash: string, password: string) => {
      counting.verified += 1;
      return fastPasswords.verify(hash, password);
    },
  };
  return counting;
}

/** Password hashing that lets something happen right after a given verification (a change at another desk). */
function interceptedPasswords() {
  let verified = 0;
  const after = new Map<number, () => Promise<unknown>>();
  const hasher: PasswordHasher = {
    hash: (password) => fastPasswords.hash(password),
    verify: async (hash, password) => {
      verified += 1;
      const valid = await fastPasswords.verify(hash, password);
      await after.get(verified)?.();
      return valid;
    },
  };
  return { hasher, afterVerification: (n: number, action: () => Promise<unknown>) => after.set(verified + n, action) };
}

describe('staff login: what counts toward the lock', () => {
  it('the fifth wrong password locks: five STAFF_LOGIN_FAILURE entries naming the account, one STAFF_LOCKED with its end, all by the desk', async () => {
    const h = makeHarness();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const id = clerk.principal.staffId;
    const from = h.audit.events().length;
    for (let i = 0; i < 4; i++) expect(await wrongLogin(h, 'berta.meier')).toEqual({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    const until = new Date(h.clock.now().getTime() + 15 * MIN).toISOString();
    expect(await wrongLogin(h, 'berta.meier')).toEqual({ ok: false, error: { code: 'STAFF_LOCKED', details: { lockedUntil: until } } });
    const failure = { type: 'STAFF_LOGIN_FAILURE', subject: id, actor: 'counter', terminal: 'counter-2', data: { credential: 'PASSWORD' } };
    expect(eventsSince(h, from)).toEqual([
      ...Array.from({ length: 5 }, () => expect.objectContaining(failure)),
      expect.objectContaining({ type: 'STAFF_LOCKED', subject: id, actor: 'counter', terminal: 'counter-2', data: { until } }),
    ]);
    expect((await h.staff.get(id))?.login).toEqual({ failures: 5, lockedUntil: until });
  });

  it('a complete login wipes the failure count: four wrong passwords, a login through TOTP, and four more are still no lock', async () => {
    const h = makeHarness();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    for (let i = 0; i < 4; i++) await wrongLogin(h, 'berta.meier');
    expect(await failures(h, clerk.principal.staffId)).toBe(4);
    await staffLogsIn(h, 'berta.meier', clerk.secret);
    expect(await failures(h, clerk.principal.staffId)).toBe(0);
    for (let i = 0; i < 4; i++) expect(await wrongLogin(h, 'berta.meier')).toEqual({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    expect((await h.staff.get(clerk.principal.staffId))?.login.lockedUntil).toBeUndefined();
  });

  it('a right password with TOTP still to come leaves the count: four wrong passwords, the right one, and one wrong code lock', async () => {
    const h = makeHarness();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const id = clerk.principal.staffId;
    for (let i = 0; i < 4; i++) await wrongLogin(h, 'berta.meier');
    const login = await h.core.staff.login(DESK, { username: 'berta.meier', password: STAFF_PASSWORD });
    if (!login.ok) throw new Error(login.error.code);
    expect(login.value.stage).toBe('TOTP');
    expect(await failures(h, id)).toBe(4);
    const from = h.audit.events().length;
    const until = new Date(h.clock.now().getTime() + 15 * MIN).toISOString();
    expect(await h.core.staff.totp(DESK, login.value.session, wrongCode(clerk.secret, h.clock.now()))).toEqual({
      ok: false,
      error: { code: 'STAFF_LOCKED', details: { lockedUntil: until } },
    });
    // The TOTP failure is the staff member's own (the session names them), recorded with the lock.
    expect(eventsSince(h, from)).toEqual([
      expect.objectContaining({ type: 'STAFF_LOGIN_FAILURE', subject: id, actor: `staff:${id}`, data: { credential: 'TOTP' } }),
      expect.objectContaining({ type: 'STAFF_LOCKED', subject: id, actor: `staff:${id}`, data: { until } }),
    ]);
    // The lock ends the login under way: even the right code no longer opens it.
    expect(await h.core.staff.totp(DESK, login.value.session, totpCode(clerk.secret, h.clock.now()))).toEqual({
      ok: false,
      error: { code: 'STAFF_STAGE' },
    });
  });

  it('without TOTP (counter staff, as configured) the right password completes the login and wipes the count', async () => {
    const h = makeHarness({ policy: policySchema.parse({ staff: { totpForStaff: false } }) });
    const created = await h.core.staff.createFromMachine({ username: 'berta.meier', role: 'staff' });
    if (!created.ok) throw new Error(created.error.code);
    const first = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: created.value.oneTimePassword });
    if (!first.ok) throw new Error(first.error.code);
    expect(await h.core.staff.replacePassword(COUNTER, first.value.session, STAFF_PASSWORD)).toEqual({
      ok: true,
      value: { stage: 'READY' },
    });
    const id = created.value.staff.id;
    for (let i = 0; i < 4; i++) await wrongLogin(h, 'berta.meier');
    const from = h.audit.events().length;
    expect(await h.core.staff.login(DESK, { username: 'berta.meier', password: STAFF_PASSWORD })).toMatchObject({
      ok: true,
      value: { stage: 'READY' },
    });
    expect(await failures(h, id)).toBe(0);
    expect(eventsSince(h, from)).toEqual([
      expect.objectContaining({ type: 'STAFF_LOGIN_SUCCESS', subject: id, actor: 'counter', data: { stage: 'PASSWORD' } }),
    ]);
    for (let i = 0; i < 4; i++) expect(await wrongLogin(h, 'berta.meier')).toEqual({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
  });

  it('a password change is no login: a right current password leaves the failure count where it is', async () => {
    const h = makeHarness();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    await wrongLogin(h, 'berta.meier');
    await wrongLogin(h, 'berta.meier');
    expect(
      await h.core.staff.changePassword(COUNTER, clerk.token, clerk.principal, {
        currentPassword: STAFF_PASSWORD,
        newPassword: 'Ein-ganz-neues-Passwort-1',
      }),
    ).toEqual({ ok: true, value: null });
    expect(await failures(h, clerk.principal.staffId)).toBe(2);
  });

  it('wrong answers say how many tries are left for a TOTP code and a current password, never for a login password', async () => {
    const h = makeHarness();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const login = await h.core.staff.login(DESK, { username: 'berta.meier', password: STAFF_PASSWORD });
    if (!login.ok) throw new Error(login.error.code);
    expect(await h.core.staff.totp(DESK, login.value.session, wrongCode(clerk.secret, h.clock.now()))).toEqual({
      ok: false,
      error: { code: 'TOTP_INVALID', details: { remaining: 4 } },
    });
    expect(
      await h.core.staff.changePassword(COUNTER, clerk.token, clerk.principal, {
        currentPassword: 'Nicht-das-Passwort-1',
        newPassword: 'Ein-ganz-neues-Passwort-1',
      }),
    ).toEqual({ ok: false, error: { code: 'CURRENT_PASSWORD_WRONG', details: { remaining: 3 } } });
    expect(await wrongLogin(h, 'berta.meier')).toEqual({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    expect(
      h.audit
        .events()
        .filter((e) => e.type === 'STAFF_LOGIN_FAILURE')
        .map((e) => e.data?.['credential']),
    ).toEqual(['TOTP', 'CURRENT_PASSWORD', 'PASSWORD']);
  });
});

describe('staff login: what is looked at', () => {
  it('an unknown staff username is recorded as STAFF_LOGIN_FAILURE with unknownUser and no subject, and nothing is hashed', async () => {
    const passwords = countingPasswords();
    const h = makeHarness({ passwords });
    const before = passwords.verified;
    expect(await wrongLogin(h, 'nobody.here')).toEqual({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    expect(passwords.verified).toBe(before);
    const [entry] = h.audit.events();
    expect(entry).toMatchObject({ type: 'STAFF_LOGIN_FAILURE', actor: 'counter', terminal: 'counter-2', data: { unknownUser: true } });
    expect(entry?.subject).toBeUndefined();
  });

  it('during a staff lock no password is hashed and nothing is counted: the lock answers first', async () => {
    const passwords = countingPasswords();
    const h = makeHarness({ passwords });
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    for (let i = 0; i < 5; i++) await wrongLogin(h, 'berta.meier');
    const lock = await h.staff.get(clerk.principal.staffId);
    const before = passwords.verified;
    const from = h.audit.events().length;
    expect(await h.core.staff.login(DESK, { username: 'berta.meier', password: STAFF_PASSWORD })).toEqual({
      ok: false,
      error: { code: 'STAFF_LOCKED', details: { lockedUntil: lock?.login.lockedUntil } },
    });
    expect(passwords.verified).toBe(before);
    expect(eventsSince(h, from)).toEqual([]);
    expect(await h.staff.get(clerk.principal.staffId)).toEqual(lock);
  });

  it('a disabled staff account answers STAFF_DISABLED without hashing the password or counting anything', async () => {
    const passwords = countingPasswords();
    const h = makeHarness({ passwords });
    const boss = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    await h.core.supervisor.changeStaff(COUNTER, boss.principal, {
      staffId: clerk.principal.staffId,
      change: 'DISABLE',
      reason: 'gegangen',
    });
    const before = passwords.verified;
    const from = h.audit.events().length;
    expect(await wrongLogin(h, 'berta.meier')).toEqual({ ok: false, error: { code: 'STAFF_DISABLED' } });
    expect(passwords.verified).toBe(before);
    expect(eventsSince(h, from)).toEqual([]);
    expect(await failures(h, clerk.principal.staffId)).toBe(0);
  });

  it('a desk whose staff logins are paused answers TERMINAL_PAUSED with its end, also at the TOTP step, and counts nothing', async () => {
    const h = makeHarness();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const elsewhere = { actor: 'counter', terminal: 'counter-3' };
    const login = await h.core.staff.login(elsewhere, { username: 'berta.meier', password: STAFF_PASSWORD });
    if (!login.ok) throw new Error(login.error.code);
    for (let i = 0; i < 19; i++) await wrongLogin(h, `nobody.${i}`);
    h.clock.advance(MIN);
    await wrongLogin(h, 'nobody.20');
    const until = new Date(h.clock.now().getTime() + 15 * MIN).toISOString();
    expect(h.audit.events().filter((e) => e.type === 'TERMINAL_PAUSED')).toEqual([
      expect.objectContaining({ terminal: 'counter-2', data: { until, failedLogins: 20 } }),
    ]);
    const paused = { ok: false, error: { code: 'TERMINAL_PAUSED', details: { until } } };
    expect(await h.core.staff.login(DESK, { username: 'berta.meier', password: STAFF_PASSWORD })).toEqual(paused);
    expect(await wrongLogin(h, 'berta.meier')).toEqual(paused);
    expect(await h.core.staff.totp(DESK, login.value.session, wrongCode(clerk.secret, h.clock.now()))).toEqual(paused);
    expect(await failures(h, clerk.principal.staffId)).toBe(0);
    // Another desk is not paused, and this one opens again when the pause ends.
    expect(await h.core.staff.totp(elsewhere, login.value.session, totpCode(clerk.secret, h.clock.now()))).toEqual({
      ok: true,
      value: { stage: 'READY' },
    });
    h.clock.advance(15 * MIN);
    expect(await wrongLogin(h, 'berta.meier')).toEqual({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
  });

  it('20 simultaneous wrong passwords at one desk count 5 toward its pause: the answers the lock gives count nothing', async () => {
    const h = makeHarness();
    await readyStaff(h, 'berta.meier', 'staff');
    await readyStaff(h, 'anna.schmidt', 'supervisor');
    const answers = await Promise.all(Array.from({ length: 20 }, () => wrongLogin(h, 'berta.meier')));
    // Every refusal by the lock names its end, also for the attempts judged after the lock was set.
    const lockedUntil = new Date(h.clock.now().getTime() + 15 * MIN).toISOString();
    expect(answers.filter((a) => !a.ok && a.error.code === 'STAFF_LOCKED')).toEqual(
      Array.from({ length: 16 }, () => ({ ok: false, error: { code: 'STAFF_LOCKED', details: { lockedUntil } } })),
    );
    // 5 of the desk's 20 are used (four wrong answers and the lock): 14 more failures leave it open, the 15th pauses it.
    for (let i = 0; i < 14; i++) await wrongLogin(h, `nobody.${i}`);
    expect(await h.core.staff.login(DESK, { username: 'anna.schmidt', password: STAFF_PASSWORD })).toMatchObject({
      ok: true,
      value: { stage: 'TOTP' },
    });
    await wrongLogin(h, 'nobody.15');
    expect(await h.core.staff.login(DESK, { username: 'anna.schmidt', password: STAFF_PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'TERMINAL_PAUSED' },
    });
  });
});

describe('staff one-time passwords', () => {
  it('a staff one-time password opens the login until 72 hours after it was set, not at the 72nd hour, and the late try is no success', async () => {
    const h = makeHarness();
    const created = await h.core.staff.createFromMachine({ username: 'dora.klein', role: 'staff' });
    if (!created.ok) throw new Error(created.error.code);
    const password = created.value.oneTimePassword;
    h.clock.advance(72 * HOUR - 1);
    expect(await h.core.staff.login(COUNTER, { username: 'dora.klein', password })).toMatchObject({
      ok: true,
      value: { stage: 'CHANGE_PASSWORD' },
    });
    h.clock.advance(1);
    const from = h.audit.events().length;
    expect(await h.core.staff.login(COUNTER, { username: 'dora.klein', password })).toEqual({
      ok: false,
      error: { code: 'TEMPORARY_PASSWORD_EXPIRED' },
    });
    expect(eventsSince(h, from)).toEqual([]);
  });

  it('the hours of a one-time password are configurable', async () => {
    const h = makeHarness({ policy: policySchema.parse({ staff: { oneTimePasswordHours: 1 } }) });
    const created = await h.core.staff.createFromMachine({ username: 'dora.klein', role: 'staff' });
    if (!created.ok) throw new Error(created.error.code);
    h.clock.advance(HOUR);
    expect(await h.core.staff.login(COUNTER, { username: 'dora.klein', password: created.value.oneTimePassword })).toEqual({
      ok: false,
      error: { code: 'TEMPORARY_PASSWORD_EXPIRED' },
    });
  });
});

describe('staff TOTP', () => {
  /** An enrolled clerk a minute after enrolment, at the TOTP stage of a new login. */
  async function atTotpStage() {
    const h = makeHarness();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    h.clock.advance(MIN);
    const login = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD });
    if (!login.ok) throw new Error(login.error.code);
    return { h, clerk, session: login.value.session };
  }

  it('a code one step ahead (a phone 30 seconds fast) is accepted, and its step is then spent', async () => {
    const { h, clerk, session } = await atTotpStage();
    const ahead = totpCode(clerk.secret, new Date(h.clock.now().getTime() + 30_000));
    expect(await h.core.staff.totp(COUNTER, session, ahead)).toEqual({ ok: true, value: { stage: 'READY' } });
    // The code of now belongs to an older step than the one just used.
    const again = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD });
    if (!again.ok) throw new Error(again.error.code);
    expect(await h.core.staff.totp(COUNTER, again.value.session, totpCode(clerk.secret, h.clock.now()))).toMatchObject({
      ok: false,
      error: { code: 'TOTP_INVALID' },
    });
  });

  it('a code typed with spaces is accepted; letters or a seventh digit are not a code', async () => {
    const { h, clerk, session } = await atTotpStage();
    const code = totpCode(clerk.secret, h.clock.now());
    for (const typed of [`${code}7`, `7${code}`, `${code.slice(0, 5)}x`]) {
      expect(await h.core.staff.totp(COUNTER, session, typed)).toMatchObject({ ok: false, error: { code: 'TOTP_INVALID' } });
    }
    expect(await h.core.staff.totp(COUNTER, session, ` ${code.slice(0, 3)} ${code.slice(3)} `)).toEqual({
      ok: true,
      value: { stage: 'READY' },
    });
  });

  it('the code that confirmed the enrolment is spent: the first login within its window needs the next one', async () => {
    const h = makeHarness();
    const created = await h.core.staff.createFromMachine({ username: 'berta.meier', role: 'staff' });
    if (!created.ok) throw new Error(created.error.code);
    const first = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: created.value.oneTimePassword });
    if (!first.ok) throw new Error(first.error.code);
    await h.core.staff.replacePassword(COUNTER, first.value.session, STAFF_PASSWORD);
    const enrol = await h.core.staff.beginEnrolment(first.value.session);
    if (!enrol.ok) throw new Error(enrol.error.code);
    const code = totpCode(enrol.value.secret, h.clock.now());
    expect(await h.core.staff.confirmEnrolment(COUNTER, first.value.session, code)).toEqual({ ok: true, value: { stage: 'READY' } });
    expect(h.audit.events().at(-1)).toMatchObject({
      type: 'STAFF_TOTP_ENROLLED',
      subject: created.value.staff.id,
      actor: `staff:${created.value.staff.id}`,
    });
    const login = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD });
    if (!login.ok) throw new Error(login.error.code);
    expect(await h.core.staff.totp(COUNTER, login.value.session, code)).toMatchObject({ ok: false, error: { code: 'TOTP_INVALID' } });
    h.clock.advance(30_000);
    expect(await h.core.staff.totp(COUNTER, login.value.session, totpCode(enrol.value.secret, h.clock.now()))).toEqual({
      ok: true,
      value: { stage: 'READY' },
    });
  });

  it('two enrolments of one account at once: one secret is kept, the other confirmation hears STAFF_STAGE', async () => {
    const h = makeHarness();
    const created = await h.core.staff.createFromMachine({ username: 'berta.meier', role: 'staff' });
    if (!created.ok) throw new Error(created.error.code);
    const first = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: created.value.oneTimePassword });
    if (!first.ok) throw new Error(first.error.code);
    await h.core.staff.replacePassword(COUNTER, first.value.session, STAFF_PASSWORD);
    const second = await h.core.staff.login(DESK, { username: 'berta.meier', password: STAFF_PASSWORD });
    if (!second.ok) throw new Error(second.error.code);
    expect(second.value.stage).toBe('ENROL_TOTP');
    const sessions = [first.value.session, second.value.session];
    const secrets: string[] = [];
    for (const token of sessions) {
      const enrol = await h.core.staff.beginEnrolment(token);
      if (!enrol.ok) throw new Error(enrol.error.code);
      secrets.push(enrol.value.secret);
    }
    expect(secrets[0]).not.toBe(secrets[1]);
    const answers = await Promise.all(
      sessions.map((token, i) => h.core.staff.confirmEnrolment(COUNTER, token, totpCode(secrets[i] ?? '', h.clock.now()))),
    );
    expect(answers.map((a) => (a.ok ? a.value.stage : a.error.code)).sort()).toEqual(['READY', 'STAFF_STAGE']);
    expect(h.audit.events().filter((e) => e.type === 'STAFF_TOTP_ENROLLED')).toHaveLength(1);
  });

  it('the enrolment QR code names the brand, the staff member and RFC 6238’s SHA-1, 6 digits and 30 seconds', async () => {
    const h = makeHarness();
    const created = await h.core.staff.createFromMachine({ username: 'berta.meier', role: 'staff' });
    if (!created.ok) throw new Error(created.error.code);
    const first = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: created.value.oneTimePassword });
    if (!first.ok) throw new Error(first.error.code);
    await h.core.staff.replacePassword(COUNTER, first.value.session, STAFF_PASSWORD);
    const enrol = await h.core.staff.beginEnrolment(first.value.session);
    if (!enrol.ok) throw new Error(enrol.error.code);
    expect(enrol.value.uri).toBe(
      `otpauth://totp/Kontokiosk:berta.meier?issuer=Kontokiosk&secret=${enrol.value.secret}&algorithm=SHA1&digits=6&period=30`,
    );
    // 160 random bits, base32: 32 characters, and never the same twice.
    expect(enrol.value.secret).toMatch(/^[A-Z2-7]{32}$/);
    const other = await h.core.staff.createFromMachine({ username: 'carla.vogt', role: 'staff' });
    if (!other.ok) throw new Error(other.error.code);
    const login = await h.core.staff.login(COUNTER, { username: 'carla.vogt', password: other.value.oneTimePassword });
    if (!login.ok) throw new Error(login.error.code);
    await h.core.staff.replacePassword(COUNTER, login.value.session, STAFF_PASSWORD);
    const second = await h.core.staff.beginEnrolment(login.value.session);
    expect(second.ok && second.value.secret).not.toBe(enrol.value.secret);
  });
});

describe('staff passwords', () => {
  /** A first login at the CHANGE_PASSWORD stage; a refused password leaves it there. */
  async function choosing() {
    const h = makeHarness();
    const created = await h.core.staff.createFromMachine({ username: 'berta.meier', role: 'staff' });
    if (!created.ok) throw new Error(created.error.code);
    const login = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: created.value.oneTimePassword });
    if (!login.ok) throw new Error(login.error.code);
    const choose = (password: string) => h.core.staff.replacePassword(COUNTER, login.value.session, password);
    return { h, choose, id: created.value.staff.id };
  }
  const rejected = (...rules: string[]) => ({ ok: false, error: { code: 'PASSWORD_REJECTED', details: { rules, minLength: 12 } } });

  it('at least 12 characters, counted as characters: 11 letters or 11 emoji are too short', async () => {
    const { choose } = await choosing();
    expect(await choose('Kurz-2026!x')).toEqual(rejected('TOO_SHORT'));
    // 11 emoji are 22 UTF-16 units, still 11 characters.
    expect(await choose('🌻🌼🌷🌹🌺🍀🌵🌴🌲🌳🌾')).toEqual(rejected('TOO_SHORT'));
    expect(await choose('Lang-2026!xy')).toEqual({ ok: true, value: { stage: 'ENROL_TOTP' } });
  });

  it('at most 256 characters: 257 are TOO_LONG, 256 are accepted', async () => {
    const { choose } = await choosing();
    expect(await choose(`${'Ab1-'.repeat(64)}x`)).toEqual(rejected('TOO_LONG'));
    expect(await choose('Ab1-'.repeat(64))).toEqual({ ok: true, value: { stage: 'ENROL_TOTP' } });
  });

  it('a common password is refused whatever its case, one with a broken character is NOT_WELL_FORMED, and every broken rule is named', async () => {
    const { choose } = await choosing();
    expect(await choose('Qwerty123456')).toEqual(rejected('COMMON'));
    expect(await choose('Schalter-\uD800-Dienst')).toEqual(rejected('NOT_WELL_FORMED'));
    expect(await choose('BERTA.MEIER-2026')).toEqual(rejected('CONTAINS_USERNAME'));
    expect(await choose('berta.meier')).toEqual(rejected('TOO_SHORT', 'CONTAINS_USERNAME'));
  });

  it('the minimum length is configurable and named in the refusal', async () => {
    const h = makeHarness({ policy: policySchema.parse({ staff: { minPasswordLength: 16 } }) });
    const created = await h.core.staff.createFromMachine({ username: 'berta.meier', role: 'staff' });
    if (!created.ok) throw new Error(created.error.code);
    const login = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: created.value.oneTimePassword });
    if (!login.ok) throw new Error(login.error.code);
    expect(await h.core.staff.replacePassword(COUNTER, login.value.session, 'Schalter-2026!')).toEqual({
      ok: false,
      error: { code: 'PASSWORD_REJECTED', details: { rules: ['TOO_SHORT'], minLength: 16 } },
    });
  });

  it('a new staff password is recorded as STAFF_PASSWORD_CHANGED by the staff member and ends their logins under way elsewhere', async () => {
    const h = makeHarness();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const id = clerk.principal.staffId;
    const elsewhere = await h.core.staff.login(DESK, { username: 'berta.meier', password: STAFF_PASSWORD });
    if (!elsewhere.ok) throw new Error(elsewhere.error.code);
    const from = h.audit.events().length;
    const newPassword = 'Ein-ganz-neues-Passwort-1';
    expect(
      await h.core.staff.changePassword(COUNTER, clerk.token, clerk.principal, { currentPassword: STAFF_PASSWORD, newPassword }),
    ).toEqual({
      ok: true,
      value: null,
    });
    expect(eventsSince(h, from)).toEqual([
      expect.objectContaining({ type: 'STAFF_PASSWORD_CHANGED', subject: id, actor: `staff:${id}`, terminal: 'counter-1' }),
    ]);
    expect((await h.staff.get(id))?.password.mustChange).toBe(false);
    // This session goes on; the login under way with the old password does not.
    expect(await h.core.staff.resolve(clerk.token)).toMatchObject({ staffId: id });
    expect(await h.core.staff.totp(DESK, elsewhere.value.session, totpCode(clerk.secret, h.clock.now()))).toEqual({
      ok: false,
      error: { code: 'STAFF_STAGE' },
    });
    // The new password leads to TOTP and then straight to the counter: nothing more to change.
    h.clock.advance(30_000);
    expect(await staffLogsIn(h, 'berta.meier', clerk.secret, newPassword)).toEqual(expect.any(String));
    expect(
      await h.core.staff.changePassword(COUNTER, clerk.token, clerk.principal, { currentPassword: STAFF_PASSWORD, newPassword }),
    ).toEqual({ ok: false, error: { code: 'CURRENT_PASSWORD_WRONG', details: { remaining: 4 } } });
  });

  it('a new password may not be the one it replaces (PASSWORD_REUSED), and nothing is recorded', async () => {
    const h = makeHarness();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const from = h.audit.events().length;
    expect(
      await h.core.staff.changePassword(COUNTER, clerk.token, clerk.principal, {
        currentPassword: STAFF_PASSWORD,
        newPassword: STAFF_PASSWORD,
      }),
    ).toEqual({ ok: false, error: { code: 'PASSWORD_REUSED' } });
    expect(eventsSince(h, from)).toEqual([]);
  });
});

describe('staff TOTP: the step of a code', () => {
  it('a code is refused when sent again later within its 30 seconds, and a passed TOTP step is recorded as the staff member’s', async () => {
    const h = makeHarness();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const id = clerk.principal.staffId;
    // The start of a 30-second step.
    h.clock.set('2026-11-29T11:00:00.000Z');
    const code = totpCode(clerk.secret, h.clock.now());
    const first = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD });
    if (!first.ok) throw new Error(first.error.code);
    expect(await h.core.staff.totp(COUNTER, first.value.session, code)).toEqual({ ok: true, value: { stage: 'READY' } });
    expect(h.audit.events().at(-1)).toMatchObject({
      type: 'STAFF_LOGIN_SUCCESS',
      subject: id,
      actor: `staff:${id}`,
      terminal: 'counter-1',
      data: { stage: 'TOTP' },
    });
    h.clock.advance(20_000);
    const second = await h.core.staff.login(COUNTER, { username: 'berta.meier', password: STAFF_PASSWORD });
    if (!second.ok) throw new Error(second.error.code);
    expect(await h.core.staff.totp(COUNTER, second.value.session, code)).toMatchObject({ ok: false, error: { code: 'TOTP_INVALID' } });
  });
});

describe('staff login: a password replaced at another desk meanwhile', () => {
  it('a login whose password was replaced while it was checked opens nothing', async () => {
    const { hasher, afterVerification } = interceptedPasswords();
    const h = makeHarness({ passwords: hasher });
    const boss = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    afterVerification(1, () =>
      h.core.supervisor.changeStaff(COUNTER, boss.principal, {
        staffId: clerk.principal.staffId,
        change: 'RESET_PASSWORD',
        reason: 'vergessen',
      }),
    );
    expect(await h.core.staff.login(DESK, { username: 'berta.meier', password: STAFF_PASSWORD })).toEqual({
      ok: false,
      error: { code: 'INVALID_CREDENTIALS' },
    });
  });

  it('a change whose current password was replaced while it was checked counts as a wrong current password', async () => {
    const { hasher, afterVerification } = interceptedPasswords();
    const h = makeHarness({ passwords: hasher });
    const boss = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    afterVerification(1, () =>
      h.core.supervisor.changeStaff(COUNTER, boss.principal, {
        staffId: clerk.principal.staffId,
        change: 'RESET_PASSWORD',
        reason: 'vergessen',
      }),
    );
    expect(
      await h.core.staff.changePassword(COUNTER, clerk.token, clerk.principal, {
        currentPassword: STAFF_PASSWORD,
        newPassword: 'Ein-ganz-neues-Passwort-1',
      }),
    ).toEqual({ ok: false, error: { code: 'CURRENT_PASSWORD_WRONG', details: { remaining: 4 } } });
  });

  it('a change overtaken by a reset after its checks is WRONG_STEP and stores nothing: the reset’s password stands', async () => {
    const { hasher, afterVerification } = interceptedPasswords();
    const h = makeHarness({ passwords: hasher });
    const boss = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    let oneTime = '';
    // The second verification is the check that the new password is not the old one.
    afterVerification(2, async () => {
      const reset = await h.core.supervisor.changeStaff(COUNTER, boss.principal, {
        staffId: clerk.principal.staffId,
        change: 'RESET_PASSWORD',
        reason: 'vergessen',
      });
      oneTime = (reset.ok && reset.value.oneTimePassword) || '';
    });
    const from = h.audit.events().length;
    expect(
      await h.core.staff.changePassword(COUNTER, clerk.token, clerk.principal, {
        currentPassword: STAFF_PASSWORD,
        newPassword: 'Ein-ganz-neues-Passwort-1',
      }),
    ).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect(
      h.audit
        .events()
        .slice(from)
        .map((e) => e.type),
    ).toEqual(['STAFF_PASSWORD_RESET']);
    expect(await h.core.staff.login(COUNTER, { username: 'berta.meier', password: oneTime })).toMatchObject({ ok: true });
  });
});

describe('the staff login functions on their own (the core checks the session first; these hold without it)', () => {
  const who = { actor: 'counter', terminal: 'counter-2' };
  const guards = () => new LoginGuards(DEFAULT_POLICY.terminal);
  const stage = { ok: false, error: { code: 'STAFF_STAGE' } };

  it('the TOTP step is STAFF_STAGE for an unknown account, one without TOTP and a disabled one', async () => {
    const h = makeHarness();
    const boss = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const fresh = await h.core.staff.createFromMachine({ username: 'carla.vogt', role: 'staff' });
    if (!fresh.ok) throw new Error(fresh.error.code);
    const code = totpCode(clerk.secret, h.clock.now());
    expect(await staffTotp(h.deps, guards(), who, 'no-such-staff', code)).toEqual(stage);
    expect(await staffTotp(h.deps, guards(), who, fresh.value.staff.id, code)).toEqual(stage);
    await h.core.supervisor.changeStaff(COUNTER, boss.principal, {
      staffId: clerk.principal.staffId,
      change: 'DISABLE',
      reason: 'gegangen',
    });
    expect(await staffTotp(h.deps, guards(), who, clerk.principal.staffId, code)).toEqual(stage);
  });

  it('a right TOTP code during a lock opens nothing and spends nothing', async () => {
    const h = makeHarness();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    for (let i = 0; i < 5; i++) await wrongLogin(h, 'berta.meier');
    const before = await h.staff.get(clerk.principal.staffId);
    const code = totpCode(clerk.secret, h.clock.now());
    expect(await staffTotp(h.deps, guards(), who, clerk.principal.staffId, code)).toEqual({
      ok: false,
      error: { code: 'STAFF_LOCKED', details: { lockedUntil: before?.login.lockedUntil } },
    });
    expect(await h.staff.get(clerk.principal.staffId)).toEqual(before);
  });

  it('an enrolled account begins no new enrolment and confirms none: STAFF_STAGE, and its secret stays', async () => {
    const h = makeHarness();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const before = await h.staff.get(clerk.principal.staffId);
    expect(await beginTotpEnrolment(h.deps, clerk.principal.staffId)).toEqual(stage);
    expect(await beginTotpEnrolment(h.deps, 'no-such-staff')).toEqual(stage);
    const secret = newTotpSecret(h.deps.random);
    expect(await confirmTotpEnrolment(h.deps, who, clerk.principal.staffId, secret, totpCode(secret, h.clock.now()))).toEqual(stage);
    expect(await h.staff.get(clerk.principal.staffId)).toEqual(before);
  });

  it('a password change for an account that does not exist is NOT_FOUND', async () => {
    const h = makeHarness();
    expect(await changeStaffPassword(h.deps, guards(), who, 'no-such-staff', { newPassword: 'Ein-ganz-neues-Passwort-1' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('a username of fewer than three characters is not looked for in a password; one of three is', () => {
    const h = makeHarness();
    expect(checkStaffPassword(h.deps, 'ab-Schalter-2026', 'ab')).toEqual({ ok: true, value: null });
    expect(checkStaffPassword(h.deps, 'abc-Schalter-2026', 'ABC')).toEqual({
      ok: false,
      error: { code: 'PASSWORD_REJECTED', details: { rules: ['CONTAINS_USERNAME'], minLength: 12 } },
    });
  });

  it('a TOTP secret is 20 bytes (160 bits) drawn from the random source, written in base32', () => {
    const drawn: number[] = [];
    const random = {
      int: (max: number) => {
        drawn.push(max);
        return drawn.length;
      },
      token: () => 'unused',
    };
    const secret = newTotpSecret(random);
    expect(drawn).toEqual(Array.from({ length: 20 }, () => 256));
    expect([...Secret.fromBase32(secret).bytes]).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
