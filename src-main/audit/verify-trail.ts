/**
 * Full check of an audit trail, as the verify command runs it: the keyed chain line by line, then
 * the chain against its head file (entries removed at the end), then findings the app itself
 * recorded on a start. Each way a trail can fail has its own code, so the operator learns what
 * happened, not only that something did. Results name line numbers and counts, never content.
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readAuditText, splitAuditText } from './audit-file.js';
import { compareHead, headPathFor, readHead } from './audit-head.js';
import { TRAIL_RECORD, deriveAuditKeys, verifyLines } from './hash-chain.js';

const AUDIT_FILE = 'audit.jsonl';
const SECRET_KEY_FILE = 'secret.key';

interface Found {
  readonly path: string;
  readonly entries: number;
  readonly tornTail: boolean;
}

export type AuditCheck =
  | ({ readonly ok: true; readonly code: 'INTACT'; readonly legacyEntries: number; readonly headSeq: number } & Found)
  | ({
      readonly ok: false;
      readonly code: 'CHAIN_BROKEN';
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

/**
 * Checks the audit file at `path`. The key is `secret.key` beside it unless given; the head is
 * `<name>.head.json` beside it.
 */
export async function verifyAuditFile(path: string, options: { key?: Uint8Array } = {}): Promise<AuditCheck> {
  const text = await readAuditText(path);
  if (text === undefined) return whenAbsent(path, dirname(path));
  const keyPath = join(dirname(path), SECRET_KEY_FILE);
  const secretKey = options.key ?? (await readKey(keyPath));
  if (secretKey === undefined) return { ok: false, code: 'KEY_MISSING', path, keyPath };
  if (typeof secretKey === 'number') {
    return { ok: false, code: 'KEY_WRONG_SIZE', path, keyPath, bytes: secretKey > SECRET_KEY_BYTES ? 'more than 32' : String(secretKey) };
  }
  const keys = deriveAuditKeys(secretKey);
  const { lines, tornTail } = splitAuditText(text);
  const chain = verifyLines(keys.chain, lines);
  if (!chain.ok) return { code: 'CHAIN_BROKEN', path, tornTail, ...chain };
  const found = { path, entries: chain.entries, tornTail };

  const headPath = headPathFor(path);
  const head = await readHead(keys.head, headPath);
  const keyedEntries = chain.entries - chain.legacyEntries;
  if (head.kind === 'MISSING' && chain.entries > 0 && keyedEntries === 0) return { ok: false, code: 'UNKEYED_CHAIN', ...found };
  const finding = compareHead(head, chain.entries, (seq) => chain.chain[seq - 1]?.hash);
  if (finding === 'ENTRIES_MISSING' && head.kind === 'VALID') {
    return { ok: false, code: finding, ...found, headSeq: head.seq, missing: head.seq - chain.entries };
  }
  if (finding === 'HEAD_MISMATCH' && head.kind === 'VALID') return { ok: false, code: finding, ...found, headPath, headSeq: head.seq };
  if (finding === 'HEAD_MISSING' || finding === 'HEAD_INVALID') return { ok: false, code: finding, ...found, headPath };
  const headSeq = head.kind === 'VALID' ? head.seq : 0;
  // Legacy entries are sealed by a keyed entry after them or by the keyed head naming them.
  if (chain.legacyEntries > 0 && keyedEntries === 0 && headSeq < chain.legacyEntries) return { ok: false, code: 'UNKEYED_CHAIN', ...found };

  const recorded = chain.chain.find((e) => e.type === TRAIL_RECORD.HEAD_CONFLICT);
  if (recorded) {
    const { finding: what, headSeq: was, fileEntries } = recorded.data ?? {};
    return {
      ok: false,
      code: 'ALTERED_BEFORE_START',
      ...found,
      line: recorded.seq,
      at: recorded.at,
      finding: String(what),
      ...(typeof was === 'number' ? { headSeq: was } : {}),
      ...(typeof fileEntries === 'number' ? { fileEntries } : {}),
    };
  }
  return { ok: true, code: 'INTACT', ...found, legacyEntries: chain.legacyEntries, headSeq };
}

/** Accepts a data directory or the path of an audit file, as the verify command does. */
export async function verifyAuditTarget(target: string): Promise<AuditCheck> {
  const kind = await exists(target);
  if (kind === 'dir') return verifyAuditFile(join(target, AUDIT_FILE));
  return kind === 'file' ? verifyAuditFile(target) : whenAbsent(target, dirname(target));
}
