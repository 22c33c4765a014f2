/** The register in memory, for tests and benchmarks: the same contract as the embedded register (register-store.ts). */
import type { AuditEntry, RegisterStore } from '../core/ports.js';
import { refuseEntries } from './audited-account-store.js';
import type { InsuredPerson } from '../core/register/person.js';

export class MemoryRegisterStore implements RegisterStore {
  private byKvnr = new Map<string, InsuredPerson>();
  private byBirthDate = new Map<string, InsuredPerson[]>();

  constructor(
    persons: readonly InsuredPerson[],
    readonly maxPersons?: number,
  ) {
    this.index(persons);
  }

  private index(persons: readonly InsuredPerson[]): void {
    this.byKvnr = new Map();
    this.byBirthDate = new Map();
    for (const person of persons) {
      if (this.byKvnr.has(person.kvnr)) continue;
      this.byKvnr.set(person.kvnr, person);
      const born = this.byBirthDate.get(person.birthDate);
      if (born) born.push(person);
      else this.byBirthDate.set(person.birthDate, [person]);
    }
  }

  missingFrom(kvnrs: ReadonlySet<string>): Promise<readonly string[]> {
    return Promise.resolve([...this.byKvnr.keys()].filter((kvnr) => !kvnrs.has(kvnr)));
  }

  findByBirthDate(birthDate: string): Promise<readonly InsuredPerson[]> {
    return Promise.resolve(this.byBirthDate.get(birthDate) ?? []);
  }

  getByKvnr(kvnr: string): Promise<InsuredPerson | undefined> {
    return Promise.resolve(this.byKvnr.get(kvnr));
  }

  async replaceAll(persons: readonly InsuredPerson[], audit?: readonly AuditEntry[]): Promise<void> {
    refuseEntries(audit, 'AuditedRegisterStore');
    this.index(persons);
    return Promise.resolve();
  }

  count(): Promise<number> {
    return Promise.resolve(this.byKvnr.size);
  }
}
