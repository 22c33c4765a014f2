import { describe, expect, it } from 'vitest';
import { normalizeKey } from '../../src-main/core/codes.js';
import { ERIKA, WHO, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';

async function withLetter(now?: string) {
  const h = makeHarness(now ? { now } : {});
  const id = await registeredAndConfirmed(h);
  const r = await h.core.identity.requestLetter(WHO, id);
  if (!r.ok) throw new Error(r.error.code);
  const letter = h.letters.at(-1);
  if (letter?.kind !== 'ACTIVATION_KEY') throw new Error('no letter');
  return { h, id, key: letter.key, letter };
}

describe('activation key by post (R4)', () => {
  it('is drawn from an alphabet without look-alikes (no I, L, O, U): 24 characters, 120 bits', async () => {
    const keys = await Promise.all(Array.from({ length: 20 }, async () => (await withLetter()).key));
    for (const key of keys) expect(key).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$/);
  });

  it('accepts O for 0 and I or L for 1 as typed from paper', async () => {
    const { h, id, key } = await withLetter();
    const misread = key.replace(/0/g, 'O').replace(/1/g, (_, i: number) => (i % 2 ? 'I' : 'l'));
    expect(await h.core.identity.enterKey(WHO, id, misread)).toEqual({ ok: true, value: null });
  });

  it('a key printed before (A-Z/0-9, hashed as printed) still works as typed', async () => {
    const { h, id } = await withLetter();
    const printedBefore = 'SI37FF962OL3080809033876';
    await h.accounts.update(id, (a) => ({
      next: { ...a, identity: { ...a.identity, letter: { ...a.identity.letter!, hash: h.core.deps.secrets.hash(printedBefore) } } },
      result: null,
    }));
    expect(await h.core.identity.enterKey(WHO, id, 'si37-ff96-2ol3-0808-0903-3876')).toEqual({ ok: true, value: null });
  });

  it('sends a letter to the register address with a key in six groups of four', async () => {
    const { h, id, key, letter } = await withLetter();
    expect(key).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){5}$/);
    expect(letter.to).toEqual({ name: 'Erika Mustermann', street: ERIKA.street, postalCode: ERIKA.postalCode, city: ERIKA.city });
    expect(letter.validUntil).toBe('2027-01-28');
    // The letter names the account the key is for, by its username (never by the KVNR).
    expect(letter.username).toBe('erika.m');
    expect(JSON.stringify(letter)).not.toContain(ERIKA.kvnr);
    const stored = JSON.stringify(await h.accounts.get(id));
    expect(stored).not.toContain(key);
    expect(stored).not.toContain(key.replace(/-/g, ''));
    const view = await h.core.view(id);
    expect(view.ok && view.value.step).toBe('ENTER_KEY');
  });

  it('accepts the key in lower case, with spaces or without dashes', async () => {
    for (const variant of [(k: string) => k.toLowerCase(), (k: string) => k.replace(/-/g, ' '), (k: string) => k.replace(/-/g, '')]) {
      const { h, id, key } = await withLetter();
      expect(await h.core.identity.enterKey(WHO, id, variant(key))).toEqual({ ok: true, value: null });
      const view = await h.core.view(id);
      expect(view.ok && view.value.step).toBe('MAILBOX');
    }
  });

  it('is valid until the end of the day printed on the letter (Berlin, winter time): 23:59:59.999 yes, midnight no', async () => {
    // Issued 29.11.2026 11:00 Berlin; the letter says "valid until 28.01.2027".
    const a = await withLetter();
    a.h.clock.set('2027-01-28T22:59:59.999Z');
    expect((await a.h.core.identity.enterKey(WHO, a.id, a.key)).ok).toBe(true);
    const b = await withLetter();
    b.h.clock.set('2027-01-28T23:00:00.000Z');
    const late = await b.h.core.identity.enterKey(WHO, b.id, b.key);
    expect(late.ok || late.error.code).toBe('KEY_EXPIRED');
  });

  it('the printed day holds in summer time too, and for a letter issued just before midnight', async () => {
    for (const [issued, printed, lastMs, firstLate] of [
      ['2026-06-01T08:00:00Z', '2026-07-31', '2026-07-31T21:59:59.999Z', '2026-07-31T22:00:00.000Z'],
      // 23:30 Berlin on 1 June: the printed day is counted from the Berlin date of issue + 60 days.
      ['2026-06-01T21:30:00Z', '2026-07-31', '2026-07-31T21:59:59.999Z', '2026-07-31T22:00:00.000Z'],
    ] as const) {
      for (const [at, expected] of [
        [lastMs, true],
        [firstLate, 'KEY_EXPIRED'],
      ] as const) {
        const { h, id, key } = await withLetter(issued);
        expect(h.letters.at(-1)).toMatchObject({ kind: 'ACTIVATION_KEY', validUntil: printed });
        h.clock.set(at);
        const r = await h.core.identity.enterKey(WHO, id, key);
        expect(r.ok || r.error.code).toBe(expected);
      }
    }
  });

  // Ten wrong entries void the key: test/unit/code-attempts.test.ts.

  it('a key of the wrong shape is refused without counting', async () => {
    const { h, id } = await withLetter();
    const r = await h.core.identity.enterKey(WHO, id, 'SI37-FF96');
    expect(r).toEqual({ ok: false, error: { code: 'KEY_INVALID', details: { malformed: true } } });
    expect((await h.accounts.get(id))?.identity.letter?.failures).toBe(0);
  });

  it('a new letter voids the old key', async () => {
    const { h, id, key } = await withLetter();
    await h.core.identity.requestLetter(WHO, id);
    const second = h.letters.at(-1);
    if (second?.kind !== 'ACTIVATION_KEY') throw new Error('no letter');
    const old = await h.core.identity.enterKey(WHO, id, key);
    expect(old.ok || old.error.code).toBe('KEY_INVALID');
    expect((await h.core.identity.enterKey(WHO, id, second.key)).ok).toBe(true);
  });

  it('is entered once: a second entry after success is refused', async () => {
    const { h, id, key } = await withLetter();
    await h.core.identity.enterKey(WHO, id, key);
    const again = await h.core.identity.enterKey(WHO, id, key);
    expect(again.ok || again.error.code).toBe('WRONG_STEP');
  });

  it('cannot be requested before the e-mail is confirmed', async () => {
    const h = makeHarness();
    const { erikaInput } = await import('../fixtures/harness.js');
    const r = await h.core.registration.register(WHO, erikaInput());
    if (!r.ok) throw new Error('setup');
    const letter = await h.core.identity.requestLetter(WHO, r.value.accountId);
    expect(letter.ok || letter.error.code).toBe('WRONG_STEP');
    expect(h.letters).toHaveLength(0);
  });

  it('normalises keys strictly, reading O as 0 and I or L as 1', () => {
    expect(normalizeKey('si37-ff96-2013-0808-0903-3876')).toBe('S137FF962013080809033876');
    expect(normalizeKey('SI37 FF96 2O13 O8O8 O9O3 3876')).toBe('S137FF962013080809033876');
    expect(normalizeKey('sl37ff962013080809033876')).toBe('S137FF962013080809033876');
    expect(normalizeKey('SI37FF962013080809033876X')).toBeUndefined();
    expect(normalizeKey('SI37FF96201308080903387Ä')).toBeUndefined();
  });
});
