/**
 * Staff accounts in `store/staff.json`. The username (without case) is unique: checked and written
 * under the file's lock, so two concurrent inserts cannot both pass. Audit entries of a change are
 * appended by AuditedStaffStore (audited-counter-stores.ts) around this store, which refuses them.
 */
import { join } from 'node:path';
import type { AuditEntry, RecordChange, StaffStore } from '../core/ports.js';
import type { StaffAccount } from '../core/staff/staff-account.js';
import { refuseEntries } from './audited-account-store.js';
import { RecordFileStore } from './record-file-store.js';
import { STAFF_FILE } from './schemas.js';

export const STAFF_FILE_NAME = 'staff.json';

export class LowdbStaffStore implements StaffStore {
  private constructor(private readonly file: RecordFileStore<StaffAccount>) {}

  static async openDirectory(dir: string): Promise<LowdbStaffStore> {
    return new LowdbStaffStore(await RecordFileStore.open<StaffAccount>(join(dir, STAFF_FILE_NAME), STAFF_FILE));
  }

  static inMemory(): LowdbStaffStore {
    return new LowdbStaffStore(RecordFileStore.inMemory<StaffAccount>());
  }

  get(id: string): Promise<StaffAccount | undefined> {
    return Promise.resolve(this.file.get(id));
  }

  findByUsernameKey(usernameKey: string): Promise<StaffAccount | undefined> {
    return Promise.resolve(this.file.all().find((s) => s.usernameKey === usernameKey));
  }

  list(): Promise<readonly StaffAccount[]> {
    return Promise.resolve(this.file.all());
  }

  async insert(staff: StaffAccount, audit?: readonly AuditEntry[]): Promise<'OK' | 'USERNAME_TAKEN'> {
    refuseEntries(audit, 'AuditedStaffStore');
    return this.file.mutate(staff.id, (current) => {
      if (current || this.file.all().some((s) => s.usernameKey === staff.usernameKey)) return { result: 'USERNAME_TAKEN' as const };
      return { write: { value: staff }, result: 'OK' as const };
    });
  }

  update<R>(id: string, fn: (current: StaffAccount) => RecordChange<StaffAccount, R>): Promise<R | undefined> {
    return this.file.mutate(id, (current) => {
      if (!current) return { result: undefined };
      const { next, result, audit } = fn(current);
      refuseEntries(audit, 'AuditedStaffStore');
      if (next && (next.id !== id || next.usernameKey !== current.usernameKey))
        throw new Error('update must not change the id or username');
      return next ? { write: { value: next }, result } : { result };
    });
  }
}
