/**
 * Limits on what costs money or leaks: SMS per account, mismatching details in "forgot password"
 * and in registration per terminal and per target. Each limit answers RATE_LIMITED with the time it
 * frees up, sends nothing, and is audited.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src-main/core/policy.js';
import { activeAccount, withMtan } from '../fixtures/active.js';

/** The flow token the requesting screen holds (the dispatcher hands it out with password.forgot). */
const FLOW = 'flow-token-of-this-screen';
import { WHO, erikaInput, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';

describe('card digits in mTAN enrolment', () => {
  it('are counted across enrolments: six wrong in a day pause enrolment, and the holder is told', async () => {
    const { h, id } = await activeAccount();
    const answers: string[] = [];
    let guess = 0;
    for (let round = 0; round < 2; round++) {
      expect((await h.core.mtan.start(id)).ok).toBe(true);
      for (let i = 0; i < 3; i++) {
        const r = await h.core.mtan.enterCard(WHO, id, String(guess++).padStart(5, '0'));
        answers.push(r.ok ? 'OK' : r.error.code);
      }
    }
    expect(answers).toEqual([
      'CARD_DIGITS_WRONG',
      'CARD_DIGITS_WRONG',
      'ENROLMENT_ENDED',
      'CARD_DIGITS_WRONG',
      'CARD_DIGITS_WRONG',
      'ENROLMENT_ENDED',
    ]);
    expect(await h.core.mtan.start(id)).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { retryAt: '2026-11-30T10:00:00.000Z' } },
    });
    expect(h.mails.at(-1)?.kind).toBe('MTAN_CARD_BLOCKED');
    expect(
      h.audit
        .events()
        .filter((e) => e.type === 'LIMIT_REACHED')
        .map((e) => e.data),
    ).toEqual([{ limit: 'CARD_DIGITS' }]);
    h.clock.advance(86_400_000);
    expect((await h.core.mtan.start(id)).ok).toBe(true);
    expect((await h.core.mtan.enterCard(WHO, id, '12345')).ok).toBe(true);
  });

  it('the block ends the open enrolment at once, and nothing can be entered while it lasts', async () => {
    const { h, id } = await activeAccount({ policy: { ...DEFAULT_POLICY, mtan: { ...DEFAULT_POLICY.mtan, cardFailuresPerDay: 2 } } });
    await h.core.mtan.start(id);
    expect(await h.core.mtan.enterCard(WHO, id, '00000')).toMatchObject({ error: { code: 'CARD_DIGITS_WRONG' } });
    expect(await h.core.mtan.enterCard(WHO, id, '00001')).toMatchObject({ error: { code: 'ENROLMENT_ENDED' } });
    expect((await h.accounts.get(id))?.mtanEnrolment).toBeUndefined();
    expect(await h.core.mtan.start(id)).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    const before = await h.accounts.get(id);
    expect(await h.core.mtan.enterCard(WHO, id, '12345')).toMatchObject({ error: { code: 'ENROLMENT_ENDED' } });
    expect(await h.accounts.get(id)).toEqual(before);
  });
});

