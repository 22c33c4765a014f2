/**
 * The supervisor's dashboard (R10): per Berlin day over the last 30 days, counted from the audit
 * trail; where a day starts and ends, which events count, and which identity methods are told apart.
 */
import { describe, expect, it } from 'vitest';
import { auditEvent } from '../../src-main/core/deps.js';
import type { AuditEventType } from '../../src-main/core/ports.js';
import { dashboard } from '../../src-main/core/supervisor/dashboard.js';
import { makeHarness } from '../fixtures/harness.js';

const WHO = { actor: 'system', terminal: 'kiosk-1' };
/** `count` consecutive calendar dates from `first`. */
const calendar = (first: string, count: number) =>
  Array.from({ length: count }, (_, i) => new Date(Date.parse(`${first}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
const zeros = () => Array.from({ length: 30 }, () => 0);

async function recorded(h: ReturnType<typeof makeHarness>, type: AuditEventType, at: string, data?: Record<string, string>) {
  await auditEvent(h.deps, WHO, new Date(at), { type, subject: 'acc-1', ...(data ? { data } : {}) });
}

async function stats(h: ReturnType<typeof makeHarness>) {
  const answer = await dashboard(h.deps);
  if (!answer.ok) throw new Error(answer.error.code);
  return answer.value;
}

describe('the supervisor’s dashboard', () => {
  it('shows the 30 Berlin days up to today, oldest first, each once, also late in the evening after a change of clocks', async () => {
    // 23:30 in Berlin, 16 days after the change to winter time; 00:30 in Berlin, 12 days after the change to summer time.
    for (const [now, first, last] of [
      ['2026-11-10T22:30:00Z', '2026-10-12', '2026-11-10'],
      ['2026-04-09T22:30:00Z', '2026-03-12', '2026-04-10'],
      ['2026-11-29T10:00:00Z', '2026-10-31', '2026-11-29'],
    ] as const) {
      const { days } = await stats(makeHarness({ now }));
      expect(days, now).toEqual(calendar(first, 30));
      expect(days.at(-1), now).toBe(last);
    }
  });

  it('counts an event by the Berlin day it happened on: midnight in Berlin opens the window’s first day', async () => {
    const h = makeHarness({ now: '2026-11-29T10:00:00Z' });
    await recorded(h, 'REGISTRATION', '2026-10-30T22:59:59Z'); // 30 October in Berlin: before the window
    await recorded(h, 'REGISTRATION', '2026-10-30T23:00:00Z'); // 31 October 00:00 in Berlin: the first day
    await recorded(h, 'REGISTRATION', '2026-10-31T12:00:00Z');
    await recorded(h, 'ACCOUNT_LOCKED', '2026-11-29T09:59:00Z');
    await recorded(h, 'ACCOUNT_LOCKED', '2026-11-28T23:00:00Z'); // 29 November 00:00 in Berlin
    await recorded(h, 'ACCOUNT_DEACTIVATED', '2026-11-15T12:00:00Z');
    await recorded(h, 'ACCOUNT_DEACTIVATED', '2026-11-15T22:59:00Z');
    const value = await stats(h);
    expect(value.days[0]).toBe('2026-10-31');
    const expected = (index: number, count = 1) => zeros().map((n, i) => (i === index ? count : n));
    expect(value.registrations).toEqual(expected(0, 2));
    expect(value.locks).toEqual(expected(29, 2));
    expect(value.deactivations).toEqual(expected(value.days.indexOf('2026-11-15'), 2));
  });

  it('tells the identity methods apart (letter, POSTIDENT, counter) and counts only confirmations inside the window', async () => {
    const h = makeHarness({ now: '2026-11-29T10:00:00Z' });
    await recorded(h, 'IDENTITY_CONFIRMED', '2026-10-30T12:00:00Z', { method: 'LETTER' });
    await recorded(h, 'IDENTITY_CONFIRMED', '2026-11-02T12:00:00Z', { method: 'LETTER' });
    await recorded(h, 'IDENTITY_CONFIRMED', '2026-11-03T12:00:00Z', { method: 'LETTER' });
    await recorded(h, 'IDENTITY_CONFIRMED', '2026-11-04T12:00:00Z', { method: 'POSTIDENT' });
    await recorded(h, 'IDENTITY_CONFIRMED', '2026-11-05T12:00:00Z', { method: 'COUNTER' });
    await recorded(h, 'IDENTITY_CONFIRMED', '2026-11-06T12:00:00Z', { method: 'VIDEO' });
    await recorded(h, 'IDENTITY_CONFIRMED', '2026-11-07T12:00:00Z');
    const value = await stats(h);
    expect(value.identityMethods).toEqual({ LETTER: 2, POSTIDENT: 1, COUNTER: 1 });
    // A confirmation is no registration, lock or deactivation.
    expect([value.registrations, value.locks, value.deactivations]).toEqual([zeros(), zeros(), zeros()]);
  });

  it('shows the store’s funnel and names no account', async () => {
    const h = makeHarness({ now: '2026-11-29T10:00:00Z' });
    await recorded(h, 'REGISTRATION', '2026-11-20T12:00:00Z');
    const value = await stats(h);
    expect(value.funnel).toEqual({ registered: 0, emailConfirmed: 0, identityConfirmed: 0, mailboxDecided: 0 });
    expect(JSON.stringify(value)).not.toContain('acc-1');
  });
});
