/**
 * Gives a register store without transactions (the embedded sharded one, the in-memory one) the
 * import's audit entry: the new register is swapped in, then the entry is appended. Not atomic: a
 * crash between the two loses the entry, never the import. The PostgreSQL register store appends
 * it in the swap's transaction.
 */
import type { AuditEntry, RegisterStore } from '../core/ports.js';
import type { InsuredPerson } from '../core/register/person.js';
import { EntriesAfterWrite } from './entries-after-write.js';

export class AuditedRegisterStore extends EntriesAfterWrite<RegisterStore> implements RegisterStore {
  get maxPersons(): number | undefined {
    return this.inner.maxPersons;
  }
  getByKvnr(kvnr: string): Promise<InsuredPerson | undefined> {
    return this.inner.getByKvnr(kvnr);
  }
  findByBirthDate(birthDate: string): Promise<readonly InsuredPerson[]> {
    return this.inner.findByBirthDate(birthDate);
  }
  missingFrom(kvnrs: ReadonlySet<string>): Promise<readonly string[]> {
    return this.inner.missingFrom(kvnrs);
  }
  count(): Promise<number> {
    return this.inner.count();
  }

  replaceAll(persons: readonly InsuredPerson[], audit: readonly AuditEntry[] = []): Promise<void> {
    return this.after('register', async (keep) => {
      await this.inner.replaceAll(persons);
      keep({ audit });
    });
  }
}
