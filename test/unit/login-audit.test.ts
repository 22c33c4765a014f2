/**
 * What a login attempt leaves behind (R6, R13): the count after a lock has run out, and the audit
 * entries of every outcome. The trail is what staff read when a person asks why the account is
 * locked or deactivated, so each outcome must be told apart there: which credential was used, a
 * failure during the lock, the lock with its end, the deactivation, and an attempt that counted
 * for nothing because no login code was active.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Policy } from '../../src-main/core/policy.js';
import { activeAccount } from '../fixtures/active.js';
import { WHO, erikaInput, makeHarness } from '../fixtures/harness.js';

type Harness = ReturnType<typeof makeHarness>;

const wrong = { username: 'erika.m', password: 'Wrong*Pass1' };
const right = { username: 'erika.m', password: 'Heide*Blume7' };
const erika = { kvnr: 'A123456780', birthDate: '1984-08-12' };
const LOGIN_EVENTS = ['LOGIN_SUCCESS', 'LOGIN_CODE_USED', 'LOGIN_FAILURE', 'ACCOUNT_LOCKED', 'ACCOUNT_DEACTIVATED'];
const extend: Policy = { ...DEFAULT_POLICY, login: { ...DEFAULT_POLICY.login, attemptDuringLock: 'extend' } };

async function registered(options: Parameters<typeof makeHarness>[0] = {}) {
  const h = makeHarness(options);
  const r = await h.core.registration.register(WHO, erikaInput());
  if (!r.ok) throw new Error('setup');
  return { h, id: r.value.accountId };
}

/** The login entries recorded from now on, as staff would read them: type, subject, data. */
function loginTrail(h: Harness) {
  const from = h.audit.events().length;
  return () =>
    h.audit
      .events()
      .slice(from)
      .filter((e) => LOGIN_EVENTS.includes(e.type))
      .map((e) => ({ type: e.type, subject: e.subject, ...(e.data ? { data: e.data } : {}) }));
}

describe('the count after a lock has run out (R6)', () => {
  it('a wrong password right after a lock has run out starts a new count, it does not lock again', async () => {
    const { h, id } = await registered();
    for (let i = 0; i < 5; i++) await h.core.login.withPassword(WHO, wrong);
    h.clock.advance(24 * 3_600_000);
    expect(await h.core.login.withPassword(WHO, wrong)).toEqual({ ok: false, error: { code: 'INVALID_CREDENTIALS', details: {} } });
    expect((await h.accounts.get(id))?.login).toEqual({ failures: 1 });
    // Four failures of the new count: the fourth warns, the fifth locks again.
    for (let i = 0; i < 2; i++) await h.core.login.withPassword(WHO, wrong);
    expect(await h.core.login.withPassword(WHO, wrong)).toMatchObject({ error: { details: { nextFailureLocks: true } } });
    expect(await h.core.login.withPassword(WHO, wrong)).toEqual({
      ok: false,
      error: { code: 'ACCOUNT_LOCKED', details: { lockedUntil: '2026-12-01T10:00:00.000Z' } },
    });
  });
});

