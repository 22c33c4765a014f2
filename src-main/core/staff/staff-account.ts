/**
 * A staff account of the service counter (R10). Kept apart from online accounts, with its own
 * rules: a lock of minutes that a supervisor can lift and no deactivation by attempts, a password
 * that must be changed after it was set by someone else, and a TOTP second factor whose secret is
 * stored only sealed with a key outside the store.
 */
export type StaffRole = 'staff' | 'supervisor';

export interface StaffAccount {
  readonly id: string;
  readonly username: string;
  readonly usernameKey: string;
  readonly role: StaffRole;
  /** The staff member's own insurance number, if insured here: counter actions on that online account are refused. */
  readonly ownKvnr?: string;
  readonly createdAt: string;
  /** `cli` for the first supervisor created on the machine, else the supervisor's staff id. */
  readonly createdBy: string;
  readonly password: {
    readonly hash: string;
    readonly changedAt: string;
    /** Set by someone else (new account, reset): the next login must choose a new one first. */
    readonly mustChange: boolean;
    /** A one-time password (new account, reset) works until then only. */
    readonly oneTimeUntil?: string;
  };
  /** Sealed base32 secret; lastStep is the newest time step accepted (a code is good once). */
  readonly totp?: { readonly sealedSecret: string; readonly enrolledAt: string; readonly lastStep: number };
  readonly login: { readonly failures: number; readonly lockedUntil?: string };
  readonly disabledAt?: string;
  /** The last reset of a factor (password or TOTP): one supervisor may not reset both within a day. */
  readonly factorReset?: { readonly by: string; readonly at: string; readonly kind: 'PASSWORD' | 'TOTP' };
  /** Raised by disabling, a password reset or change, a TOTP reset and a role change: open sessions end. */
  readonly epoch: number;
}

/**
 * What the login still asks for before the counter opens: the second factor of an enrolled account
 * first (before anything may be changed), then a password set by someone else is replaced, then a
 * required second factor is enrolled.
 */
export type StaffStage = 'TOTP' | 'CHANGE_PASSWORD' | 'ENROL_TOTP' | 'READY';

function totpRequired(staff: StaffAccount, policy: { readonly totpForStaff: boolean }): boolean {
  return staff.role === 'supervisor' || policy.totpForStaff;
}

export function stageAfter(
  staff: StaffAccount,
  passed: 'PASSWORD' | 'TOTP' | 'CHANGE_PASSWORD' | 'ENROL_TOTP',
  policy: { readonly totpForStaff: boolean },
): StaffStage {
  if (passed === 'PASSWORD' && staff.totp) return 'TOTP';
  if ((passed === 'PASSWORD' || passed === 'TOTP') && staff.password.mustChange) return 'CHANGE_PASSWORD';
  if (passed !== 'ENROL_TOTP' && !staff.totp && totpRequired(staff, policy)) return 'ENROL_TOTP';
  return 'READY';
}

export function staffLocked(staff: StaffAccount, now: Date): boolean {
  return staff.login.lockedUntil !== undefined && now.getTime() < new Date(staff.login.lockedUntil).getTime();
}

export function withNewStaffEpoch(staff: StaffAccount): StaffAccount {
  return { ...staff, epoch: staff.epoch + 1 };
}

/** What the counter may show of a staff account: no hashes, no secrets. */
export interface StaffView {
  readonly id: string;
  readonly username: string;
  readonly role: StaffRole;
  readonly createdAt: string;
  readonly totpEnrolled: boolean;
  readonly mustChangePassword: boolean;
  readonly lockedUntil?: string;
  readonly failures: number;
  readonly disabledAt?: string;
}

export function staffView(staff: StaffAccount, now: Date): StaffView {
  return {
    id: staff.id,
    username: staff.username,
    role: staff.role,
    createdAt: staff.createdAt,
    totpEnrolled: staff.totp !== undefined,
    mustChangePassword: staff.password.mustChange,
    ...(staffLocked(staff, now) && staff.login.lockedUntil ? { lockedUntil: staff.login.lockedUntil } : {}),
    failures: staff.login.failures,
    ...(staff.disabledAt ? { disabledAt: staff.disabledAt } : {}),
  };
}
