/**
 * Append-only audit file with group commit: each entry is written to the file before append()
 * resolves (so it survives the process being killed), and the file is fsynced at most
 * `syncDelayMs` later, once for all entries of that window (so a power loss can cost at most that
 * window, while a login does not pay a disk flush of its own). After each fsync the head file is
 * rewritten to name the last entry that fsync covered.
 *
 * On open: a torn last line (never confirmed) is dropped; a head behind the file is a crash between
 * fsync and head write and is simply brought up to date. A head that does not fit the file (file
 * shorter than the head, head missing, unsealed or naming another entry, unkeyed entries after it)
 * is not overwritten silently: the trail first appends an AUDIT_HEAD_CONFLICT record with the
 * finding, keyed like any entry, so the evidence survives the restart and the verify command
 * reports it. A last complete line that is no entry stops the open (DamagedFileError, by number).
 *
 * What the directory is (`origin`, decided once by the start-up from data-dir.json) sets what a
 * missing head means. In a directory set up by this version there has always been a head, so its
 * absence, or unkeyed entries it does not cover, is a conflict: without the key, wiping the trail
 * or replacing it with an unkeyed chain must never come out "intact". Only while a directory from
 * before the head existed is adopted may a legacy (unkeyed) trail be taken over: it gets an
 * AUDIT_CHAIN_KEYED record that seals it, and the chain goes on keyed.
 */
