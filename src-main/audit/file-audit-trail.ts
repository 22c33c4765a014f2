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
 * Only the end of the trail is read on open (trail-end.ts), so a start costs the same for a trail of
 * any length. Past `segmentBytes` the active file is closed as a numbered segment and the next one
 * continues the chain (segments.ts); a crash at any step of that is finished by the next open.
 *
 * What the directory is (`origin`, decided once by the start-up from data-dir.json) sets what a
 * missing head means. In a directory set up by this version there has always been a head, so its
 * absence, or unkeyed entries it does not cover, is a conflict: without the key, wiping the trail
 * or replacing it with an unkeyed chain must never come out "intact". Only while a directory from
 * before the head existed is adopted may a legacy (unkeyed) trail be taken over: it gets an
 * AUDIT_CHAIN_KEYED record that seals it, and the chain goes on keyed.
 */
import { writeSync } from 'node:fs';
import { open, truncate, type FileHandle } from 'node:fs/promises';
import type { AuditEvent, AuditEventType, AuditTrail, RecordedAuditEvent } from '../core/ports.js';
import { KeyedMutex } from '../lib/keyed-mutex.js';
import { writeFileDurably } from '../lib/durable-file.js';
import { completeEnd, countLines, damagedLastLine, entryEnd, linesBackward } from './audit-file.js';
import { headPathFor, readHead, removeStaleHeadTemps, writeHead, type HeadPosition } from './audit-head.js';
import { GENESIS, KEYED_VERSION, TRAIL_RECORD, deriveAuditKeys, sealRecord, type AuditKeys, type TrailRecordType } from './hash-chain.js';
import { SegmentIndex } from './segment-index.js';
import { listSegments, placeSegment, removeStaleSegmentTemps, segmentLastEntry, segmentOf, type Segment } from './segments.js';
import { readTrailEnd, type TrailOrigin } from './trail-end.js';
import { ActiveSubjects, eventsAt, recordedEvent, scanEvents } from './trail-reads.js';

export { verifyAuditFile } from './verify-trail.js';
export type { TrailOrigin } from './trail-end.js';

type TrailEvent = Omit<AuditEvent, 'type'> & { readonly type: AuditEventType | TrailRecordType };

/** Fixed key for in-memory trails in tests; a real trail always gets the data directory's key. */
export const TEST_AUDIT_KEY: Uint8Array = new Uint8Array(32).fill(9);

/** The active file is closed as a segment once it holds this much (about 250,000 entries). */
export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
/** Bounds of the option: below, segments would pile up; above, the active file's first history read grows. */
const SEGMENT_BYTES_RANGE = { min: 64 * 1024, max: 1024 * 1024 * 1024 };

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

/** The steps of a rotation, in order; a crash before any of them is finished by the next open. */
export type RotationStep = 'PLACE_SEGMENT' | 'START_NEXT_FILE' | 'REOPEN';

export interface TrailOpenOptions {
  readonly origin: TrailOrigin;
  /** How long entries may wait for their group fsync. */
  readonly syncDelayMs?: number;
  /** Size past which the active file is closed as a segment (default DEFAULT_SEGMENT_BYTES). */
  readonly segmentBytes?: number;
  /** Called before each step of a rotation. Throwing stops the rotation there, as a crash would: for fault injection. */
  readonly beforeRotationStep?: (step: RotationStep) => void | Promise<void>;
}

export class FileAuditTrail implements AuditTrail {
  private readonly queue = new KeyedMutex();
  private syncTimer: ReturnType<typeof setTimeout> | undefined;
  private syncing: Promise<void> = Promise.resolve();
  /** Subject places of the active file, from the first history read on. */
  private active: ActiveSubjects | undefined;
  private readonly indexes = new Map<number, Promise<SegmentIndex>>();
  /** A rotation failed half-way: nothing more is written until a restart finishes it. */
  private failed: Error | undefined;

  private constructor(
    private readonly path: string,
    private handle: FileHandle,
    private activeBytes: number,
    private readonly segments: Segment[],
    private readonly headPath: string,
    private readonly keys: AuditKeys,
    private readonly head: ChainHead,
    private written: HeadPosition | undefined,
    private readonly options: { syncDelayMs: number; segmentBytes: number; beforeRotationStep?: TrailOpenOptions['beforeRotationStep'] },
  ) {}

