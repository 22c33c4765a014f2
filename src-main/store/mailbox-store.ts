/**
 * The secure mailbox's messages in the embedded store: one small file per account under
 * `store/mailbox/<two characters>/<account id>.json`, written durably (temporary file, fsync,
 * rename), so a message is never part of the account document that every login rewrites. Calls
 * on one account are serialised; a file that does not parse is refused by name, never treated as
 * an empty mailbox (the next write would make the loss permanent).
 */
import { readFile, rm } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { MailboxMessage } from '../core/account.js';
import type { MailboxStore } from '../core/ports.js';
import { writeFileDurably } from '../lib/durable-file.js';
import { KeyedMutex } from '../lib/keyed-mutex.js';
import { DamagedFileError } from './json-file.js';

export const MAILBOX_DIR = 'mailbox';

/** Account ids are random URL-safe tokens; anything else never becomes a path. */
const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;

interface MailboxFile {
  readonly messages: readonly MailboxMessage[];
}

function isMessage(value: unknown): value is MailboxMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m['id'] === 'string' &&
    (m['from'] === 'INSURER' || m['from'] === 'PERSON') &&
    typeof m['subject'] === 'string' &&
    typeof m['body'] === 'string' &&
    typeof m['at'] === 'string' &&
    typeof m['read'] === 'boolean'
  );
}

/** The same port in memory (tests, and a store that is not durable by design). */
export class MemoryMailboxStore implements MailboxStore {
  private readonly byAccount = new Map<string, MailboxMessage[]>();

  list(accountId: string): Promise<readonly MailboxMessage[]> {
    return Promise.resolve([...(this.byAccount.get(accountId) ?? [])]);
  }

  add<R>(accountId: string, decide: (current: readonly MailboxMessage[]) => { add?: readonly MailboxMessage[]; result: R }): Promise<R> {
    const current = this.byAccount.get(accountId) ?? [];
    const { add, result } = decide([...current]);
    if (add && add.length > 0) this.byAccount.set(accountId, [...current, ...add]);
    return Promise.resolve(result);
  }

  update<R>(accountId: string, id: string, fn: (current: MailboxMessage) => { next?: MailboxMessage; result: R }): Promise<R | undefined> {
    const current = this.byAccount.get(accountId) ?? [];
    const found = current.find((m) => m.id === id);
    if (!found) return Promise.resolve(undefined);
    const { next, result } = fn(found);
    if (next)
      this.byAccount.set(
        accountId,
        current.map((m) => (m.id === id ? { ...next, id } : m)),
      );
    return Promise.resolve(result);
  }

  remove(accountId: string, id: string): Promise<void> {
    this.byAccount.set(
      accountId,
      (this.byAccount.get(accountId) ?? []).filter((m) => m.id !== id),
    );
    return Promise.resolve();
  }

  removeFor(accountId: string): Promise<number> {
    const count = this.byAccount.get(accountId)?.length ?? 0;
    this.byAccount.delete(accountId);
    return Promise.resolve(count);
  }
}

export class FileMailboxStore implements MailboxStore {
  private readonly locks = new KeyedMutex();

  constructor(private readonly dir: string) {}

  private path(accountId: string): { folder: string; file: string } {
    if (!ACCOUNT_ID.test(accountId)) throw new Error('not an account id');
    const folder = join(this.dir, accountId.slice(0, 2));
    return { folder, file: join(folder, `${accountId}.json`) };
  }

  private async read(accountId: string): Promise<MailboxMessage[]> {
    const { file } = this.path(accountId);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new DamagedFileError(file, 'not valid JSON');
    }
    const messages = (parsed as Partial<MailboxFile> | null)?.messages;
    if (!Array.isArray(messages) || !messages.every(isMessage)) throw new DamagedFileError(file, 'not a mailbox file');
    return messages;
  }

  private async write(accountId: string, messages: readonly MailboxMessage[]): Promise<void> {
    const { folder, file } = this.path(accountId);
    if (messages.length === 0) {
      await rm(file, { force: true });
      return;
    }
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await writeFileDurably(file, JSON.stringify({ messages } satisfies MailboxFile));
  }

  list(accountId: string): Promise<readonly MailboxMessage[]> {
    return this.read(accountId);
  }

  add<R>(accountId: string, decide: (current: readonly MailboxMessage[]) => { add?: readonly MailboxMessage[]; result: R }): Promise<R> {
    return this.locks.run(accountId, async () => {
      const current = await this.read(accountId);
      const { add, result } = decide(current);
      if (add && add.length > 0) await this.write(accountId, [...current, ...add]);
      return result;
    });
  }

  update<R>(accountId: string, id: string, fn: (current: MailboxMessage) => { next?: MailboxMessage; result: R }): Promise<R | undefined> {
    return this.locks.run(accountId, async () => {
      const current = await this.read(accountId);
      const found = current.find((m) => m.id === id);
      if (!found) return undefined;
      const { next, result } = fn(found);
      if (next)
        await this.write(
          accountId,
          current.map((m) => (m.id === id ? { ...next, id } : m)),
        );
      return result;
    });
  }

  remove(accountId: string, id: string): Promise<void> {
    return this.locks.run(accountId, async () => {
      const current = await this.read(accountId);
      if (current.some((m) => m.id === id))
        await this.write(
          accountId,
          current.filter((m) => m.id !== id),
        );
    });
  }

  removeFor(accountId: string): Promise<number> {
    return this.locks.run(accountId, async () => {
      const current = await this.read(accountId).catch(() => []);
      await rm(this.path(accountId).file, { force: true });
      return current.length;
    });
  }
}
