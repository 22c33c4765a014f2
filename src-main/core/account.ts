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

export interface EmailConfirmation {
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

export interface Identity {
  readonly confirmedAt?: string;
  readonly method?: 'LETTER' | 'POSTIDENT' | 'COUNTER';
  readonly letter?: HashedCode & { readonly letterRef: string };
  readonly postident?: PostidentCaseRecord;
}

export interface Consent {
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
  readonly password: { readonly hash: string; readonly changedAt: string; readonly history: readonly string[] };
  readonly consents: { readonly privacy: Consent; readonly participation: Consent };
  readonly email: EmailConfirmation;
  readonly identity: Identity;
  readonly mailbox: { readonly state: 'PENDING' | 'ACTIVE' | 'DECLINED'; readonly decidedAt?: string };
  readonly login: { readonly failures: number; readonly lockedUntil?: string; readonly deactivatedAt?: string };
  /** Forgot-password flow: the e-mailed code and the instants of requests (hourly limit). */
  readonly passwordReset?: { readonly code?: HashedCode; readonly requestedAt: readonly string[] };
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
