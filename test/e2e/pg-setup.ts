/** Playwright global setup: a throwaway PostgreSQL cluster for the project "browser-shell-postgres". */
import { postgresBinaries, startCluster } from '../../src-main/demo/pg-cluster.js';
import { PG_URL_VARIABLE } from './branch-database.js';

export default async function setup(): Promise<() => void> {
  if (process.env[PG_URL_VARIABLE]) return () => undefined;
  if (!postgresBinaries()) {
    if (process.env['CI']) throw new Error('PostgreSQL is not installed: scripts/setup.sh installs it');
    console.warn('[pg] PostgreSQL is not installed: the project "browser-shell-postgres" will fail (bash scripts/setup.sh installs it)');
    return () => undefined;
  }
  const cluster = await startCluster();
  process.env[PG_URL_VARIABLE] = cluster.adminUrl;
  return () => cluster.stop();
}
