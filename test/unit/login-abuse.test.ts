/**
 * The deactivation rule must not become a way to shut out someone else (R6, abuse): login codes
 * count only where one is active, attempts on one account are answered one after another, a
 * terminal with many failures pauses, the lock can be configured to extend instead, and the
 * locks a terminal has shown stay known to its screens.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/config/config.js';
import { DEFAULT_POLICY, type Policy } from '../../src-main/core/policy.js';
import { createDispatcher } from '../../src-main/ipc/dispatcher.js';
import { activeAccount } from '../fixtures/active.js';

/** The flow token the requesting screen holds (the dispatcher hands it out with password.forgot). */
const FLOW = 'flow-token-of-this-screen';
import { VirtualPacer, WHO, erikaInput, makeHarness } from '../fixtures/harness.js';

const erika = { kvnr: 'A123456780', birthDate: '1984-08-12' };
const wrongPassword = { username: 'erika.m', password: 'Wrong*Pass1' };
const rightPassword = { username: 'erika.m', password: 'Heide*Blume7' };
const withPolicy = (patch: (p: Policy) => Partial<Policy>): Policy => ({ ...DEFAULT_POLICY, ...patch(DEFAULT_POLICY) });

async function registered(options: Parameters<typeof makeHarness>[0] = {}) {
  const h = makeHarness(options);
  const r = await h.core.registration.register(WHO, erikaInput());
  if (!r.ok) throw new Error('setup');
  return { h, id: r.value.accountId };
}

describe('login codes count only where one is active', () => {
  it('KVNR and birth date alone cannot lock or deactivate an account without an active code', async () => {
    const { h, id } = await activeAccount();
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await h.core.login.withCode(WHO, { ...erika, code: 'AAAA-BBBB-CCCC' }));
    // The same answer as a wrong code where one is active, every time.
    for (const a of answers) expect(a).toEqual({ ok: false, error: { code: 'LOGIN_CODE_INVALID', details: {} } });
    expect((await h.accounts.get(id))?.login).toEqual({ failures: 0 });
    const audited = h.audit.events().filter((e) => e.type === 'LOGIN_FAILURE');
    expect(audited).toHaveLength(8);
    expect(audited.every((e) => e.data?.['noActiveCode'] === true && e.subject === id)).toBe(true);
  });

  it('does not deactivate a locked account that has no active code', async () => {
    const { h, id } = await activeAccount();
    for (let i = 0; i < 5; i++) await h.core.login.withPassword(WHO, wrongPassword);
    const before = await h.accounts.get(id);
    expect(before?.login.lockedUntil).toBeDefined();
    expect(await h.core.login.withCode(WHO, { ...erika, code: 'AAAA-BBBB-CCCC' })).toEqual({
      ok: false,
      error: { code: 'LOGIN_CODE_INVALID', details: {} },
    });
    expect(await h.accounts.get(id)).toEqual(before);
  });

  it('a used or expired code is no longer active: attempts after it count nothing', async () => {
    const { h, id } = await activeAccount();
    const issued = await h.core.login.issueCode(WHO, erika.kvnr);
    if (!issued.ok) throw new Error('setup');
    h.clock.advance(30 * 86_400_000);
    await h.core.login.withCode(WHO, { ...erika, code: issued.value.code });
    expect((await h.accounts.get(id))?.login.failures).toBe(0);
  });

  it('with an active code, a wrong birth date is a failed attempt like a wrong code', async () => {
    const { h, id } = await activeAccount();
    const issued = await h.core.login.issueCode(WHO, erika.kvnr);
    if (!issued.ok) throw new Error('setup');
    const r = await h.core.login.withCode(WHO, { ...erika, birthDate: '1984-08-13', code: issued.value.code });
    expect(r).toEqual({ ok: false, error: { code: 'LOGIN_CODE_INVALID', details: {} } });
    expect((await h.accounts.get(id))?.login.failures).toBe(1);
    // The code itself stays usable with the right birth date.
    expect((await h.core.login.withCode(WHO, { ...erika, code: issued.value.code })).ok).toBe(true);
  });

  it('the login-code screen gets the same warning after the fourth failure', async () => {
    const { h } = await activeAccount();
    if (!(await h.core.login.issueCode(WHO, erika.kvnr)).ok) throw new Error('setup');
    for (let i = 0; i < 3; i++) await h.core.login.withCode(WHO, { ...erika, code: 'AAAA-BBBB-CCCC' });
    expect(await h.core.login.withCode(WHO, { ...erika, code: 'AAAA-BBBB-CCCC' })).toEqual({
      ok: false,
      error: { code: 'LOGIN_CODE_INVALID', details: { nextFailureLocks: true, lockHours: 24 } },
    });
  });
});

