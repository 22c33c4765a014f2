/**
 * One login attempt on a known account, whatever the credential (password, login code, or the
 * current password asked for inside a session): the rules of R6 in one place. Five consecutive
 * failures lock for 24 hours from the fifth; an attempt during the lock deactivates (or, by policy,
 * starts the lock again); a success resets the count.
 *
 * Threats and answers:
 * - lost updates under concurrency: the decision runs inside the store's per-account update;
 * - fast guessing and fast deactivation: attempts on one account run one after another in a lane,
 *   each failure holding it for the failure floor, so 20 parallel attempts take 20 floors;
 * - shutting out someone else: a login code counts only where one is active; a terminal with many
 *   failures pauses logins without counting anything; the locks a terminal has shown are remembered
 *   so its screens can keep offering only the safe ways on (see lock-notice.ts);
 * - timing: failures answer no sooner than the floor, and nothing is hashed where the answer is
 *   already decided (locked, deactivated), so that work cannot be forced without limit.
 */
import { withNewEpoch, type Account } from '../account.js';
import { berlinDate } from '../dates.js';
import { auditEvent, type Actor, type CoreDeps } from '../deps.js';
import { deactivatedMail, lockedMail } from '../texts.js';
import { HashingBusyError, type AuditEntry, type AuditEvent } from '../ports.js';
import { sendQuietly } from '../notify.js';
import { fail, ok, type ErrorCode, type Result } from '../result.js';
import type { LoginGuards } from './guards.js';

type Credential = 'PASSWORD' | 'LOGIN_CODE' | 'CURRENT_PASSWORD';

export interface AttemptSpec {
  readonly credential: Credential;
  /** What the person typed to name the account (see loginLane): a lock shown is remembered by it. */
  readonly lockKey: string;
  /** Inside a session: the epoch it was opened in. A moved epoch or a lock ends it; nothing counts. */
  readonly sessionEpoch?: number | undefined;
  /** The answer for a wrong credential (and for an attempt that counts for nothing). */
  readonly failureCode: ErrorCode;
  /** False when the attempt must count for nothing (a login code where none is active). */
  readonly counts?: (current: Account, now: Date) => boolean;
  /**
   * Slow checking (a password against its argon2 hash), done before the account's update on the
   * account as read, never inside it. Its answer holds only while `fingerprint` of the account is
   * unchanged; otherwise the account is read again and checked again.
   */
  readonly verify?: { readonly run: (snapshot: Account) => Promise<boolean>; readonly fingerprint: (account: Account) => string };
  /** The decision inside the update (synchronous): `verified` is the slow check's answer, if any. */
  readonly check: (current: Account, verified: boolean) => { valid: boolean; next?: Account };
}

/** The slow check's answer and the fingerprint of the account it was made on. */
interface Verified {
  readonly fingerprint: string;
  readonly valid: boolean;
}

/** How often an attempt reads and checks again when another terminal changed the account in between. */
const MAX_ROUNDS = 3;

type Outcome =
  | { kind: 'SUCCESS'; epoch: number; temporaryUntil?: string }
  | { kind: 'SESSION_ENDED' }
  | { kind: 'FAILURE'; remaining: number }
  | { kind: 'LOCKED'; lockedUntil: string; extended: boolean }
  | { kind: 'DEACTIVATED'; now: boolean }
  | { kind: 'NOT_COUNTED' };

export function lockState(account: Account, now: Date): 'OPEN' | 'LOCKED' | 'DEACTIVATED' {
  if (account.login.deactivatedAt) return 'DEACTIVATED';
  if (account.login.lockedUntil && now.getTime() < new Date(account.login.lockedUntil).getTime()) return 'LOCKED';
  return 'OPEN';
}

function formatBerlinDateTime(iso: string): string {
  const date = new Date(iso);
  const time = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(date);
  const [y, m, d] = berlinDate(date).split('-');
  return `${d}.${m}.${y} ${time}`;
}

/** Whether the slow check is needed for an attempt on this account (nothing is hashed where the answer is decided). */
function needsCheck(account: Account, now: Date, spec: AttemptSpec): boolean {
  if (spec.sessionEpoch !== undefined && (account.epoch ?? 0) !== spec.sessionEpoch) return false;
  if (spec.counts && !spec.counts(account, now)) return false;
  return lockState(account, now) === 'OPEN';
}

/**
 * The R6 decision for one attempt, given the account as it is now: synchronous and free of side
 * effects, so the store may run it again. STALE asks for the slow check on the account as it is.
 */
