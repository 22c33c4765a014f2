/** What the renderer may know about the logged-in person's progress: no secrets, no hashes. */
import { onboardingStep, stepNumber, type Account, type OnboardingStep } from './account.js';
import type { InsuredPerson } from './register/person.js';
import { enrolmentView, type EnrolmentView } from './mtan/enrolment.js';
import { maskPhone } from './mtan/phone.js';
import { passwordChangeDue } from './password/new-password.js';
import { maskEmail } from './email/address.js';

export interface OnboardingView {
  readonly step: OnboardingStep;
  readonly stepNumber: 1 | 2 | 3 | 4;
  readonly firstName: string;
  readonly username: string;
  readonly emailMasked: string;
  readonly letterValidUntil?: string;
  readonly letterExpired: boolean;
  readonly postident?: { readonly caseId: string; readonly continueUrl: string; readonly state: string };
  readonly identityMethod?: string;
  readonly mailbox: 'PENDING' | 'ACTIVE' | 'DECLINED';
  /** The password is older than the reminder period: the screen suggests changing it. */
  readonly passwordChangeDue: boolean;
  readonly identityConfirmed: boolean;
  readonly mtan?: { readonly phoneMasked: string };
  readonly mtanEnrolment?: EnrolmentView;
  readonly unreadMessages: number;
  /** Logged in with a temporary password from the counter: choosing one's own comes first. */
  readonly mustChangePassword: boolean;
}

export function onboardingView(
  account: Account,
  person: InsuredPerson | undefined,
  now: Date,
  reminderDays: number,
  unreadMessages: number,
): OnboardingView {
  const step = onboardingStep(account, now);
  const letter = account.identity.letter;
  const pi = account.identity.postident;
  return {
    step,
    stepNumber: stepNumber(step),
    firstName: person?.firstName ?? '',
    username: account.username,
    emailMasked: maskEmail(account.email.email),
    ...(letter && letter.state === 'ACTIVE' ? { letterValidUntil: letter.expiresAt } : {}),
    letterExpired: letter !== undefined && letter.state === 'ACTIVE' && new Date(letter.expiresAt) <= now,
    ...(pi ? { postident: { caseId: pi.caseId, continueUrl: pi.continueUrl, state: pi.state } } : {}),
    ...(account.identity.method ? { identityMethod: account.identity.method } : {}),
    mailbox: account.mailbox.state,
    passwordChangeDue: passwordChangeDue(account, now, reminderDays),
    identityConfirmed: account.identity.confirmedAt !== undefined,
    ...(account.mtan ? { mtan: { phoneMasked: maskPhone(account.mtan.phone) } } : {}),
    ...(account.mtanEnrolment && now < new Date(account.mtanEnrolment.expiresAt)
      ? { mtanEnrolment: enrolmentView(account.mtanEnrolment) }
      : {}),
    unreadMessages,
    mustChangePassword: account.password.temporaryUntil !== undefined,
  };
}
