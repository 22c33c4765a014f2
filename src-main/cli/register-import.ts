/**
 * Imports the register of insured persons from CSV into the data directory and prints the report.
 *   npm run register:import -- <file.csv> [data directory]
 * The file is the full register export: its accepted rows replace the stored register. Rejected
 * rows are listed with line number and reasons; a file without a single valid row changes nothing.
 * It takes the data directory's lock, so it never runs beside a kiosk on the same directory (whose
 * in-memory register would otherwise stay stale, and whose next start could race the import). In a
 * directory that is set up, it runs the start-up checks first and records REGISTER_IMPORTED in the
 * audit trail (who ran it on which machine, how many rows).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { importRegisterCsv } from '../core/register/csv-import.js';
import type { InsuredPerson } from '../core/register/person.js';
import { lockDataDirectory } from '../startup/data-dir-lock.js';
import { FileAuditTrail } from '../audit/file-audit-trail.js';
import { MARKER_FILE, openDataDirectory, STORE_DIR } from '../startup/data-dir.js';
import { exitOnStartupRefusal, StartupRefusal } from '../startup/refusal.js';
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
/** A staff action is audited (R10): where the directory is set up, through its keyed trail. */
async function importIntoSetUpDirectory(persons: readonly InsuredPerson[], rejected: number): Promise<void> {
  const opened = await openDataDirectory({
    dataDir,
    auditFile: join(dataDir, 'audit.jsonl'),
    initialRegister: [],
    onLockLost: (error) => {
      console.error(`not imported: another process took over the data directory (${error.message})`);
      process.exit(3);
    },
  }).catch((error: unknown) => exitOnStartupRefusal(error));
  try {
    await opened.guard(async () => {
      const audit = await FileAuditTrail.open(join(dataDir, 'audit.jsonl'), opened.key, { origin: opened.origin });
      try {
        // Replaced whole without reading the old file, so an import also repairs a damaged register.
        await writeRegisterFile(join(dataDir, STORE_DIR), persons);
        await audit.append(
          {
            type: 'REGISTER_IMPORTED',
            actor: `staff:${userInfo().username}`,
            terminal: hostname(),
            data: { accepted: persons.length, rejected },
          },
          new Date(),
        );
      } finally {
        await audit.close();
      }
    });
  } catch (error) {
    exitOnStartupRefusal(error);
  }
  await opened.release();
}

/** Before the first start there is no trail yet: the register is written for the set-up to keep. */
async function importBeforeFirstStart(persons: readonly InsuredPerson[]): Promise<void> {
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
    await writeRegisterFile(join(dataDir, STORE_DIR), persons);
  } finally {
    await lock.release();
  }
  console.log('note: the data directory is not set up yet, so there is no audit trail to record this import in');
}

if (existsSync(join(dataDir, MARKER_FILE))) await importIntoSetUpDirectory(report.accepted, report.rejected.length);
else await importBeforeFirstStart(report.accepted);
console.log(`imported ${report.accepted.length} persons, rejected ${report.rejected.length} rows, into ${dataDir}`);
