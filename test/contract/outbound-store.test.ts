/**
 * The outbound queue's store contract, for the data directory's file and for the branch database:
 * what is due (and not held), the given-up list newest first, atomic changes, removal with the
 * account, and changes that survive reopening the file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboundRecord, OutboundStore } from '../../src-main/core/ports.js';
import { LowdbOutboundStore } from '../../src-main/store/outbound-store.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { PgOutboundStore } from '../../src-main/store/pg/outbound-store.js';
import { freshDatabase, pgAdminUrl } from '../fixtures/pg.js';

const record = (id: string, over: Partial<Omit<OutboundRecord, 'accountId'>> & { accountId?: string | undefined } = {}): OutboundRecord => {
  const { accountId = 'acc-1', ...rest } = over;
  return {
    id,
    channel: 'EMAIL',
    kind: 'EMAIL_CODE',
    ...(over.accountId === undefined && 'accountId' in over ? {} : { accountId }),
    createdAt: '2026-11-30T10:00:00.000Z',
    attempts: 1,
    nextAttemptAt: '2026-11-30T10:00:30.000Z',
    state: 'PENDING',
    sealed: 'sealed-content',
    ...rest,
  };
};

function outboundContract(
  name: string,
  open: () => Promise<{ store: OutboundStore; reopen?: () => Promise<OutboundStore>; close: () => Promise<void> }>,
) {
  describe(`outbound store contract: ${name}`, () => {
    const closers: (() => Promise<void>)[] = [];
    const opened = async () => {
      const o = await open();
      closers.push(o.close);
      return o;
    };
    afterEach(async () => {
      for (const close of closers.splice(0)) await close();
    });

    it('lists what is due and not held, oldest first, at most the limit', async () => {
      const { store } = await opened();
      await store.add(record('late', { nextAttemptAt: '2026-11-30T10:05:00.000Z' }));
      await store.add(record('second', { nextAttemptAt: '2026-11-30T10:01:00.000Z' }));
      await store.add(record('first', { nextAttemptAt: '2026-11-30T10:00:30.000Z' }));
      await store.add(record('held', { nextAttemptAt: '2026-11-30T10:00:00.000Z', leaseUntil: '2026-11-30T10:03:00.000Z' }));
      await store.add(record('hold-ran-out', { nextAttemptAt: '2026-11-30T10:00:10.000Z', leaseUntil: '2026-11-30T10:01:00.000Z' }));
      await store.add(
        record('given-up', { state: 'GAVE_UP', nextAttemptAt: '2026-11-30T09:00:00.000Z', gaveUpAt: '2026-11-30T09:30:00.000Z' }),
      );
      const due = await store.due('2026-11-30T10:02:00.000Z', 10);
      expect(due.map((r) => r.id)).toEqual(['hold-ran-out', 'first', 'second']);
      expect((await store.due('2026-11-30T10:02:00.000Z', 2)).map((r) => r.id)).toEqual(['hold-ran-out', 'first']);
    });

    it('changes one record atomically: a change, a removal, or nothing', async () => {
      const { store } = await opened();
      await store.add(record('a'));
      expect(await store.update('a', (current) => ({ next: { ...current, attempts: 2 }, result: current.attempts }))).toBe(1);
      expect(await store.update('a', (current) => ({ result: current.attempts }))).toBe(2);
      expect(await store.update('missing', () => ({ next: null, result: 'x' }))).toBeUndefined();
      await store.update('a', () => ({ next: null, result: null }));
      expect(await store.due('9999', 10)).toEqual([]);
      await expect(store.add(record('b'))).resolves.toBeUndefined();
      await expect(store.add(record('b'))).rejects.toThrow();
    });

    it('a given-up record leaves the due list and appears in the given-up list, newest first', async () => {
      const { store } = await opened();
      await store.add(record('old'));
      await store.add(record('new'));
      for (const [id, at] of [
        ['old', '2026-11-30T11:00:00.000Z'],
        ['new', '2026-11-30T12:00:00.000Z'],
      ] as const) {
        await store.update(id, (current) => {
          const { sealed: _gone, ...rest } = current;
          return { next: { ...rest, state: 'GAVE_UP', gaveUpAt: at, lastError: 'ETIMEDOUT' }, result: null };
        });
      }
      expect(await store.due('9999', 10)).toEqual([]);
      const given = await store.gaveUp(10);
      expect(given.map((r) => r.id)).toEqual(['new', 'old']);
      expect(given[0]?.sealed).toBeUndefined();
      expect(given[0]?.lastError).toBe('ETIMEDOUT');
    });

    it('removes every record of an account, and only those', async () => {
      const { store } = await opened();
      await store.add(record('mine-1'));
      await store.add(record('mine-2', { state: 'GAVE_UP', gaveUpAt: '2026-11-30T11:00:00.000Z' }));
      await store.add(record('other', { accountId: 'acc-2' }));
      await store.add(record('no-account', { accountId: undefined }));
      expect(await store.removeFor('acc-1')).toBe(2);
      expect((await store.due('9999', 10)).map((r) => r.id).sort()).toEqual(['no-account', 'other']);
      expect(await store.gaveUp(10)).toEqual([]);
    });

    it('prunes given-up records given up before a time, and nothing still being tried', async () => {
      const { store } = await opened();
      await store.add(record('old', { state: 'GAVE_UP', gaveUpAt: '2026-10-01T00:00:00.000Z' }));
      await store.add(record('recent', { state: 'GAVE_UP', gaveUpAt: '2026-11-29T00:00:00.000Z' }));
      await store.add(record('pending', { createdAt: '2026-09-01T00:00:00.000Z' }));
      expect(await store.pruneGaveUp('2026-10-31T00:00:00.000Z')).toBe(1);
      expect((await store.gaveUp(10)).map((r) => r.id)).toEqual(['recent']);
      expect((await store.due('9999', 10)).map((r) => r.id)).toEqual(['pending']);
    });

    it('what was written is there after reopening', async () => {
      const { store, reopen } = await opened();
      if (!reopen) return;
      await store.add(record('kept'));
      expect((await (await reopen()).due('9999', 10)).map((r) => r.id)).toEqual(['kept']);
    });
  });
}

outboundContract('lowdb in memory', () => Promise.resolve({ store: LowdbOutboundStore.inMemory(), close: () => Promise.resolve() }));

outboundContract('lowdb file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-outbound-'));
  return {
    store: await LowdbOutboundStore.openDirectory(dir),
    reopen: () => LowdbOutboundStore.openDirectory(dir),
    close: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
});

describe.skipIf(!pgAdminUrl)('PostgreSQL', () => {
  outboundContract('PostgreSQL', async () => {
    const database = await freshDatabase();
    const db = new PgDatabase({ url: database.url, poolSize: 4 });
    return {
      store: new PgOutboundStore(db),
      reopen: () => Promise.resolve(new PgOutboundStore(db)),
      close: async () => {
        await db.close();
        await database.drop();
      },
    };
  });
});
