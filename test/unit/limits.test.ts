/**
 * Limits on what costs money or leaks: SMS per account, mismatching details in "forgot password"
 * and in registration per terminal and per target. Each limit answers RATE_LIMITED with the time it
 * frees up, sends nothing, and is audited.
 */
import { describe, expect, it } from 'vitest';
import { activeAccount, withMtan } from '../fixtures/active.js';
import { WHO, erikaInput, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';

describe('SMS per account', () => {
  it('at most 5 SMS an hour, whatever the numbers: the sixth is refused and not sent', async () => {
    const { h, id } = await activeAccount();
    await h.core.startEnrolment(id);
    expect((await h.core.enterCardDigits(WHO, id, '12345')).ok).toBe(true);
    for (let i = 0; i < 5; i++) {
      expect((await h.core.sendEnrolmentCode(WHO, id, `0151 2345678${i}`)).ok).toBe(true);
    }
    expect(h.smsSent).toHaveLength(5);
    expect(await h.core.sendEnrolmentCode(WHO, id, '0151 23456799')).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { retryAt: '2026-11-29T11:00:00.000Z' } },
    });
    expect(await h.core.sendEnrolmentCode(WHO, id, undefined)).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(h.smsSent).toHaveLength(5);
    expect(h.audit.events().filter((e) => e.type === 'LIMIT_REACHED')).toHaveLength(2);
    // An hour later (the enrolment itself has run out by then) an SMS goes out again.
    h.clock.advance(3_600_000);
    await h.core.startEnrolment(id);
    expect((await h.core.enterCardDigits(WHO, id, '12345')).ok).toBe(true);
    expect((await h.core.sendEnrolmentCode(WHO, id, '0151 23456799')).ok).toBe(true);
    expect(h.smsSent).toHaveLength(6);
  });

  it('TANs share the limit with enrolment codes', async () => {
    const { h, id } = await withMtan();
    // One SMS went out for the enrolment; four TANs fill the hour.
    for (let i = 0; i < 4; i++) expect((await h.core.requestTan(WHO, id, { action: 'RECEIPT_VIEW' })).ok).toBe(true);
    const before = await h.accounts.get(id);
    expect(await h.core.requestTan(WHO, id, { action: 'RECEIPT_VIEW' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(h.smsSent).toHaveLength(5);
    expect((await h.accounts.get(id))?.tan).toEqual(before?.tan);
  });

  it('parallel requests cannot slip past the limit', async () => {
    const { h, id } = await withMtan();
    const results = await Promise.all(Array.from({ length: 10 }, () => h.core.requestTan(WHO, id, { action: 'RECEIPT_VIEW' })));
    expect(results.filter((r) => r.ok)).toHaveLength(4);
    expect(h.smsSent).toHaveLength(5);
  });
});

describe('forgot password: mismatching details', () => {
  const ask = (birthDate: string, terminal = WHO.terminal, username = 'erika.m') =>
    ({ who: { ...WHO, terminal }, input: { username, kvnr: 'A123456780', birthDate } }) as const;

  it('5 mismatches per username an hour; then even the right details wait, and it is audited', async () => {
    const h = makeHarness();
    await registeredAndConfirmed(h);
    for (let day = 1; day <= 5; day++) {
      const { who, input } = ask(`1984-08-0${day}`, `t${day}`);
      expect(await h.core.requestPasswordReset(who, input)).toEqual({ ok: false, error: { code: 'DETAILS_MISMATCH' } });
    }
    const mails = h.mails.length;
    const { who, input } = ask('1984-08-12', 'kiosk-9');
    expect(await h.core.requestPasswordReset(who, input)).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { retryAt: '2026-11-29T11:00:00.000Z' } },
    });
    expect(h.mails.length).toBe(mails);
    expect(
      h.audit
        .events()
        .filter((e) => e.type === 'LIMIT_REACHED')
        .map((e) => e.data),
    ).toEqual([{ limit: 'FORGOT_MISMATCH' }]);
    expect(h.audit.events().filter((e) => e.type === 'PASSWORD_RESET_REQUESTED' && e.data?.['detailsMatch'] === false)).toHaveLength(5);
    h.clock.advance(3_600_000);
    expect((await h.core.requestPasswordReset(who, input)).ok).toBe(true);
  });

  it('20 mismatches per terminal an hour, across usernames', async () => {
    const h = makeHarness();
    for (let i = 0; i < 20; i++) {
      const { who, input } = ask('1984-08-12', 'kiosk-1', `someone.${i}`);
      expect((await h.core.requestPasswordReset(who, input)).ok || 'refused').toBe('refused');
    }
    const { who, input } = ask('1984-08-12', 'kiosk-1', 'someone.else');
    expect(await h.core.requestPasswordReset(who, input)).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    const elsewhere = ask('1984-08-12', 'kiosk-2', 'someone.else');
    expect(await h.core.requestPasswordReset(elsewhere.who, elsewhere.input)).toMatchObject({ error: { code: 'DETAILS_MISMATCH' } });
  });
});

describe('registration: answers that confirm register data', () => {
  it('5 mismatches per KVNR an hour: the birth date cannot be found by trying', async () => {
    const h = makeHarness();
    for (let day = 1; day <= 5; day++) {
      const r = await h.core.register({ ...WHO, terminal: `t${day}` }, erikaInput({ birthDate: `1984-08-0${day}` }));
      expect(r).toEqual({ ok: false, error: { code: 'REGISTER_MISMATCH' } });
    }
    const right = await h.core.register({ ...WHO, terminal: 'kiosk-9' }, erikaInput());
    expect(right).toEqual({ ok: false, error: { code: 'RATE_LIMITED', details: { retryAt: '2026-11-29T11:00:00.000Z' } } });
    expect(await h.accounts.count()).toBe(0);
    expect(
      h.audit
        .events()
        .filter((e) => e.type === 'LIMIT_REACHED')
        .map((e) => e.data),
    ).toEqual([{ limit: 'REGISTRATION_MISMATCH' }]);
    h.clock.advance(3_600_000);
    expect((await h.core.register(WHO, erikaInput())).ok).toBe(true);
  });

  it('"account exists" counts as well, per terminal across KVNRs', async () => {
    const h = makeHarness();
    expect((await h.core.register(WHO, erikaInput())).ok).toBe(true);
    for (let i = 0; i < 5; i++) {
      expect(await h.core.register(WHO, erikaInput({ username: `other.name${i}` }))).toEqual({
        ok: false,
        error: { code: 'ACCOUNT_EXISTS' },
      });
    }
    expect(await h.core.register(WHO, erikaInput({ username: 'other.name9' }))).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });
});
