/**
 * What changed between two onboarding views, as the one sentence the kiosk says about it (a polite
 * status). Derived from the main process's views only, so the renderer never claims a change the
 * main process did not report. Steps the person took on another screen of the kiosk (a code sent,
 * a message written) are said by those screens themselves.
 */
import type { OnboardingView } from '../../src-main/ipc/responses.js';
import type { MessageKey } from '../i18n/i18n.svelte.js';

const IDENTITY: Record<string, MessageKey> = {
  LETTER: 'notice.keyAccepted',
  POSTIDENT: 'notice.postidentConfirmed',
  COUNTER: 'notice.identityConfirmed',
};

export function changeNotice(before: OnboardingView | undefined, after: OnboardingView): MessageKey | undefined {
  if (!before) {
    // Confirmed by Deutsche Post while nobody was logged in: the first view after it says so.
    return after.step === 'MAILBOX' && after.identityMethod === 'POSTIDENT' ? 'notice.postidentConfirmed' : undefined;
  }
  if (before.step === 'CONFIRM_EMAIL' && after.step !== 'CONFIRM_EMAIL') return 'notice.emailConfirmed';
  if (!before.identityConfirmed && after.identityConfirmed) return IDENTITY[after.identityMethod ?? ''] ?? 'notice.identityConfirmed';
  if (before.mailbox !== 'ACTIVE' && after.mailbox === 'ACTIVE') return 'notice.mailboxActivated';
  if (before.mailbox === 'PENDING' && after.mailbox === 'DECLINED') return 'notice.mailboxDeclined';
  return undefined;
}
