/**
 * A terminal's witness of the branch's audit chain: the newest sealed head it has seen, kept in
 * its own data directory, outside the database. A chain whose newest entries were removed and
 * whose head row was put back as someone saved it earlier (or a database restored from an old
 * backup) verifies by itself: every entry and the head are genuine. It does not fit the witness of
 * a terminal that saw the chain further: the entry the witness names is missing, or the chain was
 * continued from the older head and that entry is another one now.
 *
 * The witness carries the head's own seal (a sub-key of the branch key), so a file written without
 * the key is not taken for one. Removing a terminal's witness needs that terminal's disk; every
 * terminal keeps its own.
 */
import { readFile } from 'node:fs/promises';
import { writeFileDurably } from '../lib/durable-file.js';
import type { PgDatabase } from '../store/pg/database.js';
import { headSeal } from './pg-audit-trail.js';

export interface ChainPoint {
  readonly seq: number;
  readonly hash: string;
}

export type WitnessFinding = { readonly code: 'ROLLED_BACK'; readonly witnessSeq: number; readonly headSeq: number };

/** The witness in `path`, if there is one with a valid seal; one without is reported and ignored. */
export async function readWitness(path: string, headKey: Buffer): Promise<ChainPoint | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { seq, hash, seal } = JSON.parse(text) as Record<string, unknown>;
    if (Number.isSafeInteger(seq) && typeof hash === 'string' && seal === headSeal(headKey, seq as number, hash)) {
      return { seq: seq as number, hash };
    }
  } catch {
    // Reported below, like a seal that does not fit.
  }
  console.error('[audit] the witness of the branch chain in this data directory is not sealed with the branch key; it is replaced');
  return undefined;
}

function writeWitness(path: string, headKey: Buffer, point: ChainPoint): Promise<void> {
  return writeFileDurably(
    path,
    `${JSON.stringify({ seq: point.seq, hash: point.hash, seal: headSeal(headKey, point.seq, point.hash) })}\n`,
  );
}

/**
 * The entry the witness names is still in the chain, with the same hash, and the head is not below
 * it; else the chain was rolled back (a head put back while the entry it named is left in place
 * is the first half of a rollback that removes that entry once the witness has moved back).
 */
export async function checkWitness(db: PgDatabase, witness: ChainPoint): Promise<WitnessFinding | undefined> {
  const found = await db.query<{ line: string }>('SELECT line FROM audit_events WHERE seq = $1', [witness.seq]);
  const head = await db.query<{ seq: string }>('SELECT seq FROM audit_head');
  const headSeq = Number(head.rows[0]?.seq ?? 0);
  const line = found.rows[0]?.line;
  let hash: unknown;
  try {
    hash = line === undefined ? undefined : (JSON.parse(line) as Record<string, unknown>)['hash'];
  } catch {
    hash = undefined;
  }
  if (witness.seq === 0 || (hash === witness.hash && headSeq >= witness.seq)) return undefined;
  return { code: 'ROLLED_BACK', witnessSeq: witness.seq, headSeq };
}

/**
 * The first rollback a terminal found with its witness and recorded in the chain (AUDIT_ROLLBACK_FOUND).
 * Once that witness has moved on, this entry is what is left of the finding, so it stays one. Read
 * from the sealed line, not the `type` column beside it: that copy is not sealed and could hide it.
 */
export async function recordedRollback(
  db: PgDatabase,
): Promise<
  | { readonly seq: number; readonly at: string; readonly terminal: string; readonly witnessSeq: string; readonly headSeq: string }
  | undefined
> {
  const rows = await db.query<{ seq: string; line: string }>(
    "SELECT seq, line FROM audit_events WHERE strpos(line, 'AUDIT_ROLLBACK_FOUND') > 0 ORDER BY seq",
  );
  for (const row of rows.rows) {
    let entry: { type?: unknown; at?: unknown; terminal?: unknown; data?: { witnessSeq?: unknown; headSeq?: unknown } };
    try {
      entry = JSON.parse(row.line) as typeof entry;
    } catch {
      continue;
    }
    if (entry.type !== 'AUDIT_ROLLBACK_FOUND') continue;
    return {
      seq: Number(row.seq),
      at: String(entry.at),
      terminal: String(entry.terminal),
      witnessSeq: String(entry.data?.witnessSeq),
      headSeq: String(entry.data?.headSeq),
    };
  }
  return undefined;
}

/** The witness of one terminal: checked against the chain, and moved on to the head as it is now. */
export class ChainWitness {
  constructor(
    private readonly db: PgDatabase,
    private readonly trail: { readonly headKey: Buffer; sealedHead(): Promise<ChainPoint | undefined> },
    private readonly path: string,
  ) {}

  /** A rollback below what this terminal saw, or nothing. */
  async check(): Promise<WitnessFinding | undefined> {
    const seen = await readWitness(this.path, this.trail.headKey);
    return seen ? checkWitness(this.db, seen) : undefined;
  }

  /**
   * Remembers the head as the database has it now, unless the chain no longer holds what this
   * terminal saw: that stays for check() to find. The witness never moves back without a recorded
   * finding: the head is read before the check, so one put back between the two is found, not
   * written. After a finding was recorded in the chain, `recorded` moves the witness on, so a
   * rollback is reported once.
   */
  async remember(recorded = false): Promise<void> {
    const head = await this.trail.sealedHead();
    if (!head) return;
    if (!recorded) {
      const seen = await readWitness(this.path, this.trail.headKey);
      if (seen && (head.seq < seen.seq || (await checkWitness(this.db, seen)))) return;
    }
    await writeWitness(this.path, this.trail.headKey, head);
  }
}