describe('SMS per account', () => {
  it('at most 5 SMS an hour, whatever the numbers: the sixth is refused and not sent', async () => {
    const { h, id } = await activeAccount();
    await h.core.mtan.start(id);
    expect((await h.core.mtan.enterCard(WHO, id, '12345')).ok).toBe(true);
    for (let i = 0; i < 5; i++) {
      expect((await h.core.mtan.sendCode(WHO, id, `0151 2345678${i}`)).ok).toBe(true);
    }
    expect(h.smsSent).toHaveLength(5);
    expect(await h.core.mtan.sendCode(WHO, id, '0151 23456799')).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { retryAt: '2026-11-29T11:00:00.000Z' } },
    });
    expect(await h.core.mtan.sendCode(WHO, id, undefined)).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(h.smsSent).toHaveLength(5);
    // Audited once, when the refusals begin: refused calls cannot flood the trail.
    expect(h.audit.events().filter((e) => e.type === 'LIMIT_REACHED')).toHaveLength(1);
    // An hour later (the enrolment itself has run out by then) an SMS goes out again.
    h.clock.advance(3_600_000);
    await h.core.mtan.start(id);
    expect((await h.core.mtan.enterCard(WHO, id, '12345')).ok).toBe(true);
    expect((await h.core.mtan.sendCode(WHO, id, '0151 23456799')).ok).toBe(true);
    expect(h.smsSent).toHaveLength(6);
  });

  it('TANs share the limit with enrolment codes', async () => {
    const { h, id } = await withMtan();
    // One SMS went out for the enrolment; four TANs fill the hour.
    for (let i = 0; i < 4; i++) expect((await h.core.mtan.requestTan(WHO, id, { action: 'RECEIPT_VIEW' })).ok).toBe(true);
    const before = await h.accounts.get(id);
    expect(await h.core.mtan.requestTan(WHO, id, { action: 'RECEIPT_VIEW' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(h.smsSent).toHaveLength(5);
    expect((await h.accounts.get(id))?.tan).toEqual(before?.tan);
  });

  it('parallel requests cannot slip past the limit', async () => {
    const { h, id } = await withMtan();
    const results = await Promise.all(Array.from({ length: 10 }, () => h.core.mtan.requestTan(WHO, id, { action: 'RECEIPT_VIEW' })));
    expect(results.filter((r) => r.ok)).toHaveLength(4);
    expect(h.smsSent).toHaveLength(5);
  });
});

describe("letters printed at the person's request", () => {
  it('at most 3 a day per account, activation keys and coupons together', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    for (let i = 0; i < 3; i++) expect((await h.core.identity.requestLetter(WHO, id)).ok).toBe(true);
    const before = await h.accounts.get(id);
    const refused = await h.core.identity.requestLetter(WHO, id);
    expect(refused).toEqual({ ok: false, error: { code: 'RATE_LIMITED', details: { retryAt: '2026-11-30T10:00:00.000Z' } } });
    expect(h.letters).toHaveLength(3);
    // The key of the last letter stays valid.
    expect((await h.accounts.get(id))?.identity).toEqual(before?.identity);
    await h.core.identity.requestLetter(WHO, id);
    expect(h.audit.events().filter((e) => e.type === 'LIMIT_REACHED')).toHaveLength(1);
    h.clock.advance(86_400_000);
    expect((await h.core.identity.requestLetter(WHO, id)).ok).toBe(true);
  });

  it('POSTIDENT coupons count against the same limit', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    expect((await h.core.identity.startPostident(WHO, id)).ok).toBe(true);
    for (let i = 0; i < 3; i++) expect((await h.core.identity.printCoupon(WHO, id)).ok).toBe(true);
    expect(await h.core.identity.printCoupon(WHO, id)).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(h.letters).toHaveLength(3);
  });
});

describe('forgot password: mismatching details', () => {
  const ask = (birthDate: string, terminal = WHO.terminal, username = 'erika.m') =>
    ({ who: { ...WHO, terminal }, input: { username, kvnr: 'A123456780', birthDate } }) as const;

  it('5 mismatches per username an hour; then every answer is the same, and the owner still gets a code', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    for (let day = 1; day <= 5; day++) {
      const { who, input } = ask(`1984-08-0${day}`, `t${day}`);
      expect(await h.core.password.requestReset(who, input, FLOW)).toEqual({ ok: false, error: { code: 'DETAILS_MISMATCH' } });
    }
    const limited = {
      ok: false,
      error: { code: 'RATE_LIMITED', details: { retryAt: '2026-11-29T11:00:00.000Z', codeSentIfMatching: true } },
    };
    // Wrong details past the limit: the limited answer, and nothing is sent.
    const mails = h.mails.length;
    const wrong = ask('1984-08-07', 'kiosk-8');
    expect(await h.core.password.requestReset(wrong.who, wrong.input, 'stranger-flow')).toEqual(limited);
    expect(h.mails.length).toBe(mails);
    // The owner's right details: the very same answer, and the code goes to the confirmed address.
    const right = ask('1984-08-12', 'kiosk-9');
    expect(await h.core.password.requestReset(right.who, right.input, FLOW)).toEqual(limited);
    expect(h.mails.length).toBe(mails + 1);
    expect(h.mails.at(-1)?.kind).toBe('RESET_CODE');
    expect(
      (await h.core.password.completeReset(WHO, { username: 'erika.m', code: h.lastCode(), newPassword: 'Neue*Wiese42' }, FLOW)).ok,
    ).toBe(true);
    expect(
      h.audit
        .events()
        .filter((e) => e.type === 'LIMIT_REACHED')
        .map((e) => e.data),
    ).toEqual([{ limit: 'FORGOT_MISMATCH' }]);
    expect(h.audit.events().filter((e) => e.type === 'PASSWORD_RESET_REQUESTED' && e.data?.['detailsMatch'] === false)).toHaveLength(5);
    expect(h.audit.events().filter((e) => e.subject === id && e.data?.['underLimit'] === true)).toHaveLength(1);
  });

  it('20 mismatches per terminal an hour, across usernames', async () => {
    const h = makeHarness();
    for (let i = 0; i < 20; i++) {
      const { who, input } = ask('1984-08-12', 'kiosk-1', `someone.${i}`);
      expect((await h.core.password.requestReset(who, input, FLOW)).ok || 'refused').toBe('refused');
    }
    const { who, input } = ask('1984-08-12', 'kiosk-1', 'someone.else');
    expect(await h.core.password.requestReset(who, input, FLOW)).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    const elsewhere = ask('1984-08-12', 'kiosk-2', 'someone.else');
    expect(await h.core.password.requestReset(elsewhere.who, elsewhere.input, FLOW)).toMatchObject({ error: { code: 'DETAILS_MISMATCH' } });
  });
});

