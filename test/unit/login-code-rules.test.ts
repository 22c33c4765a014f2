/**
 * Login codes (R11) and the screens around a lock (R6): which codes are kept when a new one is
 * issued, that each code opens exactly one session until the end of its last day, where an
 * attempt counts, what a code issued for nobody does, the lanes of typed KVNRs, and when a login
 * screen names a lock it has shown.
 */
import { describe, expect, it } from 'vitest';
import { LoginGuards } from '../../src-main/core/login/guards.js';
import { issueLoginCode } from '../../src-main/core/login/login-code.js';
import { lockNotice } from '../../src-main/core/login/lock-notice.js';
import { checkCurrentPassword } from '../../src-main/core/login/current-password.js';
import { DEFAULT_POLICY } from '../../src-main/core/policy.js';
import type { AccountStore } from '../../src-main/core/ports.js';
import { activeAccount } from '../fixtures/active.js';
import { VirtualPacer, WHO, erikaInput, makeHarness } from '../fixtures/harness.js';

type Harness = ReturnType<typeof makeHarness>;
const erika = { kvnr: 'A123456780', birthDate: '1984-08-12' };
const WRONG_CODE = 'AAAA-BBBB-CCCC';

async function issue(h: Harness): Promise<{ code: string; validUntil: string }> {
  const issued = await h.core.login.issueCode(WHO, erika.kvnr);
  if (!issued.ok) throw new Error(issued.error.code);
  return issued.value;
}

const withCode = (h: Harness, code: string) => h.core.login.withCode(WHO, { ...erika, code });

