/**
 * The in-memory guards around R6 that keep the deactivation rule from becoming a weapon:
 * - lanes: attempts on one account are answered one after another (each failure holds the lane for
 *   the failure floor), so 20 parallel guesses take 20 floors; a lane with too many waiting answers
 *   BUSY instead of queueing without bound;
 * - a terminal's failed logins across all accounts in a sliding window: past the limit the terminal
 *   pauses logins for a while and counts nothing for any account;
 * - the locks this terminal has already shown, so that its login screens keep offering only the safe
 *   ways on ("Forgot password", "Back") for that account until the lock ends.
 * They live in the process that serves the terminal; a restart forgets them, which only ever lifts a
 * pause early (the account's own counters are in the store).
 */
/** Above this many keys a map is pruned of what has ended, so memory stays bounded by live keys. */
const PRUNE_ABOVE = 10_000;

/** Drops the entries whose end has come (they answer as absent anyway), once the map is large. */
function dropEnded(ends: Map<string, number>, now: number): void {
  if (ends.size > PRUNE_ABOVE) for (const [key, end] of ends) if (end <= now) ends.delete(key);
}

/** Sliding-window counts per key, pruned as they are read so memory stays bounded by live keys. */
export class WindowCounter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly windowMs: number) {}

  count(key: string, now: number): number {
    return this.live(key, now).length;
  }

  add(key: string, now: number): number {
    const live = [...this.live(key, now), now];
    this.hits.set(key, live);
    if (this.hits.size > PRUNE_ABOVE) this.prune(now);
    return live.length;
  }

  clear(key: string): void {
    this.hits.delete(key);
  }

  /** The instant the oldest counted hit leaves the window. */
  freeAt(key: string, now: number): number {
    return (this.live(key, now)[0] ?? now) + this.windowMs;
  }

  private live(key: string, now: number): number[] {
    const live = (this.hits.get(key) ?? []).filter((at) => now - at < this.windowMs);
    if (live.length === 0) this.hits.delete(key);
    else this.hits.set(key, live);
    return live;
  }

  private prune(now: number): void {
    for (const key of [...this.hits.keys()]) this.live(key, now);
  }
}

/** One queue per key; `undefined` when the key already has `maxQueued` calls running or waiting. */
class KeyedLanes {
  private readonly lanes = new Map<string, { tail: Promise<unknown>; size: number }>();

  run<T>(key: string, maxQueued: number, work: () => Promise<T>): Promise<T> | undefined {
    const lane = this.lanes.get(key) ?? { tail: Promise.resolve(), size: 0 };
    if (lane.size >= maxQueued) return undefined;
    lane.size += 1;
    const next = lane.tail.then(work, work);
    lane.tail = next.catch(() => undefined);
    this.lanes.set(key, lane);
    void lane.tail.then(() => {
      lane.size -= 1;
      if (lane.size === 0 && this.lanes.get(key) === lane) this.lanes.delete(key);
    });
    return next;
  }
}

export interface TerminalLimits {
  readonly maxFailedLogins: number;
  readonly windowMs: number;
  readonly pauseMs: number;
}

export class LoginGuards {
  readonly lanes = new KeyedLanes();
  private readonly failures: WindowCounter;
  private readonly pausedUntil = new Map<string, number>();
  private readonly shownLocks = new Map<string, number>();

  constructor(private readonly limits: TerminalLimits) {
    this.failures = new WindowCounter(limits.windowMs);
  }

  /** When the terminal's logins are paused, the instant the pause ends. */
  pausedAt(terminal: string, now: number): number | undefined {
    const until = this.pausedUntil.get(terminal);
    if (until === undefined) return undefined;
    if (now < until) return until;
    this.pausedUntil.delete(terminal);
    return undefined;
  }

  /** Counts one failed login; returns the pause's end when this failure starts a pause. */
  recordFailure(terminal: string, now: number): number | undefined {
    if (this.failures.add(terminal, now) < this.limits.maxFailedLogins) return undefined;
    const until = now + this.limits.pauseMs;
    this.pausedUntil.set(terminal, until);
    // The pause answers for these failures; after it the terminal starts with a fresh window.
    this.failures.clear(terminal);
    return until;
  }

  /** `key` is what the person typed (username key or KVNR), so a notice never links the two. */
  rememberLock(terminal: string, key: string, until: number, now: number): void {
    this.shownLocks.set(`${terminal}\u0000${key}`, until);
    dropEnded(this.shownLocks, now);
  }

  /** The end of a lock this terminal has shown for what was typed, while it lasts. */
  shownLock(terminal: string, key: string, now: number): number | undefined {
    const entry = `${terminal}\u0000${key}`;
    const until = this.shownLocks.get(entry);
    if (until === undefined) return undefined;
    if (now < until) return until;
    this.shownLocks.delete(entry);
    return undefined;
  }
}

/**
 * Answers that confirm personal details (a registration that does not match the register, a
 * forgotten-password request whose details do not match) may be guessed against: each kind is
 * limited per terminal and per target (KVNR, username) in a sliding window. Past a limit the
 * answer is RATE_LIMITED and nothing is looked up.
 */
export class MismatchLimits {
  private readonly counter: WindowCounter;
  private readonly announced = new Map<string, number>();

  constructor(windowMs: number) {
    this.counter = new WindowCounter(windowMs);
  }

  /**
   * When a key has reached its maximum: the instant the first exhausted limit frees up, and whether
   * this is the first refusal of that block (to be audited once, not on every refused call).
   */
  check(limits: readonly (readonly [key: string, max: number])[], now: number): { until: number; announce: boolean } | undefined {
    const blocked = limits.filter(([key, max]) => this.counter.count(key, now) >= max).map(([key]) => key);
    if (blocked.length === 0) return undefined;
    const until = Math.max(...blocked.map((key) => this.counter.freeAt(key, now)));
    const announce = blocked.some((key) => (this.announced.get(key) ?? 0) <= now);
    for (const key of blocked) this.announced.set(key, until);
    dropEnded(this.announced, now);
    return { until, announce };
  }

  record(keys: readonly string[], now: number): void {
    for (const key of keys) this.counter.add(key, now);
  }
}
