/**
 * The rules around a new password (R2, R7, R13) beyond the happy path: what a reset request answers
 * and records, which refused codes are recorded, what happens when the account changes while the
 * new password is being hashed, the choice after a temporary password, and that no more old
 * password hashes are kept than the reuse rule needs.
 */
import { describe, expect, it } from 'vitest';
import type { Account } from '../../src-main/core/account.js';
import { LoginGuards, MismatchLimits } from '../../src-main/core/login/guards.js';
import { chooseOwnPassword } from '../../src-main/core/password/choose-own.js';
import { setNewPassword } from '../../src-main/core/password/new-password.js';
import { changePassword, completePasswordReset, requestPasswordReset } from '../../src-main/core/password/reset.js';
import { DEFAULT_POLICY } from '../../src-main/core/policy.js';
import type { AccountStore, PasswordHasher } from '../../src-main/core/ports.js';
import { WHO, fastPasswords, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';

type Harness = ReturnType<typeof makeHarness>;
const FLOW = 'flow-token-of-this-screen';
const forgot = { username: 'erika.m', kvnr: 'A123456780', birthDate: '1984-08-12' };
const wrongLogin = { username: 'erika.m', password: 'Wrong*Pass1' };

/** A hasher that runs `before` once, just before the next new password is hashed (another terminal acting meanwhile). */
function hookedPasswords(): PasswordHasher & { before?: () => Promise<void> } {
  const hasher: PasswordHasher & { before?: () => Promise<void> } = {
    hash: async (password) => {
      const before = hasher.before;
      delete hasher.before;
      if (before) await before();
      return fastPasswords.hash(password);
    },
    verify: (hash, password) => fastPasswords.verify(hash, password),
  };
  return hasher;
}

/** The account store with some calls answered as if the account had gone meanwhile. */
function vanishing(accounts: AccountStore, updatesBefore = 0): AccountStore {
  let updates = 0;
  return new Proxy(accounts, {
    get: (target, key, receiver) => {
      if (key === 'update') {
        return (...args: Parameters<AccountStore['update']>) =>
          ++updates > updatesBefore ? Promise.resolve(undefined) : target.update(...args);
      }
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as AccountStore;
}

/** The account store with a step of another terminal run before the n-th update, or the n-th read answered otherwise. */
function interleaved(
  accounts: AccountStore,
  hooks: {
    beforeUpdate?: { n: number; run: () => Promise<void> };
    read?: { n: number; answer: (account: Account | undefined) => Account | undefined };
  },
): AccountStore {
  let updates = 0;
  let reads = 0;
  return new Proxy(accounts, {
    get: (target, key, receiver) => {
      if (key === 'update') {
        return async (...args: Parameters<AccountStore['update']>) => {
          if (++updates === hooks.beforeUpdate?.n) await hooks.beforeUpdate.run();
          return target.update(...args);
        };
      }
      if (key === 'get') {
        return async (id: string) => {
          const account = await target.get(id);
          return ++reads === hooks.read?.n ? hooks.read.answer(account) : account;
        };
      }
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as AccountStore;
}

async function confirmed(options: Parameters<typeof makeHarness>[0] = {}) {
  const h = makeHarness(options);
  const id = await registeredAndConfirmed(h);
  return { h, id };
}

async function resetCode(h: Harness, flow = FLOW): Promise<string> {
  const r = await h.core.password.requestReset(WHO, forgot, flow);
  if (!r.ok) throw new Error(r.error.code);
  return h.lastCode();
}

const events = (h: Harness, type: string) =>
  h.audit
    .events()
    .filter((e) => e.type === type)
    .map((e) => ({ subject: e.subject, data: e.data }));

async function deactivate(h: Harness, id: string): Promise<void> {
  await h.accounts.update(id, (account) => ({
    next: { ...account, login: { ...account.login, deactivatedAt: h.clock.now().toISOString() } },
    result: null,
  }));
}

describe('a forgot-password request', () => {
  it('answers with the delivery and the masked address, and records the sending with the account', async () => {
    const { h, id } = await confirmed();
    expect(await h.core.password.requestReset(WHO, forgot, FLOW)).toEqual({
      ok: true,
      value: { emailDelivery: 'SENT', emailMasked: 'e***@example.org' },
    });
    expect(events(h, 'PASSWORD_RESET_REQUESTED')).toEqual([{ subject: id, data: { delivered: true } }]);
    expect(h.mails.at(-1)).toMatchObject({ kind: 'RESET_CODE', expiresAt: '2026-11-29T10:30:00.000Z' });
  });

  it('records a mismatch with the account when the username exists, and without one when it does not', async () => {
    const { h, id } = await confirmed();
    await h.core.password.requestReset(WHO, { ...forgot, birthDate: '1984-08-13' }, FLOW);
    await h.core.password.requestReset(WHO, { ...forgot, username: 'nobody.here' }, FLOW);
    expect(events(h, 'PASSWORD_RESET_REQUESTED')).toEqual([
      { subject: id, data: { detailsMatch: false } },
      { subject: undefined, data: { detailsMatch: false } },
    ]);
  });

  it('of an account whose person is no longer in the register is a mismatch, and nothing is sent', async () => {
    const first = makeHarness();
    await registeredAndConfirmed(first);
    const h = makeHarness({ accounts: first.accounts, register: [] });
    expect(await h.core.password.requestReset(WHO, forgot, FLOW)).toEqual({ ok: false, error: { code: 'DETAILS_MISMATCH' } });
    expect(h.mails).toEqual([]);
  });

  it('past the mismatch limit sends no code to a deactivated account, even with matching details', async () => {
    const { h, id } = await confirmed();
    for (let i = 1; i <= 5; i++)
      await h.core.password.requestReset({ ...WHO, terminal: `t${i}` }, { ...forgot, birthDate: `1984-08-0${i}` }, FLOW);
    await deactivate(h, id);
    const mails = h.mails.length;
    expect(await h.core.password.requestReset(WHO, forgot, FLOW)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(h.mails.length).toBe(mails);
  });

  it('for an account gone before its code is stored sends nothing and answers as a mismatch', async () => {
    const { h } = await confirmed();
    const deps = { ...h.deps, accounts: vanishing(h.deps.accounts) };
    const mails = h.mails.length;
    const answer = await requestPasswordReset(deps, new MismatchLimits(DEFAULT_POLICY.limits.mismatchWindowMs), WHO, forgot, FLOW);
    expect(answer).toEqual({ ok: false, error: { code: 'DETAILS_MISMATCH' } });
    expect(h.mails.length).toBe(mails);
  });
});

describe('completing a reset', () => {
  it('records each wrong and void code as a failed reset, but not an expired one', async () => {
    const { h, id } = await confirmed();
    const code = await resetCode(h);
    const wrongCode = String((Number(code) + 1) % 100_000_000).padStart(8, '0');
    for (let i = 0; i < 5; i++)
      await h.core.password.completeReset(WHO, { username: 'erika.m', code: wrongCode, newPassword: 'Neue*Wiese42' }, FLOW);
    expect(await h.core.password.completeReset(WHO, { username: 'erika.m', code, newPassword: 'Neue*Wiese42' }, FLOW)).toEqual({
      ok: false,
      error: { code: 'CODE_VOID' },
    });
    expect(events(h, 'PASSWORD_RESET')).toEqual(Array(6).fill({ subject: id, data: { success: false } }));
    h.clock.advance(3_600_000);
    const fresh = await resetCode(h);
    h.clock.advance(30 * 60_000);
    expect(await h.core.password.completeReset(WHO, { username: 'erika.m', code: fresh, newPassword: 'Neue*Wiese42' }, FLOW)).toEqual({
      ok: false,
      error: { code: 'CODE_EXPIRED' },
    });
    expect(events(h, 'PASSWORD_RESET')).toHaveLength(6);
  });

  it('records the reset and whether it lifted a lock', async () => {
    const { h, id } = await confirmed();
    await h.core.password.completeReset(WHO, { username: 'erika.m', code: await resetCode(h), newPassword: 'Neue*Wiese42' }, FLOW);
    for (let i = 0; i < 5; i++) await h.core.login.withPassword(WHO, { ...wrongLogin });
    h.clock.advance(3_600_000);
    await h.core.password.completeReset(WHO, { username: 'erika.m', code: await resetCode(h), newPassword: 'Dritte*Wiese43' }, FLOW);
    expect(events(h, 'PASSWORD_RESET')).toEqual([
      { subject: id, data: { success: true, lockLifted: false } },
      { subject: id, data: { success: true, lockLifted: true } },
    ]);
  });

  it('of an account deactivated since the code was sent sends the person to the counter, and hashes nothing', async () => {
    const passwords = hookedPasswords();
    const { h, id } = await confirmed({ passwords });
    const code = await resetCode(h);
    await deactivate(h, id);
    let hashed = false;
    passwords.before = () => {
      hashed = true;
      return Promise.resolve();
    };
    expect(await h.core.password.completeReset(WHO, { username: 'erika.m', code, newPassword: 'Neue*Wiese42' }, FLOW)).toEqual({
      ok: false,
      error: { code: 'GO_TO_COUNTER', details: { reason: 'DEACTIVATED' } },
    });
    expect(hashed).toBe(false);
  });

  it('from a screen whose request was replaced meanwhile learns nothing, not even a deactivation, and is recorded as failed', async () => {
    for (const moment of ['before the code check', 'while the new password is hashed'] as const) {
      const passwords = hookedPasswords();
      const { h, id } = await confirmed({ passwords });
      const code = await resetCode(h);
      const elsewhere = async () => {
        await h.core.password.requestReset({ ...WHO, terminal: 'kiosk-2' }, forgot, 'another-screens-flow');
        await deactivate(h, id);
      };
      let deps = h.deps;
      if (moment === 'before the code check')
        deps = { ...h.deps, accounts: interleaved(h.deps.accounts, { beforeUpdate: { n: 1, run: elsewhere } }) };
      else passwords.before = elsewhere;
      expect(await completePasswordReset(deps, WHO, { username: 'erika.m', code, newPassword: 'Neue*Wiese42' }, FLOW), moment).toEqual({
        ok: false,
        error: { code: 'CODE_INVALID', details: { remaining: 0 } },
      });
      expect(events(h, 'PASSWORD_RESET'), moment).toEqual([{ subject: id, data: { success: false } }]);
    }
  });

  it('with a new code requested by the same screen while the password is hashed, the old code counts as a wrong one', async () => {
    const passwords = hookedPasswords();
    const { h, id } = await confirmed({ passwords });
    const code = await resetCode(h);
    passwords.before = async () => {
      await h.core.password.requestReset(WHO, forgot, FLOW);
    };
    expect(await h.core.password.completeReset(WHO, { username: 'erika.m', code, newPassword: 'Neue*Wiese42' }, FLOW)).toEqual({
      ok: false,
      error: { code: 'CODE_INVALID', details: { remaining: 4 } },
    });
    expect(events(h, 'PASSWORD_RESET')).toEqual([{ subject: id, data: { success: false } }]);
    expect((await h.accounts.get(id))?.passwordReset?.code?.failures).toBe(1);
  });

  it('of an account deactivated while the new password is hashed sends the person to the counter and sets nothing', async () => {
    const passwords = hookedPasswords();
    const { h, id } = await confirmed({ passwords });
    const code = await resetCode(h);
    passwords.before = () => deactivate(h, id);
    expect(await h.core.password.completeReset(WHO, { username: 'erika.m', code, newPassword: 'Neue*Wiese42' }, FLOW)).toEqual({
      ok: false,
      error: { code: 'GO_TO_COUNTER', details: { reason: 'DEACTIVATED' } },
    });
    expect(await fastPasswords.verify((await h.accounts.get(id))?.password.hash ?? '', 'Heide*Blume7')).toBe(true);
  });

  it('whose password is changed elsewhere while the new one is hashed sets nothing and records a failed reset', async () => {
    const passwords = hookedPasswords();
    const { h, id } = await confirmed({ passwords });
    const code = await resetCode(h);
    passwords.before = async () => {
      expect((await h.core.password.change(WHO, id, { currentPassword: 'Heide*Blume7', newPassword: 'Andere*Wiese44' })).ok).toBe(true);
    };
    expect(await h.core.password.completeReset(WHO, { username: 'erika.m', code, newPassword: 'Neue*Wiese42' }, FLOW)).toEqual({
      ok: false,
      error: { code: 'CODE_INVALID', details: { remaining: 0 } },
    });
    expect(events(h, 'PASSWORD_RESET')).toEqual([{ subject: id, data: { success: false } }]);
    expect((await h.core.login.withPassword(WHO, { username: 'erika.m', password: 'Andere*Wiese44' })).ok).toBe(true);
  });

  it('of an account gone meanwhile answers like a wrong code and sends nothing', async () => {
    const { h } = await confirmed();
    const code = await resetCode(h);
    const mails = h.mails.length;
    const deps = { ...h.deps, accounts: vanishing(h.deps.accounts) };
    expect(await completePasswordReset(deps, WHO, { username: 'erika.m', code, newPassword: 'Neue*Wiese42' }, FLOW)).toEqual({
      ok: false,
      error: { code: 'CODE_INVALID', details: { remaining: 0 } },
    });
    expect(h.mails.length).toBe(mails);
  });
});

describe('changing the password while logged in', () => {
  it('records the change, tells the person by e-mail, and keeps only as many old hashes as the reuse rule needs', async () => {
    const { h, id } = await confirmed();
    const passwords = ['Heide*Blume7', 'Zweite*Rose2', 'Dritte*Rose3', 'Vierte*Rose4', 'Fuenfte*Rose5', 'Sechste*Rose6', 'Siebte*Rose7'];
    for (let i = 1; i < passwords.length; i++) {
      await h.core.password.change(WHO, id, { currentPassword: passwords[i - 1] ?? '', newPassword: passwords[i] ?? '' });
    }
    expect(events(h, 'PASSWORD_CHANGED')).toEqual(Array(6).fill({ subject: id, data: undefined }));
    expect(h.mails.filter((m) => m.kind === 'PASSWORD_CHANGED')).toHaveLength(6);
    expect((await h.accounts.get(id))?.password.history).toHaveLength(DEFAULT_POLICY.passwordChange.historySize - 1);
  });

  it('names the rules a new password breaks, in the context of the person', async () => {
    const { h, id } = await confirmed();
    for (const [newPassword, rules] of [
      ['Erika*Wiese42', ['CONTAINS_NAME']],
      ['Wiese*12.08.1984', ['CONTAINS_BIRTH_DATE']],
      ['Neu*erika.m*42', ['CONTAINS_USERNAME', 'CONTAINS_NAME']],
      ['Neu*A123456780', ['CONTAINS_KVNR']],
    ] as const) {
      expect(await h.core.password.change(WHO, id, { currentPassword: 'Heide*Blume7', newPassword })).toEqual({
        ok: false,
        error: { code: 'PASSWORD_REJECTED', details: { rules } },
      });
    }
    expect(h.mails.filter((m) => m.kind === 'PASSWORD_CHANGED')).toEqual([]);
  });

  it('of an account that does not exist, or is gone meanwhile, is NOT_FOUND', async () => {
    const { h, id } = await confirmed();
    const guards = new LoginGuards(DEFAULT_POLICY.terminal);
    const input = { currentPassword: 'Heide*Blume7', newPassword: 'Neue*Wiese42' };
    expect(await changePassword(h.deps, guards, WHO, 'no-such-account', input)).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    // The current password's check is the first update; the change is the second.
    const goneAtUpdate = { ...h.deps, accounts: vanishing(h.deps.accounts, 1) };
    expect(await changePassword(goneAtUpdate, guards, WHO, id, input)).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(h.mails.filter((m) => m.kind === 'PASSWORD_CHANGED')).toEqual([]);
  });

  it('whose password changed, or whose account went, right after the current one was checked is refused, and hashes nothing', async () => {
    const passwords = hookedPasswords();
    const { h, id } = await confirmed({ passwords });
    let hashed = false;
    passwords.before = () => {
      hashed = true;
      return Promise.resolve();
    };
    const guards = new LoginGuards(DEFAULT_POLICY.terminal);
    const input = { currentPassword: 'Heide*Blume7', newPassword: 'Neue*Wiese42' };
    // The third read is the one after the check (the first two are the change's and the check's own).
    const changed = interleaved(h.deps.accounts, {
      read: { n: 3, answer: (account) => account && { ...account, password: { ...account.password, hash: 'changed-elsewhere' } } },
    });
    expect(await changePassword({ ...h.deps, accounts: changed }, guards, WHO, id, input)).toEqual({
      ok: false,
      error: { code: 'CURRENT_PASSWORD_WRONG' },
    });
    const gone = interleaved(h.deps.accounts, { read: { n: 3, answer: () => undefined } });
    expect(await changePassword({ ...h.deps, accounts: gone }, guards, WHO, id, input)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(events(h, 'PASSWORD_CHANGED')).toEqual([]);
    expect(hashed).toBe(false);
  });

  it('whose password is changed elsewhere while the new one is hashed is refused, sends nothing and records nothing', async () => {
    const passwords = hookedPasswords();
    const { h, id } = await confirmed({ passwords });
    passwords.before = async () => {
      await h.accounts.update(id, (account) => ({
        next: { ...account, password: { ...account.password, hash: 'another-hash' } },
        result: null,
      }));
    };
    expect(await h.core.password.change(WHO, id, { currentPassword: 'Heide*Blume7', newPassword: 'Neue*Wiese42' })).toEqual({
      ok: false,
      error: { code: 'CURRENT_PASSWORD_WRONG' },
    });
    expect(h.mails.filter((m) => m.kind === 'PASSWORD_CHANGED')).toEqual([]);
    expect(events(h, 'PASSWORD_CHANGED')).toEqual([]);
  });
});

describe('a prepared new password', () => {
  it('is not set on an account whose password changed since it was prepared', async () => {
    const { h, id } = await confirmed();
    const account = (await h.accounts.get(id)) as Account;
    const prepared = { hash: 'new-hash', basedOn: 'an-older-hash', history: [] };
    expect(setNewPassword(account, prepared, h.clock.now())).toBeUndefined();
    expect(setNewPassword(account, { ...prepared, basedOn: account.password.hash }, h.clock.now())?.password.hash).toBe('new-hash');
  });
});

describe('choosing one’s own password after a temporary one', () => {
  async function withTemporary() {
    const { h, id } = await confirmed();
    await h.accounts.update(id, (account) => ({
      next: { ...account, password: { ...account.password, temporaryUntil: '2026-12-13T23:00:00.000Z' } },
      result: null,
    }));
    return { h, id };
  }

  it('sets the password, ends the temporary one, and is recorded as a change from a temporary password', async () => {
    const { h, id } = await withTemporary();
    expect(await chooseOwnPassword(h.deps, WHO, id, 0, 'Neue*Wiese42')).toEqual({ ok: true, value: { epoch: 1 } });
    expect((await h.accounts.get(id))?.password.temporaryUntil).toBeUndefined();
    expect(events(h, 'PASSWORD_CHANGED')).toEqual([{ subject: id, data: { fromTemporary: true } }]);
  });

  it('is refused without a temporary password, for a session of an older epoch, and for an account that is gone', async () => {
    const plain = await confirmed();
    expect(await chooseOwnPassword(plain.h.deps, WHO, plain.id, 0, 'Neue*Wiese42')).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    const { h, id } = await withTemporary();
    expect(await chooseOwnPassword(h.deps, WHO, 'no-such-account', 0, 'Neue*Wiese42')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await chooseOwnPassword(h.deps, WHO, id, 1, 'Neue*Wiese42')).toEqual({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    const gone = { ...h.deps, accounts: vanishing(h.deps.accounts) };
    expect(await chooseOwnPassword(gone, WHO, id, 0, 'Neue*Wiese42')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await h.accounts.get(id))?.password.temporaryUntil).toBe('2026-12-13T23:00:00.000Z');
    expect(events(h, 'PASSWORD_CHANGED')).toEqual([]);
  });
});