function decide(
  deps: CoreDeps,
  account: Account,
  now: Date,
  spec: AttemptSpec,
  verified: Verified | undefined,
): { next?: Account; result: Outcome | { kind: 'STALE'; current: Account } } {
  const { maxFailures, lockMs, attemptDuringLock } = deps.policy.login;
  const state = lockState(account, now);
  if (spec.sessionEpoch !== undefined && ((account.epoch ?? 0) !== spec.sessionEpoch || state !== 'OPEN')) {
    return { result: { kind: 'SESSION_ENDED' } };
  }
  if (spec.counts && !spec.counts(account, now)) return { result: { kind: 'NOT_COUNTED' } };
  if (state === 'DEACTIVATED') return { result: { kind: 'DEACTIVATED', now: false } };
  if (state === 'LOCKED') {
    if (attemptDuringLock === 'extend') {
      const lockedUntil = new Date(now.getTime() + lockMs).toISOString();
      return {
        next: withNewEpoch({ ...account, login: { ...account.login, lockedUntil } }),
        result: { kind: 'LOCKED', lockedUntil, extended: true },
      };
    }
    return {
      next: withNewEpoch({ ...account, login: { ...account.login, deactivatedAt: now.toISOString() } }),
      result: { kind: 'DEACTIVATED', now: true },
    };
  }
  if (spec.verify && verified?.fingerprint !== spec.verify.fingerprint(account)) return { result: { kind: 'STALE', current: account } };
  const checked = spec.check(account, verified?.valid ?? false);
  if (checked.valid) {
    const base = checked.next ?? account;
    const unchanged = base === account && account.login.failures === 0 && account.login.lockedUntil === undefined;
    // The epoch is read inside the update, so a session opened with it dies with this password.
    const until = base.password.temporaryUntil;
    const result = { kind: 'SUCCESS' as const, epoch: base.epoch ?? 0, ...(until ? { temporaryUntil: until } : {}) };
    return { ...(unchanged ? {} : { next: { ...base, login: { failures: 0 } } }), result };
  }
  // A lock that has run out no longer counts: the person starts again with a clean slate.
  const failures = (account.login.lockedUntil ? 0 : account.login.failures) + 1;
  if (failures >= maxFailures) {
    const lockedUntil = new Date(now.getTime() + lockMs).toISOString();
    return {
      next: withNewEpoch({ ...account, login: { failures, lockedUntil } }),
      result: { kind: 'LOCKED' as const, lockedUntil, extended: false },
    };
  }
  return { next: { ...account, login: { failures } }, result: { kind: 'FAILURE' as const, remaining: maxFailures - failures } };
}

/** What an attempt's outcome records in the audit trail (R13), for the account it was made on. */
function auditOf(deps: CoreDeps, who: Actor, now: Date, subject: string, spec: AttemptSpec, outcome: Outcome): AuditEntry[] {
  const entry = (event: Omit<AuditEvent, 'actor' | 'terminal'>): AuditEntry => ({
    event: { ...event, actor: who.actor, terminal: who.terminal },
    at: now,
  });
  const data =
    spec.credential === 'LOGIN_CODE' ? { loginCode: true } : spec.credential === 'CURRENT_PASSWORD' ? { currentPassword: true } : {};
  const withData = Object.keys(data).length ? { data } : {};
  switch (outcome.kind) {
    case 'SESSION_ENDED':
      return [];
    case 'SUCCESS':
      if (spec.credential === 'CURRENT_PASSWORD') return [];
      return [entry({ type: spec.credential === 'PASSWORD' ? 'LOGIN_SUCCESS' : 'LOGIN_CODE_USED', subject })];
    case 'NOT_COUNTED':
      return [entry({ type: 'LOGIN_FAILURE', subject, data: { ...data, noActiveCode: true } })];
    case 'FAILURE':
      return [entry({ type: 'LOGIN_FAILURE', subject, ...withData })];
    case 'LOCKED':
      return [
        entry({ type: 'LOGIN_FAILURE', subject, ...(outcome.extended ? { data: { ...data, whileLocked: true } } : withData) }),
        entry({
          type: 'ACCOUNT_LOCKED',
          subject,
          data: { lockedUntil: outcome.lockedUntil, ...(outcome.extended ? { extended: true } : {}) },
        }),
      ];
    case 'DEACTIVATED':
      return [
        entry({ type: 'LOGIN_FAILURE', subject, data: { ...data, whileLocked: outcome.now } }),
        ...(outcome.now ? [entry({ type: 'ACCOUNT_DEACTIVATED', subject })] : []),
      ];
  }
}

/**
 * The slow check runs on the account as read; the update decides on the account as it is and asks
 * for another round only when the credential changed in between (another terminal's password
 * change): the decision itself is always made on the current state.
 */
async function decideAttempt(deps: CoreDeps, who: Actor, found: Account, now: Date, spec: AttemptSpec): Promise<Outcome | undefined> {
  let snapshot = found;
  let verified: Verified | undefined;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (spec.verify && needsCheck(snapshot, now, spec)) {
      const fingerprint = spec.verify.fingerprint(snapshot);
      if (verified?.fingerprint !== fingerprint) verified = { fingerprint, valid: await spec.verify.run(snapshot) };
    }
    // The account as read is offered to the store: one that can check its version at write time spares a read.
    const outcome = await deps.accounts.update(
      found.id,
      (account) => {
        const decided = decide(deps, account, now, spec, verified);
        // The audit entries of the decision are recorded with it (in one transaction where the store has them).
        return decided.result.kind === 'STALE' ? decided : { ...decided, audit: auditOf(deps, who, now, account.id, spec, decided.result) };
      },
      snapshot,
    );
    if (outcome?.kind !== 'STALE') return outcome;
    snapshot = outcome.current;
  }
  throw new HashingBusyError();
}

