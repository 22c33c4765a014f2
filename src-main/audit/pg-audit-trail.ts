/**
 * The branch's audit trail in PostgreSQL (R13): one hash chain for every terminal. Each entry is
 * sealed exactly like a line of the file trail (hash-chain.ts, keyed with a sub-key of the
 * branch's key file) and appended in a transaction that locks the one head row, so entries from
 * several terminals are sealed one after another and the chain never forks. The head row carries
 * its own seal, so removing entries at the end and moving the head back is found as well.
 *
 * verifyPgTrail reads the chain in pages by sequence number, never every row at once.
 */
import { createHmac } from 'node:crypto';
import pg from 'pg';
import type { AuditEntry, AuditEvent, AuditEventType, AuditTrail, RecordedAuditEvent } from '../core/ports.js';
import type { PgDatabase, Queryable } from '../store/pg/database.js';
import { GENESIS, KEYED_VERSION, deriveAuditKeys, sealRecord, type AuditKeys } from './hash-chain.js';
import { recordedEvent } from './trail-reads.js';

const PAGE = 5_000;

export function headSeal(key: Buffer, seq: number, hash: string): string {
  return createHmac('sha256', key).update(`${seq}\n${hash}`).digest('hex');
}

type ChainEvent =
  | AuditEvent
  | {
      readonly type: 'STORE_MIGRATED';
      readonly actor: string;
      readonly terminal: string;
      readonly data: Readonly<Record<string, string | number | boolean>>;
    };

interface ChainPoint {
  readonly seq: number;
  readonly hash: string;
}

/** An entry sealed onto the chain, with the columns stored beside its line. */
interface SealedEntry {
  readonly seq: number;
  readonly at: Date;
  readonly type: string;
  readonly subject: string | null;
  readonly line: string;
  readonly hash: string;
}

/** The account part of an audited change: the version it was decided on, and its new document (none: only checked). */
export interface CheckedAccount {
  readonly id: string;
  readonly version: string;
  readonly doc?: unknown;
}

/** How often one append seals again onto a head that another terminal moved, before it takes the locked way. */
const SEAL_ROUNDS = 4;

type AuditedChangeAnswer = { outcome: 'OK' | 'STALE' | 'HEAD_MOVED'; head_seq: string | null; head_hash: string | null };

const AUDITED_CHANGE = {
  name: 'kk-audited-change',
  text: 'SELECT outcome, head_seq, head_hash FROM audited_change($1, $2, $3, $4::text::xid, $5, $6, $7, $8, $9, $10, $11, $12)',
};

