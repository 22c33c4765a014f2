import { describe, expect, it } from 'vitest';
import type { AccountStore, PasswordHasher } from '../../src-main/core/ports.js';
import { ShardedAccountStore } from '../../src-main/store/account-store.js';
import { WHO, erikaInput, fastPasswords, makeHarness } from '../fixtures/harness.js';
import { onPostgres } from '../fixtures/pg-harness.js';

async function withAccount() {
  const h = makeHarness();
  const r = await h.core.registration.register(WHO, erikaInput());
  if (!r.ok) throw new Error('setup');
  return { h, id: r.value.accountId };
}
const wrong = { username: 'erika.m', password: 'Wrong*Pass1' };
const right = { username: 'Erika.M', password: 'Heide*Blume7' };

describe('login (R6)', () => {
  it('logs in with the username in any case and resets the failure count', async () => {
    const { h, id } = await withAccount();
    await h.core.login.withPassword(WHO, wrong);
    expect((await h.accounts.get(id))?.login.failures).toBe(1);
    expect(await h.core.login.withPassword(WHO, right)).toEqual({
      ok: true,
      value: { accountId: id, epoch: 0, session: expect.any(String) },
    });
    expect((await h.accounts.get(id))?.login.failures).toBe(0);
  });

  it('unknown usernames get the same answer as a wrong password and count for nobody', async () => {
    const { h, id } = await withAccount();
    expect(await h.core.login.withPassword(WHO, { username: 'nobody.here', password: 'x' })).toEqual({
      ok: false,
      error: { code: 'INVALID_CREDENTIALS', details: {} },
    });
    expect(await h.core.login.withPassword(WHO, wrong)).toEqual({ ok: false, error: { code: 'INVALID_CREDENTIALS', details: {} } });
    expect((await h.accounts.get(id))?.login.failures).toBe(1);
  });

  it('warns at the fourth failure and locks for 24 hours at the fifth, with an e-mail', async () => {
    const { h } = await withAccount();
    for (let i = 0; i < 3; i++) expect(await h.core.login.withPassword(WHO, wrong)).toMatchObject({ error: { details: {} } });
    expect(await h.core.login.withPassword(WHO, wrong)).toMatchObject({
      error: { code: 'INVALID_CREDENTIALS', details: { nextFailureLocks: true, lockHours: 24 } },
    });
    expect(await h.core.login.withPassword(WHO, wrong)).toEqual({
      ok: false,
      error: { code: 'ACCOUNT_LOCKED', details: { lockedUntil: '2026-11-30T10:00:00.000Z' } },
    });
    expect(h.mails.at(-1)?.kind).toBe('ACCOUNT_LOCKED');
    expect(h.mails.at(-1)?.text).toContain('30.11.2026 11:00');
  });

  it('any attempt in the last second of the lock deactivates, even with the right password', async () => {
    const { h } = await withAccount();
    for (let i = 0; i < 5; i++) await h.core.login.withPassword(WHO, wrong);
    h.clock.advance(24 * 3_600_000 - 1_000);
    expect(await h.core.login.withPassword(WHO, right)).toEqual({ ok: false, error: { code: 'ACCOUNT_DEACTIVATED' } });
    expect(h.mails.at(-1)?.kind).toBe('ACCOUNT_DEACTIVATED');
    h.clock.advance(30 * 86_400_000);
    expect(await h.core.login.withPassword(WHO, right)).toEqual({ ok: false, error: { code: 'ACCOUNT_DEACTIVATED' } });
  });

  it('the lock ends by itself after 24 hours', async () => {
    const { h, id } = await withAccount();
    for (let i = 0; i < 5; i++) await h.core.login.withPassword(WHO, wrong);
    h.clock.advance(24 * 3_600_000);
    expect((await h.core.login.withPassword(WHO, right)).ok).toBe(true);
    expect((await h.accounts.get(id))?.login).toEqual({ failures: 0 });
  });

  it('20 simultaneous wrong attempts lock after exactly five and deactivate on the next', async () => {
    const { h, id } = await withAccount();
    const results = await Promise.all(Array.from({ length: 20 }, () => h.core.login.withPassword(WHO, wrong)));
    const codes = results.map((r) => (r.ok ? 'OK' : r.error.code));
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(4);
    expect(codes.filter((c) => c === 'ACCOUNT_LOCKED')).toHaveLength(1);
    expect(codes.filter((c) => c === 'ACCOUNT_DEACTIVATED')).toHaveLength(15);
    expect(h.audit.events().filter((e) => e.type === 'ACCOUNT_DEACTIVATED')).toHaveLength(1);
    expect((await h.accounts.get(id))?.login.deactivatedAt).toBeDefined();
  });
});