import { createReadStream, writeSync } from 'node:fs';
import { open, truncate, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { AuditEvent, AuditEventType, AuditTrail, RecordedAuditEvent } from '../core/ports.js';
import { KeyedMutex } from '../lib/keyed-mutex.js';
import { entryEnd, lastEntry, readAuditText, splitAuditText } from './audit-file.js';
import {
  compareHead,
  headPathFor,
  readHead,
  removeStaleHeadTemps,
  writeHead,
  type HeadFinding as HeadComparison,
  type HeadPosition,
  type HeadState,
} from './audit-head.js';
import { GENESIS, KEYED_VERSION, TRAIL_RECORD, deriveAuditKeys, sealRecord, type AuditKeys, type TrailRecordType } from './hash-chain.js';

export { verifyAuditFile } from './verify-trail.js';

type TrailEvent = Omit<AuditEvent, 'type'> & { readonly type: AuditEventType | TrailRecordType };

/** Fixed key for in-memory trails in tests; a real trail always gets the data directory's key. */
export const TEST_AUDIT_KEY: Uint8Array = new Uint8Array(32).fill(9);

/** The running end of a chain: turns the next event into its sealed line. */
class ChainHead {
  constructor(
    private readonly key: Buffer,
    private seq = 0,
    private prev = GENESIS,
  ) {}

  position(): HeadPosition {
    return { seq: this.seq, hash: this.prev };
  }

  seal(event: TrailEvent, at: Date): { line: string; commit: () => void } {
    const { line, hash } = sealRecord(this.key, {
      v: KEYED_VERSION,
      seq: this.seq + 1,
      at: at.toISOString(),
      type: event.type,
      actor: event.actor,
      terminal: event.terminal,
      ...(event.subject !== undefined ? { subject: event.subject } : {}),
      ...(event.data !== undefined ? { data: event.data } : {}),
      prev: this.prev,
    });
    return {
      line,
      commit: () => {
        this.seq += 1;
        this.prev = hash;
      },
    };
  }
}

function hashOfLine(lines: readonly string[], seq: number): string | undefined {
  const line = lines[seq - 1];
  const entry = line === undefined ? undefined : entryEnd(line);
  return entry?.seq === seq ? entry.hash : undefined;
}

/**
 * How the data directory came to be opened: `new` (just set up, its head written at seq 0),
 * `adopted` (set up by a version from before data-dir.json and the head, taken over now) or
 * `current` (set up by this version earlier).
 */
export type TrailOrigin = 'new' | 'adopted' | 'current';

export interface TrailOpenOptions {
  readonly origin: TrailOrigin;
  /** How long entries may wait for their group fsync. */
  readonly syncDelayMs?: number;
}

type HeadFinding = HeadComparison | 'UNKEYED_ENTRIES';

/** What open() must record before it may write a new head; undefined when the head fits the file. */
function findingOnOpen(
  origin: TrailOrigin,
  head: HeadState,
  lines: readonly string[],
  tail: { keyed: boolean } | undefined,
): HeadFinding | undefined {
  if (head.kind === 'MISSING') {
    if (origin === 'new' && lines.length === 0) return undefined;
    // Legacy entries written before there was a head.
    if (origin === 'adopted' && (tail === undefined || !tail.keyed)) return undefined;
    return 'HEAD_MISSING';
  }
  const compared = compareHead(head, lines.length, (seq) => hashOfLine(lines, seq));
  if (compared) return compared;
  // Entries after the head were written since its last update: this version writes keyed ones only.
  if (origin !== 'adopted' && head.kind === 'VALID' && lines.slice(head.seq).some((l) => entryEnd(l)?.keyed !== true)) {
    return 'UNKEYED_ENTRIES';
  }
  return undefined;
}

export class FileAuditTrail implements AuditTrail {
  private readonly queue = new KeyedMutex();
  private syncTimer: ReturnType<typeof setTimeout> | undefined;
  private syncing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    /** Where each subject's lines are (byte offset and length), and the file's end: an account's history reads only its lines. */
    private readonly bySubject: SubjectIndex,
    private readonly handle: FileHandle,
    private readonly headPath: string,
    private readonly keys: AuditKeys,
    private readonly head: ChainHead,
    private written: HeadPosition | undefined,
    private readonly syncDelayMs: number,
  ) {}

  /** `secretKey` is the data directory's secret key; the trail derives its own keys from it. */
  static async open(path: string, secretKey: Uint8Array, options: TrailOpenOptions): Promise<FileAuditTrail> {
    const { origin, syncDelayMs = 20 } = options;
    const keys = deriveAuditKeys(secretKey);
    const headPath = headPathFor(path);
    const { lines, tornTail } = splitAuditText((await readAuditText(path)) ?? '');
    // Checked before anything is changed: a refused open leaves the file as it was.
    const tail = lastEntry(path, lines);
    await removeStaleHeadTemps(headPath);
    if (tornTail) await truncate(path, Buffer.byteLength(lines.map((l) => `${l}\n`).join('')));
    // A broken chain is for the verify command to report; new entries link to the last line.
    const head = await readHead(keys.head, headPath);
    const finding = findingOnOpen(origin, head, lines, tail);
    const handle = await open(path, 'a', 0o600);
    const written = head.kind === 'VALID' ? { seq: head.seq, hash: head.hash } : undefined;
    const trail = new FileAuditTrail(
      path,
      SubjectIndex.of(lines),
      handle,
      headPath,
      keys,
      new ChainHead(keys.chain, tail?.seq ?? 0, tail?.hash ?? GENESIS),
      written,
      syncDelayMs,
    );
    try {
      if (finding) {
        console.error(`[audit] the audit head does not fit the trail (${finding}); recorded in the trail, run audit:verify`);
        await trail.appendRecord(TRAIL_RECORD.HEAD_CONFLICT, {
          finding,
          fileEntries: lines.length,
          ...(head.kind === 'VALID' ? { headSeq: head.seq } : {}),
        });
      } else {
        // The lines read may never have been fsynced by the process that wrote them: sync, then
        // let the head name them, before anything new is written.
        await trail.flush();
        if (origin === 'adopted' && tail && !tail.keyed)
          await trail.appendRecord(TRAIL_RECORD.CHAIN_KEYED, { legacyEntries: lines.length });
      }
      await trail.flush();
    } catch (error) {
      await handle.close();
      throw error;
    }
    return trail;
  }

  private appendRecord(type: TrailRecordType, data: Record<string, string | number>): Promise<void> {
    return this.write({ type, actor: 'system', terminal: 'audit', data }, new Date());
  }

  append(event: AuditEvent, at: Date): Promise<void> {
    return this.write(event, at);
  }

  /** Streams the file (never held whole in memory), parsing only lines of the wanted types. */
  async eventsSince(since: Date, types: readonly AuditEventType[]): Promise<readonly RecordedAuditEvent[]> {
    const wanted = new Set<string>(types);
    const from = since.toISOString();
    const needles = types.map((t) => `"type":${JSON.stringify(t)}`);
    const found: RecordedAuditEvent[] = [];
    const lines = createInterface({ input: createReadStream(this.path, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!needles.some((n) => line.includes(n))) continue;
      const event = recordedEvent(line);
      if (event && wanted.has(event.type) && event.at >= from) found.push(event);
    }
    return found;
  }

  /** The newest `limit` events of the subject, read line by line from the places the index names. */
  async history(subject: string, limit: number): Promise<readonly RecordedAuditEvent[]> {
    const places = this.bySubject.newest(subject, limit);
    if (places.length === 0) return [];
    const reader = await open(this.path, 'r');
    try {
      const found: RecordedAuditEvent[] = [];
      for (const { offset, length } of places) {
        const buffer = Buffer.alloc(length);
        await reader.read(buffer, 0, length, offset);
        const event = recordedEvent(buffer.toString('utf8'));
        if (event?.subject === subject) found.push(event);
      }
      return found;
    } finally {
      await reader.close();
    }
  }

  private write(event: TrailEvent, at: Date): Promise<void> {
    return this.queue.run('audit', async () => {
      const { line, commit } = this.head.seal(event, at);
      // A short synchronous append to the page cache: cheaper than a round trip through the
      // thread pool, which argon2 keeps busy.
      writeSync(this.handle.fd, `${line}\n`);
      commit();
      this.bySubject.add(line, event.subject);
      this.scheduleSync();
    });
  }

  private scheduleSync(): void {
    if (this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      this.syncing = this.syncing
        .then(() => this.syncAndWriteHead())
        .catch((error: unknown) => console.error('[audit] fsync or head write failed', error));
    }, this.syncDelayMs);
  }

  /** The head names only what this fsync covered: entries written before it started. */
  private async syncAndWriteHead(): Promise<void> {
    const covered = this.head.position();
    await this.handle.sync();
    if (this.written?.seq === covered.seq && this.written.hash === covered.hash) return;
    await writeHead(this.keys.head, this.headPath, covered);
    this.written = covered;
  }

  /** Flushes pending entries to disk now and brings the head up to date. */
  async flush(): Promise<void> {
    await this.queue.run('audit', async () => {
      if (this.syncTimer) {
        clearTimeout(this.syncTimer);
        this.syncTimer = undefined;
      }
      // Head writes stay in order, so an older position never replaces a newer one.
      const done = this.syncing.then(() => this.syncAndWriteHead());
      this.syncing = done.catch(() => undefined);
      await done;
    });
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle.close();
  }
}

