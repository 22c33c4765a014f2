/**
 * Accounts in the branch's PostgreSQL database, shared by every terminal. KVNR, username key and
 * POSTIDENT case are unique by the table's own constraints (generated from the document), so two
 * terminals registering the same person at once get exactly one account. An update decides on the
 * row as read and writes only if the row is still that version (its xmin), in one statement; if
 * another terminal wrote in between, it decides again with the row locked (SELECT … FOR UPDATE).
 * Either way no update is lost and counters stay exact across processes; nothing slow (hashing)
 * happens while a lock is held. A decision that changes nothing (most logins) costs one read: no
 * lock, no transaction, no commit to wait for.
 */
import type { Account } from '../../core/account.js';
import type { AccountChange, AccountStore, AuditEntry, OutboundRecord } from '../../core/ports.js';
import type { PgAuditTrail } from '../../audit/pg-audit-trail.js';
import { appendInTx } from './audit-in-tx.js';
import { isUniqueViolation, type PgDatabase, type Queryable } from './database.js';
import { insertOutboundInTx } from './outbound-store.js';

type Row = { doc: Account };
type VersionedRow = Row & { version: string };

export class PgAccountStore implements AccountStore {
  /** With `audit`, the audit entries of a change are appended in the change's transaction. */
  constructor(
    private readonly db: PgDatabase,
    private readonly audit?: PgAuditTrail,
  ) {}

  private async one(where: string, value: string): Promise<Account | undefined> {
    const result = await this.db.query<Row>(`SELECT doc FROM accounts WHERE ${where} = $1`, [value]);
    return result.rows[0]?.doc;
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
          await this.appendAll(client, audit);
          await insertOutboundInTx(client, outbound);
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

  async update<R>(id: string, fn: (current: Account) => AccountChange<R>): Promise<R | undefined> {
    const seen = await this.db.query<VersionedRow>('SELECT doc, xmin::text AS version FROM accounts WHERE id = $1', [id]);
    const row = seen.rows[0];
    if (!row) return undefined;
    const { next, result, audit, outbound } = fn(row.doc);
    if (next && next.id !== id) throw new Error('update must not change the id');
    if ((audit && audit.length > 0) || (outbound && outbound.length > 0)) {
      // The change (if the row is still the version decided on), its entries and its messages in one transaction.
      if (audit && audit.length > 0 && !this.audit) throw new Error('this account store has no audit trail to record in');
      const written = await this.db.tx(async (client) => {
        if (next) {
          const updated = await client.query('UPDATE accounts SET doc = $2 WHERE id = $1 AND xmin = $3::xid', [id, next, row.version]);
          if (updated.rowCount !== 1) return false;
        }
        if (audit && audit.length > 0) await this.appendAll(client, audit);
        await insertOutboundInTx(client, outbound);
        return true;
      });
      return written ? result : this.lockedUpdate(id, fn);
    }
    if (!next) return result;
    const written = await this.db.query('UPDATE accounts SET doc = $2 WHERE id = $1 AND xmin = $3::xid', [id, next, row.version]);
    if (written.rowCount === 1) return result;
    return this.lockedUpdate(id, fn);
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
      if (audit && audit.length > 0) await this.appendAll(client, audit);
      await insertOutboundInTx(client, outbound);
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
