/**
 * Imports the register of insured persons from CSV into the data directory and prints the report.
 *   npm run register:import -- <file.csv> [data directory]
 * The file is the full register export: its accepted rows replace the stored register. Rejected
 * rows are listed with line number and reasons; a file without a single valid row changes nothing.
 * It takes the data directory's lock, so it never runs beside a kiosk on the same directory (whose
 * in-memory register would otherwise stay stale, and whose next start could race the import).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { importRegisterCsv } from '../core/register/csv-import.js';
import { lockDataDirectory } from '../startup/data-dir-lock.js';
import { STORE_DIR } from '../startup/data-dir.js';
import { StartupRefusal } from '../startup/refusal.js';
import { writeRegisterFile } from '../store/register-store.js';

const [file, dir] = process.argv.slice(2);
if (!file) {
  console.error('usage: npm run register:import -- <file.csv> [data directory]');
  process.exit(64);
}
const dataDir = resolve(dir ?? process.env['KONTOKIOSK_DATA_DIR'] ?? 'data');
const report = importRegisterCsv(await readFile(file, 'utf8'));
if ('error' in report) {
  console.error(`not imported: missing columns ${report.missing.join(', ')}`);
  process.exit(1);
}
for (const row of report.rejected) console.log(`line ${row.line}: rejected: ${row.reasons.join('; ')}`);
if (report.accepted.length === 0) {
  console.error('not imported: no valid row');
  process.exit(1);
}
await mkdir(dataDir, { recursive: true, mode: 0o700 });
const lock = await lockDataDirectory(dataDir, (error) => {
  console.error(`not imported: another process took over the data directory (${error.message})`);
  process.exit(3);
}).catch((error: unknown) => {
  if (!(error instanceof StartupRefusal)) throw error;
  console.error(`not imported: ${error.reason}`);
  return process.exit(2);
});
try {
  await mkdir(join(dataDir, STORE_DIR), { recursive: true, mode: 0o700 });
  // Replaced whole without reading the old file, so an import also repairs a damaged register.
  await writeRegisterFile(join(dataDir, STORE_DIR), report.accepted);
} finally {
  await lock.release();
}
console.log(`imported ${report.accepted.length} persons, rejected ${report.rejected.length} rows, into ${dataDir}`);