describe('issuing a login code', () => {
  it('refuses a mistyped KVNR and a person without an account, and prints nothing', async () => {
    const h = makeHarness();
    expect(await h.core.login.issueCode(WHO, 'A123456789')).toEqual({ ok: false, error: { code: 'KVNR_INVALID' } });
    // Jürgen Weiß is in the demo register and has no account.
    expect(await h.core.login.issueCode(WHO, 'M200010000')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(h.letters).toEqual([]);
    expect(h.audit.events().filter((e) => e.type === 'LOGIN_CODE_ISSUED')).toEqual([]);
  });

  it('prints no code for an account that is gone before the code is stored', async () => {
    const h = makeHarness();
    const r = await h.core.registration.register(WHO, erikaInput());
    if (!r.ok) throw new Error('setup');
    const gone = new Proxy(h.deps.accounts, {
      get: (target, key, receiver) => {
        if (key === 'update') return () => Promise.resolve(undefined);
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as AccountStore;
    const letters = h.letters.length;
    expect(await issueLoginCode({ ...h.deps, accounts: gone }, WHO, erika.kvnr)).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(h.letters.length).toBe(letters);
  });

  it('keeps the earlier codes that can still be used and drops used ones and those at the end of their day', async () => {
    const { h, id } = await activeAccount();
    const first = await issue(h);
    h.clock.advance(86_400_000);
    const second = await issue(h);
    expect((await h.accounts.get(id))?.loginCodes?.map((c) => c.state)).toEqual(['ACTIVE', 'ACTIVE']);
    expect((await withCode(h, second.code)).ok).toBe(true);
    // The first has reached the end of its last day; the second is used but not yet expired.
    h.clock.set(first.validUntil);
    const third = await issue(h);
    const kept = (await h.accounts.get(id))?.loginCodes ?? [];
    expect(kept.map((c) => [c.state, c.expiresAt])).toEqual([['ACTIVE', third.validUntil]]);
  });
});

describe('using a login code', () => {
  it('each of two active codes opens one session; using one leaves the other usable and keeps the used one on record', async () => {
    const { h, id } = await activeAccount();
    const first = await issue(h);
    const second = await issue(h);
    expect((await withCode(h, first.code)).ok).toBe(true);
    const codes = (await h.accounts.get(id))?.loginCodes ?? [];
    expect(codes.map((c) => c.state)).toEqual(['USED', 'ACTIVE']);
    expect(codes[0]).toMatchObject({ state: 'USED', expiresAt: first.validUntil, issuedBy: WHO.actor });
    expect((await withCode(h, second.code)).ok).toBe(true);
  });

  it('a used code typed again while another code is active is a counted failure, not a second session', async () => {
    const { h, id } = await activeAccount();
    const first = await issue(h);
    await issue(h);
    expect((await withCode(h, first.code)).ok).toBe(true);
    const from = h.audit.events().length;
    expect(await withCode(h, first.code)).toEqual({ ok: false, error: { code: 'LOGIN_CODE_INVALID', details: {} } });
    expect((await h.accounts.get(id))?.login).toEqual({ failures: 1 });
    expect(
      h.audit
        .events()
        .slice(from)
        .map((e) => [e.type, e.data]),
    ).toEqual([['LOGIN_FAILURE', { loginCode: true }]]);
  });

  it('a code opens a session until the last millisecond of its day; at the end it is a counted failure while another is active', async () => {
    const { h, id } = await activeAccount();
    const early = await issue(h);
    const twin = await issue(h);
    h.clock.advance(10 * 86_400_000);
    const later = await issue(h);
    h.clock.set(new Date(new Date(early.validUntil).getTime() - 1).toISOString());
    expect((await withCode(h, early.code)).ok).toBe(true);
    h.clock.set(twin.validUntil);
    expect(await withCode(h, twin.code)).toEqual({ ok: false, error: { code: 'LOGIN_CODE_INVALID', details: {} } });
    expect((await h.accounts.get(id))?.login).toEqual({ failures: 1 });
    expect((await withCode(h, later.code)).ok).toBe(true);
  });

  it('attempts count under R6 until the end of the last active code, and from that instant count nothing', async () => {
    const { h, id } = await activeAccount();
    const { validUntil } = await issue(h);
    h.clock.set(new Date(new Date(validUntil).getTime() - 1).toISOString());
    await withCode(h, WRONG_CODE);
    expect((await h.accounts.get(id))?.login).toEqual({ failures: 1 });
    h.clock.set(validUntil);
    const from = h.audit.events().length;
    await withCode(h, WRONG_CODE);
    expect((await h.accounts.get(id))?.login).toEqual({ failures: 1 });
    expect(h.audit.events().slice(from)[0]?.data).toEqual({ loginCode: true, noActiveCode: true });
  });

  it('attempts on different KVNRs, mistyped or without an account, do not wait for each other', async () => {
    const pacer = new VirtualPacer();
    const h = makeHarness({ pacer });
    const kvnrs = ['M200010000', 'Y300020008', 'X12345678', 'Q99'];
    await Promise.all(
      kvnrs.map((kvnr, i) => h.core.login.withCode({ ...WHO, terminal: `t${i}` }, { kvnr, birthDate: '1990-01-01', code: WRONG_CODE })),
    );
    expect(pacer.now).toBe(DEFAULT_POLICY.login.failureFloorMs);
  });
});

describe('the lock notice of a login screen', () => {
  const wrong = { username: 'erika.m', password: 'Wrong*Pass1' };

  it('ends when the lock it names has turned into a deactivation', async () => {
    const h = makeHarness();
    if (!(await h.core.registration.register(WHO, erikaInput())).ok) throw new Error('setup');
    for (let i = 0; i < 5; i++) await h.core.login.withPassword(WHO, wrong);
    expect(await h.core.login.lockNotice(WHO, { username: 'erika.m' })).toStrictEqual({
      ok: true,
      value: { lockedUntil: '2026-11-30T10:00:00.000Z' },
    });
    expect(await h.core.login.withPassword({ ...WHO, terminal: 'kiosk-2' }, wrong)).toEqual({
      ok: false,
      error: { code: 'ACCOUNT_DEACTIVATED' },
    });
    expect(await h.core.login.lockNotice(WHO, { username: 'erika.m' })).toStrictEqual({ ok: true, value: {} });
  });

  it('names nothing for a name whose account is gone, however the lock was remembered', async () => {
    const h = makeHarness();
    const guards = new LoginGuards(DEFAULT_POLICY.terminal);
    const until = h.clock.now().getTime() + 60_000;
    guards.rememberLock(WHO.terminal, 'user:nobody.here', until, h.clock.now().getTime());
    guards.rememberLock(WHO.terminal, 'kvnr:X12345678', until, h.clock.now().getTime());
    expect(await lockNotice(h.deps, guards, WHO, { username: 'nobody.here' })).toStrictEqual({ ok: true, value: {} });
    expect(await lockNotice(h.deps, guards, WHO, { kvnr: 'x 12345678' })).toStrictEqual({ ok: true, value: {} });
  });

  it('names the lock that the fifth wrong current password set, on the terminal where it was typed', async () => {
    const h = makeHarness();
    const r = await h.core.registration.register(WHO, erikaInput());
    if (!r.ok) throw new Error('setup');
    for (let i = 0; i < 5; i++) {
      await h.core.password.change(WHO, r.value.accountId, { currentPassword: 'Wrong*Pass1', newPassword: 'Neue*Wiese42' });
    }
    expect(await h.core.login.lockNotice(WHO, { username: 'Erika.M' })).toStrictEqual({
      ok: true,
      value: { lockedUntil: '2026-11-30T10:00:00.000Z' },
    });
  });
});

describe('the current password inside a session', () => {
  it('of an account that does not exist is NOT_FOUND, and nothing is counted', async () => {
    const h = makeHarness();
    const guards = new LoginGuards(DEFAULT_POLICY.terminal);
    expect(await checkCurrentPassword(h.deps, guards, WHO, { accountId: 'no-such-account' }, 'Heide*Blume7', 'PASSWORD_WRONG')).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(h.audit.events()).toEqual([]);
  });
});
