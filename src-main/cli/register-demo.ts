/**
 * Loads the demo register of fictional insured persons into the configured branch database. A
 * start never does that to a shared database (only a new embedded data directory gets the demo
 * register by itself), so a branch's real register cannot be overwritten by accident.
 *   KONTOKIOSK_CONFIG=config.json npm run register:demo [-- --replace]
 * Without --replace a register that already holds persons is left alone. A branch in use (it holds
 * accounts or audit entries, e.g. of a real register's import) is refused even with --replace:
 * fictional persons must never take the place of a branch's real register.
 */
import { join, resolve } from 'node:path';
import { loadConfig } from '../config/config.js';
import { DEMO_REGISTER } from '../demo/demo-register.js';
import { PgDatabase } from '../store/pg/database.js';
import { migrateSchema } from '../store/pg/migrate.js';
import { PgRegisterStore } from '../store/pg/register-store.js';
import { describeDatabase } from '../store/pg/branch-store.js';

const root = resolve(import.meta.dirname, '../..');
const configPath = process.env['KONTOKIOSK_CONFIG'] ?? join(root, 'data', 'config.json');
const config = await loadConfig(configPath);
if (config.store.kind !== 'postgres') {
  console.error(`${configPath} has no PostgreSQL store: an embedded data directory gets the demo register on its first start.`);
  process.exit(1);
}
const where = describeDatabase(config.store.url);
await migrateSchema(config.store.url, join(root, 'assets', 'migrations'));
const db = new PgDatabase({ url: config.store.url });
try {
  const used = await db.query<{ accounts: string; entries: string }>(
    'SELECT (SELECT count(*) FROM accounts) AS accounts, (SELECT count(*) FROM audit_events) AS entries',
  );
  const { accounts = '0', entries = '0' } = used.rows[0] ?? {};
  if (Number(accounts) > 0 || Number(entries) > 0) {
    console.error(
      `not loaded: the branch database at ${where} is in use (${accounts} accounts, ${entries} audit entries); ` +
        'the demo register goes only into a new database. Import the real register with npm run register:import.',
    );
    process.exit(1);
  }
  const register = new PgRegisterStore(db);
  const present = await register.count();
  if (present > 0 && !process.argv.includes('--replace')) {
    console.error(
      `not loaded: the register at ${where} already holds ${present} persons (add --replace to overwrite it with the demo register)`,
    );
    process.exit(1);
  }
  await register.replaceAll(DEMO_REGISTER);
  console.log(`loaded the demo register (${DEMO_REGISTER.length} fictional persons) into ${where}`);
} finally {
  await db.close();
}