describe('audit entries of a password login (R13)', () => {
  it('a wrong password is a LOGIN_FAILURE and a right one a LOGIN_SUCCESS, both naming the account, terminal and actor', async () => {
    const { h, id } = await registered();
    const trail = loginTrail(h);
    await h.core.login.withPassword(WHO, wrong);
    await h.core.login.withPassword(WHO, right);
    expect(trail()).toEqual([
      { type: 'LOGIN_FAILURE', subject: id },
      { type: 'LOGIN_SUCCESS', subject: id },
    ]);
    const last = h.audit.events().at(-1);
    expect(last).toMatchObject({ actor: WHO.actor, terminal: WHO.terminal });
  });

  it('the fifth failure records the failure and the lock with its end, not an extension', async () => {
    const { h, id } = await registered();
    for (let i = 0; i < 4; i++) await h.core.login.withPassword(WHO, wrong);
    const trail = loginTrail(h);
    await h.core.login.withPassword(WHO, wrong);
    expect(trail()).toEqual([
      { type: 'LOGIN_FAILURE', subject: id },
      { type: 'ACCOUNT_LOCKED', subject: id, data: { lockedUntil: '2026-11-30T10:00:00.000Z' } },
    ]);
  });

  it('an attempt during the lock is a failure while locked and deactivates; later ones are failures not while locked', async () => {
    const { h, id } = await registered();
    for (let i = 0; i < 5; i++) await h.core.login.withPassword(WHO, wrong);
    const trail = loginTrail(h);
    await h.core.login.withPassword(WHO, right);
    const mails = h.mails.length;
    await h.core.login.withPassword(WHO, right);
    expect(trail()).toEqual([
      { type: 'LOGIN_FAILURE', subject: id, data: { whileLocked: true } },
      { type: 'ACCOUNT_DEACTIVATED', subject: id },
      { type: 'LOGIN_FAILURE', subject: id, data: { whileLocked: false } },
    ]);
    // The deactivation e-mail goes once, with the deactivation, not with every later attempt.
    expect(h.mails).toHaveLength(mails);
    expect(h.mails.filter((m) => m.kind === 'ACCOUNT_DEACTIVATED')).toHaveLength(1);
  });

  it('with the lock extended by policy: a failure while locked and a new lock marked as extended, without a second lock e-mail', async () => {
    const { h, id } = await registered({ policy: extend });
    for (let i = 0; i < 5; i++) await h.core.login.withPassword(WHO, wrong);
    const mails = h.mails.length;
    h.clock.advance(3_600_000);
    const trail = loginTrail(h);
    await h.core.login.withPassword(WHO, right);
    expect(trail()).toEqual([
      { type: 'LOGIN_FAILURE', subject: id, data: { whileLocked: true } },
      { type: 'ACCOUNT_LOCKED', subject: id, data: { lockedUntil: '2026-11-30T11:00:00.000Z', extended: true } },
    ]);
    expect(h.mails).toHaveLength(mails);
  });
});

describe('audit entries of a login that names no account (R13)', () => {
  it('an unknown username and a KVNR without an account are LOGIN_FAILUREs marked as unknown, naming no account', async () => {
    const { h } = await registered();
    const trail = loginTrail(h);
    await h.core.login.withPassword(WHO, { username: 'nobody.here', password: 'Heide*Blume7' });
    await h.core.login.withCode(WHO, { kvnr: 'M200010000', birthDate: '1990-01-01', code: 'AAAA-BBBB-CCCC' });
    expect(trail()).toEqual([
      { type: 'LOGIN_FAILURE', subject: undefined, data: { unknownUser: true } },
      { type: 'LOGIN_FAILURE', subject: undefined, data: { loginCode: true, unknownUser: true } },
    ]);
    expect(h.audit.events().at(-1)).toMatchObject({ actor: WHO.actor, terminal: WHO.terminal });
  });
});

