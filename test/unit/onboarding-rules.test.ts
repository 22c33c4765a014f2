/**
 * Where a person stands in the four registration steps, and what the screen is told about it
 * (account.ts, onboarding-view.ts, identity.ts): derived from the account at the moment asked, with
 * masked contact data and no secret or hash.
 */
import { describe, expect, it } from 'vitest';
import { onboardingStep, stepNumber, withNewEpoch, type Account, type HashedCode } from '../../src-main/core/account.js';
import { identified, requireIdentity } from '../../src-main/core/identity.js';
import { onboardingView } from '../../src-main/core/onboarding-view.js';
import { ERIKA, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';

const NOW = new Date('2026-11-29T10:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
const code = (expiresAt: string, state: HashedCode['state'] = 'ACTIVE'): HashedCode => ({
  hash: 'secret-hash-of-the-code',
  issuedAt: at(-60_000),
  expiresAt,
  failures: 0,
  state,
});

const BASE: Account = {
  id: 'acc-1',
  kvnr: 'A123456780',
  username: 'erika.m',
  usernameKey: 'erika.m',
  language: 'de',
  createdAt: at(-86_400_000),
  password: { hash: 'secret-hash-of-the-password', changedAt: at(-86_400_000), history: [] },
  consents: {
    privacy: { version: '2026-01', acceptedAt: at(-86_400_000) },
    participation: { version: '2026-01', acceptedAt: at(-86_400_000) },
  },
  email: { email: 'erika@example.org', confirmedAt: at(-3_600_000), resentAt: [] },
  identity: {},
  mailbox: { state: 'PENDING' },
  login: { failures: 0 },
};

const withIdentity = (identity: Account['identity']): Account => ({ ...BASE, identity });
const letter = (expiresAt: string, state: HashedCode['state'] = 'ACTIVE') => ({ ...code(expiresAt, state), letterRef: 'L-1' });
const postident = (state: 'OPEN' | 'SUCCESS' | 'DECLINED' | 'ABANDONED') => ({
  caseId: 'CASE-1',
  continueUrl: 'https://example.invalid/1',
  openedAt: at(-60_000),
  state,
});
const confirmed: Account['identity'] = { confirmedAt: at(-60_000), method: 'LETTER' };

describe('the registration step of an account', () => {
  it('an unconfirmed e-mail address comes first (step 2)', () => {
    const account = { ...BASE, email: { email: 'erika@example.org', resentAt: [] } };
    expect(onboardingStep(account, NOW)).toBe('CONFIRM_EMAIL');
    expect(stepNumber('CONFIRM_EMAIL')).toBe(2);
  });

  it('a letter with its key is awaited until the instant it expires; from then on the person chooses again', () => {
    expect(onboardingStep(withIdentity({ letter: letter(at(1)) }), NOW)).toBe('ENTER_KEY');
    expect(onboardingStep(withIdentity({ letter: letter(at(0)) }), NOW)).toBe('CHOOSE_IDENTITY');
    expect(onboardingStep(withIdentity({ letter: letter(at(60_000), 'VOID') }), NOW)).toBe('CHOOSE_IDENTITY');
  });

  it('a live letter counts before a POSTIDENT case', () => {
    expect(onboardingStep(withIdentity({ letter: letter(at(60_000)), postident: postident('DECLINED') }), NOW)).toBe('ENTER_KEY');
  });

  it('an open POSTIDENT case is pending; a declined or abandoned one failed; without any the person chooses', () => {
    expect(onboardingStep(withIdentity({ postident: postident('OPEN') }), NOW)).toBe('POSTIDENT_PENDING');
    expect(onboardingStep(withIdentity({ postident: postident('DECLINED') }), NOW)).toBe('POSTIDENT_FAILED');
    expect(onboardingStep(withIdentity({ postident: postident('ABANDONED') }), NOW)).toBe('POSTIDENT_FAILED');
    expect(onboardingStep(withIdentity({ postident: postident('SUCCESS') }), NOW)).toBe('CHOOSE_IDENTITY');
    expect(onboardingStep(withIdentity({}), NOW)).toBe('CHOOSE_IDENTITY');
  });

  it('the identity steps are step 3; the mailbox decision and done are step 4', () => {
    for (const step of ['CHOOSE_IDENTITY', 'ENTER_KEY', 'POSTIDENT_PENDING', 'POSTIDENT_FAILED'] as const) expect(stepNumber(step)).toBe(3);
    expect(stepNumber('MAILBOX')).toBe(4);
    expect(stepNumber('DONE')).toBe(4);
  });

  it('with a confirmed identity the mailbox is decided next, and after that registration is done', () => {
    expect(onboardingStep(withIdentity(confirmed), NOW)).toBe('MAILBOX');
    expect(onboardingStep({ ...withIdentity(confirmed), mailbox: { state: 'ACTIVE' } }, NOW)).toBe('DONE');
    expect(onboardingStep({ ...withIdentity(confirmed), mailbox: { state: 'DECLINED' } }, NOW)).toBe('DONE');
  });

  it('every end of access gives the account a new epoch, starting from the first', () => {
    expect(withNewEpoch(BASE).epoch).toBe(1);
    expect(withNewEpoch({ ...BASE, epoch: 4 }).epoch).toBe(5);
  });
});

describe('what the screen is told about the person’s progress', () => {
  it('a fresh account: the first name from the register, the masked address, nothing confirmed, no secret', () => {
    const view = onboardingView({ ...BASE, email: { email: 'erika@example.org', resentAt: [] } }, ERIKA, NOW, 365, 0);
    expect(view).toStrictEqual({
      step: 'CONFIRM_EMAIL',
      stepNumber: 2,
      firstName: 'Erika',
      username: 'erika.m',
      emailMasked: 'e***@example.org',
      letterExpired: false,
      mailbox: 'PENDING',
      passwordChangeDue: false,
      identityConfirmed: false,
      unreadMessages: 0,
      mustChangePassword: false,
    });
    expect(JSON.stringify(view)).not.toContain('secret');
  });

  it('without the register’s entry the first name is empty', () => {
    expect(onboardingView(BASE, undefined, NOW, 365, 0).firstName).toBe('');
  });

  it('a waiting letter shows until when it is valid, and that it expired from that instant on', () => {
    expect(onboardingView(withIdentity({ letter: letter(at(1)) }), ERIKA, NOW, 365, 0)).toMatchObject({
      step: 'ENTER_KEY',
      stepNumber: 3,
      letterValidUntil: at(1),
      letterExpired: false,
    });
    expect(onboardingView(withIdentity({ letter: letter(at(0)) }), ERIKA, NOW, 365, 0)).toMatchObject({
      step: 'CHOOSE_IDENTITY',
      letterValidUntil: at(0),
      letterExpired: true,
    });
    const used = onboardingView(withIdentity({ ...confirmed, letter: letter(at(-1), 'USED') }), ERIKA, NOW, 365, 0);
    expect(used.letterExpired).toBe(false);
    expect(used).not.toHaveProperty('letterValidUntil');
  });

  it('a POSTIDENT case shows its case number, its link and its state, nothing more', () => {
    const view = onboardingView(withIdentity({ postident: postident('OPEN') }), ERIKA, NOW, 365, 0);
    expect(view.postident).toStrictEqual({ caseId: 'CASE-1', continueUrl: 'https://example.invalid/1', state: 'OPEN' });
  });

  it('a confirmed identity, the method, mTAN with a masked number, unread messages and a temporary password', () => {
    const account: Account = {
      ...withIdentity(confirmed),
      mailbox: { state: 'ACTIVE' },
      password: { ...BASE.password, temporaryUntil: at(86_400_000) },
      mtan: { phone: '+4915123456789', enrolledAt: at(-60_000) },
    };
    expect(onboardingView(account, ERIKA, NOW, 365, 3)).toMatchObject({
      step: 'DONE',
      stepNumber: 4,
      identityMethod: 'LETTER',
      identityConfirmed: true,
      mailbox: 'ACTIVE',
      mtan: { phoneMasked: '+49 ••• 6789' },
      unreadMessages: 3,
      mustChangePassword: true,
    });
  });

  it('a password as old as the reminder period is due for a change', () => {
    const old = { ...BASE, password: { ...BASE.password, changedAt: at(-365 * 86_400_000) } };
    expect(onboardingView(old, ERIKA, NOW, 365, 0).passwordChangeDue).toBe(true);
    expect(onboardingView(old, ERIKA, NOW, 366, 0).passwordChangeDue).toBe(false);
  });

  it('an mTAN set-up in progress is shown until the instant it expires', () => {
    const enrolment = (expiresAt: string): Account => ({
      ...withIdentity(confirmed),
      mtanEnrolment: { stage: 'SMS', startedAt: at(-60_000), expiresAt, cardFailures: 0, phone: '+4915123456789' },
    });
    expect(onboardingView(enrolment(at(1)), ERIKA, NOW, 365, 0).mtanEnrolment).toStrictEqual({
      stage: 'SMS',
      expiresAt: at(1),
      phoneMasked: '+49 ••• 6789',
    });
    expect(onboardingView(enrolment(at(0)), ERIKA, NOW, 365, 0)).not.toHaveProperty('mtanEnrolment');
  });
});

describe('online services need a confirmed identity (R4)', () => {
  it('an account without it gets IDENTITY_REQUIRED; with it, the account itself', () => {
    expect(requireIdentity(BASE)).toStrictEqual({ ok: false, error: { code: 'IDENTITY_REQUIRED' } });
    const account = withIdentity(confirmed);
    expect(requireIdentity(account)).toStrictEqual({ ok: true, value: account });
  });

  it('an unknown account is NOT_FOUND; a known one without a confirmed identity IDENTITY_REQUIRED', async () => {
    const h = makeHarness();
    expect(await identified(h.deps, 'no-such-account')).toStrictEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    const id = await registeredAndConfirmed(h);
    expect(await identified(h.deps, id)).toStrictEqual({ ok: false, error: { code: 'IDENTITY_REQUIRED' } });
  });
});