/**
 * Another terminal changes the password while this one is still checking the old one: hashing
 * happens outside the account's update, so the update must notice that what was checked is no
 * longer the account's password and check again against the current one.
 */
describe('a password changed elsewhere during the check', () => {
  function racing() {
    const interference: { next?: () => Promise<void> } = {};
    const passwords: PasswordHasher = {
      hash: (password) => fastPasswords.hash(password),
      verify: async (hash, password) => {
        const valid = await fastPasswords.verify(hash, password);
        const interfere = interference.next;
        delete interference.next;
        if (interfere) await interfere();
        return valid;
      },
    };
    return { h: makeHarness({ passwords }), interference };
  }

  it('the old password, right when it was checked, opens nothing and counts one failure', async () => {
    const { h, interference } = racing();
    const r = await h.core.registration.register(WHO, erikaInput());
    if (!r.ok) throw new Error('setup');
    const id = r.value.accountId;
    const newHash = await fastPasswords.hash('Ganz*Neu*2026');
    interference.next = async () => {
      await h.accounts.update(id, (a) => ({
        next: { ...a, password: { ...a.password, hash: newHash }, epoch: (a.epoch ?? 0) + 1 },
        result: null,
      }));
    };
    expect(await h.core.login.withPassword(WHO, right)).toEqual({ ok: false, error: { code: 'INVALID_CREDENTIALS', details: {} } });
    expect((await h.accounts.get(id))?.login.failures).toBe(1);
    const withNew = await h.core.login.withPassword(WHO, { username: 'erika.m', password: 'Ganz*Neu*2026' });
    expect(withNew.ok && withNew.value.epoch).toBe(1);
  });

  it('the new password, wrong when checked against the old one, opens the account', async () => {
    const { h, interference } = racing();
    const r = await h.core.registration.register(WHO, erikaInput());
    if (!r.ok) throw new Error('setup');
    const id = r.value.accountId;
    const newHash = await fastPasswords.hash('Ganz*Neu*2026');
    interference.next = async () => {
      await h.accounts.update(id, (a) => ({ next: { ...a, password: { ...a.password, hash: newHash } }, result: null }));
    };
    const granted = await h.core.login.withPassword(WHO, { username: 'erika.m', password: 'Ganz*Neu*2026' });
    expect(granted.ok).toBe(true);
    expect((await h.accounts.get(id))?.login.failures).toBe(0);
  });
});

describe('kiosk sessions', () => {
  it('end after the idle limit and after the absolute maximum', async () => {
    const { h, id } = await withAccount();
    const token = h.core.sessions.create(id, 0);
    h.clock.advance(100_000);
    expect(h.core.sessions.resolve(token)?.accountId).toBe(id);
    h.clock.advance(110_000);
    expect(h.core.sessions.resolve(token)).toBeUndefined();

    const long = h.core.sessions.create(id, 0);
    for (let i = 0; i < 20; i++) {
      h.clock.advance(100_000);
      h.core.sessions.resolve(long);
    }
    expect(h.core.sessions.resolve(long)).toBeUndefined();
  });

  it('end at logout and never resolve a made-up token', async () => {
    const { h, id } = await withAccount();
    const token = h.core.sessions.create(id, 0);
    h.core.sessions.end(token);
    expect(h.core.sessions.resolve(token)).toBeUndefined();
    expect(h.core.sessions.resolve('made-up')).toBeUndefined();
    expect(h.core.sessions.resolve(undefined)).toBeUndefined();
  });
});

