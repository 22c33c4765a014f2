/**
 * The staff and inbox stores' audit contract, for every adapter as the app wires it: the entries a
 * decision carries (RecordChange) are recorded with the change, in order, also when the decision
 * writes nothing; a refused insert, a record that is not there and a decision without entries
 * record nothing; and a store that cannot record entries refuses a change that carries some
 * instead of writing it without them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryAuditTrail } from '../../src-main/audit/file-audit-trail.js';
import { PgAuditTrail } from '../../src-main/audit/pg-audit-trail.js';
import type { InboxItem } from '../../src-main/core/counter/inbox-item.js';
import type { AuditEntry, AuditEventType, InboxStore, StaffStore } from '../../src-main/core/ports.js';
import type { StaffAccount } from '../../src-main/core/staff/staff-account.js';
import { AuditedInboxStore, AuditedStaffStore } from '../../src-main/store/audited-counter-stores.js';
import { LowdbInboxStore } from '../../src-main/store/inbox-store.js';
import { PgDatabase } from '../../src-main/store/pg/database.js';
import { PgInboxStore } from '../../src-main/store/pg/inbox-store.js';
import { PgStaffStore } from '../../src-main/store/pg/staff-store.js';
import { LowdbStaffStore } from '../../src-main/store/staff-store.js';
import { freshDatabase, pgAdminUrl } from '../fixtures/pg.js';
import { sampleStaff } from '../fixtures/staff.js';

interface Opened {
  readonly staff: StaffStore;
  readonly inbox: InboxStore;
  /** The same backing store without an audit trail (as a store wired by mistake). */
  readonly bare: { readonly staff: StaffStore; readonly inbox: InboxStore };
  /** Every entry recorded so far, oldest first. */
  readonly recorded: () => Promise<readonly { type: string; subject?: string | undefined }[]>;
  readonly close: () => Promise<void>;
}

const AT = new Date('2026-11-30T10:00:00.000Z');
const entry = (type: AuditEventType, subject?: string): AuditEntry => ({
  event: { type, ...(subject ? { subject } : {}), actor: 'staff:s-0', terminal: 'counter-1' },
  at: AT,
});
const staff = sampleStaff;
const message = (id: string): InboxItem => ({ id, accountId: 'acc-1', subject: 'Frage', body: 'Text', at: '2026-11-30T09:00:00.000Z' });

