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
  readonly login: { readonly maxFailures: number; readonly lockMs: number; readonly failureFloorMs: number };
  readonly passwordReset: { readonly validityMs: number; readonly maxFailures: number; readonly maxRequestsPerHour: number };
  readonly passwordChange: { readonly historySize: number; readonly reminderDays: number };
  readonly session: { readonly idleMs: number; readonly absoluteMs: number };
  readonly consents: { readonly privacyVersion: string; readonly participationVersion: string };
  readonly mtan: {
    readonly cardMaxFailures: number;
    readonly enrolmentMs: number;
    readonly smsCodeValidityMs: number;
    readonly smsCodeMaxFailures: number;
    readonly tanValidityMs: number;
    readonly tanMaxFailures: number;
    readonly defaultRegion: string;
  };
  readonly loginCode: { readonly validityDays: number };
}

export const DEFAULT_POLICY: Policy = {
  minimumAge: 15,
  password: { minLength: 8, maxLength: 256, minClasses: 3 },
  emailCode: { digits: 8, validityMs: 24 * 3_600_000, maxFailures: 5, maxResendsPerHour: 5 },
  activationKey: { validityDays: 60, maxFailures: 10 },
  // Every failed login answers no sooner than this, so known and unknown usernames cost the same time.
  login: { maxFailures: 5, lockMs: 24 * 3_600_000, failureFloorMs: 120 },
  passwordReset: { validityMs: 30 * 60_000, maxFailures: 5, maxRequestsPerHour: 5 },
  passwordChange: { historySize: 5, reminderDays: 365 },
  session: { idleMs: 110_000, absoluteMs: 30 * 60_000 },
  consents: { privacyVersion: '2026-01', participationVersion: '2026-01' },
  mtan: {
    cardMaxFailures: 3,
    enrolmentMs: 30 * 60_000,
    smsCodeValidityMs: 10 * 60_000,
    smsCodeMaxFailures: 3,
    tanValidityMs: 5 * 60_000,
    tanMaxFailures: 3,
    defaultRegion: 'DE',
  },
  loginCode: { validityDays: 30 },
};