/** Counts a failed login for the terminal and audits the start of a pause. */
export async function countTerminalFailure(deps: CoreDeps, guards: LoginGuards, who: Actor, now: Date): Promise<void> {
  const pausedUntil = guards.recordFailure(who.terminal, now.getTime());
  if (pausedUntil === undefined) return;
  await auditEvent(deps, who, now, {
    type: 'TERMINAL_PAUSED',
    data: { until: new Date(pausedUntil).toISOString(), failedLogins: deps.policy.terminal.maxFailedLogins },
  });
}

/** The answer while a terminal's logins are paused: nothing is looked up or counted. */
function terminalPaused(guards: LoginGuards, who: Actor, now: Date): Result<never> | undefined {
  const until = guards.pausedAt(who.terminal, now.getTime());
  return until === undefined ? undefined : fail('TERMINAL_PAUSED', { until: new Date(until).toISOString() });
}

/**
 * One attempt on a known account, decided inside its atomic update. Run it inside loginLane.
 */
export async function loginAttempt(
  deps: CoreDeps,
  guards: LoginGuards,
  who: Actor,
  found: Account,
  spec: AttemptSpec,
): Promise<Result<{ accountId: string; epoch: number; temporaryUntil?: string }>> {
  const now = deps.clock.now();
  const outcome = await decideAttempt(deps, who, found, now, spec);
  if (!outcome) return fail(spec.failureCode, {});
  if (outcome.kind === 'SESSION_ENDED') return fail('NOT_AUTHENTICATED');
  if (outcome.kind !== 'SUCCESS') await countTerminalFailure(deps, guards, who, now);
  switch (outcome.kind) {
    case 'SUCCESS':
      return ok({
        accountId: found.id,
        epoch: outcome.epoch,
        ...(outcome.temporaryUntil ? { temporaryUntil: outcome.temporaryUntil } : {}),
      });
    case 'NOT_COUNTED':
      return fail(spec.failureCode, {});
    case 'FAILURE':
      if (outcome.remaining === 1)
        return fail(spec.failureCode, { nextFailureLocks: true, lockHours: deps.policy.login.lockMs / 3_600_000 });
      // A login screen always gets details (its warning slot); inside a session the bare code suffices.
      return spec.credential === 'CURRENT_PASSWORD' ? fail(spec.failureCode) : fail(spec.failureCode, {});
    case 'LOCKED':
      guards.rememberLock(who.terminal, spec.lockKey, new Date(outcome.lockedUntil).getTime(), now.getTime());
      if (!outcome.extended) {
        await sendQuietly(
          deps,
          lockedMail(found.language, deps.brand.name, found.email.email, formatBerlinDateTime(outcome.lockedUntil)),
          found.id,
        );
      }
      return fail('ACCOUNT_LOCKED', { lockedUntil: outcome.lockedUntil });
    case 'DEACTIVATED':
      if (outcome.now) await sendQuietly(deps, deactivatedMail(found.language, deps.brand.name, found.email.email), found.id);
      return fail('ACCOUNT_DEACTIVATED');
  }
}

/**
 * Every login-like attempt runs in the lane of what the person typed to name the account (a
 * username key or a KVNR), whether an account exists for it or not: the next attempt on the same
 * name starts only when this one has answered, a failed one answers no sooner than the floor, and
 * a full lane answers BUSY. Known and unknown names queue, pause and answer alike, so neither time
 * nor BUSY tells whether the name exists. Exact counting does not rest on the lane but on the
 * store's per-account update.
 */
export async function loginLane<T>(
  deps: CoreDeps,
  guards: LoginGuards,
  who: Actor,
  laneKey: string,
  work: () => Promise<Result<T>>,
): Promise<Result<T>> {
  const queued = guards.lanes.run(laneKey, deps.policy.login.maxQueuedPerAccount, () =>
    paced(deps, async () => {
      const paused = terminalPaused(guards, who, deps.clock.now());
      if (paused) return paused;
      try {
        return await work();
      } catch (error) {
        // The hashing queue is full: nothing was decided or written; the person may try again.
        if (error instanceof HashingBusyError) return fail('BUSY');
        throw error;
      }
    }),
  );
  return queued ?? paced(deps, () => Promise.resolve(fail('BUSY')));
}

/** Failed logins answer no sooner than the floor, so every failure path costs the same time. */
export async function paced<T>(deps: CoreDeps, work: () => Promise<Result<T>>): Promise<Result<T>> {
  const mark = deps.pacer.mark();
  const result = await work();
  if (!result.ok) await deps.pacer.hold(mark, deps.policy.login.failureFloorMs);
  return result;
}
