/**
 * Supervisors manage staff accounts (R10): create with a one-time password, disable, reset the
 * password, reset TOTP, change the role, lift a lock. A supervisor never changes their own role or
 * disables themselves, and the last active supervisor is never taken away (the check and the
 * change run under one lock, so two supervisors demoting each other cannot both succeed). The
 * first supervisor is created on the machine (npm run staff:add), with no session at all. Each
 * change's audit entry goes with the change itself (RecordChange): committed with it, or not at all.
 */
import { auditEntries, type Actor, type CoreDeps } from '../deps.js';
import type { AuditEventType, RecordChange } from '../ports.js';
import { isValidUsername, usernameKey } from '../registration/username.js';
import { parseKvnr } from '../kvnr.js';
import { DAY_MS } from '../dates.js';
import { fail, ok, type Result } from '../result.js';
import { staffLocked, staffView, withNewStaffEpoch, type StaffAccount, type StaffRole, type StaffView } from './staff-account.js';
import { oneTimePassword } from './staff-password.js';

/** Role changes and disabling run one after another, so the last-supervisor check holds. */
let roleChain: Promise<unknown> = Promise.resolve();
function serial<T>(work: () => Promise<T>): Promise<T> {
  const run = roleChain.then(work, work);
  roleChain = run.catch(() => undefined);
  return run;
}

export async function createStaff(
  deps: CoreDeps,
  who: Actor,
  createdBy: string,
  input: { username: string; role: StaffRole; ownKvnr?: string | undefined; reason: string },
): Promise<Result<{ staff: StaffView; oneTimePassword: string }>> {
  const now = deps.clock.now();
  if (!isValidUsername(input.username)) return fail('USERNAME_INVALID');
  const ownKvnr = input.ownKvnr ? parseKvnr(input.ownKvnr) : undefined;
  if (input.ownKvnr && !ownKvnr) return fail('KVNR_INVALID');
  const password = oneTimePassword(deps);
  const staff: StaffAccount = {
    id: deps.random.token(12),
    username: input.username,
    usernameKey: usernameKey(input.username),
    role: input.role,
    ...(ownKvnr ? { ownKvnr } : {}),
    createdAt: now.toISOString(),
    createdBy,
    password: {
      hash: await deps.passwords.hash(password),
      changedAt: now.toISOString(),
      mustChange: true,
      oneTimeUntil: oneTimeUntil(deps, now),
    },
    login: { failures: 0 },
    epoch: 0,
  };
  const audit = auditEntries(who, now, { type: 'STAFF_CREATED', subject: staff.id, data: { role: staff.role, reason: input.reason } });
  if ((await deps.staff.insert(staff, audit)) === 'USERNAME_TAKEN') return fail('USERNAME_TAKEN');
  return ok({ staff: staffView(staff, now), oneTimePassword: password });
}

export async function listStaff(deps: CoreDeps): Promise<Result<readonly StaffView[]>> {
  const now = deps.clock.now();
  const all = await deps.staff.list();
  return ok([...all].sort((a, b) => a.username.localeCompare(b.username)).map((s) => staffView(s, now)));
}

type StaffChange = 'DISABLE' | 'RESET_PASSWORD' | 'RESET_TOTP' | 'UNLOCK' | { role: StaffRole };

const oneTimeUntil = (deps: CoreDeps, now: Date) =>
  new Date(now.getTime() + deps.policy.staff.oneTimePasswordHours * 3_600_000).toISOString();

const activeSupervisor = (s: StaffAccount) => s.role === 'supervisor' && !s.disabledAt;

const auditType = (change: StaffChange): AuditEventType =>
  change === 'DISABLE'
    ? 'STAFF_DISABLED'
    : change === 'UNLOCK'
      ? 'STAFF_UNLOCKED'
      : change === 'RESET_TOTP'
        ? 'STAFF_TOTP_RESET'
        : change === 'RESET_PASSWORD'
          ? 'STAFF_PASSWORD_RESET'
          : 'STAFF_ROLE_CHANGED';

