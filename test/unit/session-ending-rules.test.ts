/**
 * A change that ends a person's access ends their kiosk sessions on this terminal at once: the
 * session table keeps no token of theirs until it runs idle (core/index.ts, Sessions.endAllFor).
 * Other terminals refuse such a token by its old epoch; this terminal forgets it.
 */
import { describe, expect, it } from 'vitest';
import { makeHarness, registeredAndConfirmed, WHO, erikaInput } from '../fixtures/harness.js';
import { COUNTER, readyStaff } from '../fixtures/staff.js';

const reason = 'Person am Schalter';
const withId = { reason, document: 'ID_CARD' } as const;
type Harness = ReturnType<typeof makeHarness>;

/** Erika, confirmed, logged in at this kiosk: the harness, her account id and her session token. */
async function erikaAtTheKiosk(): Promise<{ h: Harness; id: string; token: string }> {
  const h = makeHarness();
  const id = await registeredAndConfirmed(h);
  const login = await h.core.login.withPassword(WHO, { username: 'erika.m', password: erikaInput().password });
  if (!login.ok) throw new Error(login.error.code);
  expect(h.core.sessions.resolve(login.value.session)?.accountId).toBe(id);
  return { h, id, token: login.value.session };
}

describe('a change that ends access ends the person’s kiosk sessions at once', () => {
  it('a reactivation at the counter', async () => {
    const { h, id, token } = await erikaAtTheKiosk();
    for (let i = 0; i < 6; i++) await h.core.login.withPassword(WHO, { username: 'erika.m', password: 'falsch' });
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    expect((await h.core.counter.reactivate(COUNTER, principal, id, withId)).ok).toBe(true);
    expect(h.core.sessions.resolve(token)).toBeUndefined();
  });

  it('a temporary password from the counter', async () => {
    const { h, id, token } = await erikaAtTheKiosk();
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    expect((await h.core.counter.temporaryPassword(COUNTER, principal, id, withId)).ok).toBe(true);
    expect(h.core.sessions.resolve(token)).toBeUndefined();
  });

  it('a deletion at the counter', async () => {
    const { h, id, token } = await erikaAtTheKiosk();
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    expect((await h.core.counter.deleteAccount(COUNTER, principal, id, withId)).ok).toBe(true);
    expect(h.core.sessions.resolve(token)).toBeUndefined();
  });

  it('a password reset by e-mail code', async () => {
    const { h, token } = await erikaAtTheKiosk();
    const flow = 'flow-token-of-this-screen';
    expect((await h.core.password.requestReset(WHO, { username: 'erika.m', kvnr: 'A123456780', birthDate: '1984-08-12' }, flow)).ok).toBe(
      true,
    );
    const done = await h.core.password.completeReset(WHO, { username: 'erika.m', code: h.lastCode(), newPassword: 'Neue*Wiese42' }, flow);
    expect(done.ok).toBe(true);
    expect(h.core.sessions.resolve(token)).toBeUndefined();
  });

  it('the person deleting their own account', async () => {
    const { h, id, token } = await erikaAtTheKiosk();
    expect((await h.core.services.deleteAccount(WHO, id, { password: erikaInput().password, confirm: true })).ok).toBe(true);
    expect(h.core.sessions.resolve(token)).toBeUndefined();
  });
});