function counterStoresContract(name: string, open: () => Promise<Opened>): void {
  describe(`staff and inbox audit contract: ${name}`, () => {
    const closers: (() => Promise<void>)[] = [];
    const opened = async () => {
      const o = await open();
      closers.push(o.close);
      return o;
    };
    afterEach(async () => {
      for (const close of closers.splice(0)) await close();
    });

    it('a staff insert records its entries; a refused one records nothing and writes nothing', async () => {
      const { staff: store, recorded } = await opened();
      expect(await store.insert(staff('s-1', 'anna'), [entry('STAFF_CREATED', 's-1')])).toBe('OK');
      expect(await store.insert(staff('s-2', 'anna'), [entry('STAFF_CREATED', 's-2')])).toBe('USERNAME_TAKEN');
      expect(await store.get('s-2')).toBeUndefined();
      expect(await recorded()).toEqual([{ type: 'STAFF_CREATED', subject: 's-1' }]);
    });

    it('a staff update records its entries in order, also a decision that writes nothing; a missing record none', async () => {
      const { staff: store, recorded } = await opened();
      await store.insert(staff('s-1'));
      const locked = await store.update('s-1', (s) => ({
        next: { ...s, login: { failures: 5, lockedUntil: '2026-11-30T10:15:00.000Z' } },
        result: 'LOCKED',
        audit: [entry('STAFF_LOGIN_FAILURE', 's-1'), entry('STAFF_LOCKED', 's-1')],
      }));
      expect(locked).toBe('LOCKED');
      expect(await store.update('s-1', () => ({ result: 'NO_WRITE', audit: [entry('STAFF_LOGIN_SUCCESS', 's-1')] }))).toBe('NO_WRITE');
      expect(await store.update('s-1', () => ({ result: 'NOTHING' }))).toBe('NOTHING');
      expect(await store.update('s-9', () => ({ result: 'X', audit: [entry('STAFF_UNLOCKED', 's-9')] }))).toBeUndefined();
      expect((await store.get('s-1'))?.login.failures).toBe(5);
      expect(await recorded()).toEqual([
        { type: 'STAFF_LOGIN_FAILURE', subject: 's-1' },
        { type: 'STAFF_LOCKED', subject: 's-1' },
        { type: 'STAFF_LOGIN_SUCCESS', subject: 's-1' },
      ]);
    });

    it('inbox messages and help requests record the entries of their changes', async () => {
      const { inbox, recorded } = await opened();
      await inbox.add(message('m-1'));
      await inbox.add(message('m-2'), [entry('INBOX_MESSAGE_ANSWERED', 'acc-1')]);
      await inbox.update('m-1', (m) => ({
        next: { ...m, answerId: 'a-1' },
        result: null,
        audit: [entry('INBOX_MESSAGE_ANSWERED', 'acc-1')],
      }));
      const help = { kind: 'HELP' as const, terminal: 'kiosk-1', at: '2026-11-30T09:30:00.000Z' };
      await inbox.addHelp('h-1', 'kiosk-1', () => ({ add: { ...help, id: 'h-1' }, result: null, audit: [entry('HELP_REQUESTED')] }));
      // A second tap while one is open: nothing added, nothing recorded.
      await inbox.addHelp('h-2', 'kiosk-1', (same) => (same.length > 0 ? { result: null } : { add: { ...help, id: 'h-2' }, result: null }));
      await inbox.updateHelp('h-1', (h) => ({ next: { ...h, doneAt: AT.toISOString() }, result: null, audit: [entry('HELP_DONE')] }));
      expect(await inbox.updateHelp('h-9', () => ({ result: null, audit: [entry('HELP_DONE')] }))).toBeUndefined();
      expect((await inbox.get('m-1'))?.answerId).toBe('a-1');
      expect((await inbox.listHelp(10)).map((h) => [h.id, h.doneAt])).toEqual([['h-1', AT.toISOString()]]);
      expect((await recorded()).map((e) => e.type)).toEqual([
        'INBOX_MESSAGE_ANSWERED',
        'INBOX_MESSAGE_ANSWERED',
        'HELP_REQUESTED',
        'HELP_DONE',
      ]);
    });

    it('a store that cannot record entries refuses a change that carries some and writes nothing', async () => {
      const { bare, recorded } = await opened();
      await expect(bare.staff.insert(staff('s-1'), [entry('STAFF_CREATED', 's-1')])).rejects.toThrow(/audit/);
      expect(await bare.staff.get('s-1')).toBeUndefined();
      await bare.staff.insert(staff('s-2'));
      const disable = (s: StaffAccount) => ({
        next: { ...s, disabledAt: AT.toISOString() },
        result: null,
        audit: [entry('STAFF_DISABLED', 's-2')],
      });
      await expect(bare.staff.update('s-2', disable)).rejects.toThrow(/audit/);
      expect((await bare.staff.get('s-2'))?.disabledAt).toBeUndefined();
      await expect(bare.inbox.add(message('m-1'), [entry('INBOX_MESSAGE_ANSWERED', 'acc-1')])).rejects.toThrow(/audit/);
      expect(await bare.inbox.get('m-1')).toBeUndefined();
      await expect(
        bare.inbox.addHelp('h-1', 'kiosk-1', () => ({
          add: { id: 'h-1', kind: 'HELP', terminal: 'kiosk-1', at: AT.toISOString() },
          result: null,
          audit: [entry('HELP_REQUESTED')],
        })),
      ).rejects.toThrow(/audit/);
      expect(await bare.inbox.listHelp(10)).toEqual([]);
      expect(await recorded()).toEqual([]);
    });
  });
}

const memoryRecorded = (trail: MemoryAuditTrail) => () =>
  Promise.resolve(
    trail.lines.map((line) => JSON.parse(line) as { type: string; subject?: string }).map(({ type, subject }) => ({ type, subject })),
  );

counterStoresContract('lowdb in memory, entries after the write', () => {
  const trail = new MemoryAuditTrail();
  const staff = LowdbStaffStore.inMemory();
  const inbox = LowdbInboxStore.inMemory();
  return Promise.resolve({
    staff: new AuditedStaffStore(staff, trail),
    inbox: new AuditedInboxStore(inbox, trail),
    bare: { staff, inbox },
    recorded: memoryRecorded(trail),
    close: () => Promise.resolve(),
  });
});

counterStoresContract('lowdb files, entries after the write', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-counter-stores-'));
  const trail = new MemoryAuditTrail();
  const staff = await LowdbStaffStore.openDirectory(dir);
  const inbox = await LowdbInboxStore.openDirectory(dir);
  return {
    staff: new AuditedStaffStore(staff, trail),
    inbox: new AuditedInboxStore(inbox, trail),
    bare: { staff, inbox },
    recorded: memoryRecorded(trail),
    close: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
});

describe.skipIf(!pgAdminUrl)('PostgreSQL', () => {
  counterStoresContract('PostgreSQL, entries in the change’s transaction', async () => {
    const database = await freshDatabase();
    const db = new PgDatabase({ url: database.url, poolSize: 4 });
    const trail = new PgAuditTrail(db, randomBytes(32));
    return {
      staff: new PgStaffStore(db, trail),
      inbox: new PgInboxStore(db, trail),
      bare: { staff: new PgStaffStore(db), inbox: new PgInboxStore(db) },
      recorded: async () =>
        (await db.query<{ type: string; subject: string | null }>('SELECT type, subject FROM audit_events ORDER BY seq')).rows.map((r) => ({
          type: r.type,
          subject: r.subject ?? undefined,
        })),
      close: async () => {
        await db.close();
        await database.drop();
      },
    };
  });
});