describe('audit entries of a login-code login (R11, R13)', () => {
  it('a used code is LOGIN_CODE_USED, never LOGIN_SUCCESS; a wrong one a LOGIN_FAILURE marked as a login code', async () => {
    const { h, id } = await activeAccount();
    const issued = await h.core.login.issueCode(WHO, erika.kvnr);
    if (!issued.ok) throw new Error('setup');
    const trail = loginTrail(h);
    await h.core.login.withCode(WHO, { ...erika, code: 'AAAA-BBBB-CCCC' });
    expect((await h.core.login.withCode(WHO, { ...erika, code: issued.value.code })).ok).toBe(true);
    await h.core.login.withCode(WHO, { ...erika, code: issued.value.code });
    expect(trail()).toEqual([
      { type: 'LOGIN_FAILURE', subject: id, data: { loginCode: true } },
      { type: 'LOGIN_CODE_USED', subject: id },
      { type: 'LOGIN_FAILURE', subject: id, data: { loginCode: true, noActiveCode: true } },
    ]);
  });

  it('the fifth wrong code locks, and a code typed during the lock deactivates, each marked as a login code', async () => {
    const { h, id } = await activeAccount();
    if (!(await h.core.login.issueCode(WHO, erika.kvnr)).ok) throw new Error('setup');
    for (let i = 0; i < 4; i++) await h.core.login.withCode(WHO, { ...erika, code: 'AAAA-BBBB-CCCC' });
    const trail = loginTrail(h);
    await h.core.login.withCode(WHO, { ...erika, code: 'AAAA-BBBB-CCCC' });
    await h.core.login.withCode(WHO, { ...erika, code: 'AAAA-BBBB-CCCC' });
    expect(trail()).toEqual([
      { type: 'LOGIN_FAILURE', subject: id, data: { loginCode: true } },
      { type: 'ACCOUNT_LOCKED', subject: id, data: { lockedUntil: '2026-11-30T10:00:00.000Z' } },
      { type: 'LOGIN_FAILURE', subject: id, data: { loginCode: true, whileLocked: true } },
      { type: 'ACCOUNT_DEACTIVATED', subject: id },
    ]);
  });

  it('with the lock extended by policy, a code typed during the lock is a login-code failure while locked', async () => {
    const { h, id } = await activeAccount({ policy: extend });
    if (!(await h.core.login.issueCode(WHO, erika.kvnr)).ok) throw new Error('setup');
    for (let i = 0; i < 5; i++) await h.core.login.withCode(WHO, { ...erika, code: 'AAAA-BBBB-CCCC' });
    const trail = loginTrail(h);
    await h.core.login.withCode(WHO, { ...erika, code: 'AAAA-BBBB-CCCC' });
    expect(trail()).toEqual([
      { type: 'LOGIN_FAILURE', subject: id, data: { loginCode: true, whileLocked: true } },
      { type: 'ACCOUNT_LOCKED', subject: id, data: { lockedUntil: '2026-11-30T10:00:00.000Z', extended: true } },
    ]);
  });
});

describe('audit entries of the current password inside a session (R7, R13)', () => {
  it('a wrong current password is a LOGIN_FAILURE marked as such and answers without details; a right one records no login', async () => {
    const { h, id } = await registered();
    const trail = loginTrail(h);
    expect(await h.core.password.change(WHO, id, { currentPassword: 'Wrong*Pass1', newPassword: 'Neue*Wiese42' })).toEqual({
      ok: false,
      error: { code: 'CURRENT_PASSWORD_WRONG' },
    });
    expect((await h.core.password.change(WHO, id, { currentPassword: 'Heide*Blume7', newPassword: 'Neue*Wiese42' })).ok).toBe(true);
    expect(trail()).toEqual([{ type: 'LOGIN_FAILURE', subject: id, data: { currentPassword: true } }]);
  });

  it('the fifth wrong current password locks, recorded as a current-password failure and a lock', async () => {
    const { h, id } = await registered();
    for (let i = 0; i < 4; i++) await h.core.password.change(WHO, id, { currentPassword: 'Wrong*Pass1', newPassword: 'Neue*Wiese42' });
    const trail = loginTrail(h);
    expect(await h.core.password.change(WHO, id, { currentPassword: 'Wrong*Pass1', newPassword: 'Neue*Wiese42' })).toMatchObject({
      ok: false,
      error: { code: 'ACCOUNT_LOCKED' },
    });
    expect(trail()).toEqual([
      { type: 'LOGIN_FAILURE', subject: id, data: { currentPassword: true } },
      { type: 'ACCOUNT_LOCKED', subject: id, data: { lockedUntil: '2026-11-30T10:00:00.000Z' } },
    ]);
  });
});
