/**
 * Staff sessions, in the counter process's memory like the kiosk's (a restart logs everyone out).
 * A session is opened by the right password and then walks through the stages the login still asks
 * for (TOTP, a new password, TOTP enrolment); only a READY session opens counter channels. It ends
 * at logout, after the idle limit (5 minutes by default), after the absolute limit (10 hours), and
 * when the staff account's epoch moves (checked on every call by the core).
 */
import type { Clock, Random, SecretHasher } from '../ports.js';
import type { StaffStage } from './staff-account.js';

export interface StaffSession {
  readonly staffId: string;
  epoch: number;
  stage: StaffStage;
  readonly createdAt: number;
  lastSeenAt: number;
  /** A TOTP secret shown for enrolment, kept until a code from it is confirmed. */
  pendingSecret?: string;
}

export class StaffSessions {
  private readonly byHash = new Map<string, StaffSession>();

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly secrets: SecretHasher,
    private readonly limits: { readonly idleMs: number; readonly absoluteMs: number },
  ) {}

  /**
   * A login under way does not touch the staff member's other sessions: someone who knows only the
   * password must not end a colleague's working session. Only a complete login does (complete()).
   */
  create(staffId: string, epoch: number, stage: StaffStage): string {
    const now = this.clock.now().getTime();
    for (const [key, session] of this.byHash) if (this.expired(session, now)) this.byHash.delete(key);
    const token = this.random.token(32);
    this.byHash.set(this.secrets.hash(token), { staffId, epoch, stage, createdAt: now, lastSeenAt: now });
    if (stage === 'READY') this.complete(token);
    return token;
  }

  /** One counter session per staff member: a complete login ends every other one of theirs. */
  complete(token: string): void {
    const key = this.secrets.hash(token);
    const session = this.byHash.get(key);
    if (!session) return;
    for (const [other, s] of this.byHash) if (other !== key && s.staffId === session.staffId) this.byHash.delete(other);
  }

  private expired(session: StaffSession, now: number): boolean {
    return now - session.lastSeenAt >= this.limits.idleMs || now - session.createdAt >= this.limits.absoluteMs;
  }

  /** `quiet`: a poll of the window, not someone working; it does not keep the session from its idle end. */
  resolve(token: string | undefined, quiet = false): StaffSession | undefined {
    if (!token) return undefined;
    const key = this.secrets.hash(token);
    const session = this.byHash.get(key);
    if (!session) return undefined;
    const now = this.clock.now().getTime();
    if (this.expired(session, now)) {
      this.byHash.delete(key);
      return undefined;
    }
    if (!quiet) session.lastSeenAt = now;
    return session;
  }

  end(token: string | undefined): void {
    if (token) this.byHash.delete(this.secrets.hash(token));
  }

  endAllFor(staffId: string): void {
    for (const [key, session] of this.byHash) if (session.staffId === staffId) this.byHash.delete(key);
  }
}