/** One change to another staff member's account, audited with the supervisor's reason. */
export function changeStaff(
  deps: CoreDeps,
  who: Actor,
  supervisorId: string,
  input: { staffId: string; change: StaffChange; reason: string },
): Promise<Result<{ staff: StaffView; oneTimePassword?: string }>> {
  return serial(async () => {
    const now = deps.clock.now();
    const { change } = input;
    if (input.staffId === supervisorId) return fail(typeof change === 'object' ? 'OWN_ROLE' : 'OWN_ACCOUNT');
    const target = await deps.staff.get(input.staffId);
    if (!target) return fail('NOT_FOUND');
    const losesSupervisor =
      activeSupervisor(target) && (change === 'DISABLE' || (typeof change === 'object' && change.role !== 'supervisor'));
    if (losesSupervisor && (await deps.staff.list()).filter(activeSupervisor).length <= 1) return fail('LAST_SUPERVISOR');
    // Both factors of one account reset by the same supervisor would hand them a working login as
    // that colleague: the second reset within a day must come from another supervisor.
    const factor = change === 'RESET_PASSWORD' ? 'PASSWORD' : change === 'RESET_TOTP' ? 'TOTP' : undefined;
    const last = target.factorReset;
    if (factor && last && last.kind !== factor && last.by === supervisorId && now.getTime() - new Date(last.at).getTime() < DAY_MS) {
      return fail('FOUR_EYES');
    }
    const password = change === 'RESET_PASSWORD' ? oneTimePassword(deps) : undefined;
    const hash = password ? await deps.passwords.hash(password) : undefined;
    const audit = auditEntries(who, now, {
      type: auditType(change),
      subject: input.staffId,
      data: { reason: input.reason, ...(typeof change === 'object' ? { role: change.role } : {}) },
    });
    // Every decision that writes is the change asked for: its entry goes with it, a refusal records nothing.
    const updated = await deps.staff.update(input.staffId, (current): RecordChange<StaffAccount, Result<StaffAccount>> => {
      if (current.disabledAt && change !== 'DISABLE') return { result: fail('STAFF_DISABLED') };
      if (change === 'DISABLE') {
        if (current.disabledAt) return { result: fail('STAFF_DISABLED') };
        const next = withNewStaffEpoch({ ...current, disabledAt: now.toISOString() });
        return { next, result: ok(next), audit };
      }
      if (change === 'UNLOCK') {
        if (!staffLocked(current, now)) return { result: fail('NOT_LOCKED') };
        const next = { ...current, login: { failures: 0 } };
        return { next, result: ok(next), audit };
      }
      if (change === 'RESET_TOTP') {
        if (!current.totp) return { result: fail('WRONG_STEP') };
        const { totp: _removed, ...rest } = current;
        const next = withNewStaffEpoch({ ...rest, factorReset: { by: supervisorId, at: now.toISOString(), kind: 'TOTP' } });
        return { next, result: ok(next), audit };
      }
      if (change === 'RESET_PASSWORD' && hash) {
        // A reset also lifts a lock: the staff member logs in with the one-time password at once.
        const next = withNewStaffEpoch({
          ...current,
          password: { hash, changedAt: now.toISOString(), mustChange: true, oneTimeUntil: oneTimeUntil(deps, now) },
          login: { failures: 0 },
          factorReset: { by: supervisorId, at: now.toISOString(), kind: 'PASSWORD' },
        });
        return { next, result: ok(next), audit };
      }
      if (typeof change === 'object') {
        if (current.role === change.role) return { result: fail('WRONG_STEP') };
        const next = withNewStaffEpoch({ ...current, role: change.role });
        return { next, result: ok(next), audit };
      }
      return { result: fail('WRONG_STEP') };
    });
    if (!updated) return fail('NOT_FOUND');
    if (!updated.ok) return updated;
    return ok({ staff: staffView(updated.value, now), ...(password ? { oneTimePassword: password } : {}) });
  });
}
