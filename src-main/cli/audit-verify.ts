/**
 * Verifies the audit trail: the keyed hash chain through every closed segment (audit/) and the
 * active file, the head file that guards its end, and findings the app recorded on a start. The
 * key is `secret.key` of the data directory (beside audit.jsonl). Streamed: any size of trail.
 *   npm run audit:verify -- [data directory | path to audit.jsonl]
 *   npm run audit:verify -- --config <config.json of a terminal on PostgreSQL> [--witness <its data dir>]
 * Exit codes:
 *   0  intact
 *   1  the check itself failed (unreadable file, bad arguments)
 *   2  chain broken at a line of a segment or the active file (changed, removed or reordered entry,
 *      a segment missing between others; keyed hash mismatch)
 *   3  entries missing at the end (the file is shorter than its head says)
 *   4  head file missing, invalid (unreadable or not sealed with this key) or naming another entry
 *   5  audit trail missing (no audit.jsonl where a head file or a store shows there was one)
 *   6  no audit trail at the given path (neither a data directory nor an audit file)
 *   7  key missing or unusable (secret.key beside the trail absent, or not exactly 32 bytes)
 *   8  unkeyed chain (only entries from before the chain was keyed: edits cannot be detected)
 *   9  the app found the trail altered on a start and recorded it in the trail (on a branch: a
 *      terminal found the chain rolled back below its witness and recorded AUDIT_ROLLBACK_FOUND)
 */
import { join, resolve } from 'node:path';
import { segmentDirFor } from '../audit/segments.js';
import { verifyAuditTarget, type AuditCheck } from '../audit/verify-trail.js';
import { deriveAuditKeys } from '../audit/hash-chain.js';
import { verifyPgTrail } from '../audit/pg-audit-trail.js';
import { checkWitness, readWitness, recordedRollback } from '../audit/pg-witness.js';
import { loadConfig } from '../config/config.js';
import { readKey } from '../startup/data-files.js';
import { describeDatabase } from '../store/pg/branch-store.js';
import { PgDatabase } from '../store/pg/database.js';

const EXIT: Record<AuditCheck['code'], number> = {
  INTACT: 0,
  CHAIN_BROKEN: 2,
  ENTRIES_MISSING: 3,
  HEAD_MISSING: 4,
  HEAD_INVALID: 4,
  HEAD_MISMATCH: 4,
  TRAIL_MISSING: 5,
  NO_AUDIT_TRAIL: 6,
  KEY_MISSING: 7,
  KEY_WRONG_SIZE: 7,
  UNKEYED_CHAIN: 8,
  ALTERED_BEFORE_START: 9,
};

const FINDINGS: Record<string, string> = {
  ENTRIES_MISSING: 'entries missing at the end',
  HEAD_MISSING: 'the head file missing',
  HEAD_INVALID: 'the head file invalid',
  HEAD_MISMATCH: 'the head naming another entry',
  UNKEYED_ENTRIES: 'entries after the head that are not sealed with the key',
};

/** Where a line is: the active file keeps the short form it always had. */
function lineIn(r: { path: string }, file: string, line: number): string {
  return file === r.path ? `line ${line}` : `line ${line} of ${file}`;
}

function message(r: AuditCheck): string {
  switch (r.code) {
    case 'INTACT':
      return [
        `audit trail intact: ${r.entries} entries in ${r.path}` +
          (r.segments > 0
            ? ` (${r.segments} closed segment${r.segments === 1 ? '' : 's'} in ${segmentDirFor(r.path)}, then the active file)`
            : ''),
        ...(r.archivedEntries > 0
          ? [`note: entries 1 to ${r.archivedEntries} are in archived segments, not in this directory, and were not checked now`]
          : []),
        ...(r.legacyEntries > 0
          ? [`note: the first ${r.legacyEntries} entries predate the keyed chain and are sealed by the entries after them`]
          : []),
        ...(r.headSeq < r.entries + r.archivedEntries
          ? [`note: the head names entry ${r.headSeq}; the app brings it up to date when it starts`]
          : []),
      ].join('\n');
    case 'CHAIN_BROKEN':
      return (
        `audit trail BROKEN at ${lineIn(r, r.file, r.brokenAtLine)}: ${r.reason}` +
        (r.keyed && r.reason === 'content does not match its hash'
          ? ' (keyed hash mismatch: the entry was changed, or secret.key is not the key it was written with)'
          : '') +
        ` (${r.entries} entries before it are intact)`
      );
    case 'ENTRIES_MISSING':
      return `audit trail TRUNCATED: ${r.missing} entries missing at the end (the head names entry ${r.headSeq}, ${r.path} ends at entry ${r.entries + r.archivedEntries})`;
    case 'HEAD_MISSING':
      return `audit head file missing: ${r.headPath} (removal of entries at the end of ${r.path} cannot be ruled out)`;
    case 'HEAD_INVALID':
      return `audit head file invalid: ${r.headPath} is unreadable or not sealed with this secret.key`;
    case 'HEAD_MISMATCH':
      return `audit head does not match: ${r.headPath} names entry ${r.headSeq}, but that entry of ${r.path} is a different one`;
    case 'ALTERED_BEFORE_START':
      return (
        `audit trail ALTERED: ${lineIn(r, r.file, r.line)} (${r.at}) records that the app found ${FINDINGS[r.finding] ?? r.finding} when it started` +
        (r.headSeq !== undefined && r.fileEntries !== undefined
          ? ` (head named entry ${r.headSeq}, the file held ${r.fileEntries})`
          : r.fileEntries !== undefined
            ? ` (the file held ${r.fileEntries})`
            : '')
      );
    case 'UNKEYED_CHAIN':
      return `unkeyed chain: the ${r.entries} entries in ${r.path} are chained with plain SHA-256 only, so an edit with a recomputed chain cannot be detected; starting the app seals them with the key`;
    case 'KEY_MISSING':
      return `key missing: ${r.keyPath} is absent; the keyed chain of ${r.path} cannot be checked without it`;
    case 'KEY_WRONG_SIZE':
      return `key unusable: ${r.keyPath} has ${r.bytes} bytes instead of exactly 32, so it is not a Kontokiosk key; restore it from the backup of this data directory`;
    case 'TRAIL_MISSING':
      return `audit trail missing: ${r.path} does not exist, but its data directory shows there was one`;
    case 'NO_AUDIT_TRAIL':
      return `no audit trail at ${r.path}`;
  }
}

