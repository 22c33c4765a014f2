/**
 * One online account. It refers to the insured person by KVNR and copies no master data, so the
 * register stays the single source of names and addresses. Every short-lived flow (e-mail code,
 * activation key, POSTIDENT case) is an explicit object with issuedAt/expiresAt and a state.
 */
export interface HashedCode {
  readonly hash: string;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly failures: number;
  /** VOID after too many wrong entries or when replaced; USED once accepted. */
  readonly state: 'ACTIVE' | 'USED' | 'VOID';
}

/** A code e-mailed to a screen nobody is logged in at (forgot password, forgot username); see flow-code.ts. */
export interface EmailedFlowCode {
  readonly code?: HashedCode;
  /** Keyed hash of the flow token held by the screen that requested the code. */
  readonly flow?: string;
  /** Instants of requests, for the hourly limit. */
  readonly requestedAt: readonly string[];
}

interface EmailConfirmation {
  readonly email: string;
  readonly confirmedAt?: string;
  readonly code?: HashedCode;
  /** Instants of requested re-sends (for the hourly limit); the first code is not counted. */
  readonly resentAt: readonly string[];
}

export type PostidentState = 'OPEN' | 'SUCCESS' | 'DECLINED' | 'ABANDONED';

export interface PostidentCaseRecord {
  readonly caseId: string;
  readonly continueUrl: string;
  readonly openedAt: string;
  readonly state: PostidentState;
  readonly closedAt?: string;
}

interface Identity {
  readonly confirmedAt?: string;
  readonly method?: 'LETTER' | 'POSTIDENT' | 'COUNTER';
  /** In person at the counter: the kind of document shown and who checked it (never its number). */
  readonly counterCheck?: { readonly document: IdentityDocument; readonly checkedBy: string; readonly at: string };
  readonly letter?: HashedCode & { readonly letterRef: string };
  readonly postident?: PostidentCaseRecord;
}

export type IdentityDocument = 'ID_CARD' | 'PASSPORT' | 'RESIDENCE_PERMIT' | 'ARRIVAL_CERTIFICATE';

interface Consent {
  readonly version: string;
  readonly acceptedAt: string;
}

export interface Account {
  readonly id: string;
  readonly kvnr: string;
  readonly username: string;
  readonly usernameKey: string;
  readonly language: 'de' | 'en';
  readonly createdAt: string;
  readonly password: {
    readonly hash: string;
    readonly changedAt: string;
    readonly history: readonly string[];
    /** A temporary password printed at the counter (R7): valid until then, and replaced at the first login. */
    readonly temporaryUntil?: string;
  };
  readonly consents: { readonly privacy: Consent; readonly participation: Consent };
  readonly email: EmailConfirmation;
  readonly identity: Identity;
  readonly mailbox: {
    readonly state: 'PENDING' | 'ACTIVE' | 'DECLINED';
    readonly decidedAt?: string;
    readonly messages?: readonly MailboxMessage[];
  };
  /** Active mTAN: the normalised mobile number (E.164). Absent when mTAN is not set up. */
  readonly mtan?: { readonly phone: string; readonly enrolledAt: string };
  readonly mtanEnrolment?: MtanEnrolment;
  /** The one pending TAN challenge, bound to an action and a digest of its parameters. */
  readonly tan?: HashedCode & { readonly action: TanAction; readonly paramsDigest: string };
  /** A new e-mail address waiting for its confirmation code (after a TAN). */
  readonly emailChange?: { readonly email: string; readonly code: HashedCode };
  readonly loginCodes?: readonly (HashedCode & { readonly issuedBy: string })[];
  readonly login: { readonly failures: number; readonly lockedUntil?: string; readonly deactivatedAt?: string };
  /**
   * Raised whenever access must end for every open session: password change or reset, lock,
   * deactivation. A session remembers the epoch it was opened in and dies when they differ.
   */
  readonly epoch?: number;
  /** Instants of wrong card digits in mTAN enrolment, across enrolments (daily limit). */
  readonly cardFailedAt?: readonly string[];
  /** Instants of SMS sent for this account (mTAN codes, TANs), for the hourly limit. */
  readonly smsSentAt?: readonly string[];
  /** Instants of letters printed at the person's request (activation key, coupon), daily limit. */
  readonly printsAt?: readonly string[];
  /** Per delivery limit, the end of the window whose refusal was already audited. */
  readonly limitNotices?: Readonly<Partial<Record<'SMS' | 'PRINT', string>>>;
  /** Forgot-password flow: the e-mailed code and the instants of requests (hourly limit). */
  readonly passwordReset?: EmailedFlowCode;
  /** Forgot-username flow, with the same rules (see username/recover.ts). */
  readonly usernameRecovery?: EmailedFlowCode;
  /** Instants of membership certificates created in the last hour (hourly limit). */
  readonly certificatesAt?: readonly string[];
}

export interface MailboxMessage {
  readonly id: string;
  readonly from: 'INSURER' | 'PERSON';
  readonly subject: string;
  readonly body: string;
  readonly at: string;
  readonly read: boolean;
}

export type TanAction = 'RECEIPT_VIEW' | 'CHANGE_MOBILE' | 'CHANGE_EMAIL';

/**
 * mTAN enrolment as a flow: CARD (last five digits of the health card, 3 tries), then PHONE (a
 * mobile number), then SMS (the 6-digit code, 10 minutes, 3 tries). `phone` may be preset when a
 * number change asked for it.
 */
export interface MtanEnrolment {
  readonly stage: 'CARD' | 'PHONE' | 'SMS';
  readonly startedAt: string;
  readonly expiresAt: string;
  readonly cardFailures: number;
  readonly phone?: string;
  readonly code?: HashedCode;
}

export function withNewEpoch(account: Account): Account {
  return { ...account, epoch: (account.epoch ?? 0) + 1 };
}

/** Where the person stands in the four registration steps; derived, never stored. */
export type OnboardingStep =
  'CONFIRM_EMAIL' | 'CHOOSE_IDENTITY' | 'ENTER_KEY' | 'POSTIDENT_PENDING' | 'POSTIDENT_FAILED' | 'MAILBOX' | 'DONE';

export function onboardingStep(account: Account, now: Date): OnboardingStep {
  if (!account.email.confirmedAt) return 'CONFIRM_EMAIL';
  const identity = account.identity;
  if (!identity.confirmedAt) {
    const letter = identity.letter;
    if (letter && letter.state === 'ACTIVE' && new Date(letter.expiresAt) > now) return 'ENTER_KEY';
    const pi = identity.postident;
    if (pi?.state === 'OPEN') return 'POSTIDENT_PENDING';
    if (pi && pi.state !== 'SUCCESS') return 'POSTIDENT_FAILED';
    return 'CHOOSE_IDENTITY';
  }
  if (account.mailbox.state === 'PENDING') return 'MAILBOX';
  return 'DONE';
}

/** The step indicator's number (1-4) for a step. */
export function stepNumber(step: OnboardingStep): 1 | 2 | 3 | 4 {
  switch (step) {
    case 'CONFIRM_EMAIL':
      return 2;
    case 'MAILBOX':
    case 'DONE':
      return 4;
    default:
      return 3;
  }
}
