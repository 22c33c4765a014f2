/**
 * The end-to-end tests on the branch database: the Playwright project "browser-shell-postgres"
 * runs chosen journeys with `store.kind: "postgres"`. pg-setup.ts starts one throwaway cluster for
 * the run; each test gets a database of its own with the schema and the demo register, and a
 * branch key file, and the shell, the seed script and staff:add all find them in config.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { migrateSchema } from '../../src-main/store/pg/migrate.js';
import { PgRegisterStore } from '../../src-main/store/pg/register-store.js';

export const PG_URL_VARIABLE = 'KONTOKIOSK_E2E_PG_URL';

export interface BranchDatabase {
  readonly store: { kind: 'postgres'; url: string; keyFile: string };
  drop(): Promise<void>;
}

async function admin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client(adminUrl);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function branchDatabase(): Promise<BranchDatabase> {
  const adminUrl = process.env[PG_URL_VARIABLE];
  if (!adminUrl) throw new Error(`${PG_URL_VARIABLE} is not set: the project "browser-shell-postgres" needs test/e2e/pg-setup.ts`);
  const name = `kk_e2e_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrateSchema(url.toString(), resolve(import.meta.dirname, '../../assets/migrations'));
  const db = new PgDatabase({ url: url.toString() });
  await new PgRegisterStore(db).replaceAll(DEMO_REGISTER);
  await db.close();
  const keyDir = mkdtempSync(join(tmpdir(), 'kontokiosk-e2e-key-'));
  const keyFile = join(keyDir, 'branch.key');
  writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
  return {
    store: { kind: 'postgres', url: url.toString(), keyFile },
    drop: async () => {
      await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      rmSync(keyDir, { recursive: true, force: true });
    },
  };
}
