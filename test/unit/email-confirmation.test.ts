import { describe, expect, it } from 'vitest';
import type { Account } from '../../src-main/core/account.js';
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

describe('what e-mail confirmation records and sends (R3, R13)', () => {
  /** The confirmation entries recorded from now on: type, subject, data. */
  function trail(h: ReturnType<typeof makeHarness>) {
    const from = h.audit.events().length;
    return () =>
      h.audit
        .events()
        .slice(from)
        .map((e) => ({ type: e.type, subject: e.subject, data: e.data }));
  }

  it('each counted entry is recorded: a wrong code, a code voided by the fifth, and the confirmation', async () => {
    const { h, id, code } = await registered();
    const recorded = trail(h);
    const wrongCode = String((Number(code) + 1) % 100_000_000).padStart(8, '0');
    expect(await h.core.email.confirm(WHO, id, { email: 'erika@example.org', code: wrongCode })).toEqual({
      ok: false,
      error: { code: 'CODE_INVALID', details: { remaining: 4 } },
    });
    expect(recorded()).toEqual([{ type: 'EMAIL_CODE_CHECKED', subject: id, data: { success: false } }]);
    for (let i = 0; i < 4; i++) await h.core.email.confirm(WHO, id, { email: 'erika@example.org', code: wrongCode });
    expect(await h.core.email.confirm(WHO, id, { email: 'erika@example.org', code })).toEqual({ ok: false, error: { code: 'CODE_VOID' } });
    expect(recorded().map((e) => e.type)).toEqual(Array(6).fill('EMAIL_CODE_CHECKED'));
    await h.core.email.resend(WHO, id);
    const confirming = trail(h);
    expect(await h.core.email.confirm(WHO, id, { email: 'erika@example.org', code: ` ${h.lastCode()} ` })).toEqual({
      ok: true,
      value: null,
    });
    expect(confirming()).toEqual([{ type: 'EMAIL_CONFIRMED', subject: id, data: { success: true } }]);
  });

  it('an expired code and an entry after the confirmation count nothing and record nothing', async () => {
    const { h, id, code } = await registered();
    const recorded = trail(h);
    h.clock.advance(24 * 3_600_000);
    expect(await h.core.email.confirm(WHO, id, { email: 'erika@example.org', code })).toEqual({
      ok: false,
      error: { code: 'CODE_EXPIRED' },
    });
    expect((await h.accounts.get(id))?.email.code?.failures).toBe(0);
    await h.core.email.resend(WHO, id);
    await h.core.email.confirm(WHO, id, { email: 'erika@example.org', code: h.lastCode() });
    const after = trail(h);
    expect(await h.core.email.confirm(WHO, id, { email: 'erika@example.org', code: h.lastCode() })).toEqual({
      ok: false,
      error: { code: 'WRONG_STEP' },
    });
    expect(after()).toEqual([]);
    expect(recorded().map((e) => e.type)).toEqual(['EMAIL_CODE_SENT', 'EMAIL_CONFIRMED']);
  });

  it('an account waiting for confirmation without any code answers CODE_VOID and records the entry', async () => {
    const { h, id } = await registered();
    await h.accounts.update(id, (account): { next: Account; result: null } => {
      const { code: _dropped, ...email } = account.email;
      return { next: { ...account, email }, result: null };
    });
    const recorded = trail(h);
    expect(await h.core.email.confirm(WHO, id, { email: 'erika@example.org', code: '12345678' })).toEqual({
      ok: false,
      error: { code: 'CODE_VOID' },
    });
    expect(recorded()).toEqual([{ type: 'EMAIL_CODE_CHECKED', subject: id, data: { success: false } }]);
  });

  it('a new code goes to the address with the end of its 24 hours, and the sending is recorded as a resend', async () => {
    const { h, id } = await registered();
    h.clock.advance(60_000);
    const recorded = trail(h);
    expect(await h.core.email.resend(WHO, id)).toEqual({ ok: true, value: { emailDelivery: 'SENT' } });
    expect(h.mails.at(-1)).toMatchObject({
      kind: 'EMAIL_CODE',
      to: 'erika@example.org',
      expiresAt: '2026-11-30T10:01:00.000Z',
      accountId: id,
    });
    expect(recorded()).toEqual([{ type: 'EMAIL_CODE_SENT', subject: id, data: { delivered: true, resend: true } }]);
  });

  it('after the confirmation no new code is sent', async () => {
    const { h, id, code } = await registered();
    await h.core.email.confirm(WHO, id, { email: 'erika@example.org', code });
    const mails = h.mails.length;
    expect(await h.core.email.resend(WHO, id)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect(h.mails.length).toBe(mails);
  });

  it('an account that does not exist is NOT_FOUND for the code and for a new one, and nothing is sent', async () => {
    const h = makeHarness();
    expect(await h.core.email.confirm(WHO, 'no-such-account', { email: 'erika@example.org', code: '12345678' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await h.core.email.resend(WHO, 'no-such-account')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(h.mails).toEqual([]);
    expect(h.audit.events()).toEqual([]);
  });
});
