/**
 * The audit trail (R13): one JSON line per event, each carrying the SHA-256 of the previous line's
 * hash and its own content. Changing, removing or reordering any line breaks every later link;
 * verification reports the first broken one. Entries hold no passwords, codes or keys, and name
 * accounts only by their random id.
 */
import { createHash } from 'node:crypto';

export const GENESIS = '0'.repeat(64);

export interface AuditRecord {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly actor: string;
  readonly terminal: string;
  readonly subject?: string;
  readonly data?: Readonly<Record<string, string | number | boolean>>;
  readonly prev: string;
  readonly hash: string;
}

export function chainHash(prev: string, body: string): string {
  return createHash('sha256').update(prev).update('\n').update(body).digest('hex');
}

/** Body = the line without its hash field, exactly as serialised; the hash goes last. */
export function sealRecord(record: Omit<AuditRecord, 'hash'>): { line: string; hash: string } {
  const body = JSON.stringify(record);
  const hash = chainHash(record.prev, body);
  return { line: `${body.slice(0, -1)},"hash":"${hash}"}`, hash };
}

export type VerifyResult =
  | { readonly ok: true; readonly entries: number; readonly lastHash: string }
  | { readonly ok: false; readonly entries: number; readonly brokenAtLine: number; readonly reason: string };

export function verifyLines(lines: readonly string[]): VerifyResult {
  let prev = GENESIS;
  for (const [index, line] of lines.entries()) {
    const lineNo = index + 1;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return { ok: false, entries: index, brokenAtLine: lineNo, reason: 'not valid JSON' };
    }
    const { hash, ...rest } = parsed;
    if (parsed['seq'] !== lineNo) return { ok: false, entries: index, brokenAtLine: lineNo, reason: 'sequence number out of order' };
    if (parsed['prev'] !== prev) return { ok: false, entries: index, brokenAtLine: lineNo, reason: 'link to previous entry broken' };
    if (hash !== chainHash(prev, JSON.stringify(rest))) {
      return { ok: false, entries: index, brokenAtLine: lineNo, reason: 'content does not match its hash' };
    }
    prev = hash;
  }
  return { ok: true, entries: lines.length, lastHash: prev };
}
