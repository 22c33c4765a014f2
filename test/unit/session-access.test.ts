/**
 * A session ends when access ends (R6): lock, deactivation, deletion and password change or reset
 * done elsewhere end every open session at its next call. And inside a session, the current
 * password cannot be guessed without limit.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/config/config.js';
import { createDispatcher } from '../../src-main/ipc/dispatcher.js';
import { activeAccount } from '../fixtures/active.js';

/** The flow token the requesting screen holds (the dispatcher hands it out with password.forgot). */
const FLOW = 'flow-token-of-this-screen';
import { VirtualPacer, WHO } from '../fixtures/harness.js';

const other = { actor: 'someone', terminal: 'kiosk-2' };
const wrongPassword = { username: 'erika.m', password: 'Wrong*Pass1' };

async function loggedIn(options: Parameters<typeof activeAccount>[0] = {}) {
  const { h, id } = await activeAccount(options);
  const dispatcher = createDispatcher(h.core, parseConfig({}));
  const ctx = (sessionToken?: string) => ({ sessionToken, terminal: 'kiosk-1' });
  const out = await dispatcher.dispatch('session.login', { username: 'erika.m', password: 'Heide*Blume7' }, ctx());
  if (!out.result.ok || typeof out.session !== 'string') throw new Error('setup');
  const token = out.session;
  const call = (channel: string, payload: unknown = {}) => dispatcher.dispatch(channel, payload, ctx(token));
  return { h, id, dispatcher, ctx, token, call };
}

describe('sessions end when access ends', () => {
  it('after a lock caused at another terminal', async () => {
    const { h, call } = await loggedIn();
    expect((await call('mailbox.list')).result.ok).toBe(true);
    for (let i = 0; i < 5; i++) await h.core.login.withPassword(other, wrongPassword);
    expect(await call('mailbox.list')).toEqual({ result: { ok: false, error: { code: 'NOT_AUTHENTICATED' } }, session: null });
    // Ended for good, not only while the lock lasts.
    h.clock.advance(25 * 3_600_000);
    expect((await call('session.touch')).result).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
  });

  it('after deactivation', async () => {
    const { h, id, call } = await loggedIn();
    await h.accounts.update(id, (a) => ({
      next: { ...a, login: { ...a.login, deactivatedAt: h.clock.now().toISOString() } },
      result: null,
    }));
    // A stored deactivation without a raised epoch (for example set by another process) ends it too.
    expect((await call('personal.data')).result).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
  });

  it('after deletion of the account', async () => {
    const { h, id, call } = await loggedIn();
    await h.accounts.delete(id);
    expect((await call('mtan.leave')).result).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
  });

  it('after a password reset done elsewhere, and a password change ends the other sessions', async () => {
    const { h, dispatcher, ctx, call } = await loggedIn();
    const second = await dispatcher.dispatch('session.login', { username: 'erika.m', password: 'Heide*Blume7' }, ctx());
    if (typeof second.session !== 'string') throw new Error('setup');
    const changed = await dispatcher.dispatch(
      'password.change',
      { currentPassword: 'Heide*Blume7', newPassword: 'Neue*Wiese42' },
      ctx(second.session),
    );
    expect(changed.result.ok).toBe(true);
    expect((await call('mailbox.list')).result).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    // The session that changed it continues with its fresh token.
    expect(typeof changed.session).toBe('string');
    expect((await dispatcher.dispatch('mailbox.list', {}, ctx(changed.session ?? ''))).result.ok).toBe(true);

    await h.core.password.requestReset(other, { username: 'erika.m', kvnr: 'A123456780', birthDate: '1984-08-12' }, FLOW);
    const reset = await h.core.password.completeReset(
      other,
      { username: 'erika.m', code: h.lastCode(), newPassword: 'Dritte*Rose77' },
      FLOW,
    );
    expect(reset.ok).toBe(true);
    expect((await dispatcher.dispatch('mailbox.list', {}, ctx(changed.session ?? ''))).result).toMatchObject({
      ok: false,
      error: { code: 'NOT_AUTHENTICATED' },
    });
  });
});

