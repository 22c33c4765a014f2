/**
 * Brings the branch database's schema up to this version of the app with node-pg-migrate, from the
 * versioned SQL files in assets/migrations. Several terminals may start at once: the library's
 * advisory lock makes the others wait. A database migrated by a newer version (a migration this
 * app does not know) is refused, never "downgraded" by running against it.
 */
import { readdir } from 'node:fs/promises';
import { parse } from 'node:path';
import pg from 'pg';
import { runner } from 'node-pg-migrate';
import { checkSchemaName } from './database.js';

const MIGRATIONS_TABLE = 'schema_migrations';

export class SchemaRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaRefusal';
  }
}

async function appliedMigrations(client: pg.Client, schema: string): Promise<string[]> {
  const table = await client.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [`${schema}.${MIGRATIONS_TABLE}`]);
  if (!table.rows[0]?.exists) return [];
  const rows = await client.query<{ name: string }>(`SELECT name FROM ${schema}.${MIGRATIONS_TABLE} ORDER BY run_on, id`);
  return rows.rows.map((r) => r.name);
}

/** Applies what is missing (in `schema`, by default public); returns the names applied now. */
export async function migrateSchema(url: string, dir: string, schema = 'public'): Promise<string[]> {
  checkSchemaName(schema);
  const known = (await readdir(dir)).filter((f) => f.endsWith('.sql')).map((f) => parse(f).name);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const unknown = (await appliedMigrations(client, schema)).filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      throw new SchemaRefusal(
        `the database's schema is newer than this version of Kontokiosk (it has ${unknown.join(', ')}): update this terminal first`,
      );
    }
    const applied = await runner({
      dbClient: client,
      dir,
      direction: 'up',
      migrationsTable: MIGRATIONS_TABLE,
      schema,
      migrationsSchema: schema,
      createSchema: true,
      checkOrder: true,
      singleTransaction: true,
      advisoryLockMode: 'wait',
      log: () => undefined,
    });
    return applied.map((m) => m.name);
  } finally {
    await client.end();
  }
}
