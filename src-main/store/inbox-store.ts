/**
 * The counter's queue in `store/inbox.json`: the messages persons wrote (core/counter/inbox.ts) and
 * the help requests from kiosks (core/counter/help.ts), told apart by `kind`. Each side of the port
 * sees only its own records, so a message id never reaches a help request and the reverse. Audit
 * entries of a change are appended by AuditedInboxStore (audited-counter-stores.ts) around this
 * store, which refuses them.
 */
import { join } from 'node:path';
import { isHelpRequest, type HelpRequest, type InboxItem, type InboxRecord } from '../core/counter/inbox-item.js';
import type { AuditEntry, InboxStore, RecordChange } from '../core/ports.js';
import { refuseEntries } from './audited-account-store.js';
import { RecordFileStore } from './record-file-store.js';
import { INBOX_FILE } from './schemas.js';

export const INBOX_FILE_NAME = 'inbox.json';
const WRAPPER = 'AuditedInboxStore';

const newestFirst = (a: { at: string }, b: { at: string }) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0);

export class LowdbInboxStore implements InboxStore {
  private constructor(private readonly file: RecordFileStore<InboxRecord>) {}

  static async openDirectory(dir: string): Promise<LowdbInboxStore> {
    return new LowdbInboxStore(await RecordFileStore.open<InboxRecord>(join(dir, INBOX_FILE_NAME), INBOX_FILE));
  }

  static inMemory(): LowdbInboxStore {
    return new LowdbInboxStore(RecordFileStore.inMemory<InboxRecord>());
  }

  private messages(): InboxItem[] {
    return this.file.all().filter((r): r is InboxItem => !isHelpRequest(r));
  }

  async add(item: InboxItem, audit?: readonly AuditEntry[]): Promise<void> {
    refuseEntries(audit, WRAPPER);
    return this.file.mutate(item.id, (current) => {
      if (current) throw new Error('inbox id in use');
      return { write: { value: item }, result: undefined };
    });
  }

  get(id: string): Promise<InboxItem | undefined> {
    const found = this.file.get(id);
    return Promise.resolve(found && !isHelpRequest(found) ? found : undefined);
  }

  list(limit: number): Promise<readonly InboxItem[]> {
    const open = (i: InboxItem) => (i.handledAt ? 1 : 0);
    const sorted = this.messages().sort((a, b) => open(a) - open(b) || newestFirst(a, b));
    return Promise.resolve(sorted.slice(0, limit));
  }

  update<R>(id: string, fn: (current: InboxItem) => RecordChange<InboxItem, R>): Promise<R | undefined> {
    return this.file.mutate(id, (current) => {
      if (!current || isHelpRequest(current)) return { result: undefined };
      const { next, result, audit } = fn(current);
      refuseEntries(audit, WRAPPER);
      return next ? { write: { value: { ...next, id } }, result } : { result };
    });
  }

  removeFor(accountId: string): Promise<number> {
    return this.file.removeWhere((item) => !isHelpRequest(item) && item.accountId === accountId);
  }

  addHelp<R>(
    id: string,
    terminal: string,
    decide: (sameTerminal: readonly HelpRequest[]) => { add?: HelpRequest; result: R; audit?: readonly AuditEntry[] },
  ): Promise<R> {
    // Decided inside the file's lock: the requests it sees are all there are, and none can come in between.
    return this.file.mutate(id, (current) => {
      if (current) throw new Error('inbox id in use');
      const { add, result, audit } = decide(this.file.all().filter((r): r is HelpRequest => isHelpRequest(r) && r.terminal === terminal));
      refuseEntries(audit, WRAPPER);
      return add ? { write: { value: { ...add, id } }, result } : { result };
    });
  }

  listHelp(limit: number): Promise<readonly HelpRequest[]> {
    const help = this.file.all().filter(isHelpRequest);
    const open = help.filter((h) => !h.doneAt).sort((a, b) => newestFirst(b, a));
    const done = help.filter((h) => h.doneAt).sort(newestFirst);
    return Promise.resolve([...open, ...done].slice(0, limit));
  }

  updateHelp<R>(id: string, fn: (current: HelpRequest) => RecordChange<HelpRequest, R>): Promise<R | undefined> {
    return this.file.mutate(id, (current) => {
      if (!current || !isHelpRequest(current)) return { result: undefined };
      const { next, result, audit } = fn(current);
      refuseEntries(audit, WRAPPER);
      return next ? { write: { value: { ...next, id } }, result } : { result };
    });
  }

  pruneHelp(before: string): Promise<number> {
    return this.file.removeWhere((r) => isHelpRequest(r) && r.doneAt !== undefined && r.at < before);
  }
}