export class PgAuditTrail implements AuditTrail {
  private readonly keys: AuditKeys;
  /** The newest head this terminal knows of: a guess, which the database checks at every append. */
  private head: ChainPoint | undefined;
  /** This terminal's appends, one after another, so that they do not seal onto the same head. */
  private appending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: PgDatabase,
    secretKey: Uint8Array,
  ) {
    this.keys = deriveAuditKeys(secretKey);
  }

  private seal(head: ChainPoint, event: ChainEvent, at: Date): SealedEntry {
    const seq = head.seq + 1;
    const subject = 'subject' in event && event.subject !== undefined ? event.subject : undefined;
    const { line, hash } = sealRecord(this.keys.chain, {
      v: KEYED_VERSION,
      seq,
      at: at.toISOString(),
      type: event.type,
      actor: event.actor,
      terminal: event.terminal,
      ...(subject !== undefined ? { subject } : {}),
      ...(event.data !== undefined ? { data: event.data } : {}),
      prev: head.hash,
    });
    return { seq, at, type: event.type, subject: subject ?? null, line, hash };
  }

  async append(event: AuditEvent, at: Date): Promise<void> {
    if ((await this.appendChange([{ event, at }])) === 'CONTENDED') await this.db.tx((client) => this.appendIn(client, event, at));
  }

  /**
   * Appends `entries` (at least one), with the account change they record if there is one, in one
   * statement (audited_change, migration 0005): sealed onto the head this terminal knows, and again
   * onto the head the database answers if another terminal moved it. 'STALE': the account is no
   * longer the version the change was decided on, and nothing was written. 'CONTENDED': the head
   * kept moving; nothing was written, and the caller takes the locked way (appendIn in a transaction).
   */
  appendChange(entries: readonly AuditEntry[], account?: CheckedAccount): Promise<'OK' | 'STALE' | 'CONTENDED'> {
    if (entries.length === 0) throw new Error('an audited change records at least one entry');
    const run = this.appending.then(() => this.sealAndWrite(entries, account));
    this.appending = run.catch(() => undefined);
    return run;
  }

  private async sealAndWrite(entries: readonly AuditEntry[], account: CheckedAccount | undefined): Promise<'OK' | 'STALE' | 'CONTENDED'> {
    for (let round = 0; round < SEAL_ROUNDS; round++) {
      const head = this.head ?? (await this.currentHead());
      const sealed: SealedEntry[] = [];
      for (const { event, at } of entries) sealed.push(this.seal(sealed.at(-1) ?? head, event, at));
      const last = sealed.at(-1) as SealedEntry;
      let answer: AuditedChangeAnswer | undefined;
      try {
        const result = await this.db.query<AuditedChangeAnswer>(AUDITED_CHANGE, [
          head.seq,
          head.hash,
          account?.id ?? null,
          account?.version ?? null,
          account?.doc ?? null,
          sealed.map((e) => e.seq),
          sealed.map((e) => e.at),
          sealed.map((e) => e.type),
          sealed.map((e) => e.subject),
          sealed.map((e) => e.line),
          last.hash,
          headSeal(this.keys.head, last.seq, last.hash),
        ]);
        answer = result.rows[0];
      } catch (error) {
        // Whether it was written is unknown (a lost connection): the head is read again next time.
        this.head = undefined;
        // A deadlock or serialisation failure rolled the statement back whole: it may simply run again.
        if (error instanceof pg.DatabaseError && (error.code === '40P01' || error.code === '40001')) continue;
        throw error;
      }
      if (!answer) throw new Error('audited_change answered nothing');
      // The head as the database holds it now (none when the account was found changed before the head was read).
      if (answer.head_seq !== null && answer.head_hash !== null) this.head = { seq: Number(answer.head_seq), hash: answer.head_hash };
      if (answer.outcome === 'OK') return 'OK';
      if (answer.outcome === 'STALE') return 'STALE';
    }
    return 'CONTENDED';
  }

  private async currentHead(): Promise<ChainPoint> {
    const head = (await this.db.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_head')).rows[0];
    if (!head) throw new Error('the audit head row is missing');
    return { seq: Number(head.seq), hash: head.hash };
  }

  /** Appends inside the caller's transaction: the entry commits with the change it records, or not at all. */
  async appendIn(client: Queryable, event: ChainEvent, at: Date): Promise<void> {
    const found = (await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_head FOR UPDATE')).rows[0];
    if (!found) throw new Error('the audit head row is missing');
    const entry = this.seal({ seq: Number(found.seq), hash: found.hash }, event, at);
    // Entry and head in one statement: every round trip here is one that all terminals wait for.
    await client.query(
      `WITH entry AS (INSERT INTO audit_events (seq, at, type, subject, line) VALUES ($1, $2, $3, $4, $5))
         UPDATE audit_head SET seq = $1, hash = $6, seal = $7`,
      [entry.seq, at, entry.type, entry.subject, entry.line, entry.hash, headSeal(this.keys.head, entry.seq, entry.hash)],
    );
    // A guess for the next append (the transaction may still roll back: the database checks it).
    this.head = { seq: entry.seq, hash: entry.hash };
  }

  /** The head as the database has it, if its seal is the branch's (or it is the unsealed start). */
  async sealedHead(): Promise<{ readonly seq: number; readonly hash: string } | undefined> {
    const head = (await this.db.query<{ seq: string; hash: string; seal: string | null }>('SELECT seq, hash, seal FROM audit_head'))
      .rows[0];
    if (!head) return undefined;
    const seq = Number(head.seq);
    if (seq === 0) return head.hash === GENESIS ? { seq, hash: head.hash } : undefined;
    return head.seal === headSeal(this.keys.head, seq, head.hash) ? { seq, hash: head.hash } : undefined;
  }

  /** The key that seals heads (and the terminals' witnesses of them). */
  get headKey(): Buffer {
    return this.keys.head;
  }

  async history(subject: string, limit: number): Promise<readonly RecordedAuditEvent[]> {
    const rows = await this.db.query<{ line: string }>('SELECT line FROM audit_events WHERE subject = $1 ORDER BY seq DESC LIMIT $2', [
      subject,
      limit,
    ]);
    return rows.rows.flatMap((r) => recordedEvent(r.line) ?? []);
  }

  async eventsSince(since: Date, types: readonly AuditEventType[]): Promise<readonly RecordedAuditEvent[]> {
    const rows = await this.db.query<{ line: string }>('SELECT line FROM audit_events WHERE at >= $1 AND type = ANY($2) ORDER BY seq', [
      since,
      [...types],
    ]);
    return rows.rows.flatMap((r) => recordedEvent(r.line) ?? []);
  }

  /** Entries are durable when append resolves: nothing waits to be flushed. */
  flush(): Promise<void> {
    return Promise.resolve();
  }
}

export type PgAuditCheck =
  | { readonly ok: true; readonly code: 'INTACT'; readonly entries: number }
  | { readonly ok: false; readonly code: 'CHAIN_BROKEN'; readonly entries: number; readonly brokenAtSeq: number; readonly reason: string }
  | { readonly ok: false; readonly code: 'HEAD_INVALID' | 'ENTRIES_MISSING'; readonly entries: number; readonly headSeq: number };

/** Whether the branch holds accounts or staff: each was recorded in the chain when it was made. */
async function holdsRecordedData(db: PgDatabase): Promise<boolean> {
  const found = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM accounts) OR EXISTS (SELECT 1 FROM staff) AS any');
  return found.rows[0]?.any === true;
}

