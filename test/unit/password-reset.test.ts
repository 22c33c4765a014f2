import { describe, expect, it } from 'vitest';
import { kvnrCheckDigit } from '../../src-main/core/kvnr.js';

/** The flow token the requesting screen holds (the dispatcher hands it out with password.forgot). */
const FLOW = 'flow-token-of-this-screen';
import { ERIKA, WHO, erikaInput, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';

const forgot = { username: 'erika.m', kvnr: 'a123456780', birthDate: '1984-08-12' };
const wrong = { username: 'erika.m', password: 'Wrong*Pass1' };

async function withConfirmed() {
  const h = makeHarness();
  const id = await registeredAndConfirmed(h);
  return { h, id };
}
async function resetCode(h: ReturnType<typeof makeHarness>) {
  const r = await h.core.password.requestReset(WHO, forgot, FLOW);
  if (!r.ok) throw new Error(r.error.code);
  const mail = h.mails.at(-1);
  const code = mail?.kind === 'RESET_CODE' ? /\b(\d{8})\b/.exec(mail.text)?.[1] : undefined;
  if (!code) throw new Error('no reset mail');
  return code;
}
const otherCode = (code: string) => String((Number(code) + 1) % 100_000_000).padStart(8, '0');

describe('forgot password (R7)', () => {
  it('sends an 8-digit code to the confirmed address; the new password works and the old does not', async () => {
    const { h, id } = await withConfirmed();
    const code = await resetCode(h);
    expect(h.mails.at(-1)?.to).toBe('erika@example.org');
    expect(await h.core.password.completeReset(WHO, { username: 'erika.m', code, newPassword: 'Neue*Wiese42' }, FLOW)).toEqual({
      ok: true,
      value: { accountId: id },
    });
    expect((await h.core.login.withPassword(WHO, { username: 'erika.m', password: 'Neue*Wiese42' })).ok).toBe(true);
    expect((await h.core.login.withPassword(WHO, { username: 'erika.m', password: 'Heide*Blume7' })).ok).toBe(false);
    expect(h.mails.some((m) => m.kind === 'PASSWORD_CHANGED')).toBe(true);
  });

  it('refuses details that do not match, without sending anything', async () => {
    const { h } = await withConfirmed();
    const before = h.mails.length;
    for (const change of [{ kvnr: 'X110411675' }, { birthDate: '1984-08-13' }, { username: 'someone.else' }, { kvnr: 'garbage' }]) {
      expect(await h.core.password.requestReset(WHO, { ...forgot, ...change }, FLOW)).toEqual({
        ok: false,
        error: { code: 'DETAILS_MISMATCH' },
      });
    }
    expect(h.mails.length).toBe(before);
  });

  it('sends deactivated accounts and unconfirmed e-mail addresses to the counter', async () => {
    const fresh = makeHarness();
    await fresh.core.registration.register(WHO, erikaInput());
    expect(await fresh.core.password.requestReset(WHO, forgot, FLOW)).toEqual({
      ok: false,
      error: { code: 'GO_TO_COUNTER', details: { reason: 'EMAIL_NOT_CONFIRMED' } },
    });

    const { h } = await withConfirmed();
    for (let i = 0; i < 6; i++) await h.core.login.withPassword(WHO, wrong);
    expect(await h.core.password.requestReset(WHO, forgot, FLOW)).toEqual({
      ok: false,
      error: { code: 'GO_TO_COUNTER', details: { reason: 'DEACTIVATED' } },
    });
  });

  it('during the lock, a reset lifts the lock and resets the count', async () => {
    const { h, id } = await withConfirmed();
    for (let i = 0; i < 5; i++) await h.core.login.withPassword(WHO, wrong);
    expect((await h.accounts.get(id))?.login.lockedUntil).toBeDefined();
    h.clock.advance(3_600_000);
    const code = await resetCode(h);
    expect((await h.core.password.completeReset(WHO, { username: 'erika.m', code, newPassword: 'Neue*Wiese42' }, FLOW)).ok).toBe(true);
    expect((await h.accounts.get(id))?.login).toEqual({ failures: 0 });
    expect((await h.core.login.withPassword(WHO, { username: 'erika.m', password: 'Neue*Wiese42' })).ok).toBe(true);
  });

  it('the code is valid for 30 minutes: at the last second yes, one second later no', async () => {
    const a = await withConfirmed();
    const codeA = await resetCode(a.h);
    a.h.clock.advance(30 * 60_000 - 1_000);
    expect((await a.h.core.password.completeReset(WHO, { username: 'erika.m', code: codeA, newPassword: 'Neue*Wiese42' }, FLOW)).ok).toBe(
      true,
    );
    const b = await withConfirmed();
    const codeB = await resetCode(b.h);
    b.h.clock.advance(30 * 60_000);
    const late = await b.h.core.password.completeReset(WHO, { username: 'erika.m', code: codeB, newPassword: 'Neue*Wiese42' }, FLOW);
    expect(late.ok || late.error.code).toBe('CODE_EXPIRED');
  });

  // Five wrong codes void it: test/unit/code-attempts.test.ts.
  it('a replayed code is refused', async () => {
    const second = await withConfirmed();
    const used = await resetCode(second.h);
    await second.h.core.password.completeReset(WHO, { username: 'erika.m', code: used, newPassword: 'Neue*Wiese42' }, FLOW);
    const replay = await second.h.core.password.completeReset(
      WHO,
      { username: 'erika.m', code: used, newPassword: 'Andere*Wiese43' },
      FLOW,
    );
    expect(replay.ok || replay.error.code).toBe('CODE_VOID');
  });

  it('only the screen that asked can enter the code: others get one answer and count nothing', async () => {
    const { h, id } = await withConfirmed();
    const code = await resetCode(h);
    const before = await h.accounts.get(id);
    const uniform = { ok: false, error: { code: 'CODE_INVALID', details: { remaining: 0 } } };
    for (const flow of ['', 'someone-elses-flow']) {
      for (let i = 0; i < 6; i++) {
        expect(
          await h.core.password.completeReset(WHO, { username: 'erika.m', code: otherCode(code), newPassword: 'Neue*Wiese42' }, flow),
        ).toEqual(uniform);
      }
      // The right code without the flow token does not work either.
      expect(await h.core.password.completeReset(WHO, { username: 'erika.m', code, newPassword: 'Neue*Wiese42' }, flow)).toEqual(uniform);
    }
    // The same answer for a username without an account or without a code.
    expect(await h.core.password.completeReset(WHO, { username: 'nobody.here', code, newPassword: 'Neue*Wiese42' }, FLOW)).toEqual(uniform);
    expect(await h.accounts.get(id)).toEqual(before);
    // The owner's code was not burnt.
    expect((await h.core.password.completeReset(WHO, { username: 'erika.m', code, newPassword: 'Neue*Wiese42' }, FLOW)).ok).toBe(true);
  });

  it('a code of one account does not work for another', async () => {
    const becker = {
      ...ERIKA,
      kvnr: `B80007000${kvnrCheckDigit('B80007000')}`,
      firstName: 'Tobias',
      lastName: 'Becker',
      birthDate: '1978-12-24',
    };
    const h = makeHarness({ register: [ERIKA, becker] });
    await registeredAndConfirmed(h);
    const r = await h.core.registration.register(
      WHO,
      erikaInput({
        kvnr: becker.kvnr,
        firstName: 'Tobias',
        lastName: 'Becker',
        birthDate: '1978-12-24',
        username: 'tobias.b',
        email: 't@example.org',
      }),
    );
    if (!r.ok) throw new Error('setup');
    await h.core.email.confirm(WHO, r.value.accountId, { email: 't@example.org', code: h.lastCode() });
    const erikasCode = await resetCode(h);
    const cross = await h.core.password.completeReset(WHO, { username: 'tobias.b', code: erikasCode, newPassword: 'Neue*Wiese42' }, FLOW);
    expect(cross.ok || cross.error.code).toBe('CODE_INVALID');
    expect((await h.core.login.withPassword(WHO, { username: 'tobias.b', password: 'Heide*Blume7' })).ok).toBe(true);
  });

  it('a rejected new password keeps the code usable and names the rule', async () => {
    const { h } = await withConfirmed();
    const code = await resetCode(h);
    const weak = await h.core.password.completeReset(WHO, { username: 'erika.m', code, newPassword: 'short' }, FLOW);
    expect(weak.ok || weak.error.code).toBe('PASSWORD_REJECTED');
    const same = await h.core.password.completeReset(WHO, { username: 'erika.m', code, newPassword: 'Heide*Blume7' }, FLOW);
    expect(same.ok || same.error.code).toBe('PASSWORD_REUSED');
    expect((await h.core.password.completeReset(WHO, { username: 'erika.m', code, newPassword: 'Neue*Wiese42' }, FLOW)).ok).toBe(true);
  });

  it('allows five requests an hour', async () => {
    const { h } = await withConfirmed();
    for (let i = 0; i < 5; i++) expect((await h.core.password.requestReset(WHO, forgot, FLOW)).ok).toBe(true);
    const sixth = await h.core.password.requestReset(WHO, forgot, FLOW);
    expect(sixth.ok || sixth.error.code).toBe('RESEND_LIMIT');
  });
});

describe('change password while logged in (R7)', () => {
  it('needs the current password', async () => {
    const { h, id } = await withConfirmed();
    const r = await h.core.password.change(WHO, id, { currentPassword: 'Wrong*Pass1', newPassword: 'Neue*Wiese42' });
    expect(r).toEqual({ ok: false, error: { code: 'CURRENT_PASSWORD_WRONG' } });
  });

  it('refuses any of the last five passwords, allows the sixth-oldest again', async () => {
    const { h, id } = await withConfirmed();
    const passwords = ['Heide*Blume7', 'Zweite*Rose2', 'Dritte*Rose3', 'Vierte*Rose4', 'Fuenfte*Rose5'];
    for (let i = 1; i < passwords.length; i++) {
      const r = await h.core.password.change(WHO, id, { currentPassword: passwords[i - 1] ?? '', newPassword: passwords[i] ?? '' });
      expect(r.ok).toBe(true);
    }
    for (const old of passwords) {
      const r = await h.core.password.change(WHO, id, { currentPassword: 'Fuenfte*Rose5', newPassword: old });
      expect(r).toEqual({ ok: false, error: { code: 'PASSWORD_REUSED', details: { historySize: 5 } } });
    }
    expect((await h.core.password.change(WHO, id, { currentPassword: 'Fuenfte*Rose5', newPassword: 'Sechste*Rose6' })).ok).toBe(true);
    expect((await h.core.password.change(WHO, id, { currentPassword: 'Sechste*Rose6', newPassword: 'Heide*Blume7' })).ok).toBe(true);
  });

  it('reminds after 12 months', async () => {
    const { h, id } = await withConfirmed();
    h.clock.advance(365 * 86_400_000 - 1_000);
    let view = await h.core.view(id);
    expect(view.ok && view.value.passwordChangeDue).toBe(false);
    h.clock.advance(1_000);
    view = await h.core.view(id);
    expect(view.ok && view.value.passwordChangeDue).toBe(true);
    await h.core.password.change(WHO, id, { currentPassword: 'Heide*Blume7', newPassword: 'Neue*Wiese42' });
    view = await h.core.view(id);
    expect(view.ok && view.value.passwordChangeDue).toBe(false);
  });
});