  /** `secretKey` is the data directory's secret key; the trail derives its own keys from it. */
  static async open(path: string, secretKey: Uint8Array, options: TrailOpenOptions): Promise<FileAuditTrail> {
    const { origin, syncDelayMs = 20, segmentBytes = DEFAULT_SEGMENT_BYTES } = options;
    if (!Number.isSafeInteger(segmentBytes) || segmentBytes < SEGMENT_BYTES_RANGE.min || segmentBytes > SEGMENT_BYTES_RANGE.max) {
      throw new RangeError(`segmentBytes must be between ${SEGMENT_BYTES_RANGE.min} and ${SEGMENT_BYTES_RANGE.max}`);
    }
    const keys = deriveAuditKeys(secretKey);
    const headPath = headPathFor(path);
    const segments = await listSegments(path);
    const head = await readHead(keys.head, headPath);
    // Checked before anything is changed: a refused open leaves the files as they were.
    const end = await readTrailEnd(path, segments, head, origin);
    await removeStaleHeadTemps(headPath);
    await removeStaleHeadTemps(path);
    await removeStaleSegmentTemps(path);
    if (end.activeEnd < end.activeSize) await truncate(path, end.activeEnd);
    // A segment whose last entry is the active file's last entry: a rotation stopped after placing it.
    const newest = segments.at(-1);
    const newestEnd = newest && end.activeTail ? await segmentLastEntry(newest) : undefined;
    const unfinished = newestEnd?.seq === end.activeTail?.seq && newestEnd?.hash === end.activeTail?.hash ? newest : undefined;
    const handle = await open(path, 'a', 0o600);
    const written = head.kind === 'VALID' ? { seq: head.seq, hash: head.hash } : undefined;
    const trail = new FileAuditTrail(
      path,
      handle,
      end.activeEnd,
      unfinished ? segments.slice(0, -1) : segments,
      headPath,
      keys,
      new ChainHead(keys.chain, end.tail?.seq ?? 0, end.tail?.hash ?? GENESIS),
      written,
      { syncDelayMs, segmentBytes, ...(options.beforeRotationStep ? { beforeRotationStep: options.beforeRotationStep } : {}) },
    );
    const { finding, tail } = end;
    try {
      if (unfinished) await trail.queue.run('audit', () => trail.startNextFile(unfinished));
      if (finding) {
        console.error(`[audit] the audit head does not fit the trail (${finding}); recorded in the trail, run audit:verify`);
        await trail.appendRecord(TRAIL_RECORD.HEAD_CONFLICT, {
          finding,
          fileEntries: tail?.seq ?? 0,
          ...(head.kind === 'VALID' ? { headSeq: head.seq } : {}),
        });
      } else {
        // The lines read may never have been fsynced by the process that wrote them: sync, then
        // let the head name them, before anything new is written.
        await trail.flush();
        if (origin === 'adopted' && tail && !tail.keyed) await trail.appendRecord(TRAIL_RECORD.CHAIN_KEYED, { legacyEntries: tail.seq });
      }
      await trail.flush();
    } catch (error) {
      await trail.handle.close();
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

  /** Oldest first: the closed segments whose time range reaches `since`, then the active file; each streamed. */
  async eventsSince(since: Date, types: readonly AuditEventType[]): Promise<readonly RecordedAuditEvent[]> {
    const from = since.toISOString();
    const { reader, end, segments } = await this.queue.run('audit', () => this.snapshotInQueue());
    const found: RecordedAuditEvent[] = [];
    try {
      for (const segment of segments) {
        const index = await this.indexOf(segment);
        if (index.summary.maxAt < from) continue;
        const handle = await open(segment.path, 'r');
        await scanEvents(handle, index.summary.bytes, from, types, found).finally(() => handle.close());
      }
      await scanEvents(reader, end, from, types, found);
      return found;
    } finally {
      await reader.close();
    }
  }

  /** The newest `limit` events of the subject: the active file's, then each segment's, newest segment first. */
  async history(subject: string, limit: number): Promise<readonly RecordedAuditEvent[]> {
    const { reader, segments, active } = await this.queue.run('audit', async () => ({
      ...(await this.snapshotInQueue()),
      active: await this.activeSubjects(),
    }));
    try {
      await active.ready;
      const found = await eventsAt(reader, active.newest(subject, limit), subject);
      for (const segment of [...segments].reverse()) {
        if (found.length >= limit) break;
        const places = await this.placesIn(segment, subject);
        if (places.length === 0) continue;
        const handle = await open(segment.path, 'r');
        const events = await eventsAt(handle, places.reverse(), subject).finally(() => handle.close());
        found.push(...events.slice(0, limit - found.length));
      }
      return found;
    } finally {
      await reader.close();
    }
  }

  /** The active file as it is now (a later rotation does not change what this reader sees) and the segments before it. */
  private async snapshotInQueue(): Promise<{ reader: FileHandle; end: number; segments: Segment[] }> {
    return { reader: await open(this.path, 'r'), end: this.activeBytes, segments: [...this.segments] };
  }

  /** Runs in the queue, so the scan reads the file the later writes go to. */
  private async activeSubjects(): Promise<ActiveSubjects> {
    this.active ??= new ActiveSubjects(await open(this.path, 'r'), this.activeBytes);
    return this.active;
  }

  private async placesIn(segment: Segment, subject: string): Promise<{ offset: number; length: number }[]> {
    const places = await (await this.indexOf(segment)).places(subject);
    if (places) return places;
    console.error(`[audit] the index of ${segment.path} is not sealed with this key; built again from the segment`);
    this.indexes.delete(segment.number);
    return (await (await this.indexOf(segment, true)).places(subject)) ?? [];
  }

  /** The segment's index: loaded, or built from the segment when missing, stale or not sealed. */
  private indexOf(segment: Segment, rebuild = false): Promise<SegmentIndex> {
    let index = this.indexes.get(segment.number);
    if (!index) {
      index = (async () =>
        (!rebuild && (await SegmentIndex.load(segment, this.keys.index))) || SegmentIndex.build(segment, this.keys.index))();
      // A failed build is tried again on the next read.
      index.catch(() => this.indexes.delete(segment.number));
      this.indexes.set(segment.number, index);
    }
    return index;
  }

  private write(event: TrailEvent, at: Date): Promise<void> {
    return this.queue.run('audit', async () => {
      if (this.failed) throw new Error('the audit trail stopped after a failed rotation; a restart finishes it');
      if (this.activeBytes >= this.options.segmentBytes) await this.rotate();
      const { line, commit } = this.head.seal(event, at);
      const bytes = Buffer.from(`${line}\n`);
      // A short synchronous append to the page cache: cheaper than a round trip through the
      // thread pool, which argon2 keeps busy.
      writeSync(this.handle.fd, bytes);
      commit();
      this.active?.add(event.subject, this.activeBytes, bytes.length - 1);
      this.activeBytes += bytes.length;
      this.scheduleSync();
    });
  }

  /**
   * Closes the active file as the next segment. Order: everything synced and named by the head,
   * the segment placed (a link to the active file), the active file replaced by one whose first
   * entry continues the chain. Runs in the queue: no entry is written meanwhile.
   */
  private async rotate(): Promise<void> {
    try {
      await this.syncInQueue();
      const segment = segmentOf(this.path, (this.segments.at(-1)?.number ?? 0) + 1);
      await this.options.beforeRotationStep?.('PLACE_SEGMENT');
      await placeSegment(this.path, segment);
      await this.startNextFile(segment);
    } catch (error) {
      this.failed = error as Error;
      throw error;
    }
  }

  /** The new active file, written whole with its first entry (so it is never empty or torn), replaces the old one. */
  private async startNextFile(closed: Segment): Promise<void> {
    await this.options.beforeRotationStep?.('START_NEXT_FILE');
    const { line, commit } = this.head.seal(
      { type: TRAIL_RECORD.SEGMENT_STARTED, actor: 'system', terminal: 'audit', data: { segment: closed.number } },
      new Date(),
    );
    await writeFileDurably(this.path, `${line}\n`);
    commit();
    await this.options.beforeRotationStep?.('REOPEN');
    const previous = this.handle;
    this.handle = await open(this.path, 'a', 0o600);
    await previous.close();
    this.activeBytes = Buffer.byteLength(line) + 1;
    this.active = undefined;
    this.segments.push(closed);
    // Built now, in the background, so the first history read after a rotation does not wait for it.
    this.indexOf(closed).catch((error: unknown) => console.error('[audit] indexing a closed segment failed', error));
    this.scheduleSync();
  }

  private scheduleSync(): void {
    if (this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      this.syncing = this.syncing
        .then(() => this.syncAndWriteHead())
        .catch((error: unknown) => console.error('[audit] fsync or head write failed', error));
    }, this.options.syncDelayMs);
  }

  /** The head names only what this fsync covered: entries written before it started. */
  private async syncAndWriteHead(): Promise<void> {
    const covered = this.head.position();
    await this.handle.sync();
    if (this.written?.seq === covered.seq && this.written.hash === covered.hash) return;
    await writeHead(this.keys.head, this.headPath, covered);
    this.written = covered;
  }

  private async syncInQueue(): Promise<void> {
    if (this.syncTimer) {
      clearTimeout(this.syncTimer);
      this.syncTimer = undefined;
    }
    // Head writes stay in order, so an older position never replaces a newer one.
    const done = this.syncing.then(() => this.syncAndWriteHead());
    this.syncing = done.catch(() => undefined);
    await done;
  }

  /** Flushes pending entries to disk now and brings the head up to date. */
  async flush(): Promise<void> {
    await this.queue.run('audit', async () => {
      if (!this.failed) await this.syncInQueue();
    });
  }

  async close(): Promise<void> {
    await this.flush();
    await Promise.allSettled(this.indexes.values());
    await this.handle.close();
  }
}

/**
 * Writes the head naming the trail's last complete entry (seq 0 for an empty trail): at set-up, so
 * a directory of this version always has a head, and at adoption, so the legacy entries are sealed
 * by the key before anything else happens. Only where there is no head yet. Reads only the end.
 */
export async function sealTrailEnd(path: string, secretKey: Uint8Array): Promise<void> {
  let position: HeadPosition = { seq: 0, hash: GENESIS };
  const handle = await open(path, 'r').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  });
  if (handle) {
    try {
      const end = await completeEnd(handle, (await handle.stat()).size);
      for await (const { text } of linesBackward(handle, end)) {
        const last = text === undefined ? undefined : entryEnd(text);
        if (!last) throw damagedLastLine(path, await countLines(handle, end));
        position = { seq: last.seq, hash: last.hash };
        break;
      }
    } finally {
      await handle.close();
    }
  }
  await writeHead(deriveAuditKeys(secretKey).head, headPathFor(path), position);
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
