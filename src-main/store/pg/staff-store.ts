/** Staff accounts in the branch database; the username (without case) is unique by constraint. */
import type { StaffStore } from '../../core/ports.js';
import type { StaffAccount } from '../../core/staff/staff-account.js';
import { isUniqueViolation, type PgDatabase } from './database.js';

type Row = { doc: StaffAccount };

export class PgStaffStore implements StaffStore {
  constructor(private readonly db: PgDatabase) {}

  async get(id: string): Promise<StaffAccount | undefined> {
    return (await this.db.query<Row>('SELECT doc FROM staff WHERE id = $1', [id])).rows[0]?.doc;
  }

  async findByUsernameKey(usernameKey: string): Promise<StaffAccount | undefined> {
    return (await this.db.query<Row>('SELECT doc FROM staff WHERE username_key = $1', [usernameKey])).rows[0]?.doc;
  }

  async list(): Promise<readonly StaffAccount[]> {
    return (await this.db.query<Row>("SELECT doc FROM staff ORDER BY doc->>'createdAt', id")).rows.map((r) => r.doc);
  }

  async insert(staff: StaffAccount): Promise<'OK' | 'USERNAME_TAKEN'> {
    try {
      await this.db.query('INSERT INTO staff (id, doc) VALUES ($1, $2)', [staff.id, staff]);
      return 'OK';
    } catch (error) {
      if (isUniqueViolation(error)) return 'USERNAME_TAKEN';
      throw error;
    }
  }

  update<R>(id: string, fn: (current: StaffAccount) => { next?: StaffAccount; result: R }): Promise<R | undefined> {
    return this.db.tx(async (client) => {
      const current = (await client.query<Row>('SELECT doc FROM staff WHERE id = $1 FOR UPDATE', [id])).rows[0]?.doc;
      if (!current) return undefined;
      const { next, result } = fn(current);
      if (!next) return result;
      if (next.id !== id || next.usernameKey !== current.usernameKey) throw new Error('update must not change the id or username');
      await client.query('UPDATE staff SET doc = $2 WHERE id = $1', [id, next]);
      return result;
    });
  }
}