describe('attempts on one account are answered one after another', () => {
  it('20 parallel wrong passwords take 20 failure floors, not one', async () => {
    const pacer = new VirtualPacer();
    const { h } = await registered({ pacer });
    await Promise.all(Array.from({ length: 20 }, () => h.core.login.withPassword(WHO, wrongPassword)));
    expect(pacer.now).toBe(20 * DEFAULT_POLICY.login.failureFloorMs);
  });

  it('attempts on different accounts and unknown usernames do not wait for each other', async () => {
    const pacer = new VirtualPacer();
    const { h } = await registered({ pacer });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        h.core.login.withPassword({ ...WHO, terminal: `t${i}` }, { username: `nobody.${i}`, password: 'x' }),
      ),
    );
    expect(pacer.now).toBe(DEFAULT_POLICY.login.failureFloorMs);
  });

  it('answers BUSY beyond the queue limit of one account and counts nothing for those', async () => {
    const { h, id } = await registered({ policy: withPolicy((p) => ({ login: { ...p.login, maxQueuedPerAccount: 3 } })) });
    const results = await Promise.all(Array.from({ length: 5 }, () => h.core.login.withPassword(WHO, wrongPassword)));
    expect(results.map((r) => (r.ok ? 'OK' : r.error.code)).sort()).toEqual([
      'BUSY',
      'BUSY',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
    ]);
    expect((await h.accounts.get(id))?.login.failures).toBe(3);
  });
});

describe('a terminal with many failed logins pauses', () => {
  it('past 20 failures in 10 minutes it answers TERMINAL_PAUSED, counts nothing, and audits the pause once', async () => {
    const { h, id } = await registered();
    for (let i = 0; i < 19; i++) await h.core.login.withPassword(WHO, { username: `nobody.${i}`, password: 'x' });
    expect(h.audit.events().filter((e) => e.type === 'TERMINAL_PAUSED')).toHaveLength(0);
    // The 20th failure is counted for the account and starts the pause.
    expect(await h.core.login.withPassword(WHO, wrongPassword)).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
    expect((await h.accounts.get(id))?.login.failures).toBe(1);
    const paused = h.audit.events().filter((e) => e.type === 'TERMINAL_PAUSED');
    expect(paused).toHaveLength(1);
    expect(paused[0]?.data).toEqual({ until: '2026-11-29T10:15:00.000Z', failedLogins: 20 });

    const before = await h.accounts.get(id);
    const auditBefore = h.audit.lines.length;
    for (const attempt of [wrongPassword, rightPassword]) {
      expect(await h.core.login.withPassword(WHO, attempt)).toEqual({
        ok: false,
        error: { code: 'TERMINAL_PAUSED', details: { until: '2026-11-29T10:15:00.000Z' } },
      });
    }
    expect(await h.core.login.withCode(WHO, { ...erika, code: 'AAAA-BBBB-CCCC' })).toMatchObject({ error: { code: 'TERMINAL_PAUSED' } });
    expect(await h.accounts.get(id)).toEqual(before);
    expect(h.audit.lines.length).toBe(auditBefore);

    // Another terminal is not affected, and the pause ends by itself.
    expect((await h.core.login.withPassword({ ...WHO, terminal: 'kiosk-2' }, rightPassword)).ok).toBe(true);
    h.clock.advance(15 * 60_000);
    expect((await h.core.login.withPassword(WHO, rightPassword)).ok).toBe(true);
  });

  it('failures older than the window do not count', async () => {
    const { h } = await registered();
    for (let i = 0; i < 19; i++) await h.core.login.withPassword(WHO, { username: `nobody.${i}`, password: 'x' });
    h.clock.advance(10 * 60_000);
    await h.core.login.withPassword(WHO, { username: 'nobody.late', password: 'x' });
    expect(h.audit.events().filter((e) => e.type === 'TERMINAL_PAUSED')).toHaveLength(0);
  });
});

