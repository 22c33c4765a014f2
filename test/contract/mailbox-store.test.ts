/**
 * The mailbox store contract, for every adapter: messages kept in the order they were added, one
 * account's mailbox apart from another's, additions decided with every message there is (so a
 * limit holds when two terminals add at once), and nothing left after removeFor.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MailboxMessage } from '../../src-main/core/account.js';
import type { MailboxStore } from '../../src-main/core/ports.js';
import { FileMailboxStore, MemoryMailboxStore } from '../../src-main/store/mailbox-store.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { PgMailboxStore } from '../../src-main/store/pg/mailbox-store.js';
import { freshDatabase, pgAdminUrl } from '../fixtures/pg.js';

interface Opened {
  readonly store: MailboxStore;
  /** A second instance on the same backing store, as another terminal (where the adapter has one). */
  readonly second?: () => MailboxStore;
  readonly close: () => Promise<void>;
}

const message = (id: string, from: 'INSURER' | 'PERSON' = 'PERSON'): MailboxMessage => ({
  id,
  from,
  subject: `Betreff ${id}`,
  body: 'Guten Tag',
  at: '2026-11-30T10:00:00.000Z',
  read: false,
});

/** Adds one message unless the account already holds `max` of the person's own. */
const addWithin = (store: MailboxStore, accountId: string, id: string, max: number) =>
  store.add(accountId, (current) =>
    current.filter((m) => m.from === 'PERSON').length >= max
      ? { result: 'FULL' as const }
      : { add: [message(id)], result: 'ADDED' as const },
  );

function mailboxContract(name: string, open: () => Promise<Opened>): void {
  describe(`mailbox store contract: ${name}`, () => {
    const closers: (() => Promise<void>)[] = [];
    const opened = async () => {
      const o = await open();
      closers.push(o.close);
      return o;
    };
    afterEach(async () => {
      for (const close of closers.splice(0)) await close();
    });

    it('keeps messages in the order added, each account apart', async () => {
      const { store } = await opened();
      await store.add('acc-1', () => ({ add: [message('m1', 'INSURER'), message('m2', 'INSURER')], result: null }));
      await store.add('acc-1', () => ({ add: [message('m3')], result: null }));
      await store.add('acc-2', () => ({ add: [message('x1')], result: null }));
      expect((await store.list('acc-1')).map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
      expect((await store.list('acc-2')).map((m) => m.id)).toEqual(['x1']);
      expect(await store.list('acc-3')).toEqual([]);
    });

    it('a decision without additions writes nothing; an update changes one message; remove and removeFor leave nothing', async () => {
      const { store } = await opened();
      await store.add('acc-1', () => ({ add: [message('m1'), message('m2')], result: null }));
      expect(await store.add('acc-1', (current) => ({ result: current.length }))).toBe(2);
      expect(await store.update('acc-1', 'm2', (m) => ({ next: { ...m, read: true }, result: 'read' }))).toBe('read');
      expect(await store.update('acc-1', 'missing', () => ({ result: 'x' }))).toBeUndefined();
      expect((await store.list('acc-1')).map((m) => m.read)).toEqual([false, true]);
      await store.remove('acc-1', 'm1');
      expect((await store.list('acc-1')).map((m) => m.id)).toEqual(['m2']);
      await store.add('acc-1', () => ({ add: [message('m3')], result: null }));
      expect(await store.removeFor('acc-1')).toBe(2);
      expect(await store.list('acc-1')).toEqual([]);
    });

    it('twenty additions at once against a limit of five: exactly five', async () => {
      const { store, second } = await opened();
      const other = second?.() ?? store;
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => addWithin(i % 2 === 0 ? store : other, 'acc-1', `m${i}`, 5)));
      expect(results.filter((r) => r === 'ADDED')).toHaveLength(5);
      expect(await store.list('acc-1')).toHaveLength(5);
    });
  });
}

mailboxContract('in memory', () => Promise.resolve({ store: new MemoryMailboxStore(), close: () => Promise.resolve() }));

mailboxContract('files (embedded)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-mailbox-'));
  return Promise.resolve({ store: new FileMailboxStore(dir), close: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) });
});

describe.skipIf(!pgAdminUrl)('PostgreSQL', () => {
  mailboxContract('PostgreSQL (two terminals)', async () => {
    const database = await freshDatabase();
    const pools = [new PgDatabase({ url: database.url, poolSize: 4 }), new PgDatabase({ url: database.url, poolSize: 4 })] as const;
    return {
      store: new PgMailboxStore(pools[0]),
      second: () => new PgMailboxStore(pools[1]),
      close: async () => {
        for (const pool of pools) await pool.close();
        await database.drop();
      },
    };
  });
});
