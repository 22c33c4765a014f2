/** Forgot username: what the trail records of each request and entry, and how the limits key what was typed. */
import { describe, expect, it } from 'vitest';
import { requestUsernameReminder, revealUsername } from '../../src-main/core/username/recover.js';
import type { CoreDeps } from '../../src-main/core/deps.js';
import { MismatchLimits } from '../../src-main/core/login/guards.js';
import { DEFAULT_POLICY } from '../../src-main/core/policy.js';
import { WHO, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';

const FLOW = 'flow-token-of-this-screen';
const erika = { kvnr: 'A123456780', birthDate: '1984-08-12' };
const SAME = { ok: true, value: { codeSentIfMatching: true } };
const REFUSED = { ok: false, error: { code: 'CODE_REFUSED' } };

type Harness = ReturnType<typeof makeHarness>;

async function confirmed() {
  const h = makeHarness();
  const id = await registeredAndConfirmed(h);
  return { h, id };
}
const requests = (h: Harness) =>
  h.audit
    .events()
    .filter((e) => e.type === 'USERNAME_RECOVERY_REQUESTED')
    .map((e) => ({ subject: e.subject, data: e.data }));
const recovered = (h: Harness) =>
  h.audit
    .events()
    .filter((e) => e.type === 'USERNAME_RECOVERED')
    .map((e) => ({ subject: e.subject, data: e.data }));
function usernameCode(h: Harness): string {
  const mail = h.mails.at(-1);
  const code = mail?.kind === 'USERNAME_CODE' ? /\b(\d{8})\b/.exec(mail.text)?.[1] : undefined;
  if (!code) throw new Error('no username mail');
  return code;
}

describe('forgot username: the trail of a request', () => {
  it('details that do not match are recorded against the account, without sending; an unknown KVNR without a subject', async () => {
    const { h, id } = await confirmed();
    await h.core.username.requestReminder(WHO, { ...erika, birthDate: '1990-01-01' }, FLOW);
    await h.core.username.requestReminder(WHO, { kvnr: 'X110411675', birthDate: '1990-01-01' }, FLOW);
    expect(requests(h)).toEqual([
      { subject: id, data: { detailsMatch: false, sent: false } },
      { subject: undefined, data: { detailsMatch: false, sent: false } },
    ]);
  });

  it('past the KVNR’s limit, requests are marked as under the limit, and the owner’s code is sent all the same', async () => {
    const { h, id } = await confirmed();
    for (let i = 0; i < 5; i++)
      await h.core.username.requestReminder({ ...WHO, terminal: `t-${i}` }, { ...erika, birthDate: '1990-01-01' }, FLOW);
    await h.core.username.requestReminder({ ...WHO, terminal: 'fresh' }, { ...erika, birthDate: '1990-01-01' }, FLOW);
    await h.core.username.requestReminder({ ...WHO, terminal: 'fresh' }, erika, FLOW);
    expect(requests(h).slice(4)).toEqual([
      { subject: id, data: { detailsMatch: false, sent: false } },
      { subject: id, data: { detailsMatch: false, sent: false, underLimit: true } },
      { subject: id, data: { detailsMatch: true, sent: true, underLimit: true } },
    ]);
  });

  it('a matching request below the limits is recorded as sent, without an under-limit mark', async () => {
    const { h, id } = await confirmed();
    await h.core.username.requestReminder(WHO, erika, FLOW);
    expect(requests(h)).toEqual([{ subject: id, data: { detailsMatch: true, sent: true } }]);
  });

  it('an account whose person left the register gets the same answer and no mail', async () => {
    const { h, id } = await confirmed();
    await h.register.replaceAll([]);
    const before = h.mails.length;
    expect(await h.core.username.requestReminder(WHO, erika, FLOW)).toEqual(SAME);
    expect(h.mails.length).toBe(before);
    expect(requests(h)).toEqual([{ subject: id, data: { detailsMatch: false, sent: false } }]);
  });

  it('an account deleted while its request was handled is recorded as a match that sent nothing', async () => {
    const { h, id } = await confirmed();
    const register = Object.assign(Object.create(h.deps.register) as CoreDeps['register'], {
      getByKvnr: async (kvnr: string) => {
        const person = await h.deps.register.getByKvnr(kvnr);
        await h.accounts.delete(id);
        return person;
      },
    });
    const deps: CoreDeps = { ...h.deps, register };
    const before = h.mails.length;
    expect(await requestUsernameReminder(deps, new MismatchLimits(3_600_000), WHO, erika, FLOW)).toEqual(SAME);
    expect(h.mails.length).toBe(before);
    expect(requests(h)).toEqual([{ subject: id, data: { detailsMatch: true, sent: false } }]);
  });

  it('such a request past the KVNR’s limit keeps its under-limit mark', async () => {
    const { h, id } = await confirmed();
    const limiter = new MismatchLimits(3_600_000);
    const wrong = { ...erika, birthDate: '1990-01-01' };
    for (let i = 0; i < 5; i++) await requestUsernameReminder(h.deps, limiter, { ...WHO, terminal: `t-${i}` }, wrong, FLOW);
    const register = Object.assign(Object.create(h.deps.register) as CoreDeps['register'], {
      getByKvnr: async (kvnr: string) => {
        const person = await h.deps.register.getByKvnr(kvnr);
        await h.accounts.delete(id);
        return person;
      },
    });
    const r = await requestUsernameReminder({ ...h.deps, register }, limiter, { ...WHO, terminal: 'fresh' }, erika, FLOW);
    expect(r.ok || r.error.code).toBe('RATE_LIMITED');
    expect(requests(h).at(-1)).toEqual({ subject: id, data: { detailsMatch: true, sent: false, underLimit: true } });
  });
});

describe('forgot username: the limits key what was typed', () => {
  it('something that is no KVNR counts as typed, without spaces and in any case: five tries, then RATE_LIMITED', async () => {
    const h = makeHarness();
    const typed = ['zz 99', 'ZZ99', 'Zz 9 9', 'zZ99', ' ZZ 99 '];
    for (const [i, kvnr] of typed.entries())
      expect(await h.core.username.requestReminder({ ...WHO, terminal: `t-${i}` }, { kvnr, birthDate: '1990-01-01' }, FLOW)).toEqual(SAME);
    const sixth = await h.core.username.requestReminder({ ...WHO, terminal: 'fresh' }, { kvnr: 'zz99', birthDate: '1990-01-01' }, FLOW);
    expect(sixth.ok || sixth.error.code).toBe('RATE_LIMITED');
  });

  it('two different things that are no KVNR do not share a limit', async () => {
    const h = makeHarness();
    for (let i = 0; i < 5; i++)
      await h.core.username.requestReminder({ ...WHO, terminal: `t-${i}` }, { kvnr: 'garbage-one', birthDate: '1990-01-01' }, FLOW);
    expect(
      await h.core.username.requestReminder({ ...WHO, terminal: 'fresh' }, { kvnr: 'garbage-two', birthDate: '1990-01-01' }, FLOW),
    ).toEqual(SAME);
  });

  it('refused requests do not lengthen the block: an hour after the fifth request the KVNR may ask again', async () => {
    const { h } = await confirmed();
    for (let i = 0; i < 5; i++) await h.core.username.requestReminder({ ...WHO, terminal: `t-${i}` }, erika, FLOW);
    h.clock.advance(30 * 60_000);
    for (let i = 0; i < 5; i++) {
      const r = await h.core.username.requestReminder({ ...WHO, terminal: `u-${i}` }, erika, FLOW);
      expect(r.ok || r.error.code).toBe('RATE_LIMITED');
    }
    h.clock.advance(DEFAULT_POLICY.limits.mismatchWindowMs - 30 * 60_000);
    expect(await h.core.username.requestReminder({ ...WHO, terminal: 'v' }, erika, FLOW)).toEqual(SAME);
  });
});

describe('forgot username: entering the code', () => {
  it('showing the username is recorded as SHOWN; a refusal with its reason', async () => {
    const { h, id } = await confirmed();
    await h.core.username.requestReminder(WHO, erika, FLOW);
    const code = usernameCode(h);
    const wrong = String((Number(code) + 1) % 100_000_000).padStart(8, '0');
    expect(await h.core.username.reveal(WHO, { kvnr: erika.kvnr, code: wrong }, FLOW)).toEqual(REFUSED);
    expect((await h.core.username.reveal(WHO, { kvnr: erika.kvnr, code }, FLOW)).ok).toBe(true);
    expect(recovered(h)).toEqual([
      { subject: id, data: { success: false, outcome: 'CODE_INVALID' } },
      { subject: id, data: { success: true, outcome: 'SHOWN' } },
    ]);
  });

  it('an account that never asked gets the one refusal', async () => {
    const { h } = await confirmed();
    expect(await h.core.username.reveal(WHO, { kvnr: erika.kvnr, code: '12345678' }, FLOW)).toEqual(REFUSED);
  });

  it('an account deactivated after it asked gets the one refusal, recorded, and the code is not used up', async () => {
    const { h, id } = await confirmed();
    await h.core.username.requestReminder(WHO, erika, FLOW);
    const code = usernameCode(h);
    await h.accounts.update(id, (a) => ({
      next: { ...a, login: { ...a.login, deactivatedAt: '2026-11-29T10:01:00.000Z' } },
      result: null,
    }));
    expect(await h.core.username.reveal(WHO, { kvnr: erika.kvnr, code }, FLOW)).toEqual(REFUSED);
    expect(recovered(h)).toEqual([{ subject: id, data: { success: false, outcome: 'CODE_REFUSED' } }]);
    expect((await h.accounts.get(id))?.usernameRecovery?.code?.state).not.toBe('USED');
  });

  it('an account deleted while its code was entered gets the one refusal', async () => {
    const { h, id } = await confirmed();
    await h.core.username.requestReminder(WHO, erika, FLOW);
    const code = usernameCode(h);
    const accounts = Object.assign(Object.create(h.deps.accounts) as CoreDeps['accounts'], {
      findByKvnr: async (kvnr: string) => {
        const found = await h.deps.accounts.findByKvnr(kvnr);
        await h.deps.accounts.delete(id);
        return found;
      },
    });
    expect(await revealUsername({ ...h.deps, accounts }, WHO, { kvnr: erika.kvnr, code }, FLOW)).toEqual(REFUSED);
  });
});
