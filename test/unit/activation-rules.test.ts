/** The rules of identity by activation letter and by POSTIDENT (R4): refusals, what is stored, what the trail records. */
import { describe, expect, it } from 'vitest';
import { requestActivationLetter, enterActivationKey } from '../../src-main/core/activation/letter.js';
import { printPostidentCoupon, refreshPostident, startPostident } from '../../src-main/core/activation/postident.js';
import type { CoreDeps } from '../../src-main/core/deps.js';
import type { PostidentProvider } from '../../src-main/core/ports.js';
import { ERIKA, WHO, erikaInput, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';

type Harness = ReturnType<typeof makeHarness>;

const confirmIdentity = (h: Harness, id: string) =>
  h.accounts.update(id, (a) => ({
    next: { ...a, identity: { ...a.identity, confirmedAt: '2026-11-29T09:00:00.000Z', method: 'LETTER' as const } },
    result: null,
  }));

async function withLetter() {
  const h = makeHarness();
  const id = await registeredAndConfirmed(h);
  const r = await h.core.identity.requestLetter(WHO, id);
  if (!r.ok) throw new Error(r.error.code);
  const letter = h.letters.at(-1);
  if (letter?.kind !== 'ACTIVATION_KEY') throw new Error('no letter');
  return { h, id, key: letter.key };
}

const wrongKey = (key: string) => (key.startsWith('2222') ? `3333${key.slice(4)}` : `2222${key.slice(4)}`);
const events = (h: Harness, ...types: string[]) =>
  h.audit
    .events()
    .filter((e) => types.includes(e.type))
    .map((e) => ({ type: e.type, subject: e.subject, data: e.data }));

describe('activation letter: who gets one', () => {
  it('an unknown account gets NOT_FOUND, a confirmed identity WRONG_STEP; neither prints anything', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    expect(await h.core.identity.requestLetter(WHO, 'no-such-account')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    await confirmIdentity(h, id);
    expect(await h.core.identity.requestLetter(WHO, id)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect(h.letters).toEqual([]);
  });

  it('a person no longer in the register gets no letter: REGISTER_MISMATCH', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    await h.register.replaceAll([]);
    expect(await h.core.identity.requestLetter(WHO, id)).toEqual({ ok: false, error: { code: 'REGISTER_MISMATCH' } });
    expect(h.letters).toEqual([]);
  });

  it('the letter is dated the Berlin day of issue, in the account’s language; the answer is the instant the key stops working; the trail names the letter', async () => {
    const h = makeHarness({ now: '2026-11-29T23:30:00Z' });
    const r = await h.core.registration.register(WHO, erikaInput({ language: 'en' }));
    if (!r.ok) throw new Error(r.error.code);
    const id = r.value.accountId;
    await h.core.email.confirm(WHO, id, { email: 'erika@example.org', code: h.lastCode() });
    expect(await h.core.identity.requestLetter(WHO, id)).toEqual({ ok: true, value: { validUntil: '2027-01-29T23:00:00.000Z' } });
    expect(h.letters.at(-1)).toMatchObject({
      kind: 'ACTIVATION_KEY',
      date: '2026-11-30',
      validUntil: '2027-01-29',
      language: 'en',
      accountId: id,
    });
    const sent = h.audit.events().filter((e) => e.type === 'ACTIVATION_KEY_SENT');
    expect(sent).toEqual([
      expect.objectContaining({ subject: id, actor: WHO.actor, terminal: WHO.terminal, data: { letterRef: 'letter-1' } }),
    ]);
  });

  it('the fourth letter of a day is refused and the trail says the activation key reached the print limit', async () => {
    const { h, id } = await withLetter();
    for (let i = 0; i < 2; i++) expect((await h.core.identity.requestLetter(WHO, id)).ok).toBe(true);
    expect(await h.core.identity.requestLetter(WHO, id)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(h.letters).toHaveLength(3);
    expect(events(h, 'LIMIT_REACHED')).toEqual([{ type: 'LIMIT_REACHED', subject: id, data: { limit: 'PRINT', kind: 'ACTIVATION_KEY' } }]);
  });

  it('a letter for an identity confirmed while it printed is not stored: WRONG_STEP, and no ACTIVATION_KEY_SENT', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const letters = {
      print: async () => {
        await confirmIdentity(h, id);
        return 'letter-raced';
      },
    };
    const deps: CoreDeps = { ...h.deps, letters };
    expect(await requestActivationLetter(deps, WHO, id)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect((await h.accounts.get(id))?.identity.letter).toBeUndefined();
    expect(events(h, 'ACTIVATION_KEY_SENT')).toEqual([]);
  });
});

describe('activation key: entering it', () => {
  it('the right key confirms the identity by letter at that instant; the trail has the check and the confirmation', async () => {
    const { h, id, key } = await withLetter();
    h.clock.set('2026-12-01T08:15:00Z');
    expect(await h.core.identity.enterKey(WHO, id, key)).toEqual({ ok: true, value: null });
    expect((await h.accounts.get(id))?.identity).toMatchObject({ confirmedAt: '2026-12-01T08:15:00.000Z', method: 'LETTER' });
    expect(events(h, 'ACTIVATION_KEY_CHECKED', 'IDENTITY_CONFIRMED')).toEqual([
      { type: 'ACTIVATION_KEY_CHECKED', subject: id, data: { success: true } },
      { type: 'IDENTITY_CONFIRMED', subject: id, data: { method: 'LETTER' } },
    ]);
  });

  it('a wrong key and entries on a void key are recorded as failed checks', async () => {
    const { h, id, key } = await withLetter();
    for (let i = 0; i < 10; i++) await h.core.identity.enterKey(WHO, id, wrongKey(key));
    expect(await h.core.identity.enterKey(WHO, id, key)).toEqual({ ok: false, error: { code: 'KEY_VOID' } });
    const checks = events(h, 'ACTIVATION_KEY_CHECKED', 'IDENTITY_CONFIRMED');
    expect(checks).toHaveLength(11);
    expect(checks.every((c) => c.type === 'ACTIVATION_KEY_CHECKED' && c.subject === id && c.data?.['success'] === false)).toBe(true);
  });

  it('an expired key, a key of the wrong shape and a key without a letter are not recorded as checks', async () => {
    const { h, id, key } = await withLetter();
    expect((await h.core.identity.enterKey(WHO, id, 'SI37-FF96')).ok).toBe(false);
    h.clock.advance(61 * 86_400_000);
    expect(await h.core.identity.enterKey(WHO, id, key)).toEqual({ ok: false, error: { code: 'KEY_EXPIRED' } });
    const fresh = makeHarness();
    const other = await registeredAndConfirmed(fresh);
    expect(await fresh.core.identity.enterKey(WHO, other, key)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect(events(h, 'ACTIVATION_KEY_CHECKED')).toEqual([]);
    expect(events(fresh, 'ACTIVATION_KEY_CHECKED')).toEqual([]);
  });

  it('a key for an unknown account is NOT_FOUND', async () => {
    const { h, key } = await withLetter();
    expect(await enterActivationKey(h.deps, WHO, 'no-such-account', key)).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('POSTIDENT: opening a case', () => {
  it('an unknown account gets NOT_FOUND; before the e-mail is confirmed and after the identity is, WRONG_STEP', async () => {
    const h = makeHarness();
    const r = await h.core.registration.register(WHO, erikaInput());
    if (!r.ok) throw new Error(r.error.code);
    const id = r.value.accountId;
    expect(await h.core.identity.startPostident(WHO, 'no-such-account')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await h.core.identity.startPostident(WHO, id)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    await h.core.email.confirm(WHO, id, { email: 'erika@example.org', code: h.lastCode() });
    await confirmIdentity(h, id);
    expect(await h.core.identity.startPostident(WHO, id)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect((await h.accounts.get(id))?.identity.postident).toBeUndefined();
  });

  it('switched off by the operator, no case is opened: POSTIDENT_UNAVAILABLE, SWITCHED_OFF; switched on, it opens', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const off: CoreDeps = { ...h.deps, postident: { ...h.deps.postident, available: false } };
    expect(await startPostident(off, WHO, id)).toEqual({
      ok: false,
      error: { code: 'POSTIDENT_UNAVAILABLE', details: { reason: 'SWITCHED_OFF' } },
    });
    expect((await h.accounts.get(id))?.identity.postident).toBeUndefined();
    const on: CoreDeps = { ...h.deps, postident: { ...h.deps.postident, available: true } };
    expect(await startPostident(on, WHO, id)).toEqual({ ok: true, value: { caseId: 'CASE-1', continueUrl: 'https://example.invalid/1' } });
  });

  it('after a failed case the answer says so: POSTIDENT_UNAVAILABLE, PREVIOUS_CASE_FAILED', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    await h.core.identity.startPostident(WHO, id);
    await h.core.identity.postidentResult('CASE-1', 'ABANDONED');
    expect(await h.core.identity.startPostident(WHO, id)).toEqual({
      ok: false,
      error: { code: 'POSTIDENT_UNAVAILABLE', details: { reason: 'PREVIOUS_CASE_FAILED' } },
    });
  });

  it('a person no longer in the register gets no case: REGISTER_MISMATCH', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    await h.register.replaceAll([]);
    expect(await h.core.identity.startPostident(WHO, id)).toEqual({ ok: false, error: { code: 'REGISTER_MISMATCH' } });
    expect((await h.accounts.get(id))?.identity.postident).toBeUndefined();
  });

  it('a provider that fails changes nothing: POSTIDENT_UNAVAILABLE without a reason', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const postident: PostidentProvider = { ...h.deps.postident, openCase: () => Promise.reject(new Error('provider down')) };
    expect(await startPostident({ ...h.deps, postident }, WHO, id)).toEqual({ ok: false, error: { code: 'POSTIDENT_UNAVAILABLE' } });
    expect((await h.accounts.get(id))?.identity.postident).toBeUndefined();
    expect(events(h, 'POSTIDENT_OPENED')).toEqual([]);
  });

  it('the provider gets the account’s random id and the register’s name and birth date; the trail records the opened case', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const asked: unknown[] = [];
    const postident: PostidentProvider = {
      ...h.deps.postident,
      openCase: (request) => {
        asked.push(request);
        return Promise.resolve({ caseId: 'CASE-77', continueUrl: 'https://example.invalid/77' });
      },
    };
    expect((await startPostident({ ...h.deps, postident }, WHO, id)).ok).toBe(true);
    expect(asked).toEqual([{ reference: id, firstName: ERIKA.firstName, lastName: ERIKA.lastName, birthDate: ERIKA.birthDate }]);
    expect((await h.accounts.get(id))?.identity.postident).toEqual({
      caseId: 'CASE-77',
      continueUrl: 'https://example.invalid/77',
      openedAt: '2026-11-29T10:00:00.000Z',
      state: 'OPEN',
    });
    expect(h.audit.events().filter((e) => e.type === 'POSTIDENT_OPENED')).toEqual([
      expect.objectContaining({ subject: id, actor: WHO.actor, terminal: WHO.terminal, data: { caseId: 'CASE-77' } }),
    ]);
  });

  it('a case for an identity confirmed while the provider answered is not stored: WRONG_STEP', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const postident: PostidentProvider = {
      ...h.deps.postident,
      openCase: async () => {
        await confirmIdentity(h, id);
        return { caseId: 'CASE-9', continueUrl: 'https://example.invalid/9' };
      },
    };
    expect(await startPostident({ ...h.deps, postident }, WHO, id)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect((await h.accounts.get(id))?.identity.postident).toBeUndefined();
    expect(events(h, 'POSTIDENT_OPENED')).toEqual([]);
  });
});

describe('POSTIDENT: the result', () => {
  async function withCase() {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const started = await h.core.identity.startPostident(WHO, id);
    if (!started.ok) throw new Error(started.error.code);
    return { h, id, caseId: started.value.caseId };
  }

  it('success is recorded by the provider as actor: the result with case and outcome, then the confirmation by POSTIDENT', async () => {
    const { h, id, caseId } = await withCase();
    h.clock.advance(3_600_000);
    await h.core.identity.postidentResult(caseId, 'SUCCESS');
    const recorded = h.audit.events().filter((e) => e.type === 'POSTIDENT_RESULT' || e.type === 'IDENTITY_CONFIRMED');
    expect(recorded).toEqual([
      expect.objectContaining({
        type: 'POSTIDENT_RESULT',
        subject: id,
        actor: 'postident',
        terminal: 'test',
        data: { caseId, outcome: 'SUCCESS' },
      }),
      expect.objectContaining({ type: 'IDENTITY_CONFIRMED', subject: id, actor: 'postident', data: { method: 'POSTIDENT' } }),
    ]);
    expect((await h.accounts.get(id))?.identity.postident).toMatchObject({ state: 'SUCCESS', closedAt: '2026-11-29T11:00:00.000Z' });
  });

  it('a declined case is recorded as its result only, and confirms nothing', async () => {
    const { h, id, caseId } = await withCase();
    await h.core.identity.postidentResult(caseId, 'DECLINED');
    expect(events(h, 'POSTIDENT_RESULT', 'IDENTITY_CONFIRMED')).toEqual([
      { type: 'POSTIDENT_RESULT', subject: id, data: { caseId, outcome: 'DECLINED' } },
    ]);
  });

  it('a result for an unknown case is NOT_FOUND', async () => {
    const { h } = await withCase();
    expect(await h.core.identity.postidentResult('CASE-999', 'SUCCESS')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('POSTIDENT: asking the provider for the status', () => {
  async function withCase(status?: PostidentProvider['status']) {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const deps: CoreDeps = status ? { ...h.deps, postident: { ...h.deps.postident, status } } : h.deps;
    const started = await startPostident(deps, WHO, id);
    if (!started.ok) throw new Error(started.error.code);
    return { h, id, deps, caseId: started.value.caseId };
  }

  it('an unknown account is NOT_FOUND; an account without a case WRONG_STEP', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    expect(await refreshPostident(h.deps, 'no-such-account')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await refreshPostident(h.deps, id)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
  });

  it('a provider that calls back is not asked: the stored state is reported', async () => {
    const { h, id, caseId } = await withCase();
    expect(await refreshPostident(h.deps, id)).toEqual({ ok: true, value: { caseId, state: 'OPEN' } });
  });

  it('a closed case is reported as stored without asking the provider', async () => {
    let asked = 0;
    const { h, id, deps, caseId } = await withCase(() => Promise.resolve(void (asked += 1)).then(() => 'SUCCESS' as const));
    await h.core.identity.postidentResult(caseId, 'DECLINED');
    expect(await refreshPostident(deps, id)).toEqual({ ok: true, value: { caseId, state: 'DECLINED' } });
    expect(asked).toBe(0);
  });

  it('a case still open at the provider stays open and changes nothing', async () => {
    const { h, id, deps, caseId } = await withCase(() => Promise.resolve('OPEN' as const));
    const before = await h.accounts.get(id);
    expect(await refreshPostident(deps, id)).toEqual({ ok: true, value: { caseId, state: 'OPEN' } });
    expect(await h.accounts.get(id)).toEqual(before);
  });

  it('a final answer is applied: success confirms the identity and is reported', async () => {
    const { h, id, deps, caseId } = await withCase(() => Promise.resolve('SUCCESS' as const));
    expect(await refreshPostident(deps, id)).toEqual({ ok: true, value: { caseId, state: 'SUCCESS' } });
    expect((await h.accounts.get(id))?.identity.method).toBe('POSTIDENT');
  });

  it('a provider that cannot answer gives POSTIDENT_UNAVAILABLE, PROVIDER_ERROR, and changes nothing', async () => {
    const { h, id, deps } = await withCase(() => Promise.reject(new Error('timeout')));
    const before = await h.accounts.get(id);
    expect(await refreshPostident(deps, id)).toEqual({
      ok: false,
      error: { code: 'POSTIDENT_UNAVAILABLE', details: { reason: 'PROVIDER_ERROR' } },
    });
    expect(await h.accounts.get(id)).toEqual(before);
  });

  it('an account deleted while the provider answered gets the provider’s answer reported', async () => {
    let deleteNow = (): Promise<void> => Promise.resolve();
    const { h, id, deps, caseId } = await withCase(async () => {
      await deleteNow();
      return 'DECLINED' as const;
    });
    deleteNow = () => h.accounts.delete(id);
    expect(await refreshPostident(deps, id)).toEqual({ ok: true, value: { caseId, state: 'DECLINED' } });
  });
});

describe('POSTIDENT: the coupon', () => {
  it('without an open case there is no coupon: WRONG_STEP (unknown account, no case, closed case)', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    expect(await h.core.identity.printCoupon(WHO, 'no-such-account')).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect(await h.core.identity.printCoupon(WHO, id)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    await h.core.identity.startPostident(WHO, id);
    await h.core.identity.postidentResult('CASE-1', 'DECLINED');
    expect(await h.core.identity.printCoupon(WHO, id)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect(h.letters).toEqual([]);
  });

  it('a person no longer in the register gets no coupon: REGISTER_MISMATCH', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    await h.core.identity.startPostident(WHO, id);
    await h.register.replaceAll([]);
    expect(await h.core.identity.printCoupon(WHO, id)).toEqual({ ok: false, error: { code: 'REGISTER_MISMATCH' } });
    expect(h.letters).toEqual([]);
  });

  it('the coupon goes to the register’s address, dated today; the print limit’s entry names the coupon', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    await h.core.identity.startPostident(WHO, id);
    expect(await printPostidentCoupon(h.deps, WHO, id)).toEqual({ ok: true, value: null });
    expect(h.letters.at(-1)).toEqual({
      kind: 'POSTIDENT_COUPON',
      to: { name: 'Erika Mustermann', street: ERIKA.street, postalCode: ERIKA.postalCode, city: ERIKA.city },
      date: '2026-11-29',
      caseId: 'CASE-1',
      simulated: true,
      language: 'de',
      accountId: id,
    });
    for (let i = 0; i < 3; i++) await printPostidentCoupon(h.deps, WHO, id);
    expect(events(h, 'LIMIT_REACHED')).toEqual([
      { type: 'LIMIT_REACHED', subject: id, data: { limit: 'PRINT', kind: 'POSTIDENT_COUPON' } },
    ]);
  });
});
