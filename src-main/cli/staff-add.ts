/**
 * Creates a staff account on the machine, printing its one-time password once:
 *   npm run staff:add -- --role supervisor --username anna.schmidt [--own-kvnr A123456780] [--data-dir DIR]
 * This is how the first supervisor comes to exist: there is no default password anywhere. The
 * one-time password must be changed at the first login, where TOTP is enrolled as well. It takes
 * the data directory's lock (like the app), so it runs while no kiosk or counter uses the directory.
 */
import { join, resolve } from 'node:path';
import { openApp } from '../app.js';
import { exitOnStartupRefusal } from '../startup/refusal.js';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const role = option('--role');
const username = option('--username');
if ((role !== 'staff' && role !== 'supervisor') || !username) {
  console.error('usage: npm run staff:add -- --role staff|supervisor --username NAME [--own-kvnr KVNR] [--data-dir DIR]');
  process.exit(64);
}
const root = resolve(import.meta.dirname, '../..');
const dataDir = resolve(option('--data-dir') ?? process.env['KONTOKIOSK_DATA_DIR'] ?? join(root, 'data'));
const app = await openApp({ dataDir, assetsDir: join(root, 'assets'), configPath: process.env['KONTOKIOSK_CONFIG'] }).catch(
  exitOnStartupRefusal,
);
try {
  const created = await app.core.staff.createFromMachine({ username, role, ownKvnr: option('--own-kvnr') });
  if (!created.ok) {
    const why = {
      USERNAME_INVALID: 'usernames have 6-32 characters: letters, digits, . - _',
      USERNAME_TAKEN: 'the username is taken',
      KVNR_INVALID: 'not a valid insurance number',
    } as Record<string, string>;
    console.error(`not created: ${why[created.error.code] ?? created.error.code}`);
    process.exitCode = 1;
  } else {
    console.log(`created ${role} "${created.value.staff.username}" in ${dataDir}`);
    console.log(`one-time password (shown only now; it must be changed at the first login): ${created.value.oneTimePassword}`);
  }
} finally {
  await app.close();
}
