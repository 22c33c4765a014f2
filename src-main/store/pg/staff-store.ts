/**
 * Staff accounts in the branch database; the username (without case) is unique by constraint. A
 * change and its audit entries (RecordChange) are written in one transaction, so a staff account
 * never changes without its entry in the branch's chain, nor the chain without the change.
 */
import type { PgAuditTrail } from '../../audit/pg-audit-trail.js';
import type { AuditEntry, RecordChange, StaffStore } from '../../core/ports.js';
import type { StaffAccount } from '../../core/staff/staff-account.js';
import { appendInTx } from './audit-in-tx.js';
import { isUniqueViolation, type PgDatabase } from './database.js';

type Row = { doc: StaffAccount };

export class PgStaffStore implements StaffStore {
  /** With `audit`, the entries of a change are appended in the change's transaction. */
  constructor(
    private readonly db: PgDatabase,
    private readonly audit?: PgAuditTrail,
  ) {}

  async get(id: string): Promise<StaffAccount | undefined> {
    return (await this.db.query<Row>('SELECT doc FROM staff WHERE id = $1', [id])).rows[0]?.doc;
  }

  async findByUsernameKey(usernameKey: string): Promise<StaffAccount | undefined> {
    return (await this.db.query<Row>('SELECT doc FROM staff WHERE username_key = $1', [usernameKey])).rows[0]?.doc;
  }

  async list(): Promise<readonly StaffAccount[]> {
    return (await this.db.query<Row>("SELECT doc FROM staff ORDER BY doc->>'createdAt', id")).rows.map((r) => r.doc);
  }

  async insert(staff: StaffAccount, audit?: readonly AuditEntry[]): Promise<'OK' | 'USERNAME_TAKEN'> {
    try {
      await this.db.tx(async (client) => {
        await client.query('INSERT INTO staff (id, doc) VALUES ($1, $2)', [staff.id, staff]);
        await appendInTx(client, this.audit, audit);
      });
      return 'OK';
    } catch (error) {
      if (isUniqueViolation(error)) return 'USERNAME_TAKEN';
      throw error;
    }
  }

  update<R>(id: string, fn: (current: StaffAccount) => RecordChange<StaffAccount, R>): Promise<R | undefined> {
    return this.db.tx(async (client) => {
      const current = (await client.query<Row>('SELECT doc FROM staff WHERE id = $1 FOR UPDATE', [id])).rows[0]?.doc;
      if (!current) return undefined;
      const { next, result, audit } = fn(current);
      if (next) {
        if (next.id !== id || next.usernameKey !== current.usernameKey) throw new Error('update must not change the id or username');
        await client.query('UPDATE staff SET doc = $2 WHERE id = $1', [id, next]);
      }
      // Also a decision that writes nothing records its entries (a refused attempt, a first step done).
      await appendInTx(client, this.audit, audit);
      return result;
    });
  }
}
