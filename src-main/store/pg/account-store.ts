/**
 * Accounts in the branch's PostgreSQL database, shared by every terminal. KVNR, username key and
 * POSTIDENT case are unique by the table's own constraints (generated from the document), so two
 * terminals registering the same person at once get exactly one account. An update decides on the
 * row as read (the one the caller already holds, or read now) and writes only if the row is still
 * that version (its xmin): the new version and the audit entries that record it in one statement
 * (audited_change, migration 0005). If another terminal wrote in between, it decides again with
 * the row locked (SELECT … FOR UPDATE). Either way no update is lost and counters stay exact across
 * processes; nothing slow (hashing) happens while a lock is held. A decision that changes and
 * records nothing costs one read: no lock, no transaction, no commit to wait for.
 */
import type { Account } from '../../core/account.js';
import type { AccountChange, AccountStore, AuditEntry, OutboundRecord } from '../../core/ports.js';
import type { PgAuditTrail } from '../../audit/pg-audit-trail.js';
import { appendInTx } from './audit-in-tx.js';
import { isUniqueViolation, type PgDatabase, type Queryable } from './database.js';
import { insertOutboundInTx } from './outbound-store.js';

type Row = { doc: Account };
type VersionedRow = Row & { version: string };

/** The lookups, each prepared once per connection; every read also answers the row's version. */
const BY = {
  id: { name: 'kk-account-by-id', text: 'SELECT doc, xmin::text AS version FROM accounts WHERE id = $1' },
  username_key: { name: 'kk-account-by-username', text: 'SELECT doc, xmin::text AS version FROM accounts WHERE username_key = $1' },
  kvnr: { name: 'kk-account-by-kvnr', text: 'SELECT doc, xmin::text AS version FROM accounts WHERE kvnr = $1' },
  postident_case: {
    name: 'kk-account-by-postident',
    text: 'SELECT doc, xmin::text AS version FROM accounts WHERE postident_case = $1',
  },
} as const;
const WRITE_IF_VERSION = {
  name: 'kk-account-write-if-version',
  text: 'UPDATE accounts SET doc = $2 WHERE id = $1 AND xmin = $3::text::xid',
};

/** Whether a decision writes, records or queues anything. */
function writes(change: AccountChange<unknown>): boolean {
  return change.next !== undefined || (change.audit?.length ?? 0) > 0 || (change.outbound?.length ?? 0) > 0;
}

export class PgAccountStore implements AccountStore {
  /** The version each document handed out was read at, so that update can decide on it (see `seen`). */
  private readonly versions = new WeakMap<Account, string>();

  /** With `audit`, the audit entries of a change are appended in the change's transaction. */
  constructor(
    private readonly db: PgDatabase,
    private readonly audit?: PgAuditTrail,
  ) {}

  private async read(by: keyof typeof BY, value: string): Promise<VersionedRow | undefined> {
    const row = (await this.db.query<VersionedRow>(BY[by], [value])).rows[0];
    if (row) this.versions.set(row.doc, row.version);
    return row;
  }

  private async one(by: keyof typeof BY, value: string): Promise<Account | undefined> {
    return (await this.read(by, value))?.doc;
  }

  get(id: string): Promise<Account | undefined> {
    return this.one('id', id);
  }

  findByUsernameKey(usernameKey: string): Promise<Account | undefined> {
    return this.one('username_key', usernameKey);
  }

  findByKvnr(kvnr: string): Promise<Account | undefined> {
    return this.one('kvnr', kvnr);
  }

  findByPostidentCase(caseId: string): Promise<Account | undefined> {
    return this.one('postident_case', caseId);
  }

  async insert(
    account: Account,
    audit: readonly AuditEntry[] = [],
    outbound: readonly OutboundRecord[] = [],
  ): Promise<'OK' | 'KVNR_TAKEN' | 'USERNAME_TAKEN'> {
    try {
      if (audit.length === 0 && outbound.length === 0)
        await this.db.query('INSERT INTO accounts (id, doc) VALUES ($1, $2)', [account.id, account]);
      else
        await this.db.tx(async (client) => {
          await client.query('INSERT INTO accounts (id, doc) VALUES ($1, $2)', [account.id, account]);
          await insertOutboundInTx(client, outbound);
          await this.appendAll(client, audit);
        });
      return 'OK';
    } catch (error) {
      if (isUniqueViolation(error)) {
        if (error.constraint === 'accounts_kvnr_unique') return 'KVNR_TAKEN';
        if (error.constraint === 'accounts_username_key_unique') return 'USERNAME_TAKEN';
      }
      throw error;
    }
  }