/**
 * A branch on PostgreSQL (store.kind "postgres" in the configuration named by --config or
 * KONTOKIOSK_CONFIG): the one chain of every terminal, verified in the database in pages, with
 * the branch key file. Same exit codes. With --witness <data dir of a terminal>, the chain is also
 * held against what that terminal saw (audit/pg-witness.ts): a rollback below it exits 4, and a
 * directory without a witness sealed with the branch key exits 1. A rollback a terminal already
 * recorded (AUDIT_ROLLBACK_FOUND) exits 9.
 */
async function verifyBranch(configPath: string, witnessDir: string | undefined): Promise<never> {
  const config = await loadConfig(configPath);
  if (config.store.kind !== 'postgres') {
    console.error(`${configPath} has no PostgreSQL store: name the data directory instead`);
    process.exit(1);
  }
  if (!config.store.keyFile) {
    console.error('key missing: store.keyFile is not set; the branch chain cannot be checked without the branch key');
    process.exit(7);
  }
  const key = await readKey(config.store.keyFile, config.store.keyFile);
  const db = new PgDatabase({ url: config.store.url });
  const where = describeDatabase(config.store.url);
  try {
    const r = await verifyPgTrail(db, key);
    const seen =
      r.code === 'INTACT' && witnessDir ? await readWitness(join(witnessDir, 'audit-witness.json'), deriveAuditKeys(key).head) : undefined;
    if (r.code === 'INTACT' && witnessDir !== undefined && !seen) {
      // A witness asked for and not there (a mistyped directory) must not pass as a chain held against it.
      console.error(`no witness sealed with this branch key in ${witnessDir}: the chain was not held against a terminal's witness`);
      process.exit(1);
    }
    const rolledBack = seen ? await checkWitness(db, seen) : undefined;
    if (rolledBack) {
      console.log(
        `audit trail ROLLED BACK: the terminal of ${witnessDir} saw entry ${rolledBack.witnessSeq}, the chain now ends at entry ${rolledBack.headSeq}`,
      );
      process.exit(4);
    }
    const found = r.code === 'INTACT' ? await recordedRollback(db) : undefined;
    if (found) {
      console.log(
        `audit trail ROLLED BACK: entry ${found.seq} (${found.at}) records that terminal ${found.terminal} saw entry ${found.witnessSeq} and found the chain ending at entry ${found.headSeq}`,
      );
      process.exit(9);
    }
    if (r.code === 'INTACT') console.log(`audit trail intact: ${r.entries} entries in the branch database at ${where}`);
    else if (r.code === 'CHAIN_BROKEN') {
      console.log(`audit trail BROKEN at entry ${r.brokenAtSeq}: ${r.reason} (${r.entries} entries before it are intact)`);
    } else if (r.code === 'ENTRIES_MISSING') {
      console.log(`audit trail TRUNCATED: the head names entry ${r.headSeq}, the table ends at entry ${r.entries}`);
    } else console.log(`audit head invalid: the head row is not sealed with this branch key (it names entry ${r.headSeq})`);
    process.exit({ INTACT: 0, CHAIN_BROKEN: 2, ENTRIES_MISSING: 3, HEAD_INVALID: 4 }[r.code]);
  } finally {
    await db.close();
  }
}

const configIndex = process.argv.indexOf('--config');
const configPath = configIndex >= 0 ? process.argv[configIndex + 1] : process.env['KONTOKIOSK_CONFIG'];
const witnessIndex = process.argv.indexOf('--witness');
if (configPath && (await loadConfig(configPath)).store.kind === 'postgres') {
  const witnessDir = witnessIndex >= 0 ? process.argv[witnessIndex + 1] : undefined;
  if (witnessIndex >= 0 && !witnessDir) {
    console.error('usage: npm run audit:verify -- --config <config.json> --witness <data directory of a terminal>');
    process.exit(1);
  }
  await verifyBranch(configPath, witnessDir);
}

const target = resolve((configIndex === 2 ? undefined : process.argv[2]) ?? process.env['KONTOKIOSK_DATA_DIR'] ?? 'data');
try {
  const result = await verifyAuditTarget(target);
  console.log(message(result));
  if ('tornTail' in result && result.tornTail)
    console.log('note: an unfinished last line (never confirmed) will be dropped when the app starts');
  process.exit(EXIT[result.code]);
} catch (error) {
  console.error(`audit verification failed: ${(error as Error).message}`);
  process.exit(1);
}
