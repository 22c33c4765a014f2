/**
 * Kiosk sessions live in the main process's memory only: a restart or crash logs everybody out,
 * which is the safe direction. The token itself is never stored, only its keyed hash. A session
 * ends at logout, after the idle limit, after an absolute maximum, and (checked by the core on
 * every call) when its account is locked, deactivated, deleted or its password changes.
 */
import type { Clock, Random, SecretHasher } from '../ports.js';

export interface Session {
  readonly accountId: string;
  /** The account's epoch when the session opened; a raised epoch ends it (see Account.epoch). */
  readonly epoch: number;
  readonly createdAt: number;
  lastSeenAt: number;
}

export class Sessions {
  private readonly byHash = new Map<string, Session>();

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly secrets: SecretHasher,
    private readonly limits: { readonly idleMs: number; readonly absoluteMs: number },
  ) {}

  create(accountId: string, epoch: number): string {
    const token = this.random.token(32);
    const now = this.clock.now().getTime();
    this.byHash.set(this.secrets.hash(token), { accountId, epoch, createdAt: now, lastSeenAt: now });
    return token;
  }

  /** Resolves a live session and marks it used; expired ones are removed. */
  resolve(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    const key = this.secrets.hash(token);
    const session = this.byHash.get(key);
    if (!session) return undefined;
    const now = this.clock.now().getTime();
    if (now - session.lastSeenAt >= this.limits.idleMs || now - session.createdAt >= this.limits.absoluteMs) {
      this.byHash.delete(key);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  end(token: string | undefined): void {
    if (token) this.byHash.delete(this.secrets.hash(token));
  }

  endAllFor(accountId: string): void {
    for (const [key, session] of this.byHash) if (session.accountId === accountId) this.byHash.delete(key);
  }
}
