/**
 * mTAN enrolment step by step (core/mtan/enrolment.ts, R8): the 30 minutes of an enrolment, which
 * step each entry belongs to, the exact answers a screen shows, what is stored (the number only
 * once confirmed) and what the audit trail records. Fake clock, no sleeps.
 */
import { describe, expect, it } from 'vitest';
import { enterCardDigits, sendEnrolmentCode } from '../../src-main/core/mtan/enrolment.js';
import type { RegisterStore } from '../../src-main/core/ports.js';
import { WHO } from '../fixtures/harness.js';
import { CARD_DIGITS, activeAccount, withMtan } from '../fixtures/active.js';

const MINUTE = 60_000;
const ENROLMENT = 30 * MINUTE;
const PHONE = '0151 23456789';

async function atPhoneStep() {
  const { h, id } = await activeAccount();
  await h.core.mtan.start(id);
  const card = await h.core.mtan.enterCard(WHO, id, CARD_DIGITS);
  if (!card.ok) throw new Error(card.error.code);
  return { h, id };
}

const later = (h: { clock: { now(): Date } }, ms: number) => new Date(h.clock.now().getTime() + ms).toISOString();

describe('starting an mTAN enrolment', () => {
  it('starts at the card digits and runs 30 minutes; no number is stored yet', async () => {
    const { h, id } = await activeAccount();
    const expiresAt = later(h, ENROLMENT);
    expect(await h.core.mtan.start(id)).toStrictEqual({ ok: true, value: { stage: 'CARD', expiresAt } });
    expect((await h.accounts.get(id))?.mtanEnrolment).toStrictEqual({
      stage: 'CARD',
      startedAt: h.clock.now().toISOString(),
      expiresAt,
      cardFailures: 0,
    });
  });

  it('starting again within the 30 minutes continues the same enrolment, at its step', async () => {
    const { h, id } = await atPhoneStep();
    const expiresAt = (await h.accounts.get(id))?.mtanEnrolment?.expiresAt;
    h.clock.advance(ENROLMENT - 1);
    expect(await h.core.mtan.start(id)).toStrictEqual({ ok: true, value: { stage: 'PHONE', expiresAt } });
  });

  it('after 30 minutes the enrolment has ended: its entries are refused, and a new start begins afresh', async () => {
    const { h, id } = await activeAccount();
    await h.core.mtan.start(id);
    h.clock.advance(ENROLMENT);
    expect(await h.core.mtan.enterCard(WHO, id, CARD_DIGITS)).toEqual({ ok: false, error: { code: 'ENROLMENT_ENDED' } });
    expect(await h.core.mtan.sendCode(WHO, id, PHONE)).toEqual({ ok: false, error: { code: 'ENROLMENT_ENDED' } });
    expect(await h.core.mtan.confirm(WHO, id, '123456')).toEqual({ ok: false, error: { code: 'ENROLMENT_ENDED' } });
    expect(await h.core.mtan.start(id)).toStrictEqual({ ok: true, value: { stage: 'CARD', expiresAt: later(h, ENROLMENT) } });
  });

  it('card digits entered after the enrolment ended are compared with nothing: no check is recorded', async () => {
    const { h, id } = await activeAccount();
    await h.core.mtan.start(id);
    h.clock.advance(ENROLMENT);
    const checks = () => h.audit.events().filter((e) => e.type === 'CODE_CHECKED' && e.data?.['kind'] === 'CARD_DIGITS');
    expect(await h.core.mtan.enterCard(WHO, id, '00000')).toEqual({ ok: false, error: { code: 'ENROLMENT_ENDED' } });
    expect(checks()).toEqual([]);
  });

  it('card digits entered in the last millisecond of the enrolment still count', async () => {
    const { h, id } = await activeAccount();
    await h.core.mtan.start(id);
    h.clock.advance(ENROLMENT - 1);
    expect(await h.core.mtan.enterCard(WHO, id, CARD_DIGITS)).toMatchObject({ ok: true, value: { stage: 'PHONE' } });
  });

  it('with mTAN active no enrolment starts (a new number goes through a TAN); an unknown account is not found', async () => {
    const { h, id } = await withMtan();
    expect(await h.core.mtan.start(id)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect((await h.accounts.get(id))?.mtanEnrolment).toBeUndefined();
    expect(await h.core.mtan.start('no-such-account')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('the card digits', () => {
  it('the right five digits lead to the number, and the view names the step and the end time', async () => {
    const { h, id } = await activeAccount();
    await h.core.mtan.start(id);
    expect(await h.core.mtan.enterCard(WHO, id, CARD_DIGITS)).toStrictEqual({
      ok: true,
      value: { stage: 'PHONE', expiresAt: later(h, ENROLMENT) },
    });
    expect((await h.accounts.get(id))?.mtanEnrolment?.stage).toBe('PHONE');
  });

  it('the third wrong entry ends the enrolment, names the card digits as the reason and is recorded as a failed check like the two before', async () => {
    const { h, id } = await activeAccount();
    await h.core.mtan.start(id);
    await h.core.mtan.enterCard(WHO, id, '00000');
    await h.core.mtan.enterCard(WHO, id, '00001');
    expect(await h.core.mtan.enterCard(WHO, id, '00002')).toEqual({
      ok: false,
      error: { code: 'ENROLMENT_ENDED', details: { reason: 'CARD_DIGITS' } },
    });
    const account = await h.accounts.get(id);
    expect(account?.mtanEnrolment).toBeUndefined();
    expect(account?.cardFailedAt).toEqual(Array.from({ length: 3 }, () => h.clock.now().toISOString()));
    const checks = h.audit.events().filter((e) => e.type === 'CODE_CHECKED' && e.data?.['kind'] === 'CARD_DIGITS');
    expect(checks.map((e) => e.data?.['success'])).toEqual([false, false, false]);
  });

  it('digits entered again after they were right are a wrong step: nothing is counted or recorded', async () => {
    const { h, id } = await atPhoneStep();
    const before = h.audit.events().length;
    expect(await h.core.mtan.enterCard(WHO, id, '00000')).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect(h.audit.events()).toHaveLength(before);
    const account = await h.accounts.get(id);
    expect(account?.cardFailedAt ?? []).toEqual([]);
    expect(account?.mtanEnrolment).toMatchObject({ stage: 'PHONE', cardFailures: 0 });
  });

  it('each counted entry is recorded with the account and the acting terminal', async () => {
    const { h, id } = await activeAccount();
    await h.core.mtan.start(id);
    await h.core.mtan.enterCard(WHO, id, '00000');
    expect(h.audit.events().at(-1)).toMatchObject({
      type: 'CODE_CHECKED',
      subject: id,
      actor: WHO.actor,
      terminal: WHO.terminal,
      data: { kind: 'CARD_DIGITS', success: false },
    });
  });

  it('while enrolment is paused, digits entered into a still open enrolment are refused and not counted', async () => {
    const { h, id } = await activeAccount();
    await h.core.mtan.start(id);
    const now = h.clock.now().toISOString();
    // Six wrong entries of the last 24 hours, e.g. from another terminal's enrolment of this account.
    await h.accounts.update(id, (current) => ({ next: { ...current, cardFailedAt: Array.from({ length: 6 }, () => now) }, result: null }));
    const before = h.audit.events().length;
    expect(await h.core.mtan.enterCard(WHO, id, CARD_DIGITS)).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { retryAt: later(h, 24 * 60 * MINUTE) } },
    });
    expect(h.audit.events()).toHaveLength(before);
    expect((await h.accounts.get(id))?.cardFailedAt).toHaveLength(6);
  });

  it('the pause lasts 24 hours from the oldest counted entry, to the millisecond', async () => {
    const { h, id } = await activeAccount();
    const first = h.clock.now().getTime();
    await h.core.mtan.start(id);
    for (const digits of ['00000', '00001']) await h.core.mtan.enterCard(WHO, id, digits);
    h.clock.advance(ENROLMENT);
    await h.core.mtan.start(id);
    for (const digits of ['00002', '00003', '00004']) await h.core.mtan.enterCard(WHO, id, digits);
    h.clock.advance(ENROLMENT);
    await h.core.mtan.start(id);
    // The sixth wrong entry, the first of this enrolment: the pause begins and ends it.
    expect(await h.core.mtan.enterCard(WHO, id, '00005')).toEqual({
      ok: false,
      error: { code: 'ENROLMENT_ENDED', details: { reason: 'CARD_DIGITS' } },
    });
    expect((await h.accounts.get(id))?.mtanEnrolment).toBeUndefined();
    expect(h.mails.filter((m) => m.kind === 'MTAN_CARD_BLOCKED').map((m) => m.to)).toEqual(['erika@example.org']);
    expect(h.audit.events().filter((e) => e.type === 'LIMIT_REACHED')).toMatchObject([
      { subject: id, actor: WHO.actor, data: { limit: 'CARD_DIGITS' } },
    ]);
    const retryAt = new Date(first + 24 * 60 * MINUTE).toISOString();
    h.clock.set(new Date(first + 24 * 60 * MINUTE - 1).toISOString());
    expect(await h.core.mtan.start(id)).toEqual({ ok: false, error: { code: 'RATE_LIMITED', details: { retryAt } } });
    h.clock.set(retryAt);
    expect((await h.core.mtan.start(id)).ok).toBe(true);
  });

  it('an unknown account is not found', async () => {
    const { h } = await activeAccount();
    expect(await h.core.mtan.enterCard(WHO, 'no-such-account', CARD_DIGITS)).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('the SMS code to the new number', () => {
  it('is sent only after the card digits; the view then shows the masked number and no queueing', async () => {
    const { h, id } = await activeAccount();
    await h.core.mtan.start(id);
    expect(await h.core.mtan.sendCode(WHO, id, PHONE)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect(h.smsSent).toHaveLength(0);
    await h.core.mtan.enterCard(WHO, id, CARD_DIGITS);
    expect(await h.core.mtan.sendCode(WHO, id, PHONE)).toStrictEqual({
      ok: true,
      value: { stage: 'SMS', expiresAt: later(h, ENROLMENT), phoneMasked: '+49 ••• 6789' },
    });
    expect(h.smsSent).toHaveLength(1);
    expect(h.smsSent[0]).toMatchObject({ to: '+4915123456789', kind: 'MTAN_CODE', accountId: id, expiresAt: later(h, 10 * MINUTE) });
    expect(h.smsSent[0]?.text).toBe(`Kontokiosk: Ihr Code zur Freischaltung von mTAN: ${h.lastSmsCode()}. Gültig 10 Minuten.`);
  });

  it('stores the number with the enrolment, and the code only as a hash valid 10 minutes; mTAN is not active yet', async () => {
    const { h, id } = await atPhoneStep();
    await h.core.mtan.sendCode(WHO, id, PHONE);
    const account = await h.accounts.get(id);
    expect(account?.mtan).toBeUndefined();
    expect(account?.mtanEnrolment).toMatchObject({ stage: 'SMS', phone: '+4915123456789', code: { expiresAt: later(h, 10 * MINUTE) } });
    expect(JSON.stringify(account)).not.toContain(h.lastSmsCode());
    expect(h.audit.events().at(-1)).toMatchObject({ type: 'MTAN_CODE_SENT', subject: id, actor: WHO.actor });
  });

  it('without a new number the code goes again to the number chosen; before a number is chosen that is a wrong step', async () => {
    const { h, id } = await atPhoneStep();
    expect(await h.core.mtan.sendCode(WHO, id, undefined)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect(h.smsSent).toHaveLength(0);
    await h.core.mtan.sendCode(WHO, id, PHONE);
    const first = h.lastSmsCode();
    expect(await h.core.mtan.sendCode(WHO, id, undefined)).toMatchObject({
      ok: true,
      value: { stage: 'SMS', phoneMasked: '+49 ••• 6789' },
    });
    expect(h.smsSent.map((s) => s.to)).toEqual(['+4915123456789', '+4915123456789']);
    // Only the newest code confirms.
    if (first !== h.lastSmsCode()) expect(await h.core.mtan.confirm(WHO, id, first)).toMatchObject({ ok: false });
    expect((await h.core.mtan.confirm(WHO, id, h.lastSmsCode())).ok).toBe(true);
  });

  it('a number that is no number is refused as invalid, and nothing is sent', async () => {
    const { h, id } = await atPhoneStep();
    expect(await h.core.mtan.sendCode(WHO, id, 'abc')).toEqual({ ok: false, error: { code: 'PHONE_INVALID' } });
    expect(h.smsSent).toHaveLength(0);
    expect((await h.accounts.get(id))?.mtanEnrolment?.stage).toBe('PHONE');
  });
});

describe('the SMS code on its way', () => {
  it('an enrolment that ended while its SMS was on the way stays ended, and the SMS is recorded as sent', async () => {
    const { h, id } = await atPhoneStep();
    const sms = {
      send: async () => {
        // Meanwhile the person leaves mTAN on another terminal, which ends the enrolment.
        await h.core.mtan.leave(WHO, id);
      },
    };
    expect(await sendEnrolmentCode({ ...h.deps, sms }, WHO, id, PHONE)).toEqual({ ok: false, error: { code: 'ENROLMENT_ENDED' } });
    const account = await h.accounts.get(id);
    expect(account?.mtanEnrolment).toBeUndefined();
    expect(account?.mtan).toBeUndefined();
    expect(h.audit.events().at(-1)).toMatchObject({ type: 'MTAN_CODE_SENT', subject: id });
  });

  it('an enrolment started afresh while the SMS was on the way is not moved on by it', async () => {
    const { h, id } = await atPhoneStep();
    const sms = {
      send: async () => {
        await h.core.mtan.leave(WHO, id);
        await h.core.mtan.start(id);
      },
    };
    expect(await sendEnrolmentCode({ ...h.deps, sms }, WHO, id, PHONE)).toEqual({ ok: false, error: { code: 'ENROLMENT_ENDED' } });
    expect((await h.accounts.get(id))?.mtanEnrolment).toMatchObject({ stage: 'CARD' });
    expect((await h.accounts.get(id))?.mtanEnrolment).not.toHaveProperty('phone');
  });

  it('the SMS limit of an account, once reached, is recorded once as a limit of mTAN codes', async () => {
    const { h, id } = await atPhoneStep();
    for (let i = 0; i < 5; i++) await h.core.mtan.sendCode(WHO, id, PHONE);
    expect(await h.core.mtan.sendCode(WHO, id, PHONE)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(await h.core.mtan.sendCode(WHO, id, undefined)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(h.audit.events().filter((e) => e.type === 'LIMIT_REACHED')).toMatchObject([
      { subject: id, actor: WHO.actor, data: { limit: 'SMS', kind: 'MTAN_CODE' } },
    ]);
    expect(h.smsSent).toHaveLength(5);
  });
});

describe('confirming the SMS code', () => {
  it('activates mTAN with the number and its time, ends the enrolment and answers the masked number', async () => {
    const { h, id } = await atPhoneStep();
    await h.core.mtan.sendCode(WHO, id, PHONE);
    h.clock.advance(MINUTE);
    expect(await h.core.mtan.confirm(WHO, id, `  ${h.lastSmsCode()} `)).toStrictEqual({ ok: true, value: { phoneMasked: '+49 ••• 6789' } });
    const account = await h.accounts.get(id);
    expect(account?.mtan).toStrictEqual({ phone: '+4915123456789', enrolledAt: h.clock.now().toISOString() });
    expect(account?.mtanEnrolment).toBeUndefined();
    const recorded = h.audit.events().slice(-2);
    expect(recorded).toMatchObject([
      { type: 'CODE_CHECKED', subject: id, actor: WHO.actor, data: { kind: 'MTAN_SMS_CODE', success: true } },
      { type: 'MTAN_ENROLLED', subject: id, actor: WHO.actor },
    ]);
  });

  it('a wrong code answers the remaining tries, is recorded as a failed check, and activates nothing', async () => {
    const { h, id } = await atPhoneStep();
    await h.core.mtan.sendCode(WHO, id, PHONE);
    const wrong = h.lastSmsCode() === '000000' ? '000001' : '000000';
    expect(await h.core.mtan.confirm(WHO, id, wrong)).toEqual({ ok: false, error: { code: 'CODE_INVALID', details: { remaining: 2 } } });
    expect(h.audit.events().at(-1)).toMatchObject({ type: 'CODE_CHECKED', subject: id, data: { kind: 'MTAN_SMS_CODE', success: false } });
    expect(h.audit.events().some((e) => e.type === 'MTAN_ENROLLED')).toBe(false);
    expect((await h.accounts.get(id))?.mtan).toBeUndefined();
  });

  it('before the code was sent, confirming is a wrong step; an unknown account is not found', async () => {
    const { h, id } = await atPhoneStep();
    expect(await h.core.mtan.confirm(WHO, id, '123456')).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect(await h.core.mtan.confirm(WHO, 'no-such-account', '123456')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('a new number confirmed voids a TAN still open for the old one', async () => {
    const { h, id } = await withMtan();
    await h.core.mtan.requestTan(WHO, id, { action: 'CHANGE_MOBILE', phone: '0160 1111111' });
    await h.core.services.changeMobile(WHO, id, '0160 1111111', h.lastSmsCode());
    await h.core.mtan.requestTan(WHO, id, { action: 'RECEIPT_VIEW' });
    expect((await h.accounts.get(id))?.tan).toBeDefined();
    await h.core.mtan.enterCard(WHO, id, CARD_DIGITS);
    expect((await h.core.mtan.confirm(WHO, id, h.lastSmsCode())).ok).toBe(true);
    expect((await h.accounts.get(id))?.tan).toBeUndefined();
  });
});

describe('leaving mTAN', () => {
  it('deletes the number, an enrolment under way and an open TAN, and is recorded', async () => {
    const { h, id } = await withMtan();
    await h.core.mtan.requestTan(WHO, id, { action: 'CHANGE_MOBILE', phone: '0160 1111111' });
    await h.core.services.changeMobile(WHO, id, '0160 1111111', h.lastSmsCode());
    await h.core.mtan.requestTan(WHO, id, { action: 'RECEIPT_VIEW' });
    expect(await h.core.mtan.leave(WHO, id)).toEqual({ ok: true, value: null });
    const account = await h.accounts.get(id);
    expect(account?.mtan).toBeUndefined();
    expect(account?.mtanEnrolment).toBeUndefined();
    expect(account?.tan).toBeUndefined();
    expect(h.audit.events().at(-1)).toMatchObject({ type: 'MTAN_LEFT', subject: id, actor: WHO.actor });
    expect(await h.core.mtan.leave(WHO, 'no-such-account')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('an account deleted during a step', () => {
  const remove = (h: Awaited<ReturnType<typeof activeAccount>>['h'], id: string) =>
    h.core.services.deleteAccount(WHO, id, { password: 'Heide*Blume7', confirm: true });

  it('while its card digits are checked: not found, and nothing is sent', async () => {
    const { h, id } = await activeAccount();
    await h.core.mtan.start(id);
    const register: RegisterStore = Object.assign(Object.create(h.deps.register) as RegisterStore, {
      getByKvnr: async (kvnr: string) => {
        await remove(h, id);
        return h.deps.register.getByKvnr(kvnr);
      },
    });
    const mails = h.mails.length;
    expect(await enterCardDigits({ ...h.deps, register }, WHO, id, '00000')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(h.mails.slice(mails).filter((m) => m.kind === 'MTAN_CARD_BLOCKED')).toEqual([]);
    expect(await h.accounts.get(id)).toBeUndefined();
  });

  it('while its SMS code was on the way: not found', async () => {
    const { h, id } = await atPhoneStep();
    const sms = { send: async () => void (await remove(h, id)) };
    expect(await sendEnrolmentCode({ ...h.deps, sms }, WHO, id, PHONE)).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await h.accounts.get(id)).toBeUndefined();
  });
});

describe('a change of number', () => {
  it('confirming before the card digits were entered is a wrong step, though the number is known', async () => {
    const { h, id } = await withMtan();
    await h.core.mtan.requestTan(WHO, id, { action: 'CHANGE_MOBILE', phone: '0160 1111111' });
    expect((await h.core.services.changeMobile(WHO, id, '0160 1111111', h.lastSmsCode())).ok).toBe(true);
    expect((await h.accounts.get(id))?.mtanEnrolment).toMatchObject({ stage: 'CARD', phone: '+491601111111' });
    expect(await h.core.mtan.confirm(WHO, id, '123456')).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect((await h.accounts.get(id))?.mtan?.phone).toBe('+4915123456789');
  });
});
