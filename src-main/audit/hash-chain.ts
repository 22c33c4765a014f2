/**
 * The audit trail (R13): one JSON line per event, each sealed with an HMAC-SHA-256 over the
 * previous line's seal and its own content, keyed with a sub-key of the data directory's
 * `secret.key`. Changing, removing or reordering any line breaks every later link, and an attacker
 * who edits a line cannot recompute the chain without the key; verification reports the first
 * broken link. Entries hold no passwords, codes or keys, and name accounts only by their random id.
 *
 * Keyed lines carry `"v":2`. Lines without it were written before the chain was keyed (plain
 * SHA-256, "legacy"); they may only precede keyed lines. The first keyed line links to the last
 * legacy line's hash, so the legacy part is sealed by it: recomputing the legacy chain after an
 * edit changes that hash and breaks the keyed link. A keyed line after which a legacy line follows
 * is a downgrade and breaks the chain.
 */
import { createHash, createHmac } from 'node:crypto';

export const GENESIS = '0'.repeat(64);
export const KEYED_VERSION = 2;

/** Records the trail writes about itself, next to the core's events. */
export const TRAIL_RECORD = {
  /** First keyed entry after legacy entries: it seals them. */
  CHAIN_KEYED: 'AUDIT_CHAIN_KEYED',
  /** On open the head did not match the file: evidence kept in the keyed chain itself. */
  HEAD_CONFLICT: 'AUDIT_HEAD_CONFLICT',
  /** First entry of an active file after the one before it was closed as a segment: the chain goes on. */
  SEGMENT_STARTED: 'AUDIT_SEGMENT_STARTED',
} as const;
export type TrailRecordType = (typeof TRAIL_RECORD)[keyof typeof TRAIL_RECORD];

export interface AuditKeys {
  /** Seals each line of the chain. */
  readonly chain: Buffer;
  /** Seals the head file: a separate purpose, so a separate key. */
  readonly head: Buffer;
  /** Seals the subject index of a closed segment. */
  readonly index: Buffer;
}

/** The secret key also hashes codes and tokens: the audit gets derived keys of its own. */
export function deriveAuditKeys(secretKey: Uint8Array): AuditKeys {
  if (secretKey.length < 32) throw new Error('secret key too short');
  const derive = (label: string) => createHmac('sha256', secretKey).update(label).digest();
  return {
    chain: derive('kontokiosk-audit-chain-v1'),
    head: derive('kontokiosk-audit-head-v1'),
    index: derive('kontokiosk-audit-index-v1'),
  };
}

export interface AuditRecord {
  readonly v: typeof KEYED_VERSION;
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly actor: string;
  readonly terminal: string;
  readonly subject?: string;
  readonly data?: Readonly<Record<string, string | number | boolean>>;
  readonly prev: string;
  readonly hash: string;
}

/** The chain before it was keyed; kept only to verify lines written then. */
function legacyChainHash(prev: string, body: string): string {
  return createHash('sha256').update(prev).update('\n').update(body).digest('hex');
}

function keyedChainHash(key: Buffer, prev: string, body: string): string {
  return createHmac('sha256', key).update(prev).update('\n').update(body).digest('hex');
}

/** Body = the line without its hash field, exactly as serialised; the hash goes last. */
export function sealRecord(key: Buffer, record: Omit<AuditRecord, 'hash'>): { line: string; hash: string } {
  const body = JSON.stringify(record);
  const hash = keyedChainHash(key, record.prev, body);
  return { line: `${body.slice(0, -1)},"hash":"${hash}"}`, hash };
}

export interface ChainEntry {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly keyed: boolean;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly hash: string;
}

export type VerifyResult =
  | {
      readonly ok: true;
      readonly entries: number;
      readonly legacyEntries: number;
      readonly lastHash: string;
      /** Every entry, for the checks against the head and for findings recorded in the chain. */
      readonly chain: readonly ChainEntry[];
    }
  | {
      readonly ok: false;
      readonly entries: number;
      readonly brokenAtLine: number;
      readonly reason: string;
      /** The broken line claims to be keyed: its HMAC did not match (edited, or another key). */
      readonly keyed: boolean;
    };

/**
 * Checks a chain one line at a time, so a trail of any length is verified in constant memory. It
 * starts at GENESIS, or, when the oldest segments were archived, at a segment boundary: a first
 * line that is a keyed AUDIT_SEGMENT_STARTED entry links to an entry that is not here, so its
 * link cannot be checked, its own seal can. Lines cut from the start of a file are never that.
 */
export class ChainChecker {
  private prev = GENESIS;
  private nextSeq = 1;
  private checked = 0;
  private legacy = 0;
  private started = false;

  constructor(private readonly key: Buffer) {}

  get entries(): number {
    return this.checked;
  }

  get legacyEntries(): number {
    return this.legacy;
  }

  get lastHash(): string {
    return this.prev;
  }

  /** The seq of the last entry checked (0 before any). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** The entry, or why the chain breaks at this line. */
  push(line: string): { ok: true; entry: ChainEntry } | { ok: false; reason: string; keyed: boolean } {
    let keyed = false;
    const broken = (reason: string) => ({ ok: false as const, reason, keyed });
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return broken('not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null) return broken('not valid JSON');
    const { hash, ...rest } = parsed;
    keyed = parsed['v'] === KEYED_VERSION;
    if (!keyed && parsed['v'] !== undefined) return broken('unknown record version');
    if (!keyed && this.legacy < this.checked) return broken('unkeyed entry after keyed entries');
    const { seq, prev, type } = parsed;
    if (!this.started && keyed && type === TRAIL_RECORD.SEGMENT_STARTED && typeof seq === 'number' && seq > 1 && typeof prev === 'string') {
      this.nextSeq = seq;
      this.prev = prev;
    }
    this.started = true;
    if (parsed['seq'] !== this.nextSeq) return broken('sequence number out of order');
    if (parsed['prev'] !== this.prev) return broken('link to previous entry broken');
    const body = JSON.stringify(rest);
    const expected = keyed ? keyedChainHash(this.key, this.prev, body) : legacyChainHash(this.prev, body);
    if (typeof hash !== 'string' || hash !== expected) return broken('content does not match its hash');
    if (!keyed) this.legacy += 1;
    const data = parsed['data'];
    const entry: ChainEntry = {
      seq: this.nextSeq,
      at: String(parsed['at']),
      type: String(parsed['type']),
      keyed,
      ...(typeof data === 'object' && data !== null ? { data: data as Record<string, unknown> } : {}),
      hash,
    };
    this.checked += 1;
    this.nextSeq += 1;
    this.prev = hash;
    return { ok: true, entry };
  }
}

/** A whole chain held as lines (the in-memory trail of the tests); starts at entry 1. */
export function verifyLines(key: Buffer, lines: readonly string[]): VerifyResult {
  const checker = new ChainChecker(key);
  const chain: ChainEntry[] = [];
  for (const [index, line] of lines.entries()) {
    const r = checker.push(line);
    if (!r.ok) return { ok: false, entries: index, brokenAtLine: index + 1, reason: r.reason, keyed: r.keyed };
    chain.push(r.entry);
  }
  return { ok: true, entries: lines.length, legacyEntries: checker.legacyEntries, lastHash: checker.lastHash, chain };
}