describe('the session store stays small', () => {
  it('removes expired sessions as new ones are made, and keeps at most five per account', async () => {
    const { h, id } = await withAccount();
    for (let i = 0; i < 12; i++) h.core.sessions.create(id, 0);
    expect(h.core.sessions.size()).toBe(5);
    const other = Array.from({ length: 3 }, () => h.core.sessions.create('someone-else', 0));
    expect(h.core.sessions.size()).toBe(8);
    h.clock.advance(3 * 3_600_000);
    h.core.sessions.create('a-third', 0);
    expect(h.core.sessions.size()).toBe(1);
    for (const token of other) expect(h.core.sessions.resolve(token)).toBeUndefined();
  });

  it('ending every session of one account leaves other accounts logged in, and that account can log in again', async () => {
    const { h, id } = await withAccount();
    const mine = [h.core.sessions.create(id, 0), h.core.sessions.create(id, 0)];
    const theirs = h.core.sessions.create('someone-else', 0);
    h.core.sessions.endAllFor(id);
    for (const token of mine) expect(h.core.sessions.resolve(token)).toBeUndefined();
    expect(h.core.sessions.resolve(theirs)?.accountId).toBe('someone-else');
    const again = Array.from({ length: 6 }, () => h.core.sessions.create(id, 0));
    expect(again.map((t) => h.core.sessions.resolve(t) !== undefined)).toEqual([false, true, true, true, true, true]);
    expect(h.core.sessions.size()).toBe(6);
  });

  it("an expired session removed on use no longer counts towards its account's five", async () => {
    const { h, id } = await withAccount();
    const old = Array.from({ length: 5 }, () => h.core.sessions.create(id, 0));
    h.clock.advance(3 * 3_600_000);
    for (const token of old) expect(h.core.sessions.resolve(token)).toBeUndefined();
    const fresh = Array.from({ length: 5 }, () => h.core.sessions.create(id, 0));
    expect(fresh.every((t) => h.core.sessions.resolve(t) !== undefined)).toBe(true);
  });

  it('the newest five of an account stay usable', async () => {
    const { h, id } = await withAccount();
    const tokens = Array.from({ length: 7 }, () => h.core.sessions.create(id, 0));
    expect(tokens.map((t) => h.core.sessions.resolve(t) !== undefined)).toEqual([false, false, true, true, true, true, true]);
  });
});

/**
 * Hashing is the expensive part of an attempt: where the answer is already decided (locked,
 * deactivated), nothing is hashed, so a stream of attempts on such an account cannot be used to
 * load the machine, and the attempt answers without the hash's time.
 */
