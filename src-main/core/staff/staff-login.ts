/**
 * Staff login (R10): password, then the stages a login still asks for (see staff-account.ts).
 *
 * Rules: five wrong passwords or TOTP codes in a row lock the staff account for 15 minutes
 * (configurable); attempts during the lock are answered STAFF_LOCKED and count for nothing (staff
 * are never deactivated by attempts: a supervisor lifts a lock). Password hashes are verified
 * before the store's update, which then decides from the state it reads (a password changed in
 * between makes the attempt fail). Failures answer after the same floor as the kiosk's.
 *
 * Threats and answers:
 * - guessing the second factor with a known password: the count is reset only by a complete
 *   login (a right password leaves it where it is while TOTP is still asked for), so password and
 *   TOTP failures add up to the same lock;
 * - locking colleagues out from a desk: a desk with many failed staff logins pauses its staff
 *   logins (as a kiosk does), and a lock never ends a session whose login was complete;
 * - telling known usernames or right passwords apart: a wrong password answers the same for known
 *   and unknown names (no count), and a disabled account answers STAFF_DISABLED before its
 *   password is looked at;
 * - one-time passwords lying around: they work for 72 hours (configurable), then only a reset helps.
 *
 * Every entry about the staff account (a failure, the lock it caused, a stage passed, TOTP
 * enrolled, a new password) goes with the update that decides it (RecordChange): committed with
 * it, or not at all. Only the desk's pause and an unknown name are recorded on their own.
 */
import { auditEntries, auditEvent, type Actor, type CoreDeps } from '../deps.js';
import { countTerminalFailure, paced } from '../login/attempt.js';
import type { LoginGuards } from '../login/guards.js';
import { usernameKey } from '../registration/username.js';
import type { AuditEntry, RecordChange } from '../ports.js';
import { fail, ok, type Result } from '../result.js';
import { stageAfter, staffLocked, withNewStaffEpoch, type StaffAccount, type StaffStage } from './staff-account.js';
import { checkStaffPassword } from './staff-password.js';
import { acceptedStep, newTotpSecret, totpUri } from './totp.js';

export interface StaffGrant {
  readonly staffId: string;
  readonly epoch: number;
  readonly stage: StaffStage;
}

type Verdict = { kind: 'OK'; staff: StaffAccount } | { kind: 'WRONG'; remaining: number } | { kind: 'LOCKED'; until: string; now: boolean };

type Credential = 'PASSWORD' | 'TOTP' | 'CURRENT_PASSWORD';

/** Who tried which credential, and the time their entries carry. */
interface Attempt {
  readonly who: Actor;
  readonly credential: Credential;
  readonly at: Date;
}

/** Counts one wrong credential or resets the count, inside the update; a failure and the lock it causes are recorded with it. */
function judge(
  deps: CoreDeps,
  current: StaffAccount,
  valid: boolean,
  now: Date,
  attempt: Attempt,
  completes = true,
): RecordChange<StaffAccount, Verdict> {
  if (staffLocked(current, now)) return { result: { kind: 'LOCKED', until: current.login.lockedUntil ?? '', now: false } };
  // Only a complete login wipes the slate: a right password with TOTP still to come leaves the count.
  if (valid && !completes) return { result: { kind: 'OK', staff: current } };
  if (valid) return { next: { ...current, login: { failures: 0 } }, result: { kind: 'OK', staff: current } };
  // A lock that has run out leaves a clean slate.
  const failures = (current.login.lockedUntil ? 0 : current.login.failures) + 1;
  const { maxFailures, lockMs } = deps.policy.staff;
  const failure = { type: 'STAFF_LOGIN_FAILURE' as const, subject: current.id, data: { credential: attempt.credential } };
  if (failures >= maxFailures) {
    const until = new Date(now.getTime() + lockMs).toISOString();
    return {
      next: { ...current, login: { failures, lockedUntil: until } },
      result: { kind: 'LOCKED', until, now: true },
      audit: auditEntries(attempt.who, attempt.at, failure, { type: 'STAFF_LOCKED', subject: current.id, data: { until } }),
    };
  }
  return {
    next: { ...current, login: { failures } },
    result: { kind: 'WRONG', remaining: maxFailures - failures },
    audit: auditEntries(attempt.who, attempt.at, failure),
  };
}

