/** What each channel answers with on success. Types only: the renderer may import this file. */
import type { MailboxMessage } from '../core/account.js';
import type { EnrolmentView } from '../core/mtan/enrolment.js';
import type { PatientReceiptItem } from '../core/register/person.js';
import type { PasswordRule } from '../core/registration/password-policy.js';
import type { AppError, CounterErrorCode, ErrorCode } from '../core/result.js';
import type { PersonalData } from '../core/services/personal-data.js';
import type { OnboardingView } from '../core/onboarding-view.js';
import type { Delivery } from '../core/notify.js';
import type { Channel } from './contract.js';
import type { StaffLoginState } from '../core/index.js';
import type { StaffStage, StaffView } from '../core/staff/staff-account.js';
import type { StaffPasswordRule } from '../core/staff/staff-password.js';
import type { AccountSummary, CounterAccountView, CounterAction } from '../core/counter/counter-view.js';
import type { InboxEntry, InboxMessage } from '../core/counter/inbox.js';
import type { HelpEntry, HelpRequested } from '../core/counter/help.js';
import type { UndeliveredEntry } from '../core/counter/undelivered.js';
import type { RegisterImportReport } from '../core/supervisor/register-import.js';
import type { Dashboard } from '../core/supervisor/dashboard.js';
import type { AuditEventType } from '../core/ports.js';
import type { ConsentDocument, ConsentTexts } from '../config/consent-document.js';

/** Core types the renderer names: it reaches them here, never in the core itself. */
export type { AppError, CounterErrorCode, ErrorCode, MailboxMessage, OnboardingView, PasswordRule };
export type { ConsentDocument };
export type {
  AccountSummary,
  CounterAccountView,
  CounterAction,
  InboxEntry,
  InboxMessage,
  HelpEntry,
  UndeliveredEntry,
  StaffLoginState,
  StaffStage,
  StaffView,
  StaffPasswordRule,
  RegisterImportReport,
  Dashboard,
  AuditEventType,
};

/** A letter printed at the counter for the person at the desk. */
interface PrintedLetter {
  /** The last day (Berlin) the letter's content works, as printed on it. */
  readonly validThrough: string;
  readonly letterRef: string;
}

export interface AppInfo {
  readonly brand: { readonly name: string; readonly primaryColor: string };
  /** The insurer's contact (configuration brand.serviceHint, brand.serviceContact: lines split at "\n"), German and English. */
  readonly service: {
    readonly hint: { readonly de: string; readonly en: string };
    readonly contact: { readonly de: string; readonly en: string };
  };
  readonly kiosk: {
    readonly enabled: boolean;
    readonly idleWarnAfterMs: number;
    readonly idleCountdownMs: number;
    /** CSS pixels per millimetre of this screen (configuration kiosk.pixelsPerMm): sizes touch targets. */
    readonly pixelsPerMm: number;
  };
  /** The texts as blocks of plain text (headings, paragraphs, lists): never HTML. */
  readonly consents: ConsentTexts;
  readonly password: { readonly minLength: number; readonly maxLength: number; readonly minClasses: number };
  readonly lockHours: number;
  /** available is false when the operator switched POSTIDENT off: the choice is not offered. */
  readonly postident: { readonly available: boolean; readonly simulated: boolean; readonly label: string };
  readonly minimumAge: number;
  /** The counter's idle limit for staff sessions (policy.staff.idleMs): its warning comes before it. */
  readonly staffIdleMs: number;
  /** Where the counter is, per kiosk language (configuration kiosk.helpText). */
  readonly helpText: { readonly de: string; readonly en: string; readonly tr: string };
}

export interface PostidentStart {
  readonly caseId: string;
  readonly continueUrl: string;
  /** QR code of continueUrl as an SVG string, drawn in the main process. */
  readonly qrSvg: string;
}

