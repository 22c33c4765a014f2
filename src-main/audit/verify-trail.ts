/**
 * Full check of an audit trail, as the verify command runs it: the keyed chain line by line through
 * every closed segment in order and then the active file (one chain across them), then the chain
 * against its head file (entries removed at the end), then findings the app itself recorded on a
 * start. Each way a trail can fail has its own code, so the operator learns what happened, not only
 * that something did. Results name files, line numbers and counts, never content.
 * Streamed, one line at a time: a trail of any length is checked in constant memory.
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { completeEnd, linesForward } from './audit-file.js';
import { compareHead, headPathFor, readHead } from './audit-head.js';
import { ChainChecker, TRAIL_RECORD, deriveAuditKeys, type ChainEntry } from './hash-chain.js';
import { listSegments } from './segments.js';

const AUDIT_FILE = 'audit.jsonl';
const SECRET_KEY_FILE = 'secret.key';

interface Found {
  readonly path: string;
  readonly entries: number;
  readonly tornTail: boolean;
  /** Closed segments checked before the active file. */
  readonly segments: number;
  /** Entries before the first one present (their segments were archived); 0 when the trail starts at entry 1. */
  readonly archivedEntries: number;
}

export type AuditCheck =
  | ({ readonly ok: true; readonly code: 'INTACT'; readonly legacyEntries: number; readonly headSeq: number } & Found)
  | ({
      readonly ok: false;
      readonly code: 'CHAIN_BROKEN';
      /** The file the break is in (a segment or the active file) and the line within it. */
      readonly file: string;
      readonly brokenAtLine: number;
      readonly reason: string;
      readonly keyed: boolean;
    } & Found)
  | ({ readonly ok: false; readonly code: 'ENTRIES_MISSING'; readonly headSeq: number; readonly missing: number } & Found)
  | ({ readonly ok: false; readonly code: 'HEAD_MISSING' | 'HEAD_INVALID'; readonly headPath: string } & Found)
  | ({ readonly ok: false; readonly code: 'HEAD_MISMATCH'; readonly headPath: string; readonly headSeq: number } & Found)
  | ({
      readonly ok: false;
      readonly code: 'ALTERED_BEFORE_START';
      readonly file: string;
      readonly line: number;
      readonly at: string;
      readonly finding: string;
      readonly headSeq?: number;
      readonly fileEntries?: number;
    } & Found)
  | ({ readonly ok: false; readonly code: 'UNKEYED_CHAIN' } & Found)
  | { readonly ok: false; readonly code: 'KEY_MISSING'; readonly path: string; readonly keyPath: string }
  | { readonly ok: false; readonly code: 'KEY_WRONG_SIZE'; readonly path: string; readonly keyPath: string; readonly bytes: string }
  | { readonly ok: false; readonly code: 'TRAIL_MISSING'; readonly path: string }
  | { readonly ok: false; readonly code: 'NO_AUDIT_TRAIL'; readonly path: string };

async function exists(path: string): Promise<'file' | 'dir' | undefined> {
  const info = await stat(path).catch(() => undefined);
  return info?.isDirectory() ? 'dir' : info ? 'file' : undefined;
}

const SECRET_KEY_BYTES = 32;

/**
 * The key as the app reads it: a regular file (not a device or pipe) of exactly 32 bytes. At most
 * one byte more is read, so a key pointing at an endless source cannot hang the check.
 */
async function readKey(path: string): Promise<Uint8Array | number | undefined> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    if (!(await handle.stat()).isFile()) throw new Error(`${path} is not a regular file`);
    const buffer = Buffer.alloc(SECRET_KEY_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return bytesRead === SECRET_KEY_BYTES ? buffer.subarray(0, SECRET_KEY_BYTES) : bytesRead;
  } finally {
    await handle.close();
  }
}

/** A missing file is "missing" where a trail is known to have been (a head beside it), else absent. */
async function whenAbsent(path: string, dataDir?: string): Promise<AuditCheck> {
  const trailWasHere =
    (await exists(headPathFor(path))) !== undefined || (dataDir !== undefined && (await exists(join(dataDir, 'store'))) === 'dir');
  return trailWasHere ? { ok: false, code: 'TRAIL_MISSING', path } : { ok: false, code: 'NO_AUDIT_TRAIL', path };
}

interface Walked {
  readonly checker: ChainChecker;
  readonly tornTail: boolean;
  readonly hashAtHead: string | undefined;
  readonly conflict: { readonly entry: ChainEntry; readonly file: string; readonly line: number } | undefined;
  readonly broken?: { readonly file: string; readonly line: number; readonly reason: string; readonly keyed: boolean };
}

