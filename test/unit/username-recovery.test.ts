/** Forgot username: code by e-mail to the confirmed address, the rules of "forgot password", no enumeration. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src-main/core/policy.js';
import { kvnrCheckDigit } from '../../src-main/core/kvnr.js';
import { ERIKA, VirtualPacer, WHO, erikaInput, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';

/** The flow token the requesting screen holds (the dispatcher hands it out with username.forgot). */
const FLOW = 'flow-token-of-this-screen';
const erika = { kvnr: 'a 12345678 0', birthDate: '1984-08-12' };
const SAME = { ok: true, value: { codeSentIfMatching: true } };
const REFUSED = { ok: false, error: { code: 'CODE_REFUSED' } };

type Harness = ReturnType<typeof makeHarness>;

async function confirmed(options: Parameters<typeof makeHarness>[0] = {}) {
  const h = makeHarness(options);
  const id = await registeredAndConfirmed(h);
  return { h, id };
}
function usernameCode(h: Harness): string {
  const mail = h.mails.at(-1);
  const code = mail?.kind === 'USERNAME_CODE' ? /\b(\d{8})\b/.exec(mail.text)?.[1] : undefined;
  if (!code) throw new Error('no username mail');
  return code;
}
const otherCode = (code: string) => String((Number(code) + 1) % 100_000_000).padStart(8, '0');
const codeMails = (h: Harness) => h.mails.filter((m) => m.kind === 'USERNAME_CODE').length;

