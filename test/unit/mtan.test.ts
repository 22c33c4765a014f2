import { describe, expect, it } from 'vitest';
import { parseMobile } from '../../src-main/core/mtan/phone.js';
import { WHO, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';
import { CARD_DIGITS, activeAccount, withMtan } from '../fixtures/active.js';
import { onPostgres } from '../fixtures/pg-harness.js';

describe('mobile numbers', () => {
  it('normalises German and foreign mobile numbers to E.164 and refuses landlines', () => {
    expect(parseMobile('0151 23456789', 'DE')).toEqual({ ok: true, e164: '+4915123456789' });
    expect(parseMobile('+49 (0)151-2345 6789', 'DE')).toEqual({ ok: true, e164: '+4915123456789' });
    expect(parseMobile('+43 664 1234567', 'DE')).toEqual({ ok: true, e164: '+436641234567' });
    expect(parseMobile('030 1234567', 'DE')).toEqual({ ok: false, reason: 'PHONE_NOT_MOBILE' });
    expect(parseMobile('+33 1 23 45 67 89', 'DE')).toEqual({ ok: false, reason: 'PHONE_NOT_MOBILE' });
    expect(parseMobile('12', 'DE')).toEqual({ ok: false, reason: 'PHONE_INVALID' });
  });
});

describe('mTAN enrolment (R8)', () => {
  it('needs a confirmed identity', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    expect(await h.core.mtan.start(id)).toEqual({ ok: false, error: { code: 'IDENTITY_REQUIRED' } });
  });

  it('card digits, mobile number, SMS code: then mTAN is active', async () => {
    const { h, id } = await withMtan();
    expect((await h.accounts.get(id))?.mtan?.phone).toBe('+4915123456789');
    expect(h.smsSent.at(-1)?.to).toBe('+4915123456789');
    const view = await h.core.view(id);
    expect(view.ok && view.value.mtan?.phoneMasked).toBe('+49 ••• 6789');
  });

  it('three wrong card digit entries end the attempt', async () => {
    const { h, id } = await activeAccount();
    await h.core.mtan.start(id);
    expect(await h.core.mtan.enterCard(WHO, id, '00000')).toEqual({
      ok: false,
      error: { code: 'CARD_DIGITS_WRONG', details: { remaining: 2 } },
    });
    expect(await h.core.mtan.enterCard(WHO, id, '00000')).toEqual({
      ok: false,
      error: { code: 'CARD_DIGITS_WRONG', details: { remaining: 1 } },
    });
    const third = await h.core.mtan.enterCard(WHO, id, '00000');
    expect(third.ok || third.error.code).toBe('ENROLMENT_ENDED');
    const after = await h.core.mtan.enterCard(WHO, id, CARD_DIGITS);
    expect(after.ok || after.error.code).toBe('ENROLMENT_ENDED');
    expect((await h.accounts.get(id))?.mtanEnrolment).toBeUndefined();
    expect((await h.core.mtan.start(id)).ok).toBe(true);
  });

  it('a landline is refused with its own code and changes nothing', async () => {
    const { h, id } = await activeAccount();
    await h.core.mtan.start(id);
    await h.core.mtan.enterCard(WHO, id, CARD_DIGITS);
    const before = await h.accounts.get(id);
    expect(await h.core.mtan.sendCode(WHO, id, '030 1234567')).toEqual({ ok: false, error: { code: 'PHONE_NOT_MOBILE' } });
    // The very object in memory (nothing written), or on PostgreSQL the same stored document.
    if (onPostgres) expect(await h.accounts.get(id)).toStrictEqual(before);
    else expect(await h.accounts.get(id)).toBe(before);
    expect(h.smsSent).toHaveLength(0);
  });

  it('an SMS code the gateway did not take at once is on its way: the answer says so, the code is stored and confirms', async () => {
    const { h, id } = await activeAccount();
    await h.core.mtan.start(id);
    await h.core.mtan.enterCard(WHO, id, CARD_DIGITS);
    h.smsQueued.next = 1;
    const sent = await h.core.mtan.sendCode(WHO, id, '0151 23456789');
    expect(sent).toMatchObject({ ok: true, value: { stage: 'SMS', smsQueued: true } });
    expect(h.smsSent.at(-1)?.expiresAt).toBe(new Date(h.clock.now().getTime() + 10 * 60_000).toISOString());
    expect((await h.core.mtan.confirm(WHO, id, h.lastSmsCode())).ok).toBe(true);
  });

  it('a gateway failure leaves no half-enrolled state; a retry works', async () => {
    const { h, id } = await activeAccount();
    await h.core.mtan.start(id);
    await h.core.mtan.enterCard(WHO, id, CARD_DIGITS);
    h.smsFailures.next = 1;
    expect(await h.core.mtan.sendCode(WHO, id, '0151 23456789')).toEqual({
      ok: false,
      error: { code: 'DELIVERY_FAILED', details: { channel: 'SMS' } },
    });
    const account = await h.accounts.get(id);
    expect(account?.mtanEnrolment?.stage).toBe('PHONE');
    expect(account?.mtan).toBeUndefined();
    expect((await h.core.mtan.sendCode(WHO, id, '0151 23456789')).ok).toBe(true);
  });

  // Three wrong entries void the SMS code: test/unit/code-attempts.test.ts.
  it('the SMS code is valid 10 minutes (last second yes, next no)', async () => {
    for (const [advance, expected] of [
      [10 * 60_000 - 1_000, true],
      [10 * 60_000, 'CODE_EXPIRED'],
    ] as const) {
      const { h, id } = await activeAccount();
      await h.core.mtan.start(id);
      await h.core.mtan.enterCard(WHO, id, CARD_DIGITS);
      await h.core.mtan.sendCode(WHO, id, '0151 23456789');
      h.clock.advance(advance);
      const r = await h.core.mtan.confirm(WHO, id, h.lastSmsCode());
      expect(r.ok || r.error.code).toBe(expected);
    }
  });

  it('leaving mTAN deletes the number', async () => {
    const { h, id } = await withMtan();
    await h.core.mtan.leave(WHO, id);
    const account = await h.accounts.get(id);
    expect(account?.mtan).toBeUndefined();
    expect(JSON.stringify(account)).not.toContain('4915123456789');
  });
});

