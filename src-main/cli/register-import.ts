/**
 * Imports the register of insured persons from CSV into the data directory and prints the report.
 *   npm run register:import -- <file.csv> [data directory]
 * With a configuration whose store is PostgreSQL (KONTOKIOSK_CONFIG, or config.json in the data
 * directory), the register goes into the branch database instead (see importIntoBranch).
 * The file is the full register export: its accepted rows replace the stored register. Rejected
 * rows are listed with line number and reasons; a file without a single valid row changes nothing.
 * The file is streamed: rows go into a staged register folder as they are read, so memory does
 * not grow with the register, and the staged register is swapped in at once (store/register-store.ts).
 * A register with more persons than the embedded store's ceiling (store.maxRegisterPersons of the
 * configuration, default 2 000 000) is refused before anything is replaced: such a register belongs
 * in the PostgreSQL store.
 * It takes the data directory's lock, so it never runs beside a kiosk on the same directory (whose
 * register would otherwise change under it, and whose next start could race the import). In a
 * directory that is set up, it runs the start-up checks first and records REGISTER_IMPORTED in the
 * audit trail (who ran it on which machine, how many rows).
 */
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse';
import { loadConfig } from '../config/config.js';
import { missingRegisterColumns, registerDelimiter, validateRegisterRow } from '../core/register/csv-import.js';
import type { InsuredPerson } from '../core/register/person.js';
import { lockDataDirectory } from '../startup/data-dir-lock.js';
import { FileAuditTrail } from '../audit/file-audit-trail.js';
import { MARKER_FILE, openDataDirectory, STORE_DIR } from '../startup/data-dir.js';
import { exitOnStartupRefusal, StartupRefusal } from '../startup/refusal.js';
import { importPersons } from '../store/register-store.js';
import { Readable } from 'node:stream';
import { describeDatabase, openBranchStore } from '../store/pg/branch-store.js';
import { copyLine, replaceRegister } from '../store/pg/register-store.js';

const [fileArg, dir] = process.argv.slice(2);
if (!fileArg) {
  console.error('usage: npm run register:import -- <file.csv> [data directory]');
  process.exit(64);
}
const file: string = fileArg;
const dataDir = resolve(dir ?? process.env['KONTOKIOSK_DATA_DIR'] ?? 'data');
const config = await loadConfig(process.env['KONTOKIOSK_CONFIG'] ?? join(dataDir, 'config.json')).catch((error: unknown) =>
  exitOnStartupRefusal(error),
);
const maxPersons = config.store.kind === 'lowdb' ? config.store.maxRegisterPersons : undefined;

/** The header line, read alone: the delimiter and the columns are known before any row is. */
async function headerLine(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(65_536);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return (buffer.subarray(0, bytesRead).toString('utf8').split(/\r?\n/, 1)[0] ?? '').replace(/^\uFEFF/, '');
  } finally {
    await handle.close();
  }
}

const header = await headerLine(file);
const delimiter = registerDelimiter(header);
const missing = missingRegisterColumns(header.split(delimiter).map((h) => h.trim().toLowerCase()));
if (missing.length > 0) {
  console.error(`not imported: missing columns ${missing.join(', ')}`);
  process.exit(1);
}

let rejected = 0;
/** Valid rows as they are read; rejected ones are printed at once and not kept. */
async function* validRows(): AsyncGenerator<{ person: InsuredPerson; line: number }> {
  const rows = createReadStream(file).pipe(
    parse({
      delimiter,
      columns: (names: string[]) => names.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      relax_column_count: true,
      bom: true,
      info: true,
    }),
  );
  for await (const { record, info } of rows as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    const reasons: string[] = [];
    const person = validateRegisterRow(record, reasons);
    if (person && reasons.length === 0) yield { person, line: info.lines };
    else {
      rejected += 1;
      console.log(`line ${info.lines}: rejected: ${reasons.join('; ')}`);
    }
  }
}

