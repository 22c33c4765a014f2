/**
 * The full check of the embedded store, which a start does not do (it reads only what it needs):
 *   npm run store:check -- [data directory] [--repair]
 * Every account file (schema, place, unique KVNR, username and POSTIDENT case), the indexes and the
 * catalog against them, and every shard of the register. It takes the data directory's lock, so it
 * runs while no kiosk runs on that directory. Exit codes:
 *   0  intact (or, with --repair, the indexes and the catalog rebuilt from the account files)
 *   2  a damaged or missing file: the message names it; restore it from the backup
 *   3  indexes or catalog disagree with the account files: run again with --repair
 * Messages name files and problems, never their contents.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MARKER_FILE, openDataDirectory, STORE_DIR } from '../startup/data-dir.js';
import { exitOnStartupRefusal } from '../startup/refusal.js';
import { checkAccountStore } from '../store/account-check.js';
import { checkRegisterStore } from '../store/register-store.js';

const args = process.argv.slice(2);
const repair = args.includes('--repair');
const dataDir = resolve(args.find((a) => !a.startsWith('--')) ?? process.env['KONTOKIOSK_DATA_DIR'] ?? 'data');
if (!existsSync(join(dataDir, MARKER_FILE))) {
  console.error(`${dataDir} is not a set-up data directory (no ${MARKER_FILE}): nothing to check`);
  process.exit(2);
}
const opened = await openDataDirectory({
  dataDir,
  auditFile: join(dataDir, 'audit.jsonl'),
  initialRegister: [],
  onLockLost: (error) => {
    console.error(`check stopped: another process took over the data directory (${error.message})`);
    process.exit(3);
  },
}).catch((error: unknown) => exitOnStartupRefusal(error));
const store = join(dataDir, STORE_DIR);
const result = await opened
  .guard(async () => ({ accounts: await checkAccountStore(store, repair), persons: await checkRegisterStore(store) }))
  .catch((error: unknown) => exitOnStartupRefusal(error));
await opened.release();
for (const problem of result.accounts.indexProblems) console.log(`${result.accounts.repaired ? 'rebuilt' : 'disagrees'}: ${problem}`);
console.log(`checked ${result.accounts.accounts} accounts and ${result.persons} persons of the register in ${store}`);
if (result.accounts.indexProblems.length > 0 && !repair) {
  console.error('the indexes or the catalog disagree with the account files: run npm run store:check -- --repair');
  process.exit(3);
}
