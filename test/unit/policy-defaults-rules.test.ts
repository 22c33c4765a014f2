/**
 * The numbers of SPEC.md as the policy's defaults: an installation without a `policy` section
 * runs exactly these rules, and what an operator may change is refused when it makes no sense.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

// Imported inside the tests: the schema is built when the module loads, and a module that fails to
// load must be a failing test here, not a test file that quietly collects no tests.
// Loaded afresh for every test, so that every test checks the schema as it is built.
const load = () => import('../../src-main/core/policy.js');
beforeEach(() => {
  vi.resetModules();
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('the policy’s defaults are the numbers of the specification', () => {
  it('every rule, section by section', async () => {
    const { DEFAULT_POLICY } = await load();
    expect(DEFAULT_POLICY).toStrictEqual({
      minimumAge: 15,
      password: { minLength: 8, maxLength: 256, minClasses: 3 },
      emailCode: { digits: 8, validityMs: DAY, maxFailures: 5, maxResendsPerHour: 5 },
      activationKey: { validityDays: 60, maxFailures: 10 },
      login: { maxFailures: 5, lockMs: DAY, failureFloorMs: 120, attemptDuringLock: 'deactivate', maxQueuedPerAccount: 25 },
      terminal: { maxFailedLogins: 20, windowMs: 10 * MINUTE, pauseMs: 15 * MINUTE },
      limits: {
        smsPerHour: 5,
        printsPerDay: 3,
        mismatchWindowMs: HOUR,
        forgotMismatchesPerUsername: 5,
        forgotMismatchesPerTerminal: 20,
        registrationMismatchesPerKvnr: 5,
        registrationMismatchesPerTerminal: 20,
        registrationsPerKvnrPerDay: 3,
        forgotUsernamePerKvnr: 5,
        forgotUsernamePerTerminal: 20,
      },
      passwordReset: { validityMs: 30 * MINUTE, maxFailures: 5, maxRequestsPerHour: 5 },
      passwordChange: { historySize: 5, reminderDays: 365 },
      session: { idleMs: 110_000, absoluteMs: 30 * MINUTE },
      consents: { privacyVersion: '2026-01', participationVersion: '2026-01' },
      mtan: {
        cardMaxFailures: 3,
        cardFailuresPerDay: 6,
        enrolmentMs: 30 * MINUTE,
        smsCodeDigits: 6,
        smsCodeValidityMs: 10 * MINUTE,
        smsCodeMaxFailures: 3,
        tanDigits: 6,
        tanValidityMs: 5 * MINUTE,
        tanMaxFailures: 3,
        defaultRegion: 'DE',
      },
      loginCode: { validityDays: 30 },
      mailbox: { maxMessagesPerDay: 10, maxStoredMessages: 50 },
      certificate: { maxPerHour: 10 },
      help: { maxPerHourPerTerminal: 4 },
      staff: {
        minPasswordLength: 12,
        maxFailures: 5,
        lockMs: 15 * MINUTE,
        totpForStaff: true,
        idleMs: 5 * MINUTE,
        oneTimePasswordHours: 72,
        absoluteMs: 10 * HOUR,
        temporaryPasswordDays: 14,
        historyEvents: 100,
      },
    });
  });

  it('a section given in part keeps the defaults of the rest', async () => {
    const { DEFAULT_POLICY, policySchema } = await load();
    expect(policySchema.parse({ mtan: { tanDigits: 8 } }).mtan).toStrictEqual({ ...DEFAULT_POLICY.mtan, tanDigits: 8 });
  });
});

describe('what an operator may configure', () => {
  it('an attempt during a lock either deactivates (R6) or starts the lock again; nothing else', async () => {
    const { policySchema } = await load();
    expect(policySchema.parse({ login: { attemptDuringLock: 'extend' } }).login.attemptDuringLock).toBe('extend');
    expect(policySchema.parse({ login: { attemptDuringLock: 'deactivate' } }).login.attemptDuringLock).toBe('deactivate');
    expect(() => policySchema.parse({ login: { attemptDuringLock: 'ignore' } })).toThrow();
  });

  it('the default region of mobile numbers is a two-letter country code in capitals', async () => {
    const { policySchema } = await load();
    expect(policySchema.parse({ mtan: { defaultRegion: 'AT' } }).mtan.defaultRegion).toBe('AT');
    for (const region of ['at', 'AUT', 'A', 'xAT', 'ATx', 'A1']) {
      expect(() => policySchema.parse({ mtan: { defaultRegion: region } }), region).toThrow();
    }
  });

  it('consent versions may not be empty; counts must be positive whole numbers; unknown keys are refused', async () => {
    const { policySchema } = await load();
    expect(() => policySchema.parse({ consents: { privacyVersion: '' } })).toThrow();
    expect(() => policySchema.parse({ consents: { participationVersion: '' } })).toThrow();
    expect(policySchema.parse({ consents: { privacyVersion: '2027-03', participationVersion: '2027-04' } }).consents).toStrictEqual({
      privacyVersion: '2027-03',
      participationVersion: '2027-04',
    });
    expect(() => policySchema.parse({ login: { maxFailures: 0 } })).toThrow();
    expect(() => policySchema.parse({ login: { maxFailures: 2.5 } })).toThrow();
    expect(() => policySchema.parse({ login: { maxFailure: 5 } })).toThrow();
    expect(() => policySchema.parse({ staff: { minPasswordLength: 11 } })).toThrow();
    expect(() => policySchema.parse({ help: { maxPerHourPerTerminal: 61 } })).toThrow();
    expect(policySchema.parse({ staff: { minPasswordLength: 20 } }).staff.minPasswordLength).toBe(20);
    expect(policySchema.parse({ staff: { totpForStaff: false } }).staff.totpForStaff).toBe(false);
  });
});