describe('nothing is hashed where the answer is already decided', () => {
  function counting() {
    const verified = { count: 0 };
    const passwords: PasswordHasher = {
      hash: (password) => fastPasswords.hash(password),
      verify: (hash, password) => {
        verified.count += 1;
        return fastPasswords.verify(hash, password);
      },
    };
    return { h: makeHarness({ passwords }), verified };
  }

  it('an attempt on a locked account and on a deactivated one hashes nothing', async () => {
    const { h, verified } = counting();
    const r = await h.core.registration.register(WHO, erikaInput());
    if (!r.ok) throw new Error('setup');
    for (let i = 0; i < 5; i++) await h.core.login.withPassword(WHO, wrong);
    expect(verified.count).toBe(5);
    expect(await h.core.login.withPassword(WHO, right)).toEqual({ ok: false, error: { code: 'ACCOUNT_DEACTIVATED' } });
    expect(await h.core.login.withPassword(WHO, right)).toEqual({ ok: false, error: { code: 'ACCOUNT_DEACTIVATED' } });
    expect(verified.count).toBe(5);
  });

  it('the current password of a session whose password has changed since is not checked: the session is over', async () => {
    const { h, verified } = counting();
    const r = await h.core.registration.register(WHO, erikaInput());
    if (!r.ok) throw new Error('setup');
    const id = r.value.accountId;
    await h.accounts.update(id, (a) => ({ next: { ...a, epoch: (a.epoch ?? 0) + 1 }, result: null }));
    const before = verified.count;
    expect(
      await h.core.password.change(WHO, { accountId: id, epoch: 0 }, { currentPassword: 'Heide*Blume7', newPassword: 'Neue*Wiese42' }),
    ).toEqual({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    expect(verified.count).toBe(before);
    expect((await h.accounts.get(id))?.login).toEqual({ failures: 0 });
  });
});

/**
 * What happens to the account between the lookup and the update that decides: another terminal
 * lifts the lock, deletes the account, or changes the password again and again. The decision is
 * always made on the account as it is, and a lookup that no longer holds costs nothing.
 */
describe('an account changed while the attempt is on its way', () => {
  /** An in-memory store that runs `before.next` (once) just before the next update of an account. */
  function intercepted() {
    const inner = ShardedAccountStore.inMemory();
    const before: { next?: (id: string) => Promise<void> } = {};
    const accounts = new Proxy(inner, {
      get(target, prop) {
        if (prop === 'update') {
          return async (id: string, fn: Parameters<AccountStore['update']>[1]) => {
            const hook = before.next;
            delete before.next;
            if (hook) await hook(id);
            return target.update(id, fn);
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    return { inner, before, h: makeHarness({ accounts }) };
  }

  it('a lock lifted in between: the password is checked against the open account and logs in', async () => {
    const { inner, before, h } = intercepted();
    const r = await h.core.registration.register(WHO, erikaInput());
    if (!r.ok) throw new Error('setup');
    for (let i = 0; i < 5; i++) await h.core.login.withPassword(WHO, wrong);
    before.next = async (id) => {
      await inner.update(id, (a) => ({ next: { ...a, login: { failures: 0 } }, result: null }));
    };
    expect((await h.core.login.withPassword(WHO, right)).ok).toBe(true);
  });

  it('an account deleted in between: the answer of a wrong password, and nothing recorded on it', async () => {
    const { inner, before, h } = intercepted();
    const r = await h.core.registration.register(WHO, erikaInput());
    if (!r.ok) throw new Error('setup');
    const id = r.value.accountId;
    before.next = (deleted) => inner.delete(deleted);
    expect(await h.core.login.withPassword(WHO, right)).toEqual({ ok: false, error: { code: 'INVALID_CREDENTIALS', details: {} } });
    expect(h.audit.events().filter((e) => e.subject === id && e.type.startsWith('LOGIN'))).toEqual([]);
  });

  it('a password changed during every check: after three checks the answer is BUSY and nothing is counted', async () => {
    let checks = 0;
    const interference: { change?: () => Promise<void> } = {};
    const passwords: PasswordHasher = {
      hash: (password) => fastPasswords.hash(password),
      verify: async (hash, password) => {
        checks += 1;
        const valid = await fastPasswords.verify(hash, password);
        await interference.change?.();
        return valid;
      },
    };
    const h = makeHarness({ passwords });
    const r = await h.core.registration.register(WHO, erikaInput());
    if (!r.ok) throw new Error('setup');
    const id = r.value.accountId;
    const hashes = await Promise.all(['Other*Pass1', 'Other*Pass2'].map((p) => fastPasswords.hash(p)));
    let turn = 0;
    interference.change = async () => {
      const hash = hashes[turn++ % hashes.length] ?? '';
      await h.accounts.update(id, (a) => ({ next: { ...a, password: { ...a.password, hash } }, result: null }));
    };
    expect(await h.core.login.withPassword(WHO, right)).toEqual({ ok: false, error: { code: 'BUSY' } });
    expect(checks).toBe(3);
    expect((await h.accounts.get(id))?.login).toEqual({ failures: 0 });
  });

  it('an unexpected failure of the password check is not passed off as BUSY', async () => {
    const passwords: PasswordHasher = {
      hash: (password) => fastPasswords.hash(password),
      verify: () => Promise.reject(new Error('hasher broken')),
    };
    const h = makeHarness({ passwords });
    if (!(await h.core.registration.register(WHO, erikaInput())).ok) throw new Error('setup');
    await expect(h.core.login.withPassword(WHO, right)).rejects.toThrow('hasher broken');
  });
});

describe('a successful login', () => {
  it('on an account without failures writes nothing', async () => {
    const { h, id } = await withAccount();
    const before = await h.accounts.get(id);
    expect((await h.core.login.withPassword(WHO, right)).ok).toBe(true);
    if (onPostgres) expect(await h.accounts.get(id)).toStrictEqual(before);
    else expect(await h.accounts.get(id)).toBe(before);
  });

  it('does not count towards the pause of the terminal', async () => {
    const { h } = await withAccount();
    for (let i = 0; i < 19; i++) await h.core.login.withPassword(WHO, { username: `nobody.${i}`, password: 'x' });
    expect((await h.core.login.withPassword(WHO, right)).ok).toBe(true);
    expect((await h.core.login.withPassword(WHO, right)).ok).toBe(true);
    expect(h.audit.events().filter((e) => e.type === 'TERMINAL_PAUSED')).toHaveLength(0);
  });
});
