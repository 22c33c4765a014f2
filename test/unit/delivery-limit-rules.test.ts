/**
 * What an account may cause to be delivered (delivery-limits.ts), called on the core with the
 * harness's deps: SMS per hour and letters per day, each in its own window, with the slot taken
 * before anything is sent and the first refusal of each window audited once.
 */
import { describe, expect, it } from 'vitest';
import { reservePrint, reserveSms } from '../../src-main/core/delivery-limits.js';
import { makeHarness, registeredAndConfirmed, WHO } from '../fixtures/harness.js';

const HOUR = 3_600_000;

async function setup() {
  const h = makeHarness({ now: '2026-11-29T10:00:00.000Z' });
  const id = await registeredAndConfirmed(h);
  const limitEvents = () => h.audit.events().filter((e) => e.type === 'LIMIT_REACHED');
  return { h, id, limitEvents };
}

describe('SMS per account', () => {
  it('five an hour are reserved and their instants kept on the account; the sixth is refused until the first leaves the hour', async () => {
    const { h, id } = await setup();
    for (let i = 0; i < 5; i++) {
      expect(await reserveSms(h.deps, WHO, id, h.clock.now(), 'TAN')).toStrictEqual({ ok: true, value: null });
      h.clock.advance(60_000);
    }
    expect((await h.accounts.get(id))?.smsSentAt).toEqual(
      [0, 1, 2, 3, 4].map((m) => new Date(Date.parse('2026-11-29T10:00:00Z') + m * 60_000).toISOString()),
    );
    expect(await reserveSms(h.deps, WHO, id, h.clock.now(), 'TAN')).toStrictEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { retryAt: '2026-11-29T11:00:00.000Z' } },
    });
    h.clock.set('2026-11-29T11:00:00.000Z');
    expect((await reserveSms(h.deps, WHO, id, h.clock.now(), 'TAN')).ok).toBe(true);
    // The instant that left the hour is no longer kept.
    expect((await h.accounts.get(id))?.smsSentAt).toHaveLength(5);
  });

  it('the first refusal of a window is audited with the account, the limit and what was asked for; repeated refusals are not', async () => {
    const { h, id, limitEvents } = await setup();
    for (let i = 0; i < 5; i++) await reserveSms(h.deps, WHO, id, h.clock.now(), 'MTAN_CODE');
    const refused = { ok: false, error: { code: 'RATE_LIMITED', details: { retryAt: '2026-11-29T11:00:00.000Z' } } };
    expect(await reserveSms(h.deps, WHO, id, h.clock.now(), 'TAN')).toStrictEqual(refused);
    expect(await reserveSms(h.deps, WHO, id, h.clock.now(), 'TAN')).toStrictEqual(refused);
    expect(limitEvents()).toHaveLength(1);
    expect(limitEvents()[0]).toMatchObject({
      type: 'LIMIT_REACHED',
      subject: id,
      actor: WHO.actor,
      terminal: WHO.terminal,
      data: { limit: 'SMS', kind: 'TAN' },
    });
    // The next hour's window is a new one: its first refusal is audited again.
    h.clock.advance(HOUR);
    for (let i = 0; i < 5; i++) await reserveSms(h.deps, WHO, id, h.clock.now(), 'TAN');
    expect((await reserveSms(h.deps, WHO, id, h.clock.now(), 'TAN')).ok).toBe(false);
    expect(limitEvents()).toHaveLength(2);
  });

  it('an unknown account is NOT_FOUND and nothing is audited', async () => {
    const { h, limitEvents } = await setup();
    expect(await reserveSms(h.deps, WHO, 'no-such-account', h.clock.now(), 'TAN')).toStrictEqual({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await reservePrint(h.deps, WHO, 'no-such-account', h.clock.now(), 'ACTIVATION_KEY')).toStrictEqual({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(limitEvents()).toEqual([]);
  });
});

describe('letters per account', () => {
  it('three a day, kept apart from the SMS; the fourth is refused until 24 hours after the first', async () => {
    const { h, id, limitEvents } = await setup();
    for (let i = 0; i < 5; i++) await reserveSms(h.deps, WHO, id, h.clock.now(), 'TAN');
    expect((await reserveSms(h.deps, WHO, id, h.clock.now(), 'TAN')).ok).toBe(false);
    for (let i = 0; i < 3; i++) {
      expect(await reservePrint(h.deps, WHO, id, h.clock.now(), 'ACTIVATION_KEY')).toStrictEqual({ ok: true, value: null });
      h.clock.advance(HOUR);
    }
    const account = await h.accounts.get(id);
    expect(account?.printsAt).toEqual(['2026-11-29T10:00:00.000Z', '2026-11-29T11:00:00.000Z', '2026-11-29T12:00:00.000Z']);
    expect(account?.smsSentAt).toHaveLength(5);
    expect(await reservePrint(h.deps, WHO, id, h.clock.now(), 'POSTIDENT_COUPON')).toStrictEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { retryAt: '2026-11-30T10:00:00.000Z' } },
    });
    // The SMS refusal was audited already; the letters' window is audited on its own.
    expect(limitEvents().map((e) => e.data)).toEqual([
      { limit: 'SMS', kind: 'TAN' },
      { limit: 'PRINT', kind: 'POSTIDENT_COUPON' },
    ]);
    h.clock.set('2026-11-30T09:59:59.999Z');
    expect((await reservePrint(h.deps, WHO, id, h.clock.now(), 'ACTIVATION_KEY')).ok).toBe(false);
    h.clock.set('2026-11-30T10:00:00.000Z');
    expect((await reservePrint(h.deps, WHO, id, h.clock.now(), 'ACTIVATION_KEY')).ok).toBe(true);
    expect(limitEvents()).toHaveLength(2);
  });
});
