/**
 * Imports the register of insured persons from CSV into the data directory and prints the report.
 *   npm run register:import -- <file.csv> [data directory]
 * The file is the full register export: its accepted rows replace the stored register. Rejected
 * rows are listed with line number and reasons; a file without a single valid row changes nothing.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { importRegisterCsv } from '../core/register/csv-import.js';
import { LowdbRegisterStore } from '../store/register-store.js';

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
const store = await LowdbRegisterStore.openDirectory(join(dataDir, 'store'));
await store.replaceAll(report.accepted);
console.log(`imported ${report.accepted.length} persons, rejected ${report.rejected.length} rows, into ${dataDir}`);
