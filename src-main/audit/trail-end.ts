/**
 * What the trail's open reads: its end, never the whole trail. From the end of the active file it
 * reads backwards, line by line, only as far as it must: the last complete entry (new entries link
 * to it) and, when the head is valid, back to the entry the head names (normally the last one or
 * those of one group fsync before it; after rotation possibly the last entry of the newest
 * segment). So the cost of a start does not grow with the trail.
 *
 * Threat: the head guards the end of the trail against lines removed there; the checks here are
 * the same as when the file was read whole (a head ahead of the trail, naming another entry, or
 * followed by entries not sealed with the key), only bounded to the part the head covers.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { completeEnd, countLines, damagedLastLine, entryEnd, linesBackward, type EntryEnd } from './audit-file.js';
import { compareHead, type HeadFinding as HeadComparison, type HeadState } from './audit-head.js';
import type { Segment } from './segments.js';

/**
 * How the data directory came to be opened: `new` (just set up, its head written at seq 0),
 * `adopted` (set up by a version from before data-dir.json and the head, taken over now) or
 * `current` (set up by this version earlier).
 */
export type TrailOrigin = 'new' | 'adopted' | 'current';

type HeadFinding = HeadComparison | 'UNKEYED_ENTRIES';

interface BackLine {
  /** undefined: the line is no entry. */
  readonly entry: EntryEnd | undefined;
  readonly inActive: boolean;
}

/** Lines of the whole trail, newest first: the active file's, then each segment's, newest segment first. */
async function* trailBackward(active: FileHandle | undefined, end: number, segments: readonly Segment[]): AsyncGenerator<BackLine> {
  if (active)
    for await (const { text } of linesBackward(active, end))
      yield { entry: text === undefined ? undefined : entryEnd(text), inActive: true };
  for (const segment of [...segments].reverse()) {
    const handle = await open(segment.path, 'r');
    try {
      for await (const { text } of linesBackward(handle, (await handle.stat()).size)) {
        yield { entry: text === undefined ? undefined : entryEnd(text), inActive: false };
      }
    } finally {
      await handle.close();
    }
  }
}

export interface TrailEnd {
  /** The trail's last entry, which new entries link to. */
  readonly tail: EntryEnd | undefined;
  /** The last entry of the active file itself (undefined when it holds none). */
  readonly activeTail: EntryEnd | undefined;
  /** Where the active file's last complete line ends; bytes after it are a torn line. */
  readonly activeEnd: number;
  readonly activeSize: number;
  /** What open() must record before it may write a new head; undefined when the head fits the trail. */
  readonly finding: HeadFinding | undefined;
}

/**
 * Reads the end of the trail and compares the head with it. Changes nothing: a last complete line
 * that is no entry throws (DamagedFileError, naming the line by number) before anything is written.
 */
export async function readTrailEnd(path: string, segments: readonly Segment[], head: HeadState, origin: TrailOrigin): Promise<TrailEnd> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    const activeSize = handle ? (await handle.stat()).size : 0;
    const activeEnd = handle ? await completeEnd(handle, activeSize) : 0;
    const lines = trailBackward(handle, activeEnd, segments);
    const first = (await lines.next()).value;
    if (first && !first.entry) {
      // Appending after it would make every later entry unverifiable: left for the operator.
      if (first.inActive && handle) throw damagedLastLine(path, await countLines(handle, activeEnd));
      const newest = segments.at(-1);
      const segmentHandle = newest ? await open(newest.path, 'r') : undefined;
      const count = segmentHandle
        ? await countLines(segmentHandle, (await segmentHandle.stat()).size).finally(() => segmentHandle.close())
        : 0;
      throw damagedLastLine(newest?.path ?? path, count);
    }
    const tail = first?.entry;
    const activeTail = first?.inActive ? tail : undefined;
    const finding = await findingOnOpen(origin, head, tail, first ? lines : undefined);
    await lines.return(undefined);
    return { tail, activeTail, activeEnd, activeSize, finding };
  } finally {
    await handle?.close();
  }
}

/** `rest`: the lines before the last one, newest first, read only as far as the head needs. */
async function findingOnOpen(
  origin: TrailOrigin,
  head: HeadState,
  tail: EntryEnd | undefined,
  rest: AsyncGenerator<BackLine> | undefined,
): Promise<HeadFinding | undefined> {
  if (head.kind === 'MISSING') {
    if (origin === 'new' && tail === undefined) return undefined;
    // Legacy entries written before there was a head.
    if (origin === 'adopted' && (tail === undefined || !tail.keyed)) return undefined;
    return 'HEAD_MISSING';
  }
  if (head.kind === 'INVALID') return 'HEAD_INVALID';
  // Back to the entry the head names; entries after it were written since its last update.
  let found: EntryEnd | undefined;
  let earliest: EntryEnd | undefined;
  let unkeyedAfter = false;
  for (let line: BackLine | undefined = tail ? { entry: tail, inActive: true } : undefined; line;) {
    if (line.entry && line.entry.seq <= head.seq) {
      found = line.entry;
      break;
    }
    if (line.entry?.keyed !== true) unkeyedAfter = true;
    earliest = line.entry ?? earliest;
    line = rest ? (await rest.next()).value : undefined;
  }
  const hashAt = (seq: number): string | undefined => {
    if (found) return found.seq === seq ? found.hash : undefined;
    // The start of the trail present here: its first entry names the one before it (a closed or archived segment).
    return earliest && earliest.seq - 1 === seq ? earliest.prev : undefined;
  };
  const compared = compareHead(head, tail?.seq ?? 0, hashAt);
  if (compared) return compared;
  // This version writes keyed entries only.
  return origin !== 'adopted' && unkeyedAfter ? 'UNKEYED_ENTRIES' : undefined;
}
