/**
 * The head file (`audit.head.json` beside `audit.jsonl`) keeps the sequence number and hash of the
 * last entry known to be on disk, sealed with the audit head key. It is a second place that
 * deleting lines at the end of the trail cannot reach: a file shorter than its head lost entries.
 * It is written durably and only after the fsync of the entries it names, so it may lag behind the
 * file after a crash but never runs ahead of it; a head that cannot be sealed without the key
 * cannot be edited to match a truncated file.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileDurably } from '../lib/durable-file.js';
import { GENESIS } from './hash-chain.js';

export interface HeadPosition {
  readonly seq: number;
  readonly hash: string;
}

export type HeadState = { readonly kind: 'MISSING' } | { readonly kind: 'INVALID' } | ({ readonly kind: 'VALID' } & HeadPosition);

export function headPathFor(auditPath: string): string {
  const name = basename(auditPath);
  const stem = name.endsWith('.jsonl') ? name.slice(0, -'.jsonl'.length) : name;
  return join(dirname(auditPath), `${stem}.head.json`);
}

function headMac(key: Buffer, position: HeadPosition): Buffer {
  return createHmac('sha256', key).update(`audit-head\n${position.seq}\n${position.hash}`).digest();
}

function sealHead(key: Buffer, position: HeadPosition): string {
  return JSON.stringify({ v: 1, seq: position.seq, hash: position.hash, mac: headMac(key, position).toString('hex') });
}

function parseHead(key: Buffer, text: string): HeadState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'INVALID' };
  }
  if (typeof parsed !== 'object' || parsed === null) return { kind: 'INVALID' };
  const { v, seq, hash, mac } = parsed as Record<string, unknown>;
  if (v !== 1 || !Number.isSafeInteger(seq) || (seq as number) < 0) return { kind: 'INVALID' };
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash) || typeof mac !== 'string') return { kind: 'INVALID' };
  const position = { seq: seq as number, hash };
  const given = Buffer.from(mac, 'hex');
  const expected = headMac(key, position);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { kind: 'INVALID' };
  return { kind: 'VALID', ...position };
}

export async function readHead(key: Buffer, path: string): Promise<HeadState> {
  try {
    return parseHead(key, await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'MISSING' };
    throw error;
  }
}

export function writeHead(key: Buffer, path: string, position: HeadPosition): Promise<void> {
  return writeFileDurably(path, sealHead(key, position));
}

/**
 * Temp files of a head write that died before its rename. Only the head's own: the data directory
 * also holds other files written durably at the same moment (the secret key on first start).
 */
export async function removeStaleHeadTemps(path: string): Promise<void> {
  const prefix = `${basename(path)}.tmp-`;
  const dir = dirname(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => rm(join(dir, n), { force: true })));
}

export type HeadFinding = 'HEAD_MISSING' | 'HEAD_INVALID' | 'ENTRIES_MISSING' | 'HEAD_MISMATCH';

/** Compares the head with the trail's entries; `hashAt(seq)` is the hash of entry `seq` (1-based). */
export function compareHead(head: HeadState, entries: number, hashAt: (seq: number) => string | undefined): HeadFinding | undefined {
  if (head.kind === 'MISSING') return 'HEAD_MISSING';
  if (head.kind === 'INVALID') return 'HEAD_INVALID';
  if (head.seq > entries) return 'ENTRIES_MISSING';
  const hash = head.seq === 0 ? GENESIS : hashAt(head.seq);
  return hash === head.hash ? undefined : 'HEAD_MISMATCH';
}