/** Stages and swaps; exits without replacing anything when the register is too large or empty. */
async function stageAndSwap(storeDir: string): Promise<number> {
  const done = await importPersons(storeDir, validRows(), maxPersons, { refuseEmpty: true });
  if (done.status === 'TOO_LARGE') {
    console.error(
      `not imported: the register has ${done.persons} persons, the embedded store holds at most ${done.max} ` +
        '(store.maxRegisterPersons). Nothing was replaced. A register this large belongs in the PostgreSQL store: ' +
        'set store.kind to "postgres" in the configuration (see README: store).',
    );
    return process.exit(1);
  }
  if (done.status === 'EMPTY') {
    console.error('not imported: no valid row');
    return process.exit(1);
  }
  for (const line of done.duplicateLines) console.log(`line ${line}: rejected: kvnr: appears twice in the file`);
  rejected += done.duplicateLines.length;
  return done.persons;
}

/** A staff action is audited (R10): where the directory is set up, through its keyed trail. */
async function importIntoSetUpDirectory(): Promise<number> {
  const opened = await openDataDirectory({
    dataDir,
    auditFile: join(dataDir, 'audit.jsonl'),
    initialRegister: [],
    onLockLost: (error) => {
      console.error(`not imported: another process took over the data directory (${error.message})`);
      process.exit(3);
    },
  }).catch((error: unknown) => exitOnStartupRefusal(error));
  let persons = 0;
  try {
    await opened.guard(async () => {
      const audit = await FileAuditTrail.open(join(dataDir, 'audit.jsonl'), opened.key, { origin: opened.origin });
      try {
        // Replaced whole without reading the old register, so an import also repairs a damaged one.
        persons = await stageAndSwap(join(dataDir, STORE_DIR));
        await audit.append(
          { type: 'REGISTER_IMPORTED', actor: `staff:${userInfo().username}`, terminal: hostname(), data: { accepted: persons, rejected } },
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
  return persons;
}

/** Before the first start there is no trail yet: the register is written for the set-up to keep. */
async function importBeforeFirstStart(): Promise<number> {
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
    const persons = await stageAndSwap(join(dataDir, STORE_DIR));
    console.log('note: the data directory is not set up yet, so there is no audit trail to record this import in');
    return persons;
  } finally {
    await lock.release();
  }
}

/**
 * A branch on PostgreSQL: the rows are streamed with COPY into a staging table and swapped in at
 * once (store/pg/register-store.ts), so every terminal sees the old register or the new one; any
 * size the database holds (11 million persons and more). Recorded in the branch's audit chain.
 */
async function importIntoBranch(store: Extract<typeof config.store, { kind: 'postgres' }>): Promise<number> {
  const branch = await openBranchStore(store, resolve(import.meta.dirname, '../../assets/migrations')).catch((error: unknown) =>
    exitOnStartupRefusal(error),
  );
  try {
    const lines = Readable.from(
      (async function* () {
        for await (const { person, line } of validRows()) yield copyLine(person, line);
      })(),
    );
    const done = await replaceRegister(branch.db, lines, {
      numbered: true,
      refuseEmpty: true,
      // The entry commits with the swap: no new register without its record, no record without it.
      beforeCommit: (client, { persons, duplicateLines }) =>
        branch.audit.appendIn(
          client,
          {
            type: 'REGISTER_IMPORTED',
            actor: `staff:${userInfo().username}`,
            terminal: hostname(),
            data: { accepted: persons, rejected: rejected + duplicateLines.length },
          },
          new Date(),
        ),
    });
    if ('empty' in done) {
      console.error('not imported: no valid row');
      return process.exit(1);
    }
    for (const line of done.duplicateLines) console.log(`line ${line}: rejected: kvnr: appears twice in the file`);
    rejected += done.duplicateLines.length;
    return done.persons;
  } finally {
    await branch.close();
  }
}

if (config.store.kind === 'postgres') {
  const imported = await importIntoBranch(config.store);
  console.log(`imported ${imported} persons, rejected ${rejected} rows, into the branch database at ${describeDatabase(config.store.url)}`);
} else {
  const imported = existsSync(join(dataDir, MARKER_FILE)) ? await importIntoSetUpDirectory() : await importBeforeFirstStart();
  console.log(`imported ${imported} persons, rejected ${rejected} rows, into ${dataDir}`);
}
