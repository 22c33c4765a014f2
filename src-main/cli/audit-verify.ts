/**
 * Verifies the audit trail's hash chain and reports the first broken link.
 *   npm run audit:verify -- [data directory | path to audit.jsonl]
 * Exit code 0: intact; 2: broken (the line number is printed).
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { verifyAuditFile } from '../audit/file-audit-trail.js';

const target = resolve(process.argv[2] ?? process.env['KONTOKIOSK_DATA_DIR'] ?? 'data');
const path = statSync(target, { throwIfNoEntry: false })?.isDirectory() ? join(target, 'audit.jsonl') : target;
const result = await verifyAuditFile(path);
if (result.ok) {
  console.log(`audit trail intact: ${result.entries} entries in ${path}`);
  if (result.tornTail) console.log('note: an unfinished last line (never confirmed) will be dropped when the app starts');
  process.exit(0);
}
console.log(`audit trail BROKEN at line ${result.brokenAtLine}: ${result.reason} (${result.entries} entries before it are intact)`);
process.exit(2);
