/**
 * Reading events back out of the trail without loading it: an account's security history through
 * subject indexes (the active file's in memory, built on first use; each closed segment's on disk),
 * the dashboard's window by streaming only the segments whose time range reaches into it.
 * Lines read through an index are parsed and checked for their subject, so an index can make a
 * lookup cheap but never attribute another account's line.
 */
import type { FileHandle } from 'node:fs/promises';
import type { AuditEventType, RecordedAuditEvent } from '../core/ports.js';
import { linesForward } from './audit-file.js';
import type { Place } from './segment-index.js';

const SUBJECT = /"subject":"([^"\\]*)"/;

function subjectOfLine(line: string): string | undefined {
  return SUBJECT.exec(line)?.[1];
}

/**
 * Where each subject's lines are in the active file: lines before `end` (found by one scan of the
 * file, started on first use) and lines written since (added as they are written). About 16 bytes
 * per entry, for the active file only: it is bounded by the segment size.
 */
export class ActiveSubjects {
  private readonly scanned = new Map<string, number[]>();
  private readonly written = new Map<string, number[]>();
  readonly ready: Promise<void>;

  constructor(reader: FileHandle, end: number) {
    this.ready = (async () => {
      try {
        for await (const { text, offset, length } of linesForward(reader, 0, end)) {
          const subject = text === undefined ? undefined : subjectOfLine(text);
          if (subject) push(this.scanned, subject, offset, length);
        }
      } finally {
        await reader.close();
      }
    })();
  }

  add(subject: string | undefined, offset: number, length: number): void {
    if (subject) push(this.written, subject, offset, length);
  }

  /** Newest first: everything written since the scan lies after everything scanned. */
  newest(subject: string, limit: number): Place[] {
    const out: Place[] = [];
    for (const list of [this.written.get(subject), this.scanned.get(subject)]) {
      for (let i = (list?.length ?? 0) - 2; list && i >= 0 && out.length < limit; i -= 2)
        out.push({ offset: list[i] ?? 0, length: list[i + 1] ?? 0 });
    }
    return out;
  }
}

function push(map: Map<string, number[]>, subject: string, offset: number, length: number): void {
  const list = map.get(subject);
  if (list) list.push(offset, length);
  else map.set(subject, [offset, length]);
}

/** The subject's events at these places, in the given order; lines that are not the subject's are skipped. */
export async function eventsAt(handle: FileHandle, places: readonly Place[], subject: string): Promise<RecordedAuditEvent[]> {
  const found: RecordedAuditEvent[] = [];
  for (const { offset, length } of places) {
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, offset);
    const event = recordedEvent(buffer.toString('utf8'));
    if (event?.subject === subject) found.push(event);
  }
  return found;
}

/** Streams [0, end) of a file, parsing only lines of the wanted types at or after `from`. */
export async function scanEvents(
  handle: FileHandle,
  end: number,
  from: string,
  types: readonly AuditEventType[],
  into: RecordedAuditEvent[],
): Promise<void> {
  const wanted = new Set<string>(types);
  const needles = types.map((t) => `"type":${JSON.stringify(t)}`);
  for await (const { text } of linesForward(handle, 0, end)) {
    if (text === undefined || !needles.some((n) => text.includes(n))) continue;
    const event = recordedEvent(text);
    if (event && wanted.has(event.type) && event.at >= from) into.push(event);
  }
}

/** One line of the trail as an event, or undefined for a line that is none (a trail record, damage). */
export function recordedEvent(line: string): RecordedAuditEvent | undefined {
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
