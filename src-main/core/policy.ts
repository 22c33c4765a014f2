/** The numbers of SPEC.md as defaults; operators may change them through the configuration. */
export interface Policy {
  readonly minimumAge: number;
  readonly password: { readonly minLength: number; readonly maxLength: number; readonly minClasses: number };
  readonly emailCode: {
    readonly digits: number;
    readonly validityMs: number;
    readonly maxFailures: number;
    readonly maxResendsPerHour: number;
  };
  readonly activationKey: { readonly validityDays: number; readonly maxFailures: number };
  readonly login: {
    readonly maxFailures: number;
    readonly lockMs: number;
    readonly failureFloorMs: number;
    /** What an attempt during a lock does: R6's deactivation, or the lock starts again. */
    readonly attemptDuringLock: 'deactivate' | 'extend';
    /** Attempts running or waiting on one account (R6 asks for 20 at once); beyond this the answer is BUSY. */
    readonly maxQueuedPerAccount: number;
  };
  /** One terminal's failed logins across all accounts; past the limit it pauses logins. */
  readonly terminal: { readonly maxFailedLogins: number; readonly windowMs: number; readonly pauseMs: number };
  /** Limits on what costs money (SMS) or leaks (details that match the register). */
  readonly limits: {
    readonly smsPerHour: number;
    /** Letters a person may have printed in 24 hours (activation keys, POSTIDENT coupons). */
    readonly printsPerDay: number;
    readonly mismatchWindowMs: number;
    readonly forgotMismatchesPerUsername: number;
    readonly forgotMismatchesPerTerminal: number;
    readonly registrationMismatchesPerKvnr: number;
    readonly registrationMismatchesPerTerminal: number;
    /** New online accounts per KVNR in 24 hours (register, delete, register again). */
    readonly registrationsPerKvnrPerDay: number;
  };
  readonly passwordReset: { readonly validityMs: number; readonly maxFailures: number; readonly maxRequestsPerHour: number };
  readonly passwordChange: { readonly historySize: number; readonly reminderDays: number };
  readonly session: { readonly idleMs: number; readonly absoluteMs: number };
  readonly consents: { readonly privacyVersion: string; readonly participationVersion: string };
  readonly mtan: {
    readonly cardMaxFailures: number;
    /** Wrong card digits in 24 hours, across enrolments, before enrolment pauses for the account. */
    readonly cardFailuresPerDay: number;
    readonly enrolmentMs: number;
    readonly smsCodeValidityMs: number;
    readonly smsCodeMaxFailures: number;
    readonly tanValidityMs: number;
    readonly tanMaxFailures: number;
    readonly defaultRegion: string;
  };
  readonly loginCode: { readonly validityDays: number };
  /** Person-written messages: per sliding 24 hours, and how many the mailbox keeps at most. */
  readonly mailbox: { readonly maxMessagesPerDay: number; readonly maxStoredMessages: number };
  readonly certificate: { readonly maxPerHour: number };
}

export const DEFAULT_POLICY: Policy = {
  minimumAge: 15,
  password: { minLength: 8, maxLength: 256, minClasses: 3 },
  emailCode: { digits: 8, validityMs: 24 * 3_600_000, maxFailures: 5, maxResendsPerHour: 5 },
  activationKey: { validityDays: 60, maxFailures: 10 },
  // Every failed login answers no sooner than this, so known and unknown usernames cost the same time.
  login: { maxFailures: 5, lockMs: 24 * 3_600_000, failureFloorMs: 120, attemptDuringLock: 'deactivate', maxQueuedPerAccount: 25 },
  terminal: { maxFailedLogins: 20, windowMs: 10 * 60_000, pauseMs: 15 * 60_000 },
  limits: {
    smsPerHour: 5,
    printsPerDay: 3,
    mismatchWindowMs: 3_600_000,
    forgotMismatchesPerUsername: 5,
    forgotMismatchesPerTerminal: 20,
    registrationMismatchesPerKvnr: 5,
    registrationMismatchesPerTerminal: 20,
    registrationsPerKvnrPerDay: 3,
  },
  passwordReset: { validityMs: 30 * 60_000, maxFailures: 5, maxRequestsPerHour: 5 },
  passwordChange: { historySize: 5, reminderDays: 365 },
  session: { idleMs: 110_000, absoluteMs: 30 * 60_000 },
  consents: { privacyVersion: '2026-01', participationVersion: '2026-01' },
  mtan: {
    cardMaxFailures: 3,
    cardFailuresPerDay: 6,
    enrolmentMs: 30 * 60_000,
    smsCodeValidityMs: 10 * 60_000,
    smsCodeMaxFailures: 3,
    tanValidityMs: 5 * 60_000,
    tanMaxFailures: 3,
    defaultRegion: 'DE',
  },
  loginCode: { validityDays: 30 },
  mailbox: { maxMessagesPerDay: 10, maxStoredMessages: 50 },
  certificate: { maxPerHour: 10 },
};
