/**
 * The embedded outbound queue records the entries of a change right after it (store/audited-outbound-store.ts),
 * and the bare file store refuses a change that carries entries rather than dropping them.
 */
import { describe, expect, it } from 'vitest';
import { MemoryAuditTrail } from '../../src-main/audit/file-audit-trail.js';
import type { OutboundRecord } from '../../src-main/core/ports.js';
import { AuditedOutboundStore } from '../../src-main/store/audited-outbound-store.js';
import { LowdbOutboundStore } from '../../src-main/store/outbound-store.js';

const record: OutboundRecord = {
  id: 'm-1',
  channel: 'SMS',
  kind: 'TAN',
  accountId: 'acc-1',
  createdAt: '2026-11-29T08:00:00.000Z',
  attempts: 3,
  nextAttemptAt: '2026-11-29T09:00:00.000Z',
  state: 'GAVE_UP',
  gaveUpAt: '2026-11-29T09:00:00.000Z',
  sealed: 'sealed-content',
};
const entry = {
  event: { type: 'DELIVERY_DISMISSED' as const, actor: 'staff:s-1', terminal: 'desk-1', subject: 'acc-1', data: { message: 'm-1' } },
  at: new Date('2026-11-29T10:00:00.000Z'),
};

describe('audit entries of an outbound change in the embedded store', () => {
  it('the bare store refuses a change with entries and leaves the record as it was', async () => {
    const bare = LowdbOutboundStore.inMemory();
    await bare.add(record);
    await expect(bare.update('m-1', () => ({ next: null, result: 1, audit: [entry] }))).rejects.toThrow(/AuditedOutboundStore/);
    expect((await bare.gaveUp(5)).map((r) => r.id)).toEqual(['m-1']);
  });

  it('the wrapped store removes the record, then records its entry once; a change without entries records nothing', async () => {
    const trail = new MemoryAuditTrail();
    const store = new AuditedOutboundStore(LowdbOutboundStore.inMemory(), trail);
    await store.add(record);
    await store.add({ ...record, id: 'm-2' });
    expect(await store.update('m-2', (r) => ({ next: { ...r, attempts: 4 }, result: 'kept' }))).toBe('kept');
    expect(trail.events()).toEqual([]);
    expect(await store.update('m-1', () => ({ next: null, result: 'gone', audit: [entry] }))).toBe('gone');
    expect((await store.gaveUp(5)).map((r) => [r.id, r.attempts])).toEqual([['m-2', 4]]);
    expect(trail.events()).toMatchObject([{ type: 'DELIVERY_DISMISSED', subject: 'acc-1', data: { message: 'm-1' } }]);
    expect(await store.update('m-1', () => ({ next: null, result: 'gone', audit: [entry] }))).toBeUndefined();
    expect(trail.events()).toHaveLength(1);
  });
});
