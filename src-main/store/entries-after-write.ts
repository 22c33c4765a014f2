/**
 * The shared part of the audited wrappers of stores without transactions (accounts, staff, inbox):
 * a write to one record, then the audit entries of the decision the store kept, appended while the
 * record is still held, so the entries of one record follow the order of its changes.
 */
import type { AuditEntry, AuditTrail } from '../core/ports.js';
import { KeyedMutex } from '../lib/keyed-mutex.js';

type Carrying = { readonly audit?: readonly AuditEntry[] | undefined };
/** Sets a decision's entries aside (those of the last run: the one the store kept) and hands on the rest. */
type Keep = <D extends Carrying>(decision: D) => Omit<D, 'audit'>;

/** A store around `inner` whose writes are followed by the entries of the decision kept, one record at a time. */
export abstract class EntriesAfterWrite<S> {
  private readonly order = new KeyedMutex();

  constructor(
    protected readonly inner: S,
    private readonly trail: Pick<AuditTrail, 'append'>,
  ) {}

  protected after<R>(key: string, write: (keep: Keep) => Promise<R>): Promise<R> {
    return this.order.run(key, async () => {
      let entries: readonly AuditEntry[] = [];
      const result = await write((decision) => {
        const { audit, ...rest } = decision;
        entries = audit ?? [];
        return rest;
      });
      for (const { event, at } of entries) await this.trail.append(event, at);
      return result;
    });
  }
}