describe('policy.login.attemptDuringLock', () => {
  it('deactivate (the default): an attempt during the lock deactivates', async () => {
    const { h, id } = await registered();
    for (let i = 0; i < 5; i++) await h.core.login.withPassword(WHO, wrongPassword);
    expect(await h.core.login.withPassword(WHO, rightPassword)).toEqual({ ok: false, error: { code: 'ACCOUNT_DEACTIVATED' } });
    expect((await h.accounts.get(id))?.login.deactivatedAt).toBe('2026-11-29T10:00:00.000Z');
  });

  it('extend: an attempt during the lock starts the lock again and never deactivates', async () => {
    const { h, id } = await registered({ policy: withPolicy((p) => ({ login: { ...p.login, attemptDuringLock: 'extend' } })) });
    for (let i = 0; i < 5; i++) await h.core.login.withPassword(WHO, wrongPassword);
    h.clock.advance(3_600_000);
    expect(await h.core.login.withPassword(WHO, rightPassword)).toEqual({
      ok: false,
      error: { code: 'ACCOUNT_LOCKED', details: { lockedUntil: '2026-11-30T11:00:00.000Z' } },
    });
    const account = await h.accounts.get(id);
    expect(account?.login).toEqual({ failures: 5, lockedUntil: '2026-11-30T11:00:00.000Z' });
    expect(
      h.audit
        .events()
        .filter((e) => e.type === 'ACCOUNT_LOCKED')
        .at(-1)?.data,
    ).toEqual({
      lockedUntil: '2026-11-30T11:00:00.000Z',
      extended: true,
    });
    h.clock.set('2026-11-30T11:00:00.000Z');
    expect((await h.core.login.withPassword(WHO, rightPassword)).ok).toBe(true);
  });
});

describe('lock notices for the login screens', () => {
  it('the login-code screen gets its own notice, by KVNR, and a new password ends it', async () => {
    const { h } = await activeAccount();
    if (!(await h.core.login.issueCode(WHO, erika.kvnr)).ok) throw new Error('setup');
    for (let i = 0; i < 5; i++) await h.core.login.withCode(WHO, { ...erika, code: 'AAAA-BBBB-CCCC' });
    expect(await h.core.login.lockNotice(WHO, { kvnr: 'a 123456780' })).toEqual({
      ok: true,
      value: { lockedUntil: '2026-11-30T10:00:00.000Z' },
    });
    expect(await h.core.login.lockNotice(WHO, { username: 'erika.m' })).toEqual({ ok: true, value: {} });
    await h.core.password.requestReset(WHO, { username: 'erika.m', kvnr: erika.kvnr, birthDate: erika.birthDate }, FLOW);
    expect(
      (await h.core.password.completeReset(WHO, { username: 'erika.m', code: h.lastCode(), newPassword: 'Neue*Wiese42' }, FLOW)).ok,
    ).toBe(true);
    expect(await h.core.login.lockNotice(WHO, { kvnr: erika.kvnr })).toEqual({ ok: true, value: {} });
  });

  it('name a lock only to the terminal that showed it, only while it is in force', async () => {
    const { h } = await registered();
    for (let i = 0; i < 5; i++) await h.core.login.withPassword(WHO, wrongPassword);
    expect(await h.core.login.lockNotice(WHO, { username: 'ERIKA.M' })).toEqual({
      ok: true,
      value: { lockedUntil: '2026-11-30T10:00:00.000Z' },
    });
    // Remembered by what was typed: a lock shown for a username tells nothing about the KVNR.
    expect(await h.core.login.lockNotice(WHO, { kvnr: 'A123456780' })).toEqual({ ok: true, value: {} });
    expect(await h.core.login.lockNotice({ ...WHO, terminal: 'kiosk-2' }, { username: 'erika.m' })).toEqual({ ok: true, value: {} });
    expect(await h.core.login.lockNotice(WHO, { username: 'nobody.here' })).toEqual({ ok: true, value: {} });
    const auditBefore = h.audit.lines.length;
    h.clock.advance(24 * 3_600_000);
    expect(await h.core.login.lockNotice(WHO, { username: 'erika.m' })).toEqual({ ok: true, value: {} });
    expect(h.audit.lines.length).toBe(auditBefore);
  });
});

