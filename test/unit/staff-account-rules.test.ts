/**
 * A staff account's own rules (core/staff/staff-account.ts, R10): which step the login asks for
 * next, when a lock holds, that every raised epoch ends open sessions, and what the counter may
 * show of an account (no hashes, no secrets).
 */
import { describe, expect, it } from 'vitest';
import { stageAfter, staffLocked, staffView, withNewStaffEpoch, type StaffAccount } from '../../src-main/core/staff/staff-account.js';

const NOW = new Date('2026-11-29T10:00:00Z');
const TOTP = { sealedSecret: 'sealed-secret', enrolledAt: '2026-11-01T08:00:00.000Z', lastStep: 59_000_000 };

function staff(overrides: Partial<StaffAccount> = {}): StaffAccount {
  return {
    id: 'st-1',
    username: 'k.berger',
    usernameKey: 'k.berger',
    role: 'staff',
    createdAt: '2026-11-01T08:00:00.000Z',
    createdBy: 'cli',
    password: { hash: '$argon2id$secret-hash', changedAt: '2026-11-01T08:00:00.000Z', mustChange: false },
    login: { failures: 0 },
    epoch: 4,
    ...overrides,
  };
}

const mustChange = { hash: '$argon2id$secret-hash', changedAt: '2026-11-01T08:00:00.000Z', mustChange: true };
const required = { totpForStaff: true };
const optional = { totpForStaff: false };

describe('what a staff login asks for next', () => {
  it('after the password, an enrolled second factor comes first, even before a password set by someone else is replaced', () => {
    expect(stageAfter(staff({ totp: TOTP }), 'PASSWORD', required)).toBe('TOTP');
    expect(stageAfter(staff({ totp: TOTP, password: mustChange }), 'PASSWORD', optional)).toBe('TOTP');
  });

  it('a password set by someone else is replaced after the password or the second factor, then the counter opens', () => {
    expect(stageAfter(staff({ password: mustChange }), 'PASSWORD', optional)).toBe('CHANGE_PASSWORD');
    expect(stageAfter(staff({ totp: TOTP, password: mustChange }), 'TOTP', required)).toBe('CHANGE_PASSWORD');
    expect(stageAfter(staff({ totp: TOTP, password: mustChange }), 'CHANGE_PASSWORD', required)).toBe('READY');
    expect(stageAfter(staff({ password: mustChange }), 'ENROL_TOTP', required)).toBe('READY');
  });

  it('a required second factor is enrolled last; once enrolled the counter opens', () => {
    expect(stageAfter(staff(), 'PASSWORD', required)).toBe('ENROL_TOTP');
    expect(stageAfter(staff(), 'CHANGE_PASSWORD', required)).toBe('ENROL_TOTP');
    expect(stageAfter(staff(), 'ENROL_TOTP', required)).toBe('READY');
    expect(stageAfter(staff({ totp: TOTP }), 'TOTP', required)).toBe('READY');
  });

  it('supervisors always need the second factor; counter staff only as configured', () => {
    expect(stageAfter(staff({ role: 'supervisor' }), 'PASSWORD', optional)).toBe('ENROL_TOTP');
    expect(stageAfter(staff(), 'PASSWORD', optional)).toBe('READY');
    expect(stageAfter(staff(), 'CHANGE_PASSWORD', optional)).toBe('READY');
  });
});

describe('the lock of a staff account', () => {
  it('holds until its end, not at its end', () => {
    const locked = staff({ login: { failures: 5, lockedUntil: '2026-11-29T10:15:00.000Z' } });
    expect(staffLocked(locked, new Date('2026-11-29T10:14:59.999Z'))).toBe(true);
    expect(staffLocked(locked, new Date('2026-11-29T10:15:00.000Z'))).toBe(false);
    expect(staffLocked(staff({ login: { failures: 3 } }), NOW)).toBe(false);
  });
});

describe('a staff account’s epoch', () => {
  it('rises by one and changes nothing else', () => {
    const before = staff({ totp: TOTP });
    expect(withNewStaffEpoch(before)).toEqual({ ...before, epoch: 5 });
    expect(withNewStaffEpoch(withNewStaffEpoch(before)).epoch).toBe(6);
  });
});

describe('what the counter shows of a staff account', () => {
  it('name, role, creation, second factor, password state and failures; never the hash or the secret', () => {
    const view = staffView(staff({ totp: TOTP, password: mustChange, login: { failures: 2 } }), NOW);
    expect(view).toStrictEqual({
      id: 'st-1',
      username: 'k.berger',
      role: 'staff',
      createdAt: '2026-11-01T08:00:00.000Z',
      totpEnrolled: true,
      mustChangePassword: true,
      failures: 2,
    });
    expect(JSON.stringify(view)).not.toMatch(/secret|argon2/);
    expect(staffView(staff(), NOW)).toMatchObject({ totpEnrolled: false, mustChangePassword: false, failures: 0 });
  });

  it('the end of a lock only while it holds, and the time of disabling only for a disabled account', () => {
    const lockedUntil = '2026-11-29T10:15:00.000Z';
    const locked = staff({ login: { failures: 5, lockedUntil }, disabledAt: '2026-11-29T09:00:00.000Z' });
    expect(staffView(locked, NOW)).toMatchObject({ lockedUntil, failures: 5, disabledAt: '2026-11-29T09:00:00.000Z' });
    const over = staffView(locked, new Date(lockedUntil));
    expect(over).not.toHaveProperty('lockedUntil');
    expect(over.failures).toBe(5);
    expect(staffView(staff(), NOW)).not.toHaveProperty('disabledAt');
  });
});
