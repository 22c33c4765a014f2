/**
 * Kiosk sessions live in the main process's memory only: a restart or crash logs everybody out,
 * which is the safe direction. The token itself is never stored, only its keyed hash. A session
 * ends at logout, after the idle limit, after an absolute maximum, and (checked by the core on
 * every call) when its account is locked, deactivated, deleted or its password changes.
 * More time (EN 301 549 timed responses): a person who needs it gets twice the idle limit for the
 * session, and "more time" at the idle warning doubles what is left of the idle time, at most
 * MORE_TIME_USES times a session. Neither ever reaches beyond the absolute maximum, so a kiosk left
 * alone still ends the session in bounded time.
 */
import type { Clock, Random, SecretHasher } from '../ports.js';
import { fail, ok, type Result } from '../result.js';

export interface Session {
  readonly accountId: string;
  /** The account's epoch when the session opened; a raised epoch ends it (see Account.epoch). */
  readonly epoch: number;
  readonly createdAt: number;
  lastSeenAt: number;
  /** This session's idle limit: the policy's, or twice it for a person who needs more time. */
  idleMs: number;
  /** Kept alive until here whatever the idle limit says ("more time"); 0 when never asked. */
  holdUntil: number;
  moreTimeUsed: number;
}

/** How often "more time" may be used in one session. */
const MORE_TIME_USES = 3;

export type MoreTimeKind = 'MORE_TIME' | 'NEEDS_MORE_TIME';

const MAX_PER_ACCOUNT = 5;
const SWEEP_EVERY_MS = 60_000;
const SWEEP_ABOVE = 1_000;

export class Sessions {
  private readonly byHash = new Map<string, Session>();
  /** Each account's session keys, oldest first: a new session costs the same however many are held. */
  private readonly byAccount = new Map<string, Set<string>>();
  private sweptAt = 0;
  /** A sweep runs once a minute, or sooner when the map has doubled since the last one. */
  private sweepAbove = SWEEP_ABOVE;

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly secrets: SecretHasher,
    private readonly limits: { readonly idleMs: number; readonly absoluteMs: number },
  ) {}

  create(accountId: string, epoch: number): string {
    const token = this.random.token(32);
    const now = this.clock.now().getTime();
    this.sweep(now);
    // A person uses one kiosk at a time: beyond a few open sessions, the oldest go.
    const own = this.byAccount.get(accountId);
    if (own) for (const key of [...own].slice(0, Math.max(0, own.size - (MAX_PER_ACCOUNT - 1)))) this.remove(key);
    const key = this.secrets.hash(token);
    const keys = this.byAccount.get(accountId) ?? new Set<string>();
    keys.add(key);
    this.byAccount.set(accountId, keys);
    this.byHash.set(key, {
      accountId,
      epoch,
      createdAt: now,
      lastSeenAt: now,
      idleMs: this.limits.idleMs,
      holdUntil: 0,
      moreTimeUsed: 0,
    });
    return token;
  }

  /** How many sessions are held (for tests and monitoring). */
  size(): number {
    return this.byHash.size;
  }

  /** Expired sessions are removed as new ones are made, so the map holds only live ones. */
  private sweep(now: number): void {
    if (now - this.sweptAt < SWEEP_EVERY_MS && this.byHash.size < this.sweepAbove) return;
    this.sweptAt = now;
    for (const [key, session] of this.byHash) if (this.expired(session, now)) this.remove(key);
    this.sweepAbove = Math.max(SWEEP_ABOVE, 2 * this.byHash.size);
  }

  private expired(session: Session, now: number): boolean {
    return now >= Math.max(session.lastSeenAt + session.idleMs, session.holdUntil) || now - session.createdAt >= this.limits.absoluteMs;
  }

  /**
   * More time for the session behind `token`. NEEDS_MORE_TIME (speech on, large text): the idle limit
   * doubles for the rest of the session; asking again changes nothing. MORE_TIME (the button at the
   * idle warning): what is left of the idle time doubles, so the session outlives the kiosk's doubled
   * countdown; refused after MORE_TIME_USES. Neither reaches beyond the absolute limit.
   */
  extend(token: string | undefined, kind: MoreTimeKind): Result<{ readonly moreTimeLeft: number }> {
    const session = this.resolve(token);
    if (!session) return fail('NOT_AUTHENTICATED');
    if (kind === 'NEEDS_MORE_TIME') {
      session.idleMs = 2 * this.limits.idleMs;
    } else {
      if (session.moreTimeUsed >= MORE_TIME_USES) return fail('MORE_TIME_USED_UP');
      const now = this.clock.now().getTime();
      const left = Math.max(session.lastSeenAt + session.idleMs, session.holdUntil) - now;
      session.holdUntil = Math.min(now + 2 * left, session.createdAt + this.limits.absoluteMs);
      session.moreTimeUsed += 1;
    }
    return ok({ moreTimeLeft: MORE_TIME_USES - session.moreTimeUsed });
  }

  /** Resolves a live session and marks it used; expired ones are removed. */
  resolve(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    const key = this.secrets.hash(token);
    const session = this.byHash.get(key);
    if (!session) return undefined;
    const now = this.clock.now().getTime();
    if (this.expired(session, now)) {
      this.remove(key);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  end(token: string | undefined): void {
    if (token) this.remove(this.secrets.hash(token));
  }

  endAllFor(accountId: string): void {
    for (const key of this.byAccount.get(accountId) ?? []) this.byHash.delete(key);
    this.byAccount.delete(accountId);
  }

  private remove(key: string): void {
    const session = this.byHash.get(key);
    if (!session) return;
    this.byHash.delete(key);
    const keys = this.byAccount.get(session.accountId);
    keys?.delete(key);
    if (keys?.size === 0) this.byAccount.delete(session.accountId);
  }
}
