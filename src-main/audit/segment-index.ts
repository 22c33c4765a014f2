/**
 * The subject index of a closed segment (`audit-000001.index` beside `audit-000001.jsonl`): where
 * each subject's lines are, and the segment's seq and time range, so an account's history and the
 * dashboard's window read a few places of a segment instead of the segment, and the start-up reads
 * no segment at all. Written once, when the segment is closed (or later, from the segment, when it
 * is missing); derived data, so a missing, stale or unsealed index is simply built again.
 *
 * Layout: magic, header length, header (JSON: segment name, size, seq and time range, bucket
 * count, its seal), then per bucket (subject hash mod buckets) its start and count, then one seal
 * per bucket, then the records (subject hash, length, offset; 16 bytes each, in file order). A
 * lookup reads the header once and then one bucket: a few hundred bytes, whatever the segment size.
 * Threat: an edited index could hide a subject's lines from the counter's view. Each bucket is
 * sealed (HMAC with the index key, bound to the header's seal, which binds the segment's name,
 * size and last hash), so an edit, a swap with another bucket or segment, or a cut bucket is noticed
 * and the index rebuilt from the segment; lines read through it are still checked for their subject.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { writeFileDurably } from '../lib/durable-file.js';
import { entryEnd, linesForward } from './audit-file.js';
import type { Segment } from './segments.js';

const MAGIC = Buffer.from('KKAIDX01');
/** Subject hash (u32), line length (u32), line offset (f64: a segment adopted from an old trail may pass 4 GiB). */
const RECORD = 16;
const MAC = 32;

export interface SegmentSummary {
  readonly segment: string;
  readonly bytes: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly lastHash: string;
  /** Earliest and latest `at` of the segment's entries (ISO strings; '' for a segment without entries). */
  readonly minAt: string;
  readonly maxAt: string;
  readonly buckets: number;
  readonly records: number;
}

export interface Place {
  readonly offset: number;
  readonly length: number;
}

/** FNV-1a over the id's UTF-16 units: only spreads subjects over buckets, the lines are checked. */
function subjectHash(subject: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < subject.length; i++) {
    h ^= subject.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const SUBJECT = /"subject":"([^"\\]*)"/;
const AT = /"at":"([^"\\]*)"/;

function headerMac(key: Buffer, summary: SegmentSummary): Buffer {
  return createHmac('sha256', key)
    .update(`audit-index\n${JSON.stringify(summary)}`)
    .digest();
}

function bucketMac(key: Buffer, header: Buffer, bucket: number, records: Buffer): Buffer {
  return createHmac('sha256', key)
    .update(header)
    .update(`\n${bucket}\n${records.length / RECORD}\n`)
    .update(records)
    .digest();
}

