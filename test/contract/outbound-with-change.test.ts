/**
 * Messages queued with the account change that creates them (AccountChange.outbound): for every
 * adapter as the app wires it, a written change queues its messages and a refused one queues none;
 * on PostgreSQL both are one transaction, so a queue write that fails leaves no change behind and
 * a code that is stored is always on its way.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryAuditTrail } from '../../src-main/audit/file-audit-trail.js';
import { PgAuditTrail } from '../../src-main/audit/pg-audit-trail.js';
import type { AccountStore, OutboundRecord, OutboundStore } from '../../src-main/core/ports.js';
import { ShardedAccountStore } from '../../src-main/store/account-store.js';
import { AuditedAccountStore } from '../../src-main/store/audited-account-store.js';
import { LowdbOutboundStore } from '../../src-main/store/outbound-store.js';
import { PgAccountStore } from '../../src-main/store/pg/account-store.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { PgOutboundStore } from '../../src-main/store/pg/outbound-store.js';
import { freshDatabase, pgAdminUrl } from '../fixtures/pg.js';
import { sampleAccount } from './account-store.contract.js';

const message = (id: string, accountId: string): OutboundRecord => ({
  id,
  channel: 'EMAIL',
  kind: 'EMAIL_CODE',
  accountId,
  createdAt: '2026-11-30T10:00:00.000Z',
  attempts: 0,
  nextAttemptAt: '2026-11-30T10:00:00.000Z',
  leaseUntil: '2026-11-30T10:02:00.000Z',
  state: 'PENDING',
  sealed: 'sealed',
});
const queued = async (store: OutboundStore) => (await store.due('9999', 50)).map((r) => r.id).sort();

function contract(name: string, open: () => Promise<{ accounts: AccountStore; outbound: OutboundStore; close: () => Promise<void> }>) {
  describe(`messages queued with the change: ${name}`, () => {
    const closers: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const close of closers.splice(0)) await close();
    });
    const opened = async () => {
      const o = await open();
      closers.push(o.close);
      return o;
    };

    it('an insert queues its messages; an insert refused for a taken KVNR queues none', async () => {
      const { accounts, outbound } = await opened();
      const first = sampleAccount(1);
      expect(await accounts.insert(first, [], [message('m-1', first.id)])).toBe('OK');
      const twin = { ...sampleAccount(2), kvnr: first.kvnr };
      expect(await accounts.insert(twin, [], [message('m-2', twin.id)])).toBe('KVNR_TAKEN');
      expect(await queued(outbound)).toEqual(['m-1']);
    });

    it('an update queues the messages of the decision it keeps, and a decision that writes nothing queues none', async () => {
      const { accounts, outbound } = await opened();
      const account = sampleAccount(1);
      await accounts.insert(account);
      await accounts.update(account.id, (current) => ({
        next: { ...current, language: 'en' },
        result: null,
        outbound: [message('m-kept', account.id)],
      }));
      await accounts.update(account.id, () => ({ result: null }));
      expect(await queued(outbound)).toEqual(['m-kept']);
      expect((await accounts.get(account.id))?.language).toBe('en');
    });
  });
}

contract('embedded store, queued right after the change', () => {
  const outbound = LowdbOutboundStore.inMemory();
  return Promise.resolve({
    accounts: new AuditedAccountStore(ShardedAccountStore.inMemory(), new MemoryAuditTrail(), outbound),
    outbound,
    close: () => Promise.resolve(),
  });
});

describe('an embedded store wired without the queue', () => {
  it('refuses a change that carries messages rather than drop them', async () => {
    const accounts = new AuditedAccountStore(ShardedAccountStore.inMemory(), new MemoryAuditTrail());
    await expect(accounts.insert(sampleAccount(1), [], [message('m-1', 'acc-1')])).rejects.toThrow(/queues no messages/);
  });
});

describe.skipIf(!pgAdminUrl)('PostgreSQL', () => {
  const open = async () => {
    const database = await freshDatabase();
    const db = new PgDatabase({ url: database.url, poolSize: 4 });
    return {
      db,
      accounts: new PgAccountStore(db, new PgAuditTrail(db, randomBytes(32))),
      outbound: new PgOutboundStore(db),
      close: async () => {
        await db.close();
        await database.drop();
      },
    };
  };
  contract('PostgreSQL, in the change’s transaction', open);

  it('a message that cannot be queued takes its change with it: no account, no code without its mail', async () => {
    const { accounts, outbound, close } = await open();
    try {
      await outbound.add(message('m-taken', 'someone'));
      const account = sampleAccount(1);
      await expect(accounts.insert(account, [], [message('m-taken', account.id)])).rejects.toThrow();
      expect(await accounts.get(account.id)).toBeUndefined();
      const other = sampleAccount(2);
      await accounts.insert(other);
      await expect(
        accounts.update(other.id, (current) => ({
          next: { ...current, language: 'en' },
          result: null,
          outbound: [message('m-taken', other.id)],
        })),
      ).rejects.toThrow();
      expect((await accounts.get(other.id))?.language).toBe(other.language);
    } finally {
      await close();
    }
  });
});
