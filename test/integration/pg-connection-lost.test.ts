/**
 * A terminal outlives its database connection (R14): a connection the server ends while a
 * transaction or a register import holds it (between two statements, as a restart or a failover
 * of the database does) must end that call as STORE_UNAVAILABLE, never the whole process with an
 * unhandled 'error' event. Run in a child process, so a crash is seen as one.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, pgAdminUrl, type TestDatabase } from '../fixtures/pg.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe.skipIf(!pgAdminUrl)('a connection lost while a call holds it', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(() => database.drop());

  it('ends the transaction and the import as STORE_UNAVAILABLE; the process lives on', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/pg-lost-connection.ts', database.url], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).not.toContain("Unhandled 'error' event");
    expect(run.stdout).toBe('tx: StoreUnavailableError\nimport: StoreUnavailableError\n');
    expect(run.status).toBe(0);
  });
});
