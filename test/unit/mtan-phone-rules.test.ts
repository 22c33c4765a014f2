/**
 * Mobile numbers and the TAN request (core/mtan/phone.ts, core/mtan/tan-request.ts, R8): which
 * numbers count as mobile, how a number is shown masked, and that a TAN is only sent for well-formed
 * parameters, bound to them exactly as the action will use them.
 */
import { describe, expect, it } from 'vitest';
import { maskPhone, parseMobile } from '../../src-main/core/mtan/phone.js';
import { WHO } from '../fixtures/harness.js';
import { withMtan } from '../fixtures/active.js';

describe('mobile numbers', () => {
  it('where mobile and landline numbers cannot be told apart (US, Canada), the number is accepted', () => {
    expect(parseMobile('+1 201 555 0123', 'DE')).toEqual({ ok: true, e164: '+12015550123' });
  });

  it('text, a number too long and a service number are refused, each with its own reason', () => {
    expect(parseMobile('abc', 'DE')).toEqual({ ok: false, reason: 'PHONE_INVALID' });
    expect(parseMobile('0151 2345678901234', 'DE')).toEqual({ ok: false, reason: 'PHONE_INVALID' });
    expect(parseMobile('0800 1234567', 'DE')).toEqual({ ok: false, reason: 'PHONE_NOT_MOBILE' });
  });

  it('a number is shown with its country code and last four digits only', () => {
    expect(maskPhone('+4915123456789')).toBe('+49 ••• 6789');
    expect(maskPhone('+12015550123')).toBe('+12 ••• 0123');
  });
});

describe('requesting a TAN', () => {
  it('for a new mobile number, a landline or malformed number is refused before any SMS', async () => {
    const { h, id } = await withMtan();
    const sent = h.smsSent.length;
    expect(await h.core.mtan.requestTan(WHO, id, { action: 'CHANGE_MOBILE', phone: '030 1234567' })).toEqual({
      ok: false,
      error: { code: 'PHONE_NOT_MOBILE' },
    });
    expect(await h.core.mtan.requestTan(WHO, id, { action: 'CHANGE_MOBILE', phone: '12' })).toEqual({
      ok: false,
      error: { code: 'PHONE_INVALID' },
    });
    expect(h.smsSent).toHaveLength(sent);
    expect((await h.accounts.get(id))?.tan).toBeUndefined();
  });

  it('for a new e-mail address, a malformed address is refused before any SMS', async () => {
    const { h, id } = await withMtan();
    const sent = h.smsSent.length;
    expect(await h.core.mtan.requestTan(WHO, id, { action: 'CHANGE_EMAIL', email: 'neu.example.org' })).toEqual({
      ok: false,
      error: { code: 'EMAIL_INVALID' },
    });
    expect(h.smsSent).toHaveLength(sent);
  });

  it('a TAN for a number written nationally confirms the same number written internationally', async () => {
    const { h, id } = await withMtan();
    const r = await h.core.mtan.requestTan(WHO, id, { action: 'CHANGE_MOBILE', phone: '0160 1111111' });
    expect(r).toMatchObject({ ok: true, value: { sentTo: '+49 ••• 6789' } });
    expect((await h.core.services.changeMobile(WHO, id, '+49 160 1111111', h.lastSmsCode())).ok).toBe(true);
  });

  it('a TAN for an address typed with capitals and spaces confirms the address as stored', async () => {
    const { h, id } = await withMtan();
    expect((await h.core.mtan.requestTan(WHO, id, { action: 'CHANGE_EMAIL', email: ' Neu@Example.ORG ' })).ok).toBe(true);
    expect((await h.core.services.changeEmail(WHO, id, 'neu@example.org', h.lastSmsCode())).ok).toBe(true);
  });
});