/** A stage passed, recorded with the update that decided it. */
const passed = (attempt: Attempt, staffId: string, stage: 'PASSWORD' | 'TOTP'): AuditEntry[] =>
  auditEntries(attempt.who, attempt.at, { type: 'STAFF_LOGIN_SUCCESS', subject: staffId, data: { stage } });

/** A one-time password past its time opens nothing (nor is the login recorded as a success). */
function oneTimeExpired(staff: StaffAccount, now: Date): boolean {
  const until = staff.password.oneTimeUntil;
  return staff.password.mustChange && until !== undefined && now >= new Date(until);
}

async function answer(
  deps: CoreDeps,
  guards: LoginGuards,
  who: Actor,
  verdict: Verdict | undefined,
  credential: Credential,
  now: Date,
): Promise<Result<StaffAccount>> {
  if (!verdict) return fail('INVALID_CREDENTIALS');
  if (verdict.kind === 'OK') return ok(verdict.staff);
  if (verdict.kind === 'LOCKED') {
    if (verdict.now) await countTerminalFailure(deps, guards, who, now);
    return fail('STAFF_LOCKED', { lockedUntil: verdict.until });
  }
  await countTerminalFailure(deps, guards, who, now);
  if (credential === 'PASSWORD') return fail('INVALID_CREDENTIALS');
  return fail(credential === 'TOTP' ? 'TOTP_INVALID' : 'CURRENT_PASSWORD_WRONG', { remaining: verdict.remaining });
}

/** While the desk's staff logins are paused nothing is looked up or counted. */
function deskPaused(guards: LoginGuards, who: Actor, now: Date): Result<never> | undefined {
  const until = guards.pausedAt(who.terminal, now.getTime());
  return until === undefined ? undefined : fail('TERMINAL_PAUSED', { until: new Date(until).toISOString() });
}

export function staffLogin(
  deps: CoreDeps,
  guards: LoginGuards,
  who: Actor,
  input: { username: string; password: string },
): Promise<Result<StaffGrant>> {
  return paced(deps, async () => {
    const now = deps.clock.now();
    const paused = deskPaused(guards, who, now);
    if (paused) return paused;
    const found = await deps.staff.findByUsernameKey(usernameKey(input.username));
    if (!found) {
      await auditEvent(deps, who, now, { type: 'STAFF_LOGIN_FAILURE', data: { unknownUser: true } });
      await countTerminalFailure(deps, guards, who, now);
      return fail('INVALID_CREDENTIALS');
    }
    // Nothing is hashed while the answer is decided already: a disabled account says so whatever was typed.
    if (found.disabledAt) return fail('STAFF_DISABLED');
    if (staffLocked(found, now)) return fail('STAFF_LOCKED', { lockedUntil: found.login.lockedUntil });
    const valid = await deps.passwords.verify(found.password.hash, input.password);
    const completes = stageAfter(found, 'PASSWORD', deps.policy.staff) !== 'TOTP';
    const attempt: Attempt = { who, credential: 'PASSWORD', at: now };
    const verdict = await deps.staff.update(found.id, (current) => {
      const judged = judge(deps, current, valid && current.password.hash === found.password.hash, deps.clock.now(), attempt, completes);
      if (judged.result.kind !== 'OK' || oneTimeExpired(judged.result.staff, now)) return judged;
      return { ...judged, audit: passed(attempt, current.id, 'PASSWORD') };
    });
    const checked = await answer(deps, guards, who, verdict, 'PASSWORD', now);
    if (!checked.ok) return checked;
    const staff = checked.value;
    if (oneTimeExpired(staff, now)) return fail('TEMPORARY_PASSWORD_EXPIRED');
    return ok({ staffId: staff.id, epoch: staff.epoch, stage: stageAfter(staff, 'PASSWORD', deps.policy.staff) });
  });
}