describe('registration: answers that confirm register data', () => {
  it('5 mismatches per KVNR an hour: the birth date cannot be found by trying', async () => {
    const h = makeHarness();
    for (let day = 1; day <= 5; day++) {
      const r = await h.core.registration.register({ ...WHO, terminal: `t${day}` }, erikaInput({ birthDate: `1984-08-0${day}` }));
      expect(r).toEqual({ ok: false, error: { code: 'REGISTER_MISMATCH' } });
    }
    const right = await h.core.registration.register({ ...WHO, terminal: 'kiosk-9' }, erikaInput());
    expect(right).toEqual({ ok: false, error: { code: 'RATE_LIMITED', details: { retryAt: '2026-11-29T11:00:00.000Z' } } });
    expect(await h.accounts.count()).toBe(0);
    expect(
      h.audit
        .events()
        .filter((e) => e.type === 'LIMIT_REACHED')
        .map((e) => e.data),
    ).toEqual([{ limit: 'REGISTRATION' }]);
    h.clock.advance(3_600_000);
    expect((await h.core.registration.register(WHO, erikaInput())).ok).toBe(true);
  });

  it('"username taken" counts as well: it cannot be used to test usernames without limit', async () => {
    const h = makeHarness();
    expect((await h.core.registration.register(WHO, erikaInput())).ok).toBe(true);
    const juergen = { kvnr: 'M200010000', firstName: 'Jürgen', lastName: 'Weiß', birthDate: '1961-02-03', email: 'j@example.org' };
    for (let i = 0; i < 5; i++) {
      expect(await h.core.registration.register({ ...WHO, terminal: `t${i}` }, erikaInput({ ...juergen, username: 'erika.m' }))).toEqual({
        ok: false,
        error: { code: 'USERNAME_TAKEN' },
      });
    }
    expect(await h.core.registration.register({ ...WHO, terminal: 't9' }, erikaInput({ ...juergen, username: 'ERIKA.M' }))).toMatchObject({
      error: { code: 'RATE_LIMITED' },
    });
  });

  it('3 new accounts per KVNR a day: registering and deleting again is no way to mail anyone', async () => {
    const h = makeHarness();
    for (let i = 0; i < 3; i++) {
      const r = await h.core.registration.register(WHO, erikaInput({ username: `erika.try${i}` }));
      if (!r.ok) throw new Error(r.error.code);
      expect((await h.core.services.deleteAccount(WHO, r.value.accountId, { password: 'Heide*Blume7', confirm: true })).ok).toBe(true);
    }
    const mails = h.mails.length;
    expect(await h.core.registration.register(WHO, erikaInput({ username: 'erika.try9' }))).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { retryAt: '2026-11-30T10:00:00.000Z' } },
    });
    expect(h.mails.length).toBe(mails);
    h.clock.advance(86_400_000);
    expect((await h.core.registration.register(WHO, erikaInput({ username: 'erika.try9' }))).ok).toBe(true);
  });

  it('"account exists" counts as well, per terminal across KVNRs', async () => {
    const h = makeHarness();
    expect((await h.core.registration.register(WHO, erikaInput())).ok).toBe(true);
    for (let i = 0; i < 5; i++) {
      expect(await h.core.registration.register(WHO, erikaInput({ username: `other.name${i}` }))).toEqual({
        ok: false,
        error: { code: 'ACCOUNT_EXISTS' },
      });
    }
    expect(await h.core.registration.register(WHO, erikaInput({ username: 'other.name9' }))).toMatchObject({
      error: { code: 'RATE_LIMITED' },
    });
  });
});
