/**
 * The embedded stores' audit entries (store/audited-counter-stores.ts): appended after the write
 * that the store kept, never after a write that failed, only for the decision that was kept, and
 * in the order of one record's changes even when they overlap.
 */
import { describe, expect, it } from 'vitest';
import { MemoryAuditTrail } from '../../src-main/audit/file-audit-trail.js';
import type { AuditEvent, RecordChange, StaffStore } from '../../src-main/core/ports.js';
import type { StaffAccount } from '../../src-main/core/staff/staff-account.js';
import { AuditedInboxStore, AuditedStaffStore } from '../../src-main/store/audited-counter-stores.js';
import { LowdbInboxStore } from '../../src-main/store/inbox-store.js';
import { LowdbStaffStore } from '../../src-main/store/staff-store.js';
import { sampleStaff } from '../fixtures/staff.js';

const AT = new Date('2026-11-30T10:00:00.000Z');
const BERTA = sampleStaff('s-1', 'berta');

/** One wrong password counted, with the failure entry naming the count it saw. */
const countFailure = (s: StaffAccount): RecordChange<StaffAccount, number> => ({
  next: { ...s, login: { failures: s.login.failures + 1 } },
  result: s.login.failures + 1,
  audit: [
    {
      event: { type: 'STAFF_LOGIN_FAILURE', subject: s.id, actor: 'counter', terminal: 'counter-1', data: { seen: s.login.failures } },
      at: AT,
    },
  ],
});

/** A store around the in-memory one whose update is replaced. */
function withUpdate(inner: StaffStore, update: StaffStore['update']): StaffStore {
  return {
    get: (id) => inner.get(id),
    findByUsernameKey: (key) => inner.findByUsernameKey(key),
    list: () => inner.list(),
    insert: (staff) => inner.insert(staff),
    update,
  };
}

const seen = (trail: MemoryAuditTrail) => trail.lines.map((line) => (JSON.parse(line) as AuditEvent).data?.['seen']);

describe('audit entries of the embedded staff and inbox stores', () => {
  it('a write that fails appends nothing', async () => {
    const inner = LowdbStaffStore.inMemory();
    await inner.insert(BERTA);
    const trail = new MemoryAuditTrail();
    const failing = withUpdate(inner, async (id, fn) => {
      const current = await inner.get(id);
      if (current) fn(current);
      throw new Error('disk full');
    });
    await expect(new AuditedStaffStore(failing, trail).update('s-1', countFailure)).rejects.toThrow('disk full');
    expect(trail.lines).toEqual([]);
  });

  it('of a decision run twice (a retried write), only the entries of the run the store kept are appended', async () => {
    const inner = LowdbStaffStore.inMemory();
    await inner.insert(BERTA);
    const trail = new MemoryAuditTrail();
    const retrying = withUpdate(inner, async (id, fn) => {
      // The first run decides on a state that another writer has replaced meanwhile: thrown away.
      const stale = await inner.get(id);
      if (stale) fn({ ...stale, login: { failures: 7 } });
      return inner.update(id, fn);
    });
    expect(await new AuditedStaffStore(retrying, trail).update('s-1', countFailure)).toBe(1);
    expect(seen(trail)).toEqual([0]);
  });

  it('the entries of one record follow the order of its changes, also when two changes overlap', async () => {
    const inner = LowdbStaffStore.inMemory();
    await inner.insert(BERTA);
    const lines: string[] = [];
    let release: () => void = () => undefined;
    const slowFirst = new Promise<void>((resolve) => (release = resolve));
    const trail = new MemoryAuditTrail();
    // The first entry is slow to append: the second change must wait for it, not overtake it.
    const slowTrail = {
      append: async (event: AuditEvent, at: Date) => {
        if (lines.length === 0) {
          lines.push('first');
          await slowFirst;
        }
        await trail.append(event, at);
      },
    };
    const store = new AuditedStaffStore(inner, slowTrail);
    const first = store.update('s-1', countFailure);
    const second = store.update('s-1', countFailure);
    await new Promise((resolve) => setImmediate(resolve));
    expect((await inner.get('s-1'))?.login.failures).toBe(1);
    release();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(seen(trail)).toEqual([0, 1]);
  });

  it('an inbox message added or changed with entries has them appended after it', async () => {
    const trail = new MemoryAuditTrail();
    const inbox = new AuditedInboxStore(LowdbInboxStore.inMemory(), trail);
    const answered = {
      event: { type: 'INBOX_MESSAGE_ANSWERED' as const, subject: 'acc-1', actor: 'staff:s-1', terminal: 'counter-1' },
      at: AT,
    };
    await inbox.add({ id: 'm-1', accountId: 'acc-1', subject: 'Frage', body: 'Text', at: AT.toISOString() });
    expect(await inbox.update('m-1', (m) => ({ next: { ...m, answerId: 'a-1' }, result: 'DONE', audit: [answered] }))).toBe('DONE');
    expect(await inbox.update('m-2', () => ({ result: 'DONE', audit: [answered] }))).toBeUndefined();
    expect((await inbox.get('m-1'))?.answerId).toBe('a-1');
    expect(trail.lines.map((line) => (JSON.parse(line) as AuditEvent).type)).toEqual(['INBOX_MESSAGE_ANSWERED']);
  });
});
