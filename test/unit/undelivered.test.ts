/**
 * Messages that could not be delivered, as the counter sees them (src-main/core/counter/undelivered.ts):
 * what an entry shows and what it leaves out, that listing and dismissing are audited, and that a
 * message still being tried cannot be dismissed.
 */
import { describe, expect, it } from 'vitest';
import { dismissUndelivered, undeliveredList } from '../../src-main/core/counter/undelivered.js';
import { makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';
import { gaveUpRecord } from '../fixtures/outbound-records.js';

const STAFF = { actor: 'staff:s-1', terminal: 'desk-1' };

const record = gaveUpRecord;

async function withRecords() {
  const h = makeHarness();
  const id = await registeredAndConfirmed(h);
  await h.outbound.add(record('m-account', { accountId: id, gaveUpAt: '2026-11-29T09:30:00.000Z' }));
  await h.outbound.add(
    record('m-gone', {
      channel: 'SMS',
      kind: 'TAN',
      accountId: 'deleted-account',
      lastError: 'ETIMEDOUT',
      attempts: 3,
      gaveUpAt: '2026-11-29T09:20:00.000Z',
    }),
  );
  const { lastError: _e, gaveUpAt: _g, ...bare } = record('m-notice', { kind: 'ACCOUNT_DELETED', createdAt: '2026-11-29T09:10:00.000Z' });
  await h.outbound.add(bare);
  await h.outbound.add(record('m-pending', { accountId: id, state: 'PENDING' }));
  return { h, id };
}

describe('undelivered messages at the counter', () => {
  it('show when, which channel and kind, why and how often, and for which account; never the content', async () => {
    const { h, id } = await withRecords();
    const listed = await undeliveredList(h.deps, STAFF);
    expect(listed.ok).toBe(true);
    const entries = listed.ok ? [...listed.value].sort((a, b) => a.id.localeCompare(b.id)) : [];
    expect(entries).toStrictEqual([
      {
        id: 'm-account',
        channel: 'EMAIL',
        kind: 'EMAIL_CODE',
        reason: 'SMTP_550',
        attempts: 6,
        createdAt: '2026-11-29T08:00:00.000Z',
        gaveUpAt: '2026-11-29T09:30:00.000Z',
        accountId: id,
        username: 'erika.m',
      },
      // The account is gone: the entry names none.
      {
        id: 'm-gone',
        channel: 'SMS',
        kind: 'TAN',
        reason: 'ETIMEDOUT',
        attempts: 3,
        createdAt: '2026-11-29T08:00:00.000Z',
        gaveUpAt: '2026-11-29T09:20:00.000Z',
      },
      // Without a recorded error or give-up time: UNKNOWN, and the time it was created.
      {
        id: 'm-notice',
        channel: 'EMAIL',
        kind: 'ACCOUNT_DELETED',
        reason: 'UNKNOWN',
        attempts: 6,
        createdAt: '2026-11-29T09:10:00.000Z',
        gaveUpAt: '2026-11-29T09:10:00.000Z',
      },
    ]);
    expect(h.audit.events().at(-1)).toMatchObject({
      type: 'INBOX_LISTED',
      actor: STAFF.actor,
      terminal: STAFF.terminal,
      data: { list: 'undelivered', shown: 3 },
    });
  });

  it('are listed a hundred at most, and the audit entry counts those shown', async () => {
    const h = makeHarness();
    for (let i = 0; i < 101; i++) await h.outbound.add(record(`m-${String(i).padStart(3, '0')}`, {}));
    const listed = await undeliveredList(h.deps, STAFF);
    expect(listed.ok && listed.value.length).toBe(100);
    expect(h.audit.events().at(-1)?.data).toEqual({ list: 'undelivered', shown: 100 });
  });

  it('once dismissed are gone for every desk, and the dismissal is recorded with the account, channel and kind', async () => {
    const { h, id } = await withRecords();
    expect(await dismissUndelivered(h.deps, STAFF, 'm-account')).toEqual({ ok: true, value: null });
    expect(h.audit.events().at(-1)).toMatchObject({
      type: 'DELIVERY_DISMISSED',
      subject: id,
      actor: STAFF.actor,
      data: { message: 'm-account', channel: 'EMAIL', kind: 'EMAIL_CODE' },
    });
    expect(await dismissUndelivered(h.deps, STAFF, 'm-notice')).toEqual({ ok: true, value: null });
    const notice = h.audit.events().at(-1);
    expect(notice).toMatchObject({ type: 'DELIVERY_DISMISSED', data: { message: 'm-notice', channel: 'EMAIL', kind: 'ACCOUNT_DELETED' } });
    expect(notice?.subject).toBeUndefined();
    const listed = await undeliveredList(h.deps, { ...STAFF, terminal: 'desk-2' });
    expect(listed.ok && listed.value.map((e) => e.id)).toEqual(['m-gone']);
  });

  it('cannot be dismissed while still being tried, nor when unknown; nothing is recorded then', async () => {
    const { h } = await withRecords();
    const before = h.audit.events().length;
    expect(await dismissUndelivered(h.deps, STAFF, 'm-pending')).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect(await dismissUndelivered(h.deps, STAFF, 'no-such-message')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(h.audit.events().length).toBe(before);
    // The message still being tried is still there.
    expect(await h.outbound.update('m-pending', (current) => ({ result: current.state }))).toBe('PENDING');
  });
});