/** Checks every entry's seal and link, page by page, then the head against the chain's end. */
export async function verifyPgTrail(db: PgDatabase, secretKey: Uint8Array): Promise<PgAuditCheck> {
  const keys = deriveAuditKeys(secretKey);
  let prev = GENESIS;
  let expected = 1;
  for (;;) {
    const page = await db.query<{ seq: string; line: string }>('SELECT seq, line FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT $2', [
      expected,
      PAGE,
    ]);
    for (const row of page.rows) {
      const broken = (reason: string): PgAuditCheck => ({
        ok: false,
        code: 'CHAIN_BROKEN',
        entries: expected - 1,
        brokenAtSeq: expected,
        reason,
      });
      if (Number(row.seq) !== expected) return broken('an entry is missing');
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(row.line) as Record<string, unknown>;
      } catch {
        return broken('not valid JSON');
      }
      const { hash, ...rest } = parsed;
      if (rest['v'] !== KEYED_VERSION) return broken('unknown record version');
      if (rest['seq'] !== expected) return broken('sequence number out of order');
      if (rest['prev'] !== prev) return broken('link to previous entry broken');
      if (typeof hash !== 'string' || sealRecord(keys.chain, rest as Parameters<typeof sealRecord>[1]).hash !== hash) {
        return broken('content does not match its hash');
      }
      prev = hash;
      expected += 1;
    }
    if (page.rows.length < PAGE) break;
  }
  const entries = expected - 1;
  const head = (await db.query<{ seq: string; hash: string; seal: string | null }>('SELECT seq, hash, seal FROM audit_head')).rows[0];
  const headSeq = Number(head?.seq ?? -1);
  if (!head || (headSeq > 0 && head.seal !== headSeal(keys.head, headSeq, head.hash)) || (headSeq === 0 && head.hash !== GENESIS)) {
    return { ok: false, code: 'HEAD_INVALID', entries, headSeq };
  }
  // The one head anybody can write without the key is the unsealed start. It is genuine only in a
  // database that holds nothing a terminal records: beside accounts or staff it is a wiped chain.
  if (headSeq === 0 && entries === 0 && (await holdsRecordedData(db))) return { ok: false, code: 'HEAD_INVALID', entries, headSeq };
  if (headSeq !== entries || head.hash !== prev) return { ok: false, code: 'ENTRIES_MISSING', entries, headSeq };
  return { ok: true, code: 'INTACT', entries };
}
