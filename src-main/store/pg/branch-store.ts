/**
 * Opens the branch's shared store for one terminal: the key file, the database and its schema, and
 * every PostgreSQL adapter on one pool. Each way this can fail is a StartupRefusal that says what
 * to do; the database URL is never printed (it may hold a password).
 */
import { PgAuditTrail } from '../../audit/pg-audit-trail.js';
import { StartupRefusal } from '../../startup/refusal.js';
import { PgAccountStore } from './account-store.js';
import { readBranchKey } from './branch-key.js';
import { isConnectionFailure, PgDatabase } from './database.js';
import { PgInboxStore } from './inbox-store.js';
import { PgMailboxStore } from './mailbox-store.js';
import { migrateSchema, SchemaRefusal } from './migrate.js';
import { PgOutboundStore } from './outbound-store.js';
import { PgRegisterStore } from './register-store.js';
import { PgStaffStore } from './staff-store.js';

export interface PgStoreConfig {
  readonly url: string;
  readonly keyFile?: string | undefined;
  readonly poolSize: number;
  readonly connectionTimeoutMs: number;
}

export interface BranchStore {
  readonly db: PgDatabase;
  readonly key: Uint8Array;
  readonly accounts: PgAccountStore;
  readonly register: PgRegisterStore;
  readonly staff: PgStaffStore;
  readonly inbox: PgInboxStore;
  readonly mailbox: PgMailboxStore;
  readonly outbound: PgOutboundStore;
  readonly audit: PgAuditTrail;
  close(): Promise<void>;
}

/**
 * Where the database is, for messages: host, port and database name, never user or password. A
 * password with a `/` in it, not percent-encoded, ends the host part early (`kiosk:5432/Ge@heim…`
 * reads as host "kiosk", port 5432): a name that is not one plain path segment is not printed.
 */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    if (!/^\/[^/@:]*$/.test(parsed.pathname)) return 'the configured database';
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the configured database';
  }
}

export async function openBranchStore(config: PgStoreConfig, migrationsDir: string): Promise<BranchStore> {
  if (!config.keyFile) {
    throw new StartupRefusal(
      'BRANCH_KEY_MISSING',
      'config.json',
      'store.kind is "postgres" but store.keyFile is not set. Every terminal of a branch needs the same branch key file ' +
        '(32 random bytes, made once with `(umask 077; head -c 32 /dev/urandom > branch.key)`, copied to each terminal with mode 600, kept out of the database ' +
        'and backed up): codes sent at one terminal are checked at another with it.',
    );
  }
  const key = await readBranchKey(config.keyFile);
  const where = describeDatabase(config.url);
  try {
    await migrateSchema(config.url, migrationsDir);
  } catch (error) {
    if (error instanceof SchemaRefusal) throw new StartupRefusal('DATABASE_SCHEMA_NEWER', where, error.message);
    if (!isConnectionFailure(error)) throw error;
    const detail = error instanceof Error && 'code' in error ? ` (${String((error as { code: unknown }).code)})` : '';
    throw new StartupRefusal(
      'DATABASE_UNREACHABLE',
      where,
      `the branch database at ${where} cannot be reached or refused the connection${detail}. Check that PostgreSQL runs, that store.url is right and that this terminal may connect.`,
    );
  }
  const db = new PgDatabase({ url: config.url, poolSize: config.poolSize, connectionTimeoutMs: config.connectionTimeoutMs });
  const audit = new PgAuditTrail(db, key);
  return {
    db,
    key,
    accounts: new PgAccountStore(db, audit),
    register: new PgRegisterStore(db, audit),
    staff: new PgStaffStore(db, audit),
    inbox: new PgInboxStore(db, audit),
    mailbox: new PgMailboxStore(db),
    outbound: new PgOutboundStore(db, audit),
    audit,
    close: () => db.close(),
  };
}
