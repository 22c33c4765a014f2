/**
 * Documents waiting to be handed to the person at the kiosk (the membership certificate). The PDF
 * bytes live in memory under a one-time token for a few minutes and nowhere else: nothing is
 * written to disk. Fetching or printing takes a document out; an unfetched one is dropped (and
 * its bytes overwritten) when its token expires, when its account logs out or is deleted.
 * Each holds a PDF in memory, so they are bounded: a few per account (a new one replaces the
 * oldest, which the person evidently did not get) and a fixed number in total (then RATE_LIMITED).
 * Tokens are random (Random port) and compared as map keys; they name one document, once.
 */
import type { Clock, Random } from '../core/ports.js';
import { fail, ok, type Result } from '../core/result.js';

export interface PendingDocumentLimits {
  readonly perAccount: number;
  readonly total: number;
  readonly ttlMs: number;
}

const DEFAULT_DOCUMENT_LIMITS: PendingDocumentLimits = { perAccount: 3, total: 50, ttlMs: 5 * 60_000 };

interface Pending {
  readonly owner: string;
  readonly bytes: Uint8Array;
  readonly expires: number;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class PendingDocuments {
  private readonly docs = new Map<string, Pending>();

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly limits: PendingDocumentLimits = DEFAULT_DOCUMENT_LIMITS,
  ) {}

  /** Documents held now (unexpired and not yet taken). */
  get size(): number {
    this.prune();
    return this.docs.size;
  }

  /** Asked before rendering, so a full kiosk does no work for nothing. */
  room(): Result<null> {
    this.prune();
    if (this.docs.size < this.limits.total) return ok(null);
    const soonest = Math.min(...[...this.docs.values()].map((d) => d.expires));
    return fail('RATE_LIMITED', { retryAt: new Date(soonest).toISOString() });
  }

  offer(owner: string, bytes: Uint8Array): Result<string> {
    const own = [...this.docs.entries()].filter(([, d]) => d.owner === owner).sort(([, a], [, b]) => a.expires - b.expires);
    while (own.length >= this.limits.perAccount) {
      const [oldest] = own.shift() ?? [];
      if (oldest) this.drop(oldest);
    }
    const room = this.room();
    if (!room.ok) return room;
    const token = this.random.token(24);
    const timer = setTimeout(() => this.drop(token), this.limits.ttlMs);
    // A pending document must not keep the process alive.
    timer.unref();
    this.docs.set(token, { owner, bytes, expires: this.clock.now().getTime() + this.limits.ttlMs, timer });
    return ok(token);
  }

  /** Hands a document out once; undefined for unknown, used or expired tokens. */
  take(token: string): { readonly bytes: Uint8Array } | undefined {
    const doc = this.docs.get(token);
    if (!doc) return undefined;
    this.docs.delete(token);
    clearTimeout(doc.timer);
    if (doc.expires <= this.clock.now().getTime()) {
      doc.bytes.fill(0);
      return undefined;
    }
    return { bytes: doc.bytes };
  }

  dropFor(owner: string): void {
    for (const [token, doc] of this.docs) if (doc.owner === owner) this.drop(token);
  }

  private prune(): void {
    const now = this.clock.now().getTime();
    for (const [token, doc] of this.docs) if (doc.expires <= now) this.drop(token);
  }

  private drop(token: string): void {
    const doc = this.docs.get(token);
    if (!doc) return;
    this.docs.delete(token);
    clearTimeout(doc.timer);
    doc.bytes.fill(0);
  }
}
