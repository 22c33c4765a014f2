/**
 * Every short secret a person types in (activation key, e-mail code, reset code, SMS code, TAN) is
 * checked by one code-attempt machine (core/codes.ts attemptIn). Guessing is the threat: each
 * wrong entry must count, the Nth must void the code for good, and a void code must stay void even
 * when the right one follows, without touching anything else in the account or sending anything.
 * One table, one set of assertions, so the five flows cannot drift apart.
 */
import { describe, expect, it } from 'vitest';
import type { Account, HashedCode } from '../../src-main/core/account.js';
import type { ErrorCode, Result } from '../../src-main/core/result.js';
import { CARD_DIGITS, activeAccount, withMtan } from '../fixtures/active.js';
import { WHO, erikaInput, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';

type Harness = ReturnType<typeof makeHarness>;

/** The flow token the requesting screen holds (the dispatcher hands it out with password.forgot). */
const FLOW = 'flow-token-of-this-screen';

interface Pending {
  readonly h: Harness;
  readonly id: string;
  /** The code as the person received it. */
  readonly right: string;
  /** Enters one code through the core API, exactly as the screen does. */
  readonly submit: (entry: string) => Promise<Result<unknown>>;
}

interface CodeKind {
  readonly name: string;
  /** Wrong entries until the code is void (the Nth wrong entry voids it). */
  readonly maxTries: number;
  readonly invalid: ErrorCode;
  readonly void: ErrorCode;
  /** An account with this code pending, and the way to enter it. */
  readonly setup: () => Promise<Pending>;
  /** Where the account keeps the pending code. */
  readonly stored: (account: Account) => HashedCode | undefined;
  /** The account with only the pending code replaced. */
  readonly withCode: (account: Account, code: HashedCode) => Account;
}

/** The same code with its last character changed: same shape, so it is checked and counted. */
function wrongFor(code: string): string {
  const last = code.at(-1) ?? '0';
  const next = /\d/.test(last)
    ? String((Number(last) + 1) % 10)
    : String.fromCharCode(((last.toUpperCase().charCodeAt(0) - 65 + 1) % 26) + 65);
  return code.slice(0, -1) + next;
}

const codeFromMail = (h: Harness, kind: string): string => {
  const mail = h.mails.at(-1);
  const code = mail?.kind === kind ? /\b(\d{8})\b/.exec(mail.text)?.[1] : undefined;
  if (!code) throw new Error(`no ${kind} mail`);
  return code;
};

const KINDS: readonly CodeKind[] = [
  {
    name: 'activation key (letter)',
    maxTries: 10,
    invalid: 'KEY_INVALID',
    void: 'KEY_VOID',
    setup: async () => {
      const h = makeHarness();
      const id = await registeredAndConfirmed(h);
      const r = await h.core.identity.requestLetter(WHO, id);
      if (!r.ok) throw new Error(r.error.code);
      const letter = h.letters.at(-1);
      if (letter?.kind !== 'ACTIVATION_KEY') throw new Error('no letter');
      return { h, id, right: letter.key, submit: (key) => h.core.identity.enterKey(WHO, id, key) };
    },
    stored: (a) => a.identity.letter,
    withCode: (a, code) => ({ ...a, identity: { ...a.identity, letter: { ...code, letterRef: a.identity.letter?.letterRef ?? '' } } }),
  },
  {
    name: 'e-mail confirmation code',
    maxTries: 5,
    invalid: 'CODE_INVALID',
    void: 'CODE_VOID',
    setup: async () => {
      const h = makeHarness();
      const r = await h.core.registration.register(WHO, erikaInput());
      if (!r.ok) throw new Error(r.error.code);
      const id = r.value.accountId;
      return { h, id, right: h.lastCode(), submit: (code) => h.core.email.confirm(WHO, id, { email: 'erika@example.org', code }) };
    },
    stored: (a) => a.email.code,
    withCode: (a, code) => ({ ...a, email: { ...a.email, code } }),
  },
  {
    name: 'password reset code',
    maxTries: 5,
    invalid: 'CODE_INVALID',
    void: 'CODE_VOID',
    setup: async () => {
      const h = makeHarness();
      const id = await registeredAndConfirmed(h);
      const r = await h.core.password.requestReset(WHO, { username: 'erika.m', kvnr: 'A123456780', birthDate: '1984-08-12' }, FLOW);
      if (!r.ok) throw new Error(r.error.code);
      return {
        h,
        id,
        right: codeFromMail(h, 'RESET_CODE'),
        submit: (code) => h.core.password.completeReset(WHO, { username: 'erika.m', code, newPassword: 'Neue*Wiese42' }, FLOW),
      };
    },
    stored: (a) => a.passwordReset?.code,
    withCode: (a, code) => ({ ...a, passwordReset: { requestedAt: [], ...a.passwordReset, code } }),
  },
  {
    name: 'mTAN enrolment SMS code',
    maxTries: 3,
    invalid: 'CODE_INVALID',
    void: 'CODE_VOID',
    setup: async () => {
      const { h, id } = await activeAccount();
      await h.core.mtan.start(id);
      const card = await h.core.mtan.enterCard(WHO, id, CARD_DIGITS);
      if (!card.ok) throw new Error(card.error.code);
      const sent = await h.core.mtan.sendCode(WHO, id, '0151 23456789');
      if (!sent.ok) throw new Error(sent.error.code);
      return { h, id, right: h.lastSmsCode(), submit: (code) => h.core.mtan.confirm(WHO, id, code) };
    },
    stored: (a) => a.mtanEnrolment?.code,
    withCode: (a, code) => {
      if (!a.mtanEnrolment) throw new Error('no enrolment');
      return { ...a, mtanEnrolment: { ...a.mtanEnrolment, code } };
    },
  },
  {
    name: 'TAN (patient receipt)',
    maxTries: 3,
    invalid: 'TAN_INVALID',
    void: 'TAN_VOID',
    setup: async () => {
      const { h, id } = await withMtan();
      const r = await h.core.mtan.requestTan(WHO, id, { action: 'RECEIPT_VIEW' });
      if (!r.ok) throw new Error(r.error.code);
      return { h, id, right: h.lastSmsCode(), submit: (tan) => h.core.services.receipt(WHO, id, tan) };
    },
    stored: (a) => a.tan,
    withCode: (a, code) => {
      if (!a.tan) throw new Error('no TAN');
      return { ...a, tan: { ...a.tan, ...code } };
    },
  },
];

describe.each(KINDS)('code attempts: $name', (kind) => {
  it(`counts each wrong entry, the ${kind.maxTries}. voids the code, the right one is then refused; nothing else changes`, async () => {
    const { h, id, right, submit } = await kind.setup();
    const wrong = wrongFor(right);
    expect(wrong).not.toBe(right);
    const before = await h.accounts.get(id);
    const code = before && kind.stored(before);
    if (!before || !code) throw new Error('no pending code');
    expect(code).toMatchObject({ failures: 0, state: 'ACTIVE' });
    const sent = () => ({ mails: h.mails.length, sms: h.smsSent.length, letters: h.letters.length, documents: h.documents.length });
    const sentBefore = sent();

    for (let failures = 1; failures < kind.maxTries; failures++) {
      expect(await submit(wrong)).toEqual({ ok: false, error: { code: kind.invalid, details: { remaining: kind.maxTries - failures } } });
      // The failure is counted in the stored code and nowhere else.
      expect(await h.accounts.get(id)).toEqual(kind.withCode(before, { ...code, failures, state: 'ACTIVE' }));
    }

    expect(await submit(wrong)).toEqual({ ok: false, error: { code: kind.void } });
    const voided = kind.withCode(before, { ...code, failures: kind.maxTries, state: 'VOID' });
    expect(await h.accounts.get(id)).toEqual(voided);

    // The right code no longer helps: still void, and neither counted nor applied.
    expect(await submit(right)).toEqual({ ok: false, error: { code: kind.void } });
    expect(await h.accounts.get(id)).toEqual(voided);
    expect(sent()).toEqual(sentBefore);
  });
});