/** Every segment, then the active file, line by line. */
async function walkTrail(path: string, chainKey: Buffer, headSeq: number | undefined): Promise<Walked & { segments: number }> {
  const segments = await listSegments(path);
  const checker = new ChainChecker(chainKey);
  let hashAtHead: string | undefined;
  let conflict: Walked['conflict'];
  let tornTail = false;
  const files = [...segments.map((s) => ({ file: s.path, active: false })), { file: path, active: true }];
  for (const { file, active } of files) {
    const handle = await open(file, 'r');
    try {
      const size = (await handle.stat()).size;
      // Only the active file can end in a line being written; in a closed segment it is damage.
      const end = active ? await completeEnd(handle, size) : size;
      if (active) tornTail = end < size;
      let line = 0;
      for await (const { text } of linesForward(handle, 0, end)) {
        line += 1;
        const r = text === undefined ? { ok: false as const, reason: 'not valid JSON', keyed: false } : checker.push(text);
        if (!r.ok)
          return {
            checker,
            tornTail,
            hashAtHead,
            conflict,
            segments: segments.length,
            broken: { file, line, reason: r.reason, keyed: r.keyed },
          };
        if (r.entry.seq === headSeq) hashAtHead = r.entry.hash;
        if (!conflict && r.entry.type === TRAIL_RECORD.HEAD_CONFLICT) conflict = { entry: r.entry, file, line };
      }
    } finally {
      await handle.close();
    }
  }
  return { checker, tornTail, hashAtHead, conflict, segments: segments.length };
}

/**
 * Checks the audit trail whose active file is `path`, with its closed segments (segments.ts). The
 * key is `secret.key` beside it unless given; the head is `<name>.head.json` beside it.
 */
export async function verifyAuditFile(path: string, options: { key?: Uint8Array } = {}): Promise<AuditCheck> {
  const present = await stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  if (!present) return whenAbsent(path, dirname(path));
  const keyPath = join(dirname(path), SECRET_KEY_FILE);
  const secretKey = options.key ?? (await readKey(keyPath));
  if (secretKey === undefined) return { ok: false, code: 'KEY_MISSING', path, keyPath };
  if (typeof secretKey === 'number') {
    return { ok: false, code: 'KEY_WRONG_SIZE', path, keyPath, bytes: secretKey > SECRET_KEY_BYTES ? 'more than 32' : String(secretKey) };
  }
  const keys = deriveAuditKeys(secretKey);
  const headPath = headPathFor(path);
  const head = await readHead(keys.head, headPath);
  const walked = await walkTrail(path, keys.chain, head.kind === 'VALID' ? head.seq : undefined);
  const { checker, tornTail, broken } = walked;
  const lastSeq = checker.lastSeq;
  const archivedEntries = checker.entries > 0 ? lastSeq - checker.entries : 0;
  const found = { path, entries: checker.entries, tornTail, segments: walked.segments, archivedEntries };
  if (broken) {
    return {
      ok: false,
      code: 'CHAIN_BROKEN',
      ...found,
      file: broken.file,
      brokenAtLine: broken.line,
      reason: broken.reason,
      keyed: broken.keyed,
    };
  }

  const keyedEntries = checker.entries - checker.legacyEntries;
  if (head.kind === 'MISSING' && checker.entries > 0 && keyedEntries === 0) return { ok: false, code: 'UNKEYED_CHAIN', ...found };
  const finding = compareHead(head, lastSeq, (seq) => (head.kind === 'VALID' && seq === head.seq ? walked.hashAtHead : undefined));
  if (finding === 'ENTRIES_MISSING' && head.kind === 'VALID') {
    return { ok: false, code: finding, ...found, headSeq: head.seq, missing: head.seq - lastSeq };
  }
  if (finding === 'HEAD_MISMATCH' && head.kind === 'VALID') return { ok: false, code: finding, ...found, headPath, headSeq: head.seq };
  if (finding === 'HEAD_MISSING' || finding === 'HEAD_INVALID') return { ok: false, code: finding, ...found, headPath };
  const headSeq = head.kind === 'VALID' ? head.seq : 0;
  // Legacy entries are sealed by a keyed entry after them or by the keyed head naming them.
  if (checker.legacyEntries > 0 && keyedEntries === 0 && headSeq < checker.legacyEntries)
    return { ok: false, code: 'UNKEYED_CHAIN', ...found };

  const recorded = walked.conflict;
  if (recorded) {
    const { finding: what, headSeq: was, fileEntries } = recorded.entry.data ?? {};
    return {
      ok: false,
      code: 'ALTERED_BEFORE_START',
      ...found,
      file: recorded.file,
      line: recorded.line,
      at: recorded.entry.at,
      finding: String(what),
      ...(typeof was === 'number' ? { headSeq: was } : {}),
      ...(typeof fileEntries === 'number' ? { fileEntries } : {}),
    };
  }
  return { ok: true, code: 'INTACT', ...found, legacyEntries: checker.legacyEntries, headSeq };
}

/** Accepts a data directory or the path of an audit file, as the verify command does. */
export async function verifyAuditTarget(target: string): Promise<AuditCheck> {
  const kind = await exists(target);
  if (kind === 'dir') return verifyAuditFile(join(target, AUDIT_FILE));
  return kind === 'file' ? verifyAuditFile(target) : whenAbsent(target, dirname(target));
}