  /**
   * Decides on the row as read (`seen`, when this store handed it out and its version is known,
   * else read now) and writes only if the row is still that version; otherwise decides again with
   * the row locked. A decision on `seen` that writes nothing is made again on the row as it is.
   */
  async update<R>(id: string, fn: (current: Account) => AccountChange<R>, seen?: Account): Promise<R | undefined> {
    const known = seen?.id === id ? this.versions.get(seen) : undefined;
    if (seen && known !== undefined) {
      const change = fn(seen);
      if (writes(change)) {
        const written = await this.apply(id, known, change);
        if (written === 'DONE') return change.result;
        if (written === 'CONTENDED') return this.lockedUpdate(id, fn);
      }
    }
    const row = await this.read('id', id);
    if (!row) return undefined;
    const change = fn(row.doc);
    if (!writes(change)) return change.result;
    const written = await this.apply(id, row.version, change);
    return written === 'DONE' ? change.result : this.lockedUpdate(id, fn);
  }

  /**
   * Writes a decision made on the row at `version`: 'STALE' (nothing written) when the row is no
   * longer that version. Its audit entries go in the same statement (audited_change) or, with
   * messages to queue, the same transaction; 'CONTENDED' when the chain's head kept moving.
   */
  private async apply(id: string, version: string, change: AccountChange<unknown>): Promise<'DONE' | 'STALE' | 'CONTENDED'> {
    const { next, audit, outbound } = change;
    if (next && next.id !== id) throw new Error('update must not change the id');
    const audited = audit !== undefined && audit.length > 0;
    if (audited && !this.audit) throw new Error('this account store has no audit trail to record in');
    if (outbound && outbound.length > 0) {
      // The change (if the row is still the version decided on), its entries and its messages in one transaction.
      const written = await this.db.tx(async (client) => {
        const checked = next
          ? await client.query(WRITE_IF_VERSION, [id, next, version])
          : await client.query('SELECT 1 FROM accounts WHERE id = $1 AND xmin = $2::text::xid FOR SHARE', [id, version]);
        if (checked.rowCount !== 1) return false;
        // Rows before the audit head, as in every transaction of the branch (see audited_change).
        await insertOutboundInTx(client, outbound);
        await this.appendAll(client, audit ?? []);
        return true;
      });
      return written ? 'DONE' : 'STALE';
    }
    if (audited && this.audit) {
      const written = await this.audit.appendChange(audit, { id, version, ...(next ? { doc: next } : {}) });
      return written === 'OK' ? 'DONE' : written;
    }
    const written = await this.db.query(WRITE_IF_VERSION, [id, next, version]);
    return written.rowCount === 1 ? 'DONE' : 'STALE';
  }

  /**
   * The decision again on the row as it is now, locked until its write commits; its audit entries
   * are appended to the branch's chain in the same transaction, so both commit or neither.
   */
  private lockedUpdate<R>(id: string, fn: (current: Account) => AccountChange<R>): Promise<R | undefined> {
    return this.db.tx(async (client) => {
      const found = await client.query<Row>('SELECT doc FROM accounts WHERE id = $1 FOR UPDATE', [id]);
      const current = found.rows[0]?.doc;
      if (!current) return undefined;
      const { next, result, audit, outbound } = fn(current);
      if (next) {
        if (next.id !== id) throw new Error('update must not change the id');
        await client.query('UPDATE accounts SET doc = $2 WHERE id = $1', [id, next]);
      }
      await insertOutboundInTx(client, outbound);
      if (audit && audit.length > 0) await this.appendAll(client, audit);
      return result;
    });
  }

  async delete(id: string, audit: readonly AuditEntry[] = []): Promise<void> {
    if (audit.length === 0) {
      await this.db.query('DELETE FROM accounts WHERE id = $1', [id]);
      return;
    }
    await this.db.tx(async (client) => {
      const removed = await client.query('DELETE FROM accounts WHERE id = $1', [id]);
      // Another terminal removed it first: that removal carries its own entries.
      if (removed.rowCount === 1) await this.appendAll(client, audit);
    });
  }

  private appendAll(client: Queryable, audit: readonly AuditEntry[]): Promise<void> {
    return appendInTx(client, this.audit, audit);
  }

  async count(): Promise<number> {
    const result = await this.db.query<{ n: string }>('SELECT count(*) AS n FROM accounts');
    return Number(result.rows[0]?.n ?? 0);
  }

  async funnel(): Promise<{ registered: number; emailConfirmed: number; identityConfirmed: number; mailboxDecided: number }> {
    const result = await this.db.query<Record<'registered' | 'email' | 'identity' | 'mailbox', string>>(
      `SELECT count(*) AS registered, count(*) FILTER (WHERE email_confirmed) AS email,
              count(*) FILTER (WHERE identity_confirmed) AS identity, count(*) FILTER (WHERE mailbox_decided) AS mailbox
         FROM accounts`,
    );
    const row = result.rows[0];
    return {
      registered: Number(row?.registered ?? 0),
      emailConfirmed: Number(row?.email ?? 0),
      identityConfirmed: Number(row?.identity ?? 0),
      mailboxDecided: Number(row?.mailbox ?? 0),
    };
  }
}