describe('TAN challenges (R8)', () => {
  const tanFrom = (h: Awaited<ReturnType<typeof withMtan>>['h']) => h.lastSmsCode();

  it('protects the patient receipt: items and total only with the right TAN', async () => {
    const { h, id } = await withMtan();
    expect((await h.core.services.receipt(WHO, id, '123456')).ok).toBe(false);
    expect((await h.core.mtan.requestTan(WHO, id, { action: 'RECEIPT_VIEW' })).ok).toBe(true);
    expect(h.smsSent.at(-1)?.text).toContain('Patientenquittung');
    const r = await h.core.services.receipt(WHO, id, tanFrom(h));
    expect(r.ok && r.value.totalCents).toBe(4_213 + 2_870 + 18_940);
    expect(r.ok && r.value.items).toHaveLength(3);
  });

  it('is usable once', async () => {
    const { h, id } = await withMtan();
    await h.core.mtan.requestTan(WHO, id, { action: 'RECEIPT_VIEW' });
    const tan = tanFrom(h);
    expect((await h.core.services.receipt(WHO, id, tan)).ok).toBe(true);
    const again = await h.core.services.receipt(WHO, id, tan);
    expect(again.ok || again.error.code).toBe('TAN_VOID');
  });

  it('two simultaneous submissions of one TAN succeed at most once', async () => {
    const { h, id } = await withMtan();
    await h.core.mtan.requestTan(WHO, id, { action: 'RECEIPT_VIEW' });
    const tan = tanFrom(h);
    const results = await Promise.all(Array.from({ length: 5 }, () => h.core.services.receipt(WHO, id, tan)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('is valid 5 minutes: at the last second yes, one second later no', async () => {
    const a = await withMtan();
    await a.h.core.mtan.requestTan(WHO, a.id, { action: 'RECEIPT_VIEW' });
    a.h.clock.advance(5 * 60_000 - 1_000);
    expect((await a.h.core.services.receipt(WHO, a.id, tanFrom(a.h))).ok).toBe(true);
    const b = await withMtan();
    await b.h.core.mtan.requestTan(WHO, b.id, { action: 'RECEIPT_VIEW' });
    b.h.clock.advance(5 * 60_000);
    const late = await b.h.core.services.receipt(WHO, b.id, tanFrom(b.h));
    expect(late.ok || late.error.code).toBe('TAN_EXPIRED');
  });

  it('is bound to the action and its parameters', async () => {
    const { h, id } = await withMtan();
    await h.core.mtan.requestTan(WHO, id, { action: 'CHANGE_MOBILE', phone: '0160 1111111' });
    const tan = tanFrom(h);
    const otherAction = await h.core.services.receipt(WHO, id, tan);
    expect(otherAction).toEqual({ ok: false, error: { code: 'TAN_MISMATCH', details: { remaining: 2 } } });
    const otherNumber = await h.core.services.changeMobile(WHO, id, '0160 2222222', tan);
    expect(otherNumber).toEqual({ ok: false, error: { code: 'TAN_MISMATCH', details: { remaining: 1 } } });
    expect((await h.core.services.changeMobile(WHO, id, '+49 160 1111111', tan)).ok).toBe(true);
  });

  // Three wrong entries void a TAN: test/unit/code-attempts.test.ts.

  it('without mTAN no TAN can be sent; a failed SMS gives DELIVERY_FAILED', async () => {
    const { h, id } = await activeAccount();
    expect(await h.core.mtan.requestTan(WHO, id, { action: 'RECEIPT_VIEW' })).toEqual({ ok: false, error: { code: 'MTAN_REQUIRED' } });
    const m = await withMtan();
    m.h.smsFailures.next = 1;
    expect(await m.h.core.mtan.requestTan(WHO, m.id, { action: 'RECEIPT_VIEW' })).toMatchObject({
      ok: false,
      error: { code: 'DELIVERY_FAILED' },
    });
    expect((await m.h.accounts.get(m.id))?.tan).toBeUndefined();
  });

  it('changing the mobile number repeats the enrolment for the new number; the old one works until then', async () => {
    const { h, id } = await withMtan();
    await h.core.mtan.requestTan(WHO, id, { action: 'CHANGE_MOBILE', phone: '0160 1111111' });
    expect(h.smsSent.at(-1)?.to).toBe('+4915123456789');
    expect((await h.core.services.changeMobile(WHO, id, '0160 1111111', tanFrom(h))).ok).toBe(true);
    expect((await h.accounts.get(id))?.mtan?.phone).toBe('+4915123456789');
    const card = await h.core.mtan.enterCard(WHO, id, CARD_DIGITS);
    expect(card.ok && card.value.stage).toBe('SMS');
    expect(h.smsSent.at(-1)?.to).toBe('+491601111111');
    expect((await h.core.mtan.confirm(WHO, id, h.lastSmsCode())).ok).toBe(true);
    expect((await h.accounts.get(id))?.mtan?.phone).toBe('+491601111111');
  });

  it('changing the e-mail address: TAN, then a code to the new address', async () => {
    const { h, id } = await withMtan();
    await h.core.mtan.requestTan(WHO, id, { action: 'CHANGE_EMAIL', email: 'Neu@Example.org' });
    expect((await h.core.services.changeEmail(WHO, id, 'neu@example.org', tanFrom(h))).ok).toBe(true);
    expect(h.mails.at(-1)?.to).toBe('neu@example.org');
    expect((await h.accounts.get(id))?.email.email).toBe('erika@example.org');
    expect((await h.core.services.confirmEmailChange(WHO, id, h.lastCode())).ok).toBe(true);
    expect((await h.accounts.get(id))?.email.email).toBe('neu@example.org');
  });
});

describe('audit of mTAN codes (R13)', () => {
  it('records every check of card digits and SMS codes, without the codes', async () => {
    const { h, id } = await activeAccount();
    await h.core.mtan.start(id);
    await h.core.mtan.enterCard(WHO, id, '00000');
    await h.core.mtan.enterCard(WHO, id, CARD_DIGITS);
    await h.core.mtan.sendCode(WHO, id, '0151 23456789');
    const code = h.lastSmsCode();
    await h.core.mtan.confirm(WHO, id, code);
    const checks = h.audit
      .events()
      .filter((e) => e.type === 'CODE_CHECKED')
      .map((e) => e.data);
    expect(checks).toEqual([
      { kind: 'CARD_DIGITS', success: false },
      { kind: 'CARD_DIGITS', success: true },
      { kind: 'MTAN_SMS_CODE', success: true },
    ]);
    const trail = h.audit.lines.join('\n');
    expect(trail).not.toContain(code);
    expect(trail).not.toContain('4915123456789');
  });
});