describe('the current password inside a session', () => {
  it('wrong entries count like failed logins; the fifth locks the account and ends the session', async () => {
    const { h, id, call } = await loggedIn();
    const answers = [];
    for (let i = 0; i < 4; i++)
      answers.push(await call('password.change', { currentPassword: `Guess*${i}abc`, newPassword: 'Neue*Wiese42' }));
    expect(answers[0]?.result).toEqual({ ok: false, error: { code: 'CURRENT_PASSWORD_WRONG' } });
    expect(answers[3]?.result).toEqual({
      ok: false,
      error: { code: 'CURRENT_PASSWORD_WRONG', details: { nextFailureLocks: true, lockHours: 24 } },
    });
    expect((await h.accounts.get(id))?.login.failures).toBe(4);
    const fifth = await call('account.delete', { password: 'Guess*5abc', confirm: true });
    expect(fifth).toEqual({
      result: { ok: false, error: { code: 'ACCOUNT_LOCKED', details: { lockedUntil: '2026-11-30T10:00:00.000Z' } } },
      session: null,
    });
    // The right guess after that gets nowhere: the session is gone and the account still exists.
    expect((await call('account.delete', { password: 'Heide*Blume7', confirm: true })).result).toMatchObject({
      error: { code: 'NOT_AUTHENTICATED' },
    });
    expect(await h.accounts.get(id)).toBeDefined();
    const failures = h.audit.events().filter((e) => e.type === 'LOGIN_FAILURE' && e.data?.['currentPassword'] === true);
    expect(failures).toHaveLength(5);
    expect(failures.every((e) => e.subject === id)).toBe(true);
  });

  it('parallel wrong entries lock the account but never deactivate it: the session ends with the lock', async () => {
    const { h, id, call } = await loggedIn();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => call('password.change', { currentPassword: `Guess*${i}abc`, newPassword: 'Neue*Wiese42' })),
    );
    const codes = results.map((r) => (r.result.ok ? 'OK' : r.result.error.code));
    expect(codes.filter((c) => c === 'CURRENT_PASSWORD_WRONG')).toHaveLength(4);
    expect(codes.filter((c) => c === 'ACCOUNT_LOCKED')).toHaveLength(1);
    expect(codes.filter((c) => c === 'NOT_AUTHENTICATED')).toHaveLength(3);
    const account = await h.accounts.get(id);
    expect(account?.login.deactivatedAt).toBeUndefined();
    expect(account?.login.failures).toBe(5);
  });

  it('wrong entries are paced in the account lane like failed logins', async () => {
    const pacer = new VirtualPacer();
    const { h, id } = await activeAccount({ pacer });
    const start = pacer.now;
    await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        h.core.password.change(WHO, id, { currentPassword: `Guess*${i}abc`, newPassword: 'Neue*Wiese42' }),
      ),
    );
    expect(pacer.now - start).toBe(3 * h.core.deps.policy.login.failureFloorMs);
  });

  it('a right entry resets the count, as a successful login does', async () => {
    const { h, id } = await activeAccount();
    await h.core.password.change(WHO, id, { currentPassword: 'Guess*1abc', newPassword: 'Neue*Wiese42' });
    expect((await h.accounts.get(id))?.login.failures).toBe(1);
    expect((await h.core.password.change(WHO, id, { currentPassword: 'Heide*Blume7', newPassword: 'Neue*Wiese42' })).ok).toBe(true);
    expect((await h.accounts.get(id))?.login.failures).toBe(0);
  });
});

describe('documents handed out in a session', () => {
  it('are dropped at logout: the next person at the kiosk cannot fetch them', async () => {
    const { dispatcher, call } = await loggedIn();
    const created = await call('certificate.create');
    if (!created.result.ok) throw new Error('setup');
    const { documentToken } = created.result.value as { documentToken: string };
    expect(await call('session.logout')).toMatchObject({ result: { ok: true }, session: null });
    expect(dispatcher.takeDocument(documentToken)).toBeUndefined();
  });

  it('are dropped when the password is reset elsewhere', async () => {
    const { h, dispatcher, call } = await loggedIn();
    const created = await call('certificate.create');
    if (!created.result.ok) throw new Error('setup');
    const { documentToken } = created.result.value as { documentToken: string };
    const ctx = { sessionToken: undefined, terminal: 'kiosk-2' };
    const forgot = await dispatcher.dispatch('password.forgot', { username: 'erika.m', kvnr: 'A123456780', birthDate: '1984-08-12' }, ctx);
    const flow = { sessionToken: forgot.session ?? undefined, terminal: 'kiosk-2' };
    const reset = await dispatcher.dispatch(
      'password.reset',
      { username: 'erika.m', code: h.lastCode(), newPassword: 'Neue*Wiese42' },
      flow,
    );
    expect(reset).toEqual({ result: { ok: true, value: null }, session: null });
    expect(dispatcher.takeDocument(documentToken)).toBeUndefined();
  });
});