function equalMacs(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export class SegmentIndex {
  private constructor(
    private readonly path: string,
    private readonly key: Buffer,
    readonly summary: SegmentSummary,
    private readonly seal: Buffer,
    private readonly tableAt: number,
  ) {}

  /** The index as written for this segment, or undefined when it is missing, stale or not sealed. */
  static async load(segment: Segment, key: Buffer): Promise<SegmentIndex | undefined> {
    let handle;
    try {
      handle = await open(segment.indexPath, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const start = Buffer.alloc(MAGIC.length + 4);
      await handle.read(start, 0, start.length, 0);
      if (!start.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
      const headerLength = start.readUInt32LE(MAGIC.length);
      if (headerLength > 4096) return undefined;
      const header = Buffer.alloc(headerLength);
      await handle.read(header, 0, headerLength, start.length);
      let parsed: SegmentSummary & { mac?: unknown };
      try {
        parsed = JSON.parse(header.toString('utf8')) as SegmentSummary & { mac?: unknown };
      } catch {
        return undefined;
      }
      const { mac, ...summary } = parsed;
      const seal = headerMac(key, summary);
      if (typeof mac !== 'string' || !equalMacs(Buffer.from(mac, 'hex'), seal)) return undefined;
      if (summary.segment !== basename(segment.path)) return undefined;
      if ((await stat(segment.path)).size !== summary.bytes) return undefined;
      return new SegmentIndex(segment.indexPath, key, summary, seal, start.length + headerLength);
    } finally {
      await handle.close();
    }
  }

  /** Reads the whole segment once and writes its index durably. */
  static async build(segment: Segment, key: Buffer): Promise<SegmentIndex> {
    const handle = await open(segment.path, 'r');
    const hashes: number[] = [];
    const offsets: number[] = [];
    const lengths: number[] = [];
    let first: string | undefined;
    let last: string | undefined;
    let minAt = '';
    let maxAt = '';
    let bytes: number;
    try {
      bytes = (await handle.stat()).size;
      for await (const { text, offset, length } of linesForward(handle, 0, bytes)) {
        if (text === undefined) continue;
        first ??= text;
        last = text;
        const at = AT.exec(text)?.[1];
        if (at !== undefined) {
          if (minAt === '' || at < minAt) minAt = at;
          if (at > maxAt) maxAt = at;
        }
        const subject = SUBJECT.exec(text)?.[1];
        if (subject) {
          hashes.push(subjectHash(subject));
          offsets.push(offset);
          lengths.push(length);
        }
      }
    } finally {
      await handle.close();
    }
    const firstEntry = first === undefined ? undefined : entryEnd(first);
    const lastEntry = last === undefined ? undefined : entryEnd(last);
    const buckets = Math.min(65_536, 2 ** Math.ceil(Math.log2(Math.max(1, hashes.length / 16))));
    const summary: SegmentSummary = {
      segment: basename(segment.path),
      bytes,
      firstSeq: firstEntry?.seq ?? 0,
      lastSeq: lastEntry?.seq ?? 0,
      lastHash: lastEntry?.hash ?? '',
      minAt,
      maxAt,
      buckets,
      records: hashes.length,
    };
    const seal = headerMac(key, summary);
    const header = Buffer.from(JSON.stringify({ ...summary, mac: seal.toString('hex') }));
    const members: number[][] = Array.from({ length: buckets }, () => []);
    hashes.forEach((h, i) => members[h % buckets]?.push(i));
    const table = Buffer.alloc(buckets * 8);
    const macs = Buffer.alloc(buckets * MAC);
    const records = Buffer.alloc(hashes.length * RECORD);
    let at = 0;
    members.forEach((list, bucket) => {
      table.writeUInt32LE(at, bucket * 8);
      table.writeUInt32LE(list.length, bucket * 8 + 4);
      const from = at;
      for (const i of list) {
        records.writeUInt32LE(hashes[i] ?? 0, at * RECORD);
        records.writeUInt32LE(lengths[i] ?? 0, at * RECORD + 4);
        records.writeDoubleLE(offsets[i] ?? 0, at * RECORD + 8);
        at += 1;
      }
      bucketMac(key, seal, bucket, records.subarray(from * RECORD, at * RECORD)).copy(macs, bucket * MAC);
    });
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length);
    await writeFileDurably(segment.indexPath, Buffer.concat([MAGIC, length, header, table, macs, records]));
    return new SegmentIndex(segment.indexPath, key, summary, seal, MAGIC.length + 4 + header.length);
  }

  /** The places of the subject's lines, oldest first; undefined when the bucket's seal fails. */
  async places(subject: string): Promise<Place[] | undefined> {
    const hash = subjectHash(subject);
    const bucket = hash % this.summary.buckets;
    const handle = await open(this.path, 'r');
    try {
      const entry = Buffer.alloc(8);
      await handle.read(entry, 0, 8, this.tableAt + bucket * 8);
      const start = entry.readUInt32LE(0);
      const count = entry.readUInt32LE(4);
      if (start + count > this.summary.records) return undefined;
      const mac = Buffer.alloc(MAC);
      const macsAt = this.tableAt + this.summary.buckets * 8;
      await handle.read(mac, 0, MAC, macsAt + bucket * MAC);
      const records = Buffer.alloc(count * RECORD);
      const { bytesRead } = await handle.read(records, 0, records.length, macsAt + this.summary.buckets * MAC + start * RECORD);
      if (bytesRead !== records.length || !equalMacs(mac, bucketMac(this.key, this.seal, bucket, records))) return undefined;
      const out: Place[] = [];
      for (let i = 0; i < count; i++) {
        if (records.readUInt32LE(i * RECORD) === hash) {
          out.push({ offset: records.readDoubleLE(i * RECORD + 8), length: records.readUInt32LE(i * RECORD + 4) });
        }
      }
      return out;
    } finally {
      await handle.close();
    }
  }
}
