/**
 * The numbers of SPEC.md, written once: this schema is the source of the Policy type, of its
 * defaults and of the configuration's validation (config.ts embeds it under `policy`), and the IPC
 * contract builds its code patterns from the resulting values. Operators change any number through
 * the configuration; ranges keep them within what the rules can stand.
 */
import { z } from 'zod';

const count = (fallback: number) => z.number().int().positive().default(fallback);
const between = (min: number, max: number, fallback: number) => z.number().int().min(min).max(max).default(fallback);
// Every field of a section has a default, so an absent section is an empty one.
const section = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape).prefault({} as never);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const policySchema = z.strictObject({
  minimumAge: count(15),
  password: section({ minLength: count(8), maxLength: count(256), minClasses: between(1, 4, 3) }),
  emailCode: section({
    /** Digits of e-mail codes (registration, forgot password, e-mail change). */
    digits: between(6, 12, 8),
    validityMs: count(24 * HOUR),
    maxFailures: count(5),
    maxResendsPerHour: count(5),
  }),
  activationKey: section({ validityDays: count(60), maxFailures: count(10) }),
  login: section({
    maxFailures: count(5),
    lockMs: count(24 * HOUR),
    // Every failed login answers no sooner than this, so known and unknown usernames cost the same
    // time: it cannot be switched off.
    failureFloorMs: between(20, 5_000, 120),
    /** What an attempt during a lock does: R6's deactivation, or the lock starts again. */
    attemptDuringLock: z.enum(['deactivate', 'extend']).default('deactivate'),
    /** Attempts running or waiting on one name (R6 asks for 20 at once); beyond this the answer is BUSY. */
    maxQueuedPerAccount: between(20, 200, 25),
  }),
  /** One terminal's failed logins across all accounts; past the limit it pauses logins. */
  terminal: section({ maxFailedLogins: count(20), windowMs: count(10 * MINUTE), pauseMs: count(15 * MINUTE) }),
  /** Limits on what costs money (SMS, letters) or leaks (details that match the register). */
  limits: section({
    smsPerHour: count(5),
    /** Letters a person may have printed in 24 hours (activation keys, POSTIDENT coupons). */
    printsPerDay: count(3),
    mismatchWindowMs: count(HOUR),
    forgotMismatchesPerUsername: count(5),
    forgotMismatchesPerTerminal: count(20),
    registrationMismatchesPerKvnr: count(5),
    registrationMismatchesPerTerminal: count(20),
    /** New online accounts per KVNR in 24 hours (register, delete, register again). */
    registrationsPerKvnrPerDay: count(3),
    /** "Forgot username" requests per KVNR and per terminal in the mismatch window, matching or not (the answer is the same). */
    forgotUsernamePerKvnr: count(5),
    forgotUsernamePerTerminal: count(20),
  }),
  passwordReset: section({ validityMs: count(30 * MINUTE), maxFailures: count(5), maxRequestsPerHour: count(5) }),
  passwordChange: section({ historySize: between(1, 24, 5), reminderDays: count(365) }),
  session: section({ idleMs: count(110_000), absoluteMs: count(30 * MINUTE) }),
  consents: section({ privacyVersion: z.string().min(1).default('2026-01'), participationVersion: z.string().min(1).default('2026-01') }),
  mtan: section({
    cardMaxFailures: count(3),
    /** Wrong card digits in 24 hours, across enrolments, before enrolment pauses for the account. */
    cardFailuresPerDay: count(6),
    enrolmentMs: count(30 * MINUTE),
    /** Digits of the SMS code that activates mTAN. */
    smsCodeDigits: between(6, 10, 6),
    smsCodeValidityMs: count(10 * MINUTE),
    smsCodeMaxFailures: count(3),
    /** Digits of a TAN. */
    tanDigits: between(6, 10, 6),
    tanValidityMs: count(5 * MINUTE),
    tanMaxFailures: count(3),
    defaultRegion: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .default('DE'),
  }),
  loginCode: section({ validityDays: count(30) }),
  /** Person-written messages: per sliding 24 hours, and how many the mailbox keeps at most. */
  mailbox: section({ maxMessagesPerDay: count(10), maxStoredMessages: count(50) }),
  certificate: section({ maxPerHour: count(10) }),
  /** Calls for help from a kiosk to the counter: one open per terminal, at most this many per hour. */
  help: section({ maxPerHourPerTerminal: between(1, 60, 4) }),
  /** Staff accounts of the counter (R10). */
  staff: section({
    minPasswordLength: between(12, 256, 12),
    maxFailures: count(5),
    lockMs: count(15 * MINUTE),
    /** Supervisors always use TOTP; this decides it for counter staff. */
    totpForStaff: z.boolean().default(true),
    idleMs: count(5 * MINUTE),
    /** Hours a staff one-time password (new account, reset) may wait for its first use. */
    oneTimePasswordHours: between(1, 720, 72),
    absoluteMs: count(10 * HOUR),
    /** Days a temporary password printed at the counter is valid (R7). */
    temporaryPasswordDays: count(14),
    /** How many audit events the counter shows as an account's security history. */
    historyEvents: between(10, 1_000, 100),
  }),
});

type DeepReadonly<T> = T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

export type Policy = DeepReadonly<z.output<typeof policySchema>>;

export const DEFAULT_POLICY: Policy = policySchema.parse({});
