/** The dispatcher treats every input as hostile: typed errors, and nothing changes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/config/config.js';
import { parseKvnr } from '../../src-main/core/kvnr.js';
import { CHANNELS, channels } from '../../src-main/ipc/contract.js';
import { createDispatcher } from '../../src-main/ipc/dispatcher.js';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { erikaInput, makeHarness } from '../fixtures/harness.js';

const CODES = new Set([
  'VALIDATION_FAILED',
  'WRONG_TERMINAL',
  'NOT_AUTHENTICATED',
  'UNKNOWN_CHANNEL',
  'KVNR_INVALID',
  'REGISTER_MISMATCH',
  'USERNAME_INVALID',
  'EMAIL_INVALID',
  'PASSWORD_REJECTED',
  'CONSENT_REQUIRED',
  'CONSENT_OUTDATED',
  'INVALID_CREDENTIALS',
  'LOGIN_CODE_INVALID',
  'DETAILS_MISMATCH',
  'CODE_INVALID',
  'TERMINAL_PAUSED',
  'RATE_LIMITED',
]);

function setup() {
  const h = makeHarness();
  const dispatcher = createDispatcher(h.core, parseConfig({}));
  const ctx = (sessionToken?: string) => ({ sessionToken, terminal: 'test' });
  const snapshot = async () => ({
    count: await h.accounts.count(),
    // A kiosk's refusals of counter channels are audited on purpose (at most 20 per 10 minutes, see
    // roles.test.ts); everything else must stay as it was.
    audit: h.audit.events().filter((e) => !(e.type === 'STAFF_ACTION_REFUSED' && e.data?.['code'] === 'WRONG_TERMINAL')).length,
    mails: h.mails.length,
    letters: h.letters.length,
  });
  return { h, dispatcher, ctx, snapshot };
}

async function registered() {
  const s = setup();
  const out = await s.dispatcher.dispatch('registration.submit', erikaInput(), s.ctx());
  if (!out.result.ok || typeof out.session !== 'string') throw new Error('setup');
  return { ...s, token: out.session };
}

describe('dispatcher: bad input changes nothing', () => {
  it('random payloads on every channel get a typed error and leave the store untouched', async () => {
    const { dispatcher, ctx, snapshot } = setup();
    const before = await snapshot();
    await fc.assert(
      // help.request takes no input and is meant to change something (a help request at the
      // counter): its rules are tested in help-requests.test.ts.
      fc.asyncProperty(
        fc.constantFrom(...CHANNELS.filter((c) => c !== 'help.request'), 'no.such.channel', '__proto__'),
        fc.anything(),
        async (channel, payload) => {
          const out = await dispatcher.dispatch(channel, payload, ctx());
          if (out.result.ok) {
            expect(['app.info', 'session.logout']).toContain(channel);
          } else {
            expect(CODES).toContain(out.result.error.code);
          }
          // A kiosk answers every counter channel WRONG_TERMINAL, whatever the payload.
          if (CHANNELS.includes(channel as never) && channels[channel as keyof typeof channels].terminal === 'counter') {
            expect(out.result).toEqual({ ok: false, error: { code: 'WRONG_TERMINAL' } });
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('unknown fields, non-string fields and oversized fields are refused', async () => {
    const { dispatcher, ctx, snapshot } = setup();
    const before = await snapshot();
    for (const payload of [
      { ...erikaInput(), isAdmin: true },
      { ...erikaInput(), kvnr: 123 },
      { ...erikaInput(), firstName: ['Erika'] },
      { ...erikaInput(), lastName: 'x'.repeat(101) },
      { ...erikaInput(), password: 'Aa1!'.repeat(2_000) },
      { ...erikaInput(), birthDate: '12.08.1984' },
      { ...erikaInput(), language: 'fr' },
    ]) {
      const out = await dispatcher.dispatch('registration.submit', payload, ctx());
      expect(out.result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      expect(JSON.stringify(out.result)).not.toContain('Heide*Blume7');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('malformed KVNRs get KVNR_INVALID', async () => {
    const { dispatcher, ctx, snapshot } = setup();
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => parseKvnr(s) === undefined),
        async (kvnr) => {
          const out = await dispatcher.dispatch('registration.submit', erikaInput({ kvnr }), ctx());
          expect(out.result).toMatchObject({ ok: false, error: { code: 'KVNR_INVALID' } });
        },
      ),
      { numRuns: 200 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('impossible dates are refused', async () => {
    const { dispatcher, ctx } = setup();
    for (const birthDate of ['1984-02-30', '1984-13-01', '2099-01-01', '0000-01-01']) {
      const out = await dispatcher.dispatch('registration.submit', erikaInput({ birthDate }), ctx());
      expect(out.result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
  });

  it('a second registration for the same person and a username taken in another case', async () => {
    const { h, dispatcher, ctx, snapshot } = await registered();
    const before = await snapshot();
    const again = await dispatcher.dispatch('registration.submit', erikaInput({ username: 'other.name' }), ctx());
    expect(again.result).toMatchObject({ ok: false, error: { code: 'ACCOUNT_EXISTS' } });
    const becker = DEMO_REGISTER.find((p) => p.lastName === 'Becker');
    if (!becker) throw new Error('demo register changed');
    const taken = await dispatcher.dispatch(
      'registration.submit',
      erikaInput({
        kvnr: becker.kvnr,
        firstName: becker.firstName,
        lastName: becker.lastName,
        birthDate: becker.birthDate,
        username: 'ERIKA.M',
      }),
      ctx(),
    );
    expect(taken.result).toMatchObject({ ok: false, error: { code: 'USERNAME_TAKEN' } });
    expect(await snapshot()).toEqual(before);
    expect(h.mails).toHaveLength(1);
  });

  it('account channels need a session; a made-up token is refused', async () => {
    const { dispatcher, ctx } = setup();
    for (const channel of ['onboarding.state', 'email.resend', 'identity.requestLetter', 'mailbox.decide'] as const) {
      const out = await dispatcher.dispatch(channel, channel === 'mailbox.decide' ? { accept: true } : {}, ctx('forged-token'));
      expect(out.result).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
      expect(out.session).toBeNull();
    }
  });

  it('replayed and expired codes', async () => {
    const { h, dispatcher, ctx, token } = await registered();
    const code = h.lastCode();
    h.clock.advance(24 * 3_600_000);
    const expired = await dispatcher.dispatch('email.confirm', { email: 'erika@example.org', code }, ctx(token));
    // The kiosk session itself has ended by then; a fresh login sees the expired code.
    expect(expired.result).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    const login = await dispatcher.dispatch('session.login', { username: 'erika.m', password: 'Heide*Blume7' }, ctx());
    const fresh = typeof login.session === 'string' ? login.session : '';
    const late = await dispatcher.dispatch('email.confirm', { email: 'erika@example.org', code }, ctx(fresh));
    expect(late.result).toMatchObject({ ok: false, error: { code: 'CODE_EXPIRED' } });
    await dispatcher.dispatch('email.resend', {}, ctx(fresh));
    const newCode = h.lastCode();
    expect((await dispatcher.dispatch('email.confirm', { email: 'erika@example.org', code: newCode }, ctx(fresh))).result.ok).toBe(true);
    const replay = await dispatcher.dispatch('email.confirm', { email: 'erika@example.org', code: newCode }, ctx(fresh));
    expect(replay.result).toMatchObject({ ok: false, error: { code: 'WRONG_STEP' } });
  });

  it('codes of the wrong shape are refused without counting a try', async () => {
    const { h, dispatcher, ctx, token } = await registered();
    for (const code of ['1234567', '123456789', 'abcdefgh', '']) {
      const out = await dispatcher.dispatch('email.confirm', { email: 'erika@example.org', code }, ctx(token));
      expect(out.result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
    const view = await h.core.view((await h.accounts.findByUsernameKey('erika.m'))?.id ?? '');
    expect(view.ok && view.value.step).toBe('CONFIRM_EMAIL');
    expect((await h.accounts.findByUsernameKey('erika.m'))?.email.code?.failures).toBe(0);
  });
});

describe('dispatcher: bad login input', () => {
  const failures = async (h: ReturnType<typeof makeHarness>) => (await h.accounts.findByUsernameKey('erika.m'))?.login.failures;

  it('empty, 10,000-character and malformed passwords are refused without counting; 257 characters count as a wrong password', async () => {
    const { h, dispatcher, ctx } = await registered();
    for (const password of ['', 'Aa1!'.repeat(2_500), 'Heide*Blume7\uD800']) {
      const out = await dispatcher.dispatch('session.login', { username: 'erika.m', password }, ctx());
      expect(out.result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
    expect(await failures(h)).toBe(0);
    for (const password of ['A'.repeat(257), 'Heide*Blume7\u0000', 'Heide*Blume7\u200B']) {
      const out = await dispatcher.dispatch('session.login', { username: 'erika.m', password }, ctx());
      expect(out.result).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    }
    expect(await failures(h)).toBe(3);
  });

  it('case variants reach the same account; look-alike letters from other scripts reach none', async () => {
    const { h, dispatcher, ctx } = await registered();
    const variant = await dispatcher.dispatch('session.login', { username: ' ERIKA.M ', password: 'Heide*Blume7' }, ctx());
    expect(variant.result.ok).toBe(true);
    // Cyrillic "е" (U+0435) instead of the Latin "e".
    const homoglyph = await dispatcher.dispatch('session.login', { username: '\u0435rika.m', password: 'Wrong*Pass1' }, ctx());
    expect(homoglyph.result).toEqual({ ok: false, error: { code: 'INVALID_CREDENTIALS', details: {} } });
    expect(await failures(h)).toBe(0);
  });

  it('a new password with a lone surrogate is refused before anything is checked', async () => {
    const { dispatcher, ctx, token } = await registered();
    const out = await dispatcher.dispatch(
      'password.change',
      { currentPassword: 'Heide*Blume7', newPassword: 'Neue*Wiese\uDC00' },
      ctx(token),
    );
    expect(out.result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});

describe('dispatcher: bad service input', () => {
  it('card digits that are not five digits and TANs of the wrong length are refused before the core', async () => {
    const { h, dispatcher, ctx, token } = await registered();
    const before = JSON.stringify(await h.accounts.findByUsernameKey('erika.m'));
    for (const digits of ['1234', '123456', 'abcde', ' 12345', '１２３４５']) {
      expect((await dispatcher.dispatch('mtan.card', { digits }, ctx(token))).result).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
    }
    for (const tan of ['12345', '1234567', 'abcdef', '']) {
      expect((await dispatcher.dispatch('receipt.view', { tan }, ctx(token))).result).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
    }
    expect((await dispatcher.dispatch('account.delete', { password: 'Heide*Blume7', confirm: false }, ctx(token))).result).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(JSON.stringify(await h.accounts.findByUsernameKey('erika.m'))).toBe(before);
  });
});

describe('dispatcher: sessions after a password change', () => {
  it('ends every other session and gives the changing screen a fresh token', async () => {
    const { dispatcher, ctx, token } = await registered();
    const other = await dispatcher.dispatch('session.login', { username: 'erika.m', password: 'Heide*Blume7' }, ctx());
    const otherToken = typeof other.session === 'string' ? other.session : '';
    const changed = await dispatcher.dispatch(
      'password.change',
      { currentPassword: 'Heide*Blume7', newPassword: 'Neue*Wiese42' },
      ctx(token),
    );
    expect(changed.result.ok).toBe(true);
    expect(typeof changed.session).toBe('string');
    expect((await dispatcher.dispatch('onboarding.state', {}, ctx(otherToken))).result).toMatchObject({
      error: { code: 'NOT_AUTHENTICATED' },
    });
    expect((await dispatcher.dispatch('onboarding.state', {}, ctx(token))).result).toMatchObject({ error: { code: 'NOT_AUTHENTICATED' } });
    expect((await dispatcher.dispatch('onboarding.state', {}, ctx(changed.session ?? ''))).result.ok).toBe(true);
  });
});
