/**
 * Closed segments of the audit trail. The active file (`audit.jsonl`) is closed once it passes its
 * size limit and kept as `audit/audit-000001.jsonl`, `audit-000002.jsonl`, ... in a folder named
 * after it, beside it; the next active file starts with an AUDIT_SEGMENT_STARTED entry that links
 * to the segment's last entry, so one chain runs through every segment and the active file.
 *
 * Model: a segment never changes once placed. Placing it is a hard link of the active file under
 * the segment's name (or, where the file system has no hard links, a copy written under a temp
 * name and renamed), and the active file is then replaced atomically by the new one. So at every
 * moment there is an `audit.jsonl` (the start-up refuses a data directory without one), and a
 * crash between the two steps leaves a segment whose last entry is the active file's last entry:
 * the next open sees that and finishes the rotation. Threat: segments are as exposed as the active
 * file; the chain across them is what the verify command checks, in order, segment by segment.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, link, lstat, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncDirectory } from '../lib/durable-file.js';
import { DamagedFileError } from '../store/json-file.js';
import { completeEnd, entryEnd, linesBackward, type EntryEnd } from './audit-file.js';

const SEGMENT = /^(.+)-(\d{6,})\.jsonl$/;

function stemOf(auditPath: string): string {
  const name = basename(auditPath);
  return name.endsWith('.jsonl') ? name.slice(0, -'.jsonl'.length) : name;
}

/** The folder of closed segments: `audit/` beside `audit.jsonl`. */
export function segmentDirFor(auditPath: string): string {
  return join(dirname(auditPath), stemOf(auditPath));
}

export interface Segment {
  readonly number: number;
  readonly path: string;
  /** The segment's subject index (derived, rebuilt from the segment when missing or not sealed). */
  readonly indexPath: string;
}

export function segmentOf(auditPath: string, number: number): Segment {
  const name = `${stemOf(auditPath)}-${String(number).padStart(6, '0')}`;
  const dir = segmentDirFor(auditPath);
  return { number, path: join(dir, `${name}.jsonl`), indexPath: join(dir, `${name}.index`) };
}

/**
 * The closed segments present, oldest first (the oldest may have been archived away). A folder
 * that is a symbolic link is refused: two data directories must never share one trail.
 */
export async function listSegments(auditPath: string): Promise<Segment[]> {
  const dir = segmentDirFor(auditPath);
  const info = await lstat(dir).catch(() => undefined);
  if (info?.isSymbolicLink()) {
    throw new DamagedFileError(dir, 'is a symbolic link; the closed audit segments must be a folder of this data directory');
  }
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
  const stem = stemOf(auditPath);
  return names
    .map((n) => SEGMENT.exec(n))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === stem)
    .map((m) => segmentOf(auditPath, Number(m[2])))
    .sort((a, b) => a.number - b.number);
}

/** The last entry of a closed segment (undefined when it holds none). */
export async function segmentLastEntry(segment: Segment): Promise<EntryEnd | undefined> {
  const handle = await open(segment.path, 'r');
  try {
    const end = await completeEnd(handle, (await handle.stat()).size);
    for await (const { text } of linesBackward(handle, end)) return text === undefined ? undefined : entryEnd(text);
    return undefined;
  } finally {
    await handle.close();
  }
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'ENOSYS', 'EXDEV', 'EMLINK', 'EOPNOTSUPP']);

/** Keeps the (synced) active file as the segment; the active file itself is left in place. */
export async function placeSegment(activePath: string, segment: Segment): Promise<void> {
  const dir = dirname(segment.path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    await link(activePath, segment.path);
  } catch (error) {
    if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    const temp = `${segment.path}.tmp-${randomBytes(6).toString('hex')}`;
    try {
      await copyFile(activePath, temp);
      const handle = await open(temp, 'r+');
      await handle.sync().finally(() => handle.close());
      await rename(temp, segment.path);
    } finally {
      await rm(temp, { force: true });
    }
  }
  await fsyncDirectory(dir);
  await fsyncDirectory(dirname(dir));
}

/** Copies of a segment that died before their rename were never placed. */
export async function removeStaleSegmentTemps(auditPath: string): Promise<void> {
  const dir = segmentDirFor(auditPath);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  await Promise.all(names.filter((n) => n.includes('.tmp-')).map((n) => rm(join(dir, n), { force: true })));
}
