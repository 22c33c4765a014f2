/**
 * A code is proven together with its context (core/codes.ts): the e-mail confirmation code with
 * its address (R3). Someone who has the code but not the address must not get more tries than
 * someone guessing the code: the right code with the wrong address counts as a wrong entry, the
 * last such entry voids the code for good, and the void code then stays void with the right pair.
 * The TAN's context (action and parameters) is pinned in test/unit/tan-challenge.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { WHO, erikaInput, makeHarness } from '../fixtures/harness.js';

async function pending() {
  const h = makeHarness();
  const r = await h.core.registration.register(WHO, erikaInput());
  if (!r.ok) throw new Error('setup');
  return { h, id: r.value.accountId, code: h.lastCode() };
}

describe('the e-mail code is bound to its address (R3)', () => {
  it('the right code with another address counts as a wrong entry, with the tries left', async () => {
    const { h, id, code } = await pending();
    expect(await h.core.email.confirm(WHO, id, { email: 'other@example.org', code })).toEqual({
      ok: false,
      error: { code: 'CODE_INVALID', details: { remaining: 4 } },
    });
    expect((await h.accounts.get(id))?.email.code).toMatchObject({ failures: 1, state: 'ACTIVE' });
    expect((await h.core.email.confirm(WHO, id, { email: 'Erika@Example.org', code })).ok).toBe(true);
  });

  it('the right code with another address, after four wrong entries, voids it for good', async () => {
    const { h, id, code } = await pending();
    for (let i = 0; i < 4; i++) await h.core.email.confirm(WHO, id, { email: 'erika@example.org', code: '00000000' });
    expect(await h.core.email.confirm(WHO, id, { email: 'other@example.org', code })).toEqual({
      ok: false,
      error: { code: 'CODE_VOID' },
    });
    expect((await h.accounts.get(id))?.email.code).toMatchObject({ failures: 5, state: 'VOID' });
    expect(await h.core.email.confirm(WHO, id, { email: 'erika@example.org', code })).toEqual({
      ok: false,
      error: { code: 'CODE_VOID' },
    });
    expect((await h.accounts.get(id))?.email.confirmedAt).toBeUndefined();
  });
});