/**
 * Writes the head naming the trail's last complete entry (seq 0 for an empty trail): at set-up, so
 * a directory of this version always has a head, and at adoption, so the legacy entries are sealed
 * by the key before anything else happens. Only where there is no head yet.
 */
export async function sealTrailEnd(path: string, secretKey: Uint8Array): Promise<void> {
  const { lines } = splitAuditText((await readAuditText(path)) ?? '');
  const end = lastEntry(path, lines);
  await writeHead(deriveAuditKeys(secretKey).head, headPathFor(path), end ? { seq: end.seq, hash: end.hash } : { seq: 0, hash: GENESIS });
}

/** In-memory trail for unit tests: same keyed sealing, kept as lines. */
export class MemoryAuditTrail implements AuditTrail {
  readonly lines: string[] = [];
  private readonly head: ChainHead;

  constructor(secretKey: Uint8Array = TEST_AUDIT_KEY) {
    this.head = new ChainHead(deriveAuditKeys(secretKey).chain);
  }

  append(event: AuditEvent, at: Date): Promise<void> {
    const { line, commit } = this.head.seal(event, at);
    this.lines.push(line);
    commit();
    return Promise.resolve();
  }

  eventsSince(since: Date, types: readonly AuditEventType[]): Promise<readonly RecordedAuditEvent[]> {
    const from = since.toISOString();
    const all = this.lines.map(recordedEvent).filter((e): e is RecordedAuditEvent => e !== undefined);
    return Promise.resolve(all.filter((e) => types.includes(e.type) && e.at >= from));
  }

  history(subject: string, limit: number): Promise<readonly RecordedAuditEvent[]> {
    const all = this.lines.map(recordedEvent).filter((e): e is RecordedAuditEvent => e?.subject === subject);
    return Promise.resolve(all.slice(-limit).reverse());
  }

  events(): { type: string; subject?: string; data?: Record<string, unknown> }[] {
    return this.lines.map((l) => JSON.parse(l) as { type: string; subject?: string; data?: Record<string, unknown> });
  }
}

/** One line of the trail as an event, or undefined for a line that is none (a trail record, damage). */
function recordedEvent(line: string): RecordedAuditEvent | undefined {
  try {
    const record = JSON.parse(line) as Partial<RecordedAuditEvent>;
    if (typeof record.type !== 'string' || typeof record.at !== 'string' || typeof record.actor !== 'string') return undefined;
    return {
      type: record.type,
      at: record.at,
      actor: record.actor,
      terminal: typeof record.terminal === 'string' ? record.terminal : '',
      ...(typeof record.subject === 'string' ? { subject: record.subject } : {}),
      ...(record.data && typeof record.data === 'object' ? { data: record.data } : {}),
    };
  } catch {
    return undefined;
  }
}

const SUBJECT = /"subject":"([^"\\]*)"/;

/**
 * Byte places of each subject's lines in the trail, built from the lines the open reads anyway and
 * kept up as lines are written: about 16 bytes per entry, so a million entries cost some 20 MB and
 * an account's history no longer reads the whole file.
 */
class SubjectIndex {
  private readonly places = new Map<string, number[]>();
  private end = 0;

  static of(lines: readonly string[]): SubjectIndex {
    const index = new SubjectIndex();
    for (const line of lines) index.add(line, SUBJECT.exec(line)?.[1]);
    return index;
  }

  add(line: string, subject: string | undefined): void {
    const length = Buffer.byteLength(line);
    if (subject) {
      const list = this.places.get(subject);
      if (list) list.push(this.end, length);
      else this.places.set(subject, [this.end, length]);
    }
    this.end += length + 1;
  }

  /** Newest first. */
  newest(subject: string, limit: number): { offset: number; length: number }[] {
    const list = this.places.get(subject) ?? [];
    const out: { offset: number; length: number }[] = [];
    for (let i = list.length - 2; i >= 0 && out.length < limit; i -= 2) out.push({ offset: list[i] ?? 0, length: list[i + 1] ?? 0 });
    return out;
  }
}