export interface ChannelOutputs {
  'app.info': AppInfo;
  'registration.submit': OnboardingView & { readonly emailDelivery: Delivery };
  'session.login': OnboardingView;
  'session.logout': null;
  'session.touch': null;
  /** How often "more time" can still be used in this session. */
  'session.moreTime': { readonly moreTimeLeft: number };
  'onboarding.state': OnboardingView;
  'email.confirm': OnboardingView;
  'email.resend': { readonly emailDelivery: Delivery };
  'identity.requestLetter': OnboardingView;
  'identity.enterKey': OnboardingView;
  'identity.startPostident': PostidentStart;
  'identity.printCoupon': null;
  'mailbox.decide': OnboardingView;
  'password.forgot': { readonly emailDelivery: Delivery; readonly emailMasked: string };
  'password.reset': null;
  /** The same answer whether the details match an account or not. */
  'username.forgot': { readonly codeSentIfMatching: true };
  'username.reveal': { readonly username: string };
  'password.change': null;
  'session.loginCode': OnboardingView;
  'session.lockNotice': { lockedUntil?: string };
  'mtan.start': EnrolmentView;
  'mtan.card': EnrolmentView;
  'mtan.phone': EnrolmentView;
  'mtan.resend': EnrolmentView;
  'mtan.confirm': { readonly phoneMasked: string };
  'mtan.leave': null;
  'tan.request': { readonly expiresAt: string; readonly sentTo: string; readonly queued?: true };
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
  /** A fresh session replaces the one of the temporary password. */
  'password.chooseOwn': OnboardingView;
  'help.request': HelpRequested;
  'staff.login': { readonly stage: StaffStage };
  'staff.state': StaffLoginState;
  'staff.totp': { readonly stage: StaffStage };
  /** The enrolment QR code (SVG drawn in the main process) and the secret for typing it in by hand. */
  'staff.enrolTotp': { readonly qrSvg: string; readonly secret: string };
  'staff.confirmTotp': { readonly stage: StaffStage };
  'staff.replacePassword': { readonly stage: StaffStage };
  'staff.logout': null;
  'staff.touch': null;
  'staff.changePassword': null;
  'counter.search': readonly AccountSummary[];
  'counter.account': CounterAccountView;
  'counter.confirmIdentity': CounterAccountView;
  'counter.liftLock': CounterAccountView;
  'counter.reactivate': PrintedLetter & { readonly account: CounterAccountView };
  'counter.temporaryPassword': PrintedLetter & { readonly account: CounterAccountView };
  'counter.newActivationLetter': { readonly validThrough: string; readonly account: CounterAccountView };
  'counter.issueLoginCode': PrintedLetter & { readonly account: CounterAccountView };
  'counter.resendEmailCode': { readonly emailDelivery: Delivery; readonly account: CounterAccountView };
  'counter.deleteAccount': null;
  'inbox.list': readonly InboxEntry[];
  'inbox.read': InboxMessage;
  'inbox.answer': null;
  'help.list': readonly HelpEntry[];
  'undelivered.list': readonly UndeliveredEntry[];
  'undelivered.dismiss': null;
  'help.done': null;
  'staff.list': readonly StaffView[];
  'staff.create': { readonly staff: StaffView; readonly oneTimePassword: string };
  'staff.change': { readonly staff: StaffView; readonly oneTimePassword?: string };
  'register.importBegin': { readonly uploadId: string; readonly chunkChars: number };
  'register.importChunk': { readonly received: number; readonly size: number };
  'register.importFinish': RegisterImportReport;
  'audit.verify': AuditVerification;
  'dashboard.stats': Dashboard;
}

/** The audit trail's check as the console shows it: the outcome and, when broken, the first broken link. */
export interface AuditVerification {
  readonly ok: boolean;
  readonly code: string;
  readonly entries?: number;
  readonly brokenAtLine?: number;
  readonly problem?: string;
}

export type IpcResult<C extends Channel> =
  { readonly ok: true; readonly value: ChannelOutputs[C] } | { readonly ok: false; readonly error: AppError };