describe('known and unknown names answer alike under parallel attempts', () => {
  it('two parallel attempts take two floors for a known username and for an unknown one', async () => {
    for (const username of ['erika.m', 'nobody.here']) {
      const pacer = new VirtualPacer();
      const { h } = await registered({ pacer });
      await Promise.all([
        h.core.login.withPassword(WHO, { username, password: 'x1' }),
        h.core.login.withPassword(WHO, { username, password: 'x2' }),
      ]);
      expect(pacer.now).toBe(2 * DEFAULT_POLICY.login.failureFloorMs);
    }
  });

  it('a full lane answers BUSY for an unknown name as for a known one; KVNRs likewise', async () => {
    const policy = withPolicy((p) => ({ login: { ...p.login, maxQueuedPerAccount: 20 } }));
    const tally = (results: { ok: boolean; error?: { code: string } }[]) =>
      results.map((r) => (r.ok ? 'OK' : r.error?.code)).filter((c) => c === 'BUSY').length;
    const { h } = await registered({ policy });
    const attempts = (username: string) =>
      Array.from({ length: 22 }, () => h.core.login.withPassword({ ...WHO, terminal: username }, { username, password: 'x' }));
    expect(tally(await Promise.all(attempts('erika.m')))).toBe(2);
    expect(tally(await Promise.all(attempts('nobody.here')))).toBe(2);
    const codes = (kvnr: string) =>
      Promise.all(
        Array.from({ length: 22 }, () =>
          h.core.login.withCode({ ...WHO, terminal: kvnr }, { kvnr, birthDate: '1984-08-12', code: 'AAAA-BBBB-CCCC' }),
        ),
      );
    // Erika has an account; Jürgen Weiß (demo register) has none.
    expect(tally(await codes('A123456780'))).toBe(2);
    expect(tally(await codes('M200010000'))).toBe(2);
  });
});

describe('sessions never outlive the password they were opened with', () => {
  it('a login whose password is changed before its session opens gets a session that is already over', async () => {
    const { h, id } = await registered();
    const dispatcher = createDispatcher(h.core, parseConfig({}));
    const ctx = (sessionToken?: string) => ({ sessionToken, terminal: 'kiosk-1' });
    const other = await dispatcher.dispatch('session.login', rightPassword, ctx());
    // Between the login's check and the opening of its session, the password changes elsewhere.
    const get = h.accounts.get.bind(h.accounts);
    let changed = false;
    h.accounts.get = async (accountId) => {
      if (!changed && accountId === id) {
        changed = true;
        expect((await h.core.password.change(WHO, id, { currentPassword: 'Heide*Blume7', newPassword: 'Neue*Wiese42' })).ok).toBe(true);
      }
      return get(accountId);
    };
    const late = await dispatcher.dispatch('session.login', rightPassword, ctx());
    h.accounts.get = get;
    expect(late.result.ok).toBe(true);
    expect((await dispatcher.dispatch('onboarding.state', {}, ctx(late.session ?? ''))).result).toMatchObject({
      ok: false,
      error: { code: 'NOT_AUTHENTICATED' },
    });
    expect((await dispatcher.dispatch('onboarding.state', {}, ctx(other.session ?? ''))).result).toMatchObject({ ok: false });
  });
});
