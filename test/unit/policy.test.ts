/**
 * One policy schema: the configuration's numbers reach the core and the IPC contract alike, so a
 * configured code length is the length people can type, and nonsense is refused at start.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/config/config.js';
import { DEFAULT_POLICY, policySchema } from '../../src-main/core/policy.js';
import { createDispatcher } from '../../src-main/ipc/dispatcher.js';
import { CARD_DIGITS } from '../fixtures/active.js';
import { erikaInput, makeHarness } from '../fixtures/harness.js';

function withConfig(raw: Record<string, unknown>) {
  const config = parseConfig(raw);
  const h = makeHarness({ policy: config.policy });
  const dispatcher = createDispatcher(h.core, config);
  const ctx = (sessionToken?: string) => ({ sessionToken, terminal: 'kiosk-1' });
  return { h, dispatcher, ctx };
}

describe('one policy schema', () => {
  it('gives the defaults of the rules', () => {
    expect(DEFAULT_POLICY.emailCode.digits).toBe(8);
    expect(DEFAULT_POLICY.mtan).toMatchObject({ smsCodeDigits: 6, tanDigits: 6, cardMaxFailures: 3 });
    expect(parseConfig({}).policy).toEqual(DEFAULT_POLICY);
    expect(policySchema.parse({ login: { maxFailures: 7 } }).login).toEqual({ ...DEFAULT_POLICY.login, maxFailures: 7 });
  });

  it('6-digit e-mail codes, end to end: sent with 6 digits, accepted with 6, 8 digits refused as malformed', async () => {
    const { h, dispatcher, ctx } = withConfig({ policy: { emailCode: { digits: 6 } } });
    const registered = await dispatcher.dispatch('registration.submit', erikaInput(), ctx());
    if (!registered.result.ok || typeof registered.session !== 'string') throw new Error('setup');
    const code = h.mails.at(-1)?.text.match(/\b\d{6,}\b/)?.[0] ?? '';
    expect(code).toMatch(/^\d{6}$/);
    const token = registered.session;
    const eight = await dispatcher.dispatch('email.confirm', { email: 'erika@example.org', code: `${code}00` }, ctx(token));
    expect(eight.result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const six = await dispatcher.dispatch('email.confirm', { email: 'erika@example.org', code }, ctx(token));
    expect(six.result).toMatchObject({ ok: true, value: { step: 'CHOOSE_IDENTITY' } });
  });

  it('SMS code and TAN lengths come from the policy too', async () => {
    const { h, dispatcher, ctx } = withConfig({ policy: { mtan: { smsCodeDigits: 8, tanDigits: 7 } } });
    const registered = await dispatcher.dispatch('registration.submit', erikaInput(), ctx());
    const token = typeof registered.session === 'string' ? registered.session : '';
    await dispatcher.dispatch('email.confirm', { email: 'erika@example.org', code: h.lastCode() }, ctx(token));
    await dispatcher.dispatch('identity.requestLetter', {}, ctx(token));
    const letter = h.letters.at(-1);
    if (letter?.kind !== 'ACTIVATION_KEY') throw new Error('setup');
    await dispatcher.dispatch('identity.enterKey', { key: letter.key }, ctx(token));
    await dispatcher.dispatch('mtan.start', {}, ctx(token));
    await dispatcher.dispatch('mtan.card', { digits: CARD_DIGITS }, ctx(token));
    await dispatcher.dispatch('mtan.phone', { phone: '0151 23456789' }, ctx(token));
    const smsCode = /\b(\d{8})\b/.exec(h.smsSent.at(-1)?.text ?? '')?.[1] ?? '';
    expect(smsCode).toMatch(/^\d{8}$/);
    expect((await dispatcher.dispatch('mtan.confirm', { code: smsCode }, ctx(token))).result.ok).toBe(true);
    await dispatcher.dispatch('tan.request', { action: 'RECEIPT_VIEW' }, ctx(token));
    const tan = /\b(\d{7})\b/.exec(h.smsSent.at(-1)?.text ?? '')?.[1] ?? '';
    expect(tan).toMatch(/^\d{7}$/);
    expect((await dispatcher.dispatch('receipt.view', { tan }, ctx(token))).result.ok).toBe(true);
  });

  it('refuses a session that would end before the kiosk has finished warning', () => {
    expect(() => parseConfig({ policy: { session: { idleMs: 100_000 } } })).toThrow(/idleWarnAfterMs \+ kiosk.idleCountdownMs/);
    expect(() => parseConfig({ kiosk: { idleWarnAfterMs: 100_000 } })).toThrow();
    expect(parseConfig({ policy: { session: { idleMs: 110_000 } } }).policy.session.idleMs).toBe(110_000);
  });
});
