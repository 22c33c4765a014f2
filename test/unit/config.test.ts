import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/config/config.js';

describe('configuration', () => {
  it('defaults to the numbers of the spec and a neutral brand', () => {
    const config = parseConfig({});
    expect(config.brand.name).toBe('Kontokiosk');
    expect(config.policy.minimumAge).toBe(15);
    expect(config.policy.password).toEqual({ minLength: 8, maxLength: 256, minClasses: 3 });
    expect(config.policy.emailCode).toEqual({ digits: 8, validityMs: 86_400_000, maxFailures: 5, maxResendsPerHour: 5 });
    expect(config.policy.activationKey).toEqual({ validityDays: 60, maxFailures: 10 });
    expect(config.policy.login).toEqual({
      maxFailures: 5,
      lockMs: 86_400_000,
      failureFloorMs: 120,
      attemptDuringLock: 'deactivate',
      maxQueuedPerAccount: 25,
    });
    expect(config.policy.terminal).toEqual({ maxFailedLogins: 20, windowMs: 600_000, pauseMs: 900_000 });
    expect(config.policy.limits).toEqual({
      smsPerHour: 5,
      printsPerDay: 3,
      mismatchWindowMs: 3_600_000,
      forgotMismatchesPerUsername: 5,
      forgotMismatchesPerTerminal: 20,
      registrationMismatchesPerKvnr: 5,
      registrationMismatchesPerTerminal: 20,
      registrationsPerKvnrPerDay: 3,
      forgotUsernamePerKvnr: 5,
      forgotUsernamePerTerminal: 20,
    });
    expect(config.policy.passwordReset).toEqual({ validityMs: 1_800_000, maxFailures: 5, maxRequestsPerHour: 5 });
    expect(config.policy.passwordChange).toEqual({ historySize: 5, reminderDays: 365 });
    expect(config.kiosk).toMatchObject({ idleWarnAfterMs: 90_000, idleCountdownMs: 20_000 });
    expect(config.mail.smtp).toBeUndefined();
  });

  it('lets an operator change one number and keeps the rest', () => {
    const config = parseConfig({ policy: { activationKey: { validityDays: 30 } }, brand: { name: 'Musterkasse' } });
    expect(config.policy.activationKey).toEqual({ validityDays: 30, maxFailures: 10 });
    expect(config.brand.name).toBe('Musterkasse');
  });

  it('refuses unknown keys and wrong types', () => {
    expect(() => parseConfig({ policy: { login: { maxFailures: -1 } } })).toThrow();
    expect(() => parseConfig({ policy: { login: { attemptDuringLock: 'ignore' } } })).toThrow();
    // The failure floor is what hides whether a username exists: it cannot be switched off.
    expect(() => parseConfig({ policy: { login: { failureFloorMs: 0 } } })).toThrow();
    // R6 asks for 20 simultaneous attempts to be counted: the queue per account cannot be smaller.
    expect(() => parseConfig({ policy: { login: { maxQueuedPerAccount: 5 } } })).toThrow();
    expect(() => parseConfig({ unknown: true })).toThrow();
    expect(() => parseConfig({ mail: { smtp: { port: 25 } } })).toThrow();
  });

  it("takes the screen's density for touch targets, about 44 CSS px for 9 mm unless configured, within sane bounds", () => {
    expect(parseConfig({}).kiosk.pixelsPerMm).toBe(4.9);
    expect(parseConfig({ kiosk: { pixelsPerMm: 6 } }).kiosk.pixelsPerMm).toBe(6);
    // A density that would make 9 mm smaller than a fingertip, or larger than the screen, is a typo.
    for (const wrong of [0, 1.9, 20.1, -4.9, '6']) expect(() => parseConfig({ kiosk: { pixelsPerMm: wrong } })).toThrow(/pixelsPerMm/);
  });
});
