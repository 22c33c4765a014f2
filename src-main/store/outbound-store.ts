/**
 * The outbound queue of one terminal's data directory, `store/outbound.json` (delivery/
 * outbound-queue.ts): a handful of messages waiting for a mail server or SMS gateway that is
 * down, not millions. Every change is on disk before it resolves.
 */
import { join } from 'node:path';
import type { OutboundChange, OutboundRecord, OutboundStore } from '../core/ports.js';
import { refuseEntries } from './audited-account-store.js';
import { RecordFileStore } from './record-file-store.js';
import { OUTBOUND_FILE } from './schemas.js';

export const OUTBOUND_FILE_NAME = 'outbound.json';

export class LowdbOutboundStore implements OutboundStore {
  private constructor(private readonly file: RecordFileStore<OutboundRecord>) {}

  static async openDirectory(dir: string): Promise<LowdbOutboundStore> {
    return new LowdbOutboundStore(await RecordFileStore.open<OutboundRecord>(join(dir, OUTBOUND_FILE_NAME), OUTBOUND_FILE));
  }

  static inMemory(): LowdbOutboundStore {
    return new LowdbOutboundStore(RecordFileStore.inMemory<OutboundRecord>());
  }

  async add(record: OutboundRecord): Promise<void> {
    await this.file.mutate(record.id, (current) => {
      if (current) throw new Error('outbound id in use');
      return { write: { value: record }, result: undefined };
    });
    // After the new record is on disk: a crash in between leaves both, never neither.
    if (record.supersedes && record.accountId !== undefined) {
      await this.file.removeWhere(
        (r) => r.id !== record.id && r.state === 'PENDING' && r.accountId === record.accountId && r.kind === record.kind,
      );
    }
  }

  update<R>(id: string, fn: (current: OutboundRecord) => OutboundChange<R>): Promise<R | undefined> {
    return this.file.mutate(id, (current) => {
      if (!current) return { result: undefined };
      const { next, result, audit } = fn(current);
      refuseEntries(audit, 'AuditedOutboundStore');
      if (next === undefined) return { result };
      return { write: { value: next === null ? undefined : { ...next, id } }, result };
    });
  }

  due(now: string, limit: number): Promise<readonly OutboundRecord[]> {
    const due = this.file
      .all()
      .filter((r) => r.state === 'PENDING' && r.nextAttemptAt <= now && (r.leaseUntil === undefined || r.leaseUntil <= now))
      .sort((a, b) => (a.nextAttemptAt < b.nextAttemptAt ? -1 : a.nextAttemptAt > b.nextAttemptAt ? 1 : 0));
    return Promise.resolve(due.slice(0, limit));
  }

  gaveUp(limit: number): Promise<readonly OutboundRecord[]> {
    const given = this.file
      .all()
      .filter((r) => r.state === 'GAVE_UP')
      .sort((a, b) => ((a.gaveUpAt ?? '') < (b.gaveUpAt ?? '') ? 1 : (a.gaveUpAt ?? '') > (b.gaveUpAt ?? '') ? -1 : 0));
    return Promise.resolve(given.slice(0, limit));
  }

  pruneGaveUp(before: string): Promise<number> {
    return this.file.removeWhere((r) => r.state === 'GAVE_UP' && (r.gaveUpAt ?? r.createdAt) < before);
  }

  removeFor(accountId: string): Promise<number> {
    return this.file.removeWhere((r) => r.accountId === accountId);
  }
}
