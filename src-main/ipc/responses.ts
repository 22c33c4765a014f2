/** What each channel answers with on success. Types only: the renderer may import this file. */
import type { MailboxMessage } from '../core/account.js';
import type { EnrolmentView } from '../core/mtan/enrolment.js';
import type { PatientReceiptItem } from '../core/register/person.js';
import type { PasswordRule } from '../core/registration/password-policy.js';
import type { AppError, ErrorCode } from '../core/result.js';
import type { PersonalData } from '../core/services/personal-data.js';
import type { OnboardingView } from '../core/onboarding-view.js';
import type { Channel } from './contract.js';

/** Core types the renderer names: it reaches them here, never in the core itself. */
export type { AppError, ErrorCode, MailboxMessage, OnboardingView, PasswordRule };

export interface AppInfo {
  readonly brand: { readonly name: string; readonly primaryColor: string };
  readonly kiosk: { readonly enabled: boolean; readonly idleWarnAfterMs: number; readonly idleCountdownMs: number };
  readonly consents: {
    readonly privacyVersion: string;
    readonly participationVersion: string;
    readonly privacy: { readonly de: string; readonly en: string };
    readonly participation: { readonly de: string; readonly en: string };
  };
  readonly password: { readonly minLength: number; readonly maxLength: number; readonly minClasses: number };
  readonly lockHours: number;
  /** available is false when the operator switched POSTIDENT off: the choice is not offered. */
  readonly postident: { readonly available: boolean; readonly simulated: boolean; readonly label: string };
  readonly minimumAge: number;
}

export interface PostidentStart {
  readonly caseId: string;
  readonly continueUrl: string;
  /** QR code of continueUrl as an SVG string, drawn in the main process. */
  readonly qrSvg: string;
}

export interface ChannelOutputs {
  'app.info': AppInfo;
  'registration.submit': OnboardingView & { readonly emailSent: boolean };
  'session.login': OnboardingView;
  'session.logout': null;
  'session.touch': null;
  'onboarding.state': OnboardingView;
  'email.confirm': OnboardingView;
  'email.resend': { readonly emailSent: boolean };
  'identity.requestLetter': OnboardingView;
  'identity.enterKey': OnboardingView;
  'identity.startPostident': PostidentStart;
  'identity.printCoupon': null;
  'mailbox.decide': OnboardingView;
  'password.forgot': { readonly emailSent: boolean; readonly emailMasked: string };
  'password.reset': null;
  'password.change': null;
  'session.loginCode': OnboardingView;
  'session.lockNotice': { lockedUntil?: string };
  'mtan.start': EnrolmentView;
  'mtan.card': EnrolmentView;
  'mtan.phone': EnrolmentView;
  'mtan.resend': EnrolmentView;
  'mtan.confirm': { readonly phoneMasked: string };
  'mtan.leave': null;
  'tan.request': { readonly expiresAt: string; readonly sentTo: string };
  'receipt.view': { readonly items: readonly PatientReceiptItem[]; readonly totalCents: number };
  'personal.data': PersonalData;
  'contact.changeEmail': null;
  'contact.confirmEmail': null;
  'contact.changeMobile': null;
  'mailbox.list': readonly MailboxMessage[];
  'mailbox.write': null;
  'mailbox.markRead': null;
  /** A one-time token to fetch (browser shell) or print (Electron) the PDF. */
  'certificate.create': { readonly documentToken: string };
  'account.delete': null;
}

export type IpcResult<C extends Channel> =
  { readonly ok: true; readonly value: ChannelOutputs[C] } | { readonly ok: false; readonly error: AppError };
