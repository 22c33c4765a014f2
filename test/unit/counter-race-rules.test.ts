/**
 * What the counter and a staff login answer when the record they just found is gone a moment
 * later (deleted at another desk or terminal while this one worked, core/index.ts): a plain
 * NOT_FOUND or STAFF_STAGE, nothing recorded as done, and never a crash of the request.
 */
import { describe, expect, it } from 'vitest';
import type { CoreDeps } from '../../src-main/core/deps.js';
import { createCore } from '../../src-main/core/index.js';
import { makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';
import { COUNTER, readyStaff, STAFF_PASSWORD } from '../fixtures/staff.js';

type Harness = ReturnType<typeof makeHarness>;
const withId = { reason: 'Person am Schalter', document: 'ID_CARD' } as const;

/** A store whose record is found once more, then gone (`vanishAfter()` arms it). */
function vanishing<S extends { get(id: string): Promise<unknown> }>(base: S): { store: S; vanishAfter: (reads: number) => void } {
  let left = Number.POSITIVE_INFINITY;
  const store = Object.create(base) as S;
  store.get = (id: string) => (left-- > 0 ? base.get(id) : Promise.resolve(undefined));
  return { store, vanishAfter: (reads) => (left = reads) };
}

/** The harness with a core whose account store loses the account after the counter's first read of it. */
async function counterWithVanishingAccount(): Promise<{ h: Harness; core: ReturnType<typeof createCore>; id: string; arm: () => void }> {
  const h = makeHarness();
  const id = await registeredAndConfirmed(h);
  const accounts = vanishing(h.deps.accounts);
  const core = createCore({ ...h.deps, accounts: accounts.store } as CoreDeps);
  return { h, core, id, arm: () => accounts.vanishAfter(1) };
}

describe('an online account deleted while the counter works on it', () => {
  it('opening it answers NOT_FOUND and records no view of it', async () => {
    const { h, core, id, arm } = await counterWithVanishingAccount();
    const { principal } = await readyStaff({ ...h, core }, 'berta.meier', 'staff');
    arm();
    expect(await core.counter.account(COUNTER, principal, id, 'Person am Schalter')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(h.audit.events().filter((e) => e.type === 'COUNTER_ACCOUNT_VIEWED')).toEqual([]);
  });

  it('a login code for it answers NOT_FOUND and prints no letter', async () => {
    const { h, core, id, arm } = await counterWithVanishingAccount();
    const { principal } = await readyStaff({ ...h, core }, 'berta.meier', 'staff');
    const letters = h.letters.length;
    arm();
    expect(await core.counter.issueLoginCode(COUNTER, principal, id, withId)).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(h.letters.length).toBe(letters);
  });

  it('a new activation letter for it answers NOT_FOUND and prints no letter', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const accounts = vanishing(h.deps.accounts);
    const core = createCore({ ...h.deps, accounts: accounts.store } as CoreDeps);
    const { principal } = await readyStaff({ ...h, core }, 'berta.meier', 'staff');
    const letters = h.letters.length;
    accounts.vanishAfter(1);
    expect(await core.counter.newActivationLetter(COUNTER, principal, id, withId)).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(h.letters.length).toBe(letters);
  });
});

describe('a staff account removed while its own login works on it', () => {
  it('the start of its TOTP enrolment answers STAFF_STAGE', async () => {
    const h = makeHarness();
    const staff = vanishing(h.deps.staff);
    const core = createCore({ ...h.deps, staff: staff.store } as CoreDeps);
    const created = await core.staff.createFromMachine({ username: 'carl.neu', role: 'staff' });
    if (!created.ok) throw new Error(created.error.code);
    const login = await core.staff.login(COUNTER, { username: 'carl.neu', password: created.value.oneTimePassword });
    if (!login.ok) throw new Error(login.error.code);
    expect(await core.staff.replacePassword(COUNTER, login.value.session, STAFF_PASSWORD)).toEqual({
      ok: true,
      value: { stage: 'ENROL_TOTP' },
    });
    staff.vanishAfter(1);
    expect(await core.staff.beginEnrolment(login.value.session)).toEqual({ ok: false, error: { code: 'STAFF_STAGE' } });
  });

  it('a password change that outlasts its session still answers that the password was changed', async () => {
    const h = makeHarness();
    // The new password's hash takes longer than the session's idle limit.
    let slow = false;
    const passwords = Object.create(h.deps.passwords) as CoreDeps['passwords'];
    passwords.hash = async (password: string) => {
      if (slow) h.clock.advance(h.deps.policy.staff.idleMs + 1);
      return h.deps.passwords.hash(password);
    };
    const core = createCore({ ...h.deps, passwords } as CoreDeps);
    const mine = await readyStaff({ ...h, core }, 'carl.neu', 'staff');
    slow = true;
    const changed = await core.staff.changePassword(COUNTER, mine.token, mine.principal, {
      currentPassword: STAFF_PASSWORD,
      newPassword: 'Ein-ganz-neues-Passwort-1',
    });
    expect(changed).toEqual({ ok: true, value: null });
    expect(await core.staff.resolve(mine.token)).toBeUndefined();
  });
});
