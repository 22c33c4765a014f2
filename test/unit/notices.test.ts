/** The kiosk says what a step changed: derived from the main process's views before and after. */
import { describe, expect, it } from 'vitest';
import type { OnboardingView } from '../../src-main/ipc/responses.js';
import { changeNotice } from '../../src-renderer/state/notices.js';

const base: OnboardingView = {
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
};
const view = (change: Partial<OnboardingView>): OnboardingView => ({ ...base, ...change });
const confirmedBy = (identityMethod: string) => view({ step: 'MAILBOX', stepNumber: 4, identityConfirmed: true, identityMethod });

describe('what a step changed', () => {
  it('names each change once', () => {
    expect(changeNotice(base, view({ step: 'CHOOSE_IDENTITY', stepNumber: 3 }))).toBe('notice.emailConfirmed');
    const waiting = view({ step: 'ENTER_KEY', stepNumber: 3 });
    expect(changeNotice(waiting, confirmedBy('LETTER'))).toBe('notice.keyAccepted');
    expect(changeNotice(view({ step: 'POSTIDENT_PENDING', stepNumber: 3 }), confirmedBy('POSTIDENT'))).toBe('notice.postidentConfirmed');
    expect(changeNotice(waiting, confirmedBy('COUNTER'))).toBe('notice.identityConfirmed');
    const mailbox = confirmedBy('LETTER');
    expect(changeNotice(mailbox, { ...mailbox, step: 'DONE', mailbox: 'ACTIVE' })).toBe('notice.mailboxActivated');
    expect(changeNotice(mailbox, { ...mailbox, step: 'DONE', mailbox: 'DECLINED' })).toBe('notice.mailboxDeclined');
    const declined = { ...mailbox, step: 'DONE' as const, mailbox: 'DECLINED' as const };
    expect(changeNotice(declined, { ...declined, mailbox: 'ACTIVE' })).toBe('notice.mailboxActivated');
  });

  it('a POSTIDENT success reported while nobody was logged in is said at the next login', () => {
    expect(changeNotice(undefined, confirmedBy('POSTIDENT'))).toBe('notice.postidentConfirmed');
    expect(changeNotice(undefined, confirmedBy('LETTER'))).toBeUndefined();
    expect(
      changeNotice(
        undefined,
        view({ step: 'DONE', stepNumber: 4, identityConfirmed: true, identityMethod: 'POSTIDENT', mailbox: 'ACTIVE' }),
      ),
    ).toBeUndefined();
  });

  it('says nothing when nothing changed, or when the screen says it itself (leaving the mailbox)', () => {
    expect(changeNotice(base, base)).toBeUndefined();
    const active = view({ step: 'DONE', stepNumber: 4, identityConfirmed: true, identityMethod: 'LETTER', mailbox: 'ACTIVE' });
    expect(changeNotice(active, { ...active, unreadMessages: 2 })).toBeUndefined();
    expect(changeNotice(active, { ...active, mailbox: 'DECLINED' })).toBeUndefined();
  });
});
