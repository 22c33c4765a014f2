/** The counter's inbox in `store/inbox.json` (see core/counter/inbox.ts). */
import { join } from 'node:path';
import type { InboxItem } from '../core/counter/inbox-item.js';
import type { InboxStore } from '../core/ports.js';
import { RecordFileStore } from './record-file-store.js';
import { INBOX_FILE } from './schemas.js';

export const INBOX_FILE_NAME = 'inbox.json';

export class LowdbInboxStore implements InboxStore {
  private constructor(private readonly file: RecordFileStore<InboxItem>) {}

  static async openDirectory(dir: string): Promise<LowdbInboxStore> {
    return new LowdbInboxStore(await RecordFileStore.open<InboxItem>(join(dir, INBOX_FILE_NAME), INBOX_FILE));
  }

  static inMemory(): LowdbInboxStore {
    return new LowdbInboxStore(RecordFileStore.inMemory<InboxItem>());
  }

  add(item: InboxItem): Promise<void> {
    return this.file.mutate(item.id, (current) => {
      if (current) throw new Error('inbox id in use');
      return { write: { value: item }, result: undefined };
    });
  }

  get(id: string): Promise<InboxItem | undefined> {
    return Promise.resolve(this.file.get(id));
  }

  list(limit: number): Promise<readonly InboxItem[]> {
    const open = (i: InboxItem) => (i.handledAt ? 1 : 0);
    const sorted = [...this.file.all()].sort((a, b) => open(a) - open(b) || (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    return Promise.resolve(sorted.slice(0, limit));
  }

  update<R>(id: string, fn: (current: InboxItem) => { next?: InboxItem; result: R }): Promise<R | undefined> {
    return this.file.mutate(id, (current) => {
      if (!current) return { result: undefined };
      const { next, result } = fn(current);
      return next ? { write: { value: { ...next, id } }, result } : { result };
    });
  }

  removeFor(accountId: string): Promise<number> {
    return this.file.removeWhere((item) => item.accountId === accountId);
  }
}
