import { describe, expect, it } from 'vitest';
import type { PasswordHasher } from '../../src-main/core/ports.js';
import { WHO, erikaInput, fastPasswords, makeHarness } from '../fixtures/harness.js';

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

  it('the newest five of an account stay usable', async () => {
    const { h, id } = await withAccount();
    const tokens = Array.from({ length: 7 }, () => h.core.sessions.create(id, 0));
    expect(tokens.map((t) => h.core.sessions.resolve(t) !== undefined)).toEqual([false, false, true, true, true, true, true]);
  });
});