/** The second factor of an enrolled account: a right code of this or a neighbouring step, used once. */
export function staffTotp(deps: CoreDeps, guards: LoginGuards, who: Actor, staffId: string, code: string): Promise<Result<StaffGrant>> {
  return paced(deps, async () => {
    const now = deps.clock.now();
    const paused = deskPaused(guards, who, now);
    if (paused) return paused;
    const found = await deps.staff.get(staffId);
    if (!found?.totp || found.disabledAt) return fail('STAFF_STAGE');
    const secret = deps.secretBox.open(found.totp.sealedSecret);
    const attempt: Attempt = { who, credential: 'TOTP', at: now };
    const verdict = await deps.staff.update(staffId, (current): RecordChange<StaffAccount, Verdict> => {
      const step = current.totp ? acceptedStep(secret, code, now, current.totp.lastStep) : undefined;
      const judged = judge(deps, current, step !== undefined, now, attempt);
      if (judged.result.kind !== 'OK' || !current.totp || step === undefined) return judged;
      const next = { ...(judged.next ?? current), totp: { ...current.totp, lastStep: step } };
      return { next, result: { kind: 'OK', staff: next }, audit: passed(attempt, staffId, 'TOTP') };
    });
    const checked = await answer(deps, guards, who, verdict, 'TOTP', now);
    if (!checked.ok) return checked;
    return ok({ staffId, epoch: checked.value.epoch, stage: stageAfter(checked.value, 'TOTP', deps.policy.staff) });
  });
}

/** A new secret to show as a QR code; kept by the session until a code from it is confirmed. */
export async function beginTotpEnrolment(deps: CoreDeps, staffId: string): Promise<Result<{ secret: string; uri: string }>> {
  const staff = await deps.staff.get(staffId);
  if (!staff || staff.totp) return fail('STAFF_STAGE');
  const secret = newTotpSecret(deps.random);
  return ok({ secret, uri: totpUri(secret, deps.brand.name, staff.username) });
}

export async function confirmTotpEnrolment(
  deps: CoreDeps,
  who: Actor,
  staffId: string,
  secret: string,
  code: string,
): Promise<Result<StaffGrant>> {
  const now = deps.clock.now();
  const step = acceptedStep(secret, code, now, -1);
  if (step === undefined) return fail('TOTP_INVALID');
  const sealedSecret = deps.secretBox.seal(secret);
  const stored = await deps.staff.update(staffId, (current) => {
    if (current.totp) return { result: undefined };
    const next = { ...current, totp: { sealedSecret, enrolledAt: now.toISOString(), lastStep: step } };
    return { next, result: next, audit: auditEntries(who, now, { type: 'STAFF_TOTP_ENROLLED', subject: staffId }) };
  });
  if (!stored) return fail('STAFF_STAGE');
  return ok({ staffId, epoch: stored.epoch, stage: stageAfter(stored, 'ENROL_TOTP', deps.policy.staff) });
}

/**
 * A new password of the staff member's own choosing: at the CHANGE_PASSWORD stage (the session has
 * just proved the old one), or later with the current password. Never the password it replaces.
 */
export async function changeStaffPassword(
  deps: CoreDeps,
  guards: LoginGuards,
  who: Actor,
  staffId: string,
  input: { currentPassword?: string; newPassword: string },
): Promise<Result<StaffGrant>> {
  const now = deps.clock.now();
  const staff = await deps.staff.get(staffId);
  if (!staff) return fail('NOT_FOUND');
  // A wrong current password counts like a wrong login password: an unattended desk is no guessing machine.
  if (input.currentPassword !== undefined) {
    const currentPassword = input.currentPassword;
    const wrong = await paced(deps, async () => {
      const valid = await deps.passwords.verify(staff.password.hash, currentPassword);
      const attempt: Attempt = { who, credential: 'CURRENT_PASSWORD', at: now };
      const verdict = await deps.staff.update(staffId, (current) =>
        judge(deps, current, valid && current.password.hash === staff.password.hash, deps.clock.now(), attempt, false),
      );
      return answer(deps, guards, who, verdict, 'CURRENT_PASSWORD', now);
    });
    if (!wrong.ok) return wrong;
  }
  const policy = checkStaffPassword(deps, input.newPassword, staff.username);
  if (!policy.ok) return policy;
  if (await deps.passwords.verify(staff.password.hash, input.newPassword)) return fail('PASSWORD_REUSED');
  const hash = await deps.passwords.hash(input.newPassword);
  const stored = await deps.staff.update(staffId, (current) => {
    if (current.password.hash !== staff.password.hash) return { result: undefined };
    const next = withNewStaffEpoch({ ...current, password: { hash, changedAt: now.toISOString(), mustChange: false } });
    return { next, result: next, audit: auditEntries(who, now, { type: 'STAFF_PASSWORD_CHANGED', subject: staffId }) };
  });
  if (!stored) return fail('WRONG_STEP');
  return ok({ staffId, epoch: stored.epoch, stage: stageAfter(stored, 'CHANGE_PASSWORD', deps.policy.staff) });
}
