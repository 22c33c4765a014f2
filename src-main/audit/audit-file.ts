/**
 * Reading the audit file as lines; shared by the trail (on open), the start-up checks and the
 * verify command. Threat: a line may hold an account id or, if written by someone else, anything
 * (a KVNR): problems are reported by line number only, never with the line's text.
 */
import { readFile } from 'node:fs/promises';
import { DamagedFileError } from '../store/json-file.js';
import { KEYED_VERSION } from './hash-chain.js';

export function splitAuditText(text: string): { lines: string[]; tornTail: boolean } {
  const lines = text.split('\n');
  const last = lines.pop();
  // A line without its newline was being written when the process died: it was never confirmed.
  return { lines: lines.filter((l) => l !== ''), tornTail: last !== undefined && last !== '' };
}

/** The file's text, or undefined when there is no file. */
export async function readAuditText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** What the trail needs of an entry to continue the chain after it. */
export interface EntryEnd {
  readonly seq: number;
  readonly hash: string;
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
  const { v, seq, hash } = parsed as Record<string, unknown>;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return undefined;
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return undefined;
  return { seq, hash, keyed: v === KEYED_VERSION };
}

/**
 * The last complete entry, which new entries link to. One that is not an entry cannot be linked
 * to: appending after it would make every later entry unverifiable, so the file is reported as
 * damaged (by line number) and left for the operator, never "repaired".
 */
export function lastEntry(path: string, lines: readonly string[]): EntryEnd | undefined {
  const line = lines.at(-1);
  if (line === undefined) return undefined;
  const end = entryEnd(line);
  if (!end) {
    throw new DamagedFileError(
      path,
      `line ${lines.length}, the last entry, is not a valid audit entry (npm run audit:verify shows where the chain breaks)`,
    );
  }
  return end;
}

export function hasKeyedEntries(lines: readonly string[]): boolean {
  return lines.some((line) => line.includes('"v":') && entryEnd(line)?.keyed === true);
}
