/**
 * The shared part of the audited wrappers of stores without transactions (accounts, staff, inbox):
 * a write to one record, then the audit entries of the decision the store kept, appended while the
 * record is still held, so the entries of one record follow the order of its changes. The messages a
 * decision creates (AccountChange.outbound) are queued the same way, right after the change.
 */
import type { AuditEntry, AuditTrail, OutboundRecord, OutboundStore } from '../core/ports.js';
import { KeyedMutex } from '../lib/keyed-mutex.js';

type Carrying = { readonly audit?: readonly AuditEntry[] | undefined; readonly outbound?: readonly OutboundRecord[] | undefined };
/** Sets a decision's entries and messages aside (those of the last run: the one the store kept) and hands on the rest. */
type Keep = <D extends Carrying>(decision: D) => Omit<D, 'audit' | 'outbound'>;

/** A store around `inner` whose writes are followed by the entries of the decision kept, one record at a time. */
export abstract class EntriesAfterWrite<S> {
  private readonly order = new KeyedMutex();

  constructor(
    protected readonly inner: S,
    private readonly trail: Pick<AuditTrail, 'append'>,
    /** Where the messages a decision creates are queued (accounts only). */
    private readonly queue?: Pick<OutboundStore, 'add'>,
  ) {}

  protected after<R>(key: string, write: (keep: Keep) => Promise<R>): Promise<R> {
    return this.order.run(key, async () => {
      let entries: readonly AuditEntry[] = [];
      let messages: readonly OutboundRecord[] = [];
      const result = await write((decision) => {
        const { audit, outbound, ...rest } = decision;
        entries = audit ?? [];
        messages = outbound ?? [];
        return rest;
      });
      for (const { event, at } of entries) await this.trail.append(event, at);
      if (messages.length > 0 && !this.queue) throw new Error('this store queues no messages: give it the outbound store');
      for (const record of messages) await this.queue?.add(record);
      return result;
    });
  }
}
