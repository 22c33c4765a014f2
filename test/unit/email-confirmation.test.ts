import { describe, expect, it } from 'vitest';
import { WHO, erikaInput, makeHarness } from '../fixtures/harness.js';

async function registered() {
  const h = makeHarness();
  const r = await h.core.registration.register(WHO, erikaInput());
  if (!r.ok) throw new Error('setup');
  return { h, id: r.value.accountId, code: h.lastCode() };
}

describe('e-mail confirmation (R3)', () => {
  it('confirms with the address and the code, and moves on to step 3', async () => {
    const { h, id, code } = await registered();
    expect(await h.core.email.confirm(WHO, id, { email: ' Erika@Example.org ', code })).toEqual({ ok: true, value: null });
    const view = await h.core.view(id);
    expect(view.ok && view.value.step).toBe('CHOOSE_IDENTITY');
  });

  it('is valid at the last second of 24 hours and not one second later', async () => {
    const a = await registered();
    a.h.clock.advance(24 * 3_600_000 - 1_000);
    expect((await a.h.core.email.confirm(WHO, a.id, { email: 'erika@example.org', code: a.code })).ok).toBe(true);
    const b = await registered();
    b.h.clock.advance(24 * 3_600_000);
    const late = await b.h.core.email.confirm(WHO, b.id, { email: 'erika@example.org', code: b.code });
    expect(late.ok || late.error.code).toBe('CODE_EXPIRED');
  });

  // Five wrong entries void the code: test/unit/code-attempts.test.ts.

  it('a wrong e-mail address with the right code counts as a wrong entry', async () => {
    const { h, id, code } = await registered();
    const r = await h.core.email.confirm(WHO, id, { email: 'someone@example.org', code });
    expect(r.ok || r.error.code).toBe('CODE_INVALID');
    expect((await h.accounts.get(id))?.email.code?.failures).toBe(1);
  });

  it('a replayed code after confirmation is refused', async () => {
    const { h, id, code } = await registered();
    await h.core.email.confirm(WHO, id, { email: 'erika@example.org', code });
    const again = await h.core.email.confirm(WHO, id, { email: 'erika@example.org', code });
    expect(again.ok || again.error.code).toBe('WRONG_STEP');
  });

  it('a new code voids the old one', async () => {
    const { h, id, code } = await registered();
    expect((await h.core.email.resend(WHO, id)).ok).toBe(true);
    const fresh = h.lastCode();
    const old = await h.core.email.confirm(WHO, id, { email: 'erika@example.org', code });
    expect(old.ok || old.error.code).toBe('CODE_INVALID');
    expect((await h.core.email.confirm(WHO, id, { email: 'erika@example.org', code: fresh })).ok).toBe(true);
  });

  it('allows five new codes per hour, the sixth after the hour has passed', async () => {
    const { h, id } = await registered();
    for (let i = 0; i < 5; i++) {
      expect((await h.core.email.resend(WHO, id)).ok).toBe(true);
      h.clock.advance(60_000);
    }
    const sixth = await h.core.email.resend(WHO, id);
    expect(sixth).toEqual({ ok: false, error: { code: 'RESEND_LIMIT', details: { retryAt: '2026-11-29T11:00:00.000Z' } } });
    h.clock.set('2026-11-29T11:00:00Z');
    expect((await h.core.email.resend(WHO, id)).ok).toBe(true);
  });
});