describe('forgot username', () => {
  it('sends a code to the confirmed address; the code shows the username, once', async () => {
    const { h, id } = await confirmed();
    expect(await h.core.username.requestReminder(WHO, erika, FLOW)).toEqual(SAME);
    const mail = h.mails.at(-1);
    expect(mail).toMatchObject({ kind: 'USERNAME_CODE', to: 'erika@example.org', accountId: id });
    // The mail carries the code, not the username: whoever reads it still has to be at the kiosk.
    expect(mail?.text).not.toContain('erika.m');
    const code = usernameCode(h);
    expect(await h.core.username.reveal(WHO, { kvnr: 'A123456780', code }, FLOW)).toEqual({ ok: true, value: { username: 'erika.m' } });
    expect(await h.core.username.reveal(WHO, { kvnr: 'A123456780', code }, FLOW)).toEqual(REFUSED);
    const events = h.audit.events().filter((e) => e.type.startsWith('USERNAME_'));
    expect(events.map((e) => [e.type, e.subject, e.data?.['success'] ?? e.data?.['sent']])).toEqual([
      ['USERNAME_RECOVERY_REQUESTED', id, true],
      ['USERNAME_RECOVERED', id, true],
      ['USERNAME_RECOVERED', id, false],
    ]);
    expect(JSON.stringify(h.audit.events())).not.toContain(code);
  });

  it('gives the same answer, in the same paced time, whether the details match or not; only a match gets mail', async () => {
    const becker = {
      ...ERIKA,
      kvnr: `B80007000${kvnrCheckDigit('B80007000')}`,
      firstName: 'Tobias',
      lastName: 'Becker',
      birthDate: '1978-12-24',
    };
    const pacer = new VirtualPacer();
    const h = makeHarness({ register: [ERIKA, becker], pacer });
    await registeredAndConfirmed(h);
    // Becker registered but never confirmed his address; a deactivated account is below.
    await h.core.registration.register(
      WHO,
      erikaInput({ kvnr: becker.kvnr, firstName: 'Tobias', lastName: 'Becker', birthDate: becker.birthDate, username: 'tobias.b' }),
    );
    const before = h.mails.length;
    const answers = [];
    const times = [];
    for (const input of [
      { kvnr: 'X110411675', birthDate: '1984-08-12' },
      { kvnr: erika.kvnr, birthDate: '1984-08-13' },
      { kvnr: 'garbage', birthDate: '1984-08-12' },
      { kvnr: becker.kvnr, birthDate: becker.birthDate },
      erika,
    ]) {
      const start = pacer.now;
      answers.push(await h.core.username.requestReminder({ ...WHO, terminal: `t-${answers.length}` }, input, FLOW));
      times.push(pacer.now - start);
    }
    expect(answers).toEqual([SAME, SAME, SAME, SAME, SAME]);
    expect(new Set(times)).toEqual(new Set([DEFAULT_POLICY.login.failureFloorMs]));
    expect(h.mails.length).toBe(before + 1);
    expect(h.mails.at(-1)?.kind).toBe('USERNAME_CODE');
  });

  it('sends nothing for a deactivated account, with the same answer', async () => {
    const { h } = await confirmed();
    for (let i = 0; i < 6; i++) await h.core.login.withPassword(WHO, { username: 'erika.m', password: 'Wrong*Pass1' });
    const before = h.mails.length;
    expect(await h.core.username.requestReminder(WHO, erika, FLOW)).toEqual(SAME);
    expect(h.mails.length).toBe(before);
  });

  it('the code is valid for 30 minutes: at the last second yes, one second later no', async () => {
    const a = await confirmed();
    await a.h.core.username.requestReminder(WHO, erika, FLOW);
    const codeA = usernameCode(a.h);
    a.h.clock.advance(30 * 60_000 - 1_000);
    expect((await a.h.core.username.reveal(WHO, { kvnr: erika.kvnr, code: codeA }, FLOW)).ok).toBe(true);

    const b = await confirmed();
    await b.h.core.username.requestReminder(WHO, erika, FLOW);
    const codeB = usernameCode(b.h);
    b.h.clock.advance(30 * 60_000);
    expect(await b.h.core.username.reveal(WHO, { kvnr: erika.kvnr, code: codeB }, FLOW)).toEqual(REFUSED);
  });

  it('five wrong entries void the code; four do not', async () => {
    const a = await confirmed();
    await a.h.core.username.requestReminder(WHO, erika, FLOW);
    const codeA = usernameCode(a.h);
    for (let i = 0; i < 4; i++)
      expect(await a.h.core.username.reveal(WHO, { kvnr: erika.kvnr, code: otherCode(codeA) }, FLOW)).toEqual(REFUSED);
    expect((await a.h.core.username.reveal(WHO, { kvnr: erika.kvnr, code: codeA }, FLOW)).ok).toBe(true);

    const b = await confirmed();
    await b.h.core.username.requestReminder(WHO, erika, FLOW);
    const codeB = usernameCode(b.h);
    for (let i = 0; i < 5; i++) await b.h.core.username.reveal(WHO, { kvnr: erika.kvnr, code: otherCode(codeB) }, FLOW);
    expect(await b.h.core.username.reveal(WHO, { kvnr: erika.kvnr, code: codeB }, FLOW)).toEqual(REFUSED);
    expect((await b.h.accounts.findByKvnr('A123456780'))?.usernameRecovery?.code?.state).toBe('VOID');
  });

  it("another screen's flow token gets the one refusal, counts nothing and does not burn the owner's code", async () => {
    const { h, id } = await confirmed();
    await h.core.username.requestReminder(WHO, erika, FLOW);
    const code = usernameCode(h);
    const before = await h.accounts.get(id);
    for (const flow of ['', 'someone-elses-flow']) {
      for (let i = 0; i < 6; i++)
        expect(await h.core.username.reveal(WHO, { kvnr: erika.kvnr, code: otherCode(code) }, flow)).toEqual(REFUSED);
      expect(await h.core.username.reveal(WHO, { kvnr: erika.kvnr, code }, flow)).toEqual(REFUSED);
    }
    expect(await h.accounts.get(id)).toEqual(before);
    // A screen whose details did not match holds a token too, and gets the same refusal as a wrong code.
    const stranger = 'token-of-a-screen-with-wrong-details';
    await h.core.username.requestReminder({ ...WHO, terminal: 'other' }, { ...erika, birthDate: '1990-01-01' }, stranger);
    expect(await h.core.username.reveal(WHO, { kvnr: erika.kvnr, code }, stranger)).toEqual(REFUSED);
    expect((await h.core.username.reveal(WHO, { kvnr: erika.kvnr, code }, FLOW)).ok).toBe(true);
  });

  it('a new request voids the previous code', async () => {
    const { h } = await confirmed();
    await h.core.username.requestReminder(WHO, erika, FLOW);
    const first = usernameCode(h);
    await h.core.username.requestReminder(WHO, erika, 'second-flow');
    expect(await h.core.username.reveal(WHO, { kvnr: erika.kvnr, code: first }, FLOW)).toEqual(REFUSED);
    expect((await h.core.username.reveal(WHO, { kvnr: erika.kvnr, code: usernameCode(h) }, 'second-flow')).ok).toBe(true);
  });

  it('five codes an hour per account; past that the same answer and no mail, and the hour frees it again', async () => {
    // The per-KVNR limit would stop the sixth request first: raise it to see the account's own limit.
    const policy = { ...DEFAULT_POLICY, limits: { ...DEFAULT_POLICY.limits, forgotUsernamePerKvnr: 50 } };
    const { h } = await confirmed({ policy });
    for (let i = 0; i < 5; i++) expect(await h.core.username.requestReminder(WHO, erika, FLOW)).toEqual(SAME);
    expect(codeMails(h)).toBe(5);
    expect(await h.core.username.requestReminder(WHO, erika, FLOW)).toEqual(SAME);
    expect(codeMails(h)).toBe(5);
    expect(h.audit.events().at(-1)?.data).toMatchObject({ detailsMatch: true, sent: false, hourlyLimit: true });
    h.clock.advance(3_600_000);
    expect(await h.core.username.requestReminder(WHO, erika, FLOW)).toEqual(SAME);
    expect(codeMails(h)).toBe(6);
  });

  it('five requests per KVNR in the window, matching or not; then RATE_LIMITED for everyone, and the owner still gets a code', async () => {
    const { h } = await confirmed();
    for (let i = 0; i < 5; i++) {
      const details = i % 2 === 0 ? { ...erika, birthDate: '1990-01-01' } : erika;
      expect(await h.core.username.requestReminder({ ...WHO, terminal: `t-${i}` }, details, FLOW)).toEqual(SAME);
    }
    const mailsBefore = codeMails(h);
    const wrong = await h.core.username.requestReminder({ ...WHO, terminal: 'fresh' }, { ...erika, birthDate: '1990-01-01' }, FLOW);
    const right = await h.core.username.requestReminder({ ...WHO, terminal: 'fresh' }, erika, 'owner-flow');
    expect(wrong).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', details: { codeSentIfMatching: true } } });
    expect(right).toEqual(wrong);
    expect(codeMails(h)).toBe(mailsBefore + 1);
    expect((await h.core.username.reveal(WHO, { kvnr: erika.kvnr, code: usernameCode(h) }, 'owner-flow')).ok).toBe(true);
    expect(h.audit.events().filter((e) => e.type === 'LIMIT_REACHED' && e.data?.['limit'] === 'FORGOT_USERNAME')).toHaveLength(1);
    // The window slides: an hour later the KVNR may ask again.
    h.clock.advance(DEFAULT_POLICY.limits.mismatchWindowMs);
    expect(await h.core.username.requestReminder(WHO, erika, FLOW)).toEqual(SAME);
  });

  it('twenty requests per terminal in the window, for any KVNR', async () => {
    const h = makeHarness();
    const terminal = { ...WHO, terminal: 'busy-kiosk' };
    for (let i = 0; i < 20; i++) {
      const kvnr = `A${String(10_000_000 + i)}`;
      expect(await h.core.username.requestReminder(terminal, { kvnr: kvnr + kvnrCheckDigit(kvnr), birthDate: '1980-01-01' }, FLOW)).toEqual(
        SAME,
      );
    }
    const next = await h.core.username.requestReminder(terminal, erika, FLOW);
    expect(next.ok || next.error.code).toBe('RATE_LIMITED');
    expect(await h.core.username.requestReminder({ ...WHO, terminal: 'quiet-kiosk' }, erika, FLOW)).toEqual(SAME);
  });
});

describe('the username in writing', () => {
  it('the registration e-mail and a re-sent code name the username', async () => {
    const h = makeHarness();
    const r = await h.core.registration.register(WHO, erikaInput({ username: 'Erika.Muster' }));
    if (!r.ok) throw new Error(r.error.code);
    expect(h.mails.at(-1)?.text).toContain('Ihr Benutzername, mit dem Sie sich anmelden: Erika.Muster');
    await h.core.email.resend(WHO, r.value.accountId);
    expect(h.mails.at(-1)?.text).toContain('Erika.Muster');
  });

  it('in English too', async () => {
    const h = makeHarness();
    await h.core.registration.register(WHO, erikaInput({ language: 'en' }));
    expect(h.mails.at(-1)?.text).toContain('Your username, which you log in with: erika.m');
  });
});
