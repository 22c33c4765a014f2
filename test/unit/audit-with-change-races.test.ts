/**
 * Entries that go with their change must still be written when the change's decision finds the
 * account moved on while something slow happened outside it (an SMS on its way, a password being
 * hashed): what happened (an SMS sent, a reset refused) is recorded as it was before the entries
 * moved into the change. Threat: an SMS code or a refused reset that leaves no trace.
 */
import { describe, expect, it } from 'vitest';
import type { PasswordHasher } from '../../src-main/core/ports.js';
import { CARD_DIGITS, activeAccount } from '../fixtures/active.js';
import { WHO, fastPasswords, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';

const FLOW = 'flow-token-of-this-screen';
const ERIKA_DETAILS = { username: 'erika.m', kvnr: 'A123456780', birthDate: '1984-08-12' };

describe('entries of a change whose decision finds the account moved on', () => {
  it('an enrolment SMS code that went out is recorded also when the enrolment ended on its way', async () => {
    const { h, id } = await activeAccount();
    await h.core.mtan.start(id);
    await h.core.mtan.enterCard(WHO, id, CARD_DIGITS);
    const push = h.smsSent.push.bind(h.smsSent);
    h.smsSent.push = (...items) => {
      // Another screen ends the enrolment while the gateway takes the SMS (queued before the code is stored).
      void h.accounts.update(id, (account) => {
        const { mtanEnrolment: _ended, ...rest } = account;
        return { next: rest, result: null };
      });
      return push(...items);
    };
    const sent = await h.core.mtan.sendCode(WHO, id, '0151 23456789');
    expect(sent.ok || sent.error.code).toBe('ENROLMENT_ENDED');
    expect(h.smsSent).toHaveLength(1);
    expect(h.audit.events().filter((e) => e.type === 'MTAN_CODE_SENT' && e.subject === id)).toHaveLength(1);
  });

  it('a reset refused because the request was replaced while the new password was hashed is recorded as a failed reset', async () => {
    let meanwhile: (() => Promise<unknown>) | undefined;
    const passwords: PasswordHasher = {
      hash: async (password) => {
        const run = meanwhile;
        meanwhile = undefined;
        await run?.();
        return fastPasswords.hash(password);
      },
      verify: (hash, password) => fastPasswords.verify(hash, password),
    };
    const h = makeHarness({ passwords });
    const id = await registeredAndConfirmed(h);
    const requested = await h.core.password.requestReset(WHO, ERIKA_DETAILS, FLOW);
    expect(requested.ok).toBe(true);
    const code = /\b(\d{8})\b/.exec(h.mails.at(-1)?.text ?? '')?.[1] ?? '';
    // Another screen asks again for the same account: its request replaces this one.
    meanwhile = () => h.core.password.requestReset(WHO, ERIKA_DETAILS, 'flow-token-of-another-screen');
    const done = await h.core.password.completeReset(WHO, { username: 'erika.m', code, newPassword: 'Neue*Wiese42' }, FLOW);
    expect(done.ok || done.error.code).toBe('CODE_INVALID');
    expect(h.audit.events().filter((e) => e.type === 'PASSWORD_RESET' && e.subject === id)).toEqual([
      expect.objectContaining({ data: { success: false } }),
    ]);
  });
});
