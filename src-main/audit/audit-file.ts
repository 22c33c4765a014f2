/**
 * Reading the audit file as lines; shared by the trail (on open), the start-up checks and the
 * verify command. Threat: a line may hold an account id or, if written by someone else, anything
 * (a KVNR): problems are reported by line number only, never with the line's text.
 *
 * Limit: a trail may outgrow what one string (or one Buffer) can hold, so nothing here reads a
 * file whole. The open reads the end backwards in blocks; the checks stream forwards. A "line"
 * longer than MAX_LINE_BYTES is no entry this app writes and is passed on as such without being
 * held in memory (damage or garbage must not be able to exhaust memory either).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { DamagedFileError } from '../store/json-file.js';
import { KEYED_VERSION } from './hash-chain.js';

/** What the trail needs of an entry to continue the chain after it. */
export interface EntryEnd {
  readonly seq: number;
  readonly hash: string;
  /** The link to the entry before it, when the line names one. */
  readonly prev?: string;
  /** Written with `"v":2` (keyed); legacy entries have no version. */
  readonly keyed: boolean;
}

/** undefined when the line is not an entry at all (not JSON, not an object, no sequence or hash). */
export function entryEnd(line: string): EntryEnd | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const { v, seq, hash, prev } = parsed as Record<string, unknown>;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return undefined;
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return undefined;
  return { seq, hash, keyed: v === KEYED_VERSION, ...(typeof prev === 'string' ? { prev } : {}) };
}

/**
 * A last complete line that is not an entry cannot be linked to: appending after it would make
 * every later entry unverifiable, so the file is reported as damaged (by line number) and left for
 * the operator, never "repaired".
 */
export function damagedLastLine(path: string, lineNo: number): DamagedFileError {
  return new DamagedFileError(
    path,
    `line ${lineNo}, the last entry, is not a valid audit entry (npm run audit:verify shows where the chain breaks)`,
  );
}

/** Longer than any entry this app writes (a few hundred bytes): not an entry, never held whole. */
const MAX_LINE_BYTES = 1024 * 1024;
const BLOCK = 64 * 1024;
const NL = 0x0a;

/** A complete line read from the file; `text` is undefined for one longer than MAX_LINE_BYTES. */
interface FileLine {
  readonly text: string | undefined;
  /** Byte offset of the line's start. */
  readonly offset: number;
  /** Bytes, without the newline. */
  readonly length: number;
}

/** The end of the last complete line: bytes after it are a line that was being written (torn). */
export async function completeEnd(handle: FileHandle, size: number): Promise<number> {
  const buffer = Buffer.alloc(BLOCK);
  for (let end = size; end > 0;) {
    const start = Math.max(0, end - BLOCK);
    const { bytesRead } = await handle.read(buffer, 0, end - start, start);
    const at = buffer.subarray(0, bytesRead).lastIndexOf(NL);
    if (at >= 0) return start + at + 1;
    end = start;
  }
  return 0;
}

/**
 * The complete lines ending at `end` (a line boundary), newest first, read backwards in blocks:
 * the caller stops as soon as it has what it needs, so the cost is that of the lines it looked at.
 * Empty lines are skipped.
 */
export async function* linesBackward(handle: FileHandle, end: number): AsyncGenerator<FileLine> {
  const buffer = Buffer.alloc(BLOCK);
  // Bytes of the line being assembled (they follow the block being read); dropped once too long.
  let carry: Buffer[] = [];
  let carried = 0;
  let tooLong = false;
  let lineEnd = end;
  for (let pos = end; pos > 0;) {
    const start = Math.max(0, pos - BLOCK);
    const { bytesRead } = await handle.read(buffer, 0, pos - start, start);
    let block = buffer.subarray(0, bytesRead);
    for (let at = block.lastIndexOf(NL); ; at = block.lastIndexOf(NL)) {
      // The newline at lineEnd - 1 itself ends the line before; skip it.
      const piece = block.subarray(at + 1);
      if (at < 0) {
        if (!tooLong) {
          carry.unshift(Buffer.from(piece));
          carried += piece.length;
          if (carried > MAX_LINE_BYTES) {
            tooLong = true;
            carry = [];
          }
        }
        break;
      }
      const offset = start + at + 1;
      const length = lineEnd - offset;
      if (length > 0) {
        if (tooLong || length > MAX_LINE_BYTES) yield { text: undefined, offset, length };
        else yield { text: Buffer.concat([piece, ...carry]).toString('utf8'), offset, length };
      }
      carry = [];
      carried = 0;
      tooLong = false;
      lineEnd = offset - 1;
      block = block.subarray(0, at);
    }
    pos = start;
  }
  if (lineEnd > 0) yield { text: tooLong ? undefined : Buffer.concat(carry).toString('utf8'), offset: 0, length: lineEnd };
}

/** The complete lines of [start, end) in file order, with their byte places; streamed in blocks. */
export async function* linesForward(handle: FileHandle, start: number, end: number): AsyncGenerator<FileLine> {
  const buffer = Buffer.alloc(16 * BLOCK);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  let lineStart = start;
  for (let pos = start; pos < end;) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - pos), pos);
    if (bytesRead === 0) break;
    const block = buffer.subarray(0, bytesRead);
    let from = 0;
    for (let at = block.indexOf(NL); at >= 0; at = block.indexOf(NL, from)) {
      const length = pos + at - lineStart;
      if (length > 0) {
        if (tooLong || length > MAX_LINE_BYTES) yield { text: undefined, offset: lineStart, length };
        else {
          const tail = block.subarray(from, at);
          const text = pendingBytes === 0 ? tail.toString('utf8') : Buffer.concat([...pending, tail]).toString('utf8');
          yield { text, offset: lineStart, length };
        }
      }
      pending = [];
      pendingBytes = 0;
      tooLong = false;
      from = at + 1;
      lineStart = pos + from;
    }
    if (!tooLong && from < block.length) {
      pending.push(Buffer.from(block.subarray(from)));
      pendingBytes += block.length - from;
      if (pendingBytes > MAX_LINE_BYTES) {
        tooLong = true;
        pending = [];
      }
    }
    pos += bytesRead;
  }
  // Bytes after the last newline of the range: only a caller reading a segment (no torn tail) asks for them.
  const rest = end - lineStart;
  if (rest > 0) yield { text: tooLong ? undefined : Buffer.concat(pending).toString('utf8'), offset: lineStart, length: rest };
}

/** Number of non-empty lines in [0, end): only for naming a damaged line, streamed. */
export async function countLines(handle: FileHandle, end: number): Promise<number> {
  let count = 0;
  for await (const _line of linesForward(handle, 0, end)) count += 1;
  return count;
}

/** Whether any line of the file is a keyed entry (this version's format); streamed, stops at the first. */
export async function hasKeyedEntries(path: string): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    const end = await completeEnd(handle, (await handle.stat()).size);
    for await (const { text } of linesForward(handle, 0, end)) {
      if (text?.includes('"v":') && entryEnd(text)?.keyed === true) return true;
    }
    return false;
  } finally {
    await handle.close();
  }
}
