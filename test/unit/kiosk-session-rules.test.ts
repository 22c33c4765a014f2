/**
 * Kiosk sessions on their own (core/session/sessions.ts): the idle and absolute limits to the
 * millisecond, "more time" and its bounds, and a table in memory that stays small (expired
 * sessions swept once a minute or as soon as the table has doubled, nothing kept of an account
 * whose sessions have all ended). Fake clock, no sleeps.
 */
import { describe, expect, it } from 'vitest';
import { HmacSecretHasher, nodeRandom } from '../../src-main/adapters/crypto.js';
import { Sessions } from '../../src-main/core/session/sessions.js';
import { FakeClock } from '../fixtures/harness.js';

const IDLE = 110_000;
const ABSOLUTE = 30 * 60_000;

function sessions(limits = { idleMs: IDLE, absoluteMs: ABSOLUTE }) {
  const clock = new FakeClock(new Date('2026-11-29T10:00:00Z'));
  const table = new Sessions(clock, nodeRandom, new HmacSecretHasher(new Uint8Array(32).fill(4)), limits);
  const perAccount = () => (table as unknown as { byAccount: Map<string, Set<string>> }).byAccount;
  return { clock, table, perAccount };
}

describe('kiosk sessions: limits', () => {
  it('a session ends at the idle limit after its last use, not a millisecond before, and stays ended', () => {
    const { clock, table } = sessions();
    const token = table.create('acc-1', 3);
    clock.advance(IDLE - 1);
    expect(table.resolve(token)).toMatchObject({ accountId: 'acc-1', epoch: 3, idleMs: IDLE, holdUntil: 0, moreTimeUsed: 0 });
    clock.advance(IDLE - 1);
    expect(table.resolve(token)).toBeDefined();
    clock.advance(IDLE);
    expect(table.resolve(token)).toBeUndefined();
    expect(table.size()).toBe(0);
    clock.advance(-IDLE);
    expect(table.resolve(token)).toBeUndefined();
  });

  it('a busy session ends at the absolute maximum, not a millisecond before', () => {
    const { clock, table } = sessions();
    const start = clock.now().getTime();
    const token = table.create('acc-1', 0);
    while (clock.now().getTime() + 100_000 < start + ABSOLUTE) {
      clock.advance(100_000);
      expect(table.resolve(token)).toBeDefined();
    }
    clock.set(new Date(start + ABSOLUTE - 1).toISOString());
    expect(table.resolve(token)).toBeDefined();
    clock.advance(1);
    expect(table.resolve(token)).toBeUndefined();
  });

  it('logout ends that session only; a missing or unknown token ends nothing and does not fail', () => {
    const { table } = sessions();
    const mine = table.create('acc-1', 0);
    const other = table.create('acc-1', 0);
    table.end(undefined);
    table.end('');
    table.end('made-up');
    expect(table.size()).toBe(2);
    table.end(mine);
    expect(table.resolve(mine)).toBeUndefined();
    expect(table.resolve(other)?.accountId).toBe('acc-1');
  });
});

describe('kiosk sessions: more time', () => {
  it('"more time" holds the session for twice what is left of its time, counted from now', () => {
    const { clock, table } = sessions();
    const once = table.create('acc-1', 0);
    const twice = table.create('acc-2', 0);
    clock.advance(30_000);
    expect(table.extend(once, 'MORE_TIME')).toEqual({ ok: true, value: { moreTimeLeft: 2 } });
    expect(table.extend(twice, 'MORE_TIME')).toEqual({ ok: true, value: { moreTimeLeft: 2 } });
    // Right away again: what is left is now two idle limits, so the hold becomes four.
    expect(table.extend(twice, 'MORE_TIME')).toEqual({ ok: true, value: { moreTimeLeft: 1 } });
    clock.advance(2 * IDLE - 1);
    expect(table.resolve(once)).toBeDefined();
    clock.advance(1);
    expect(table.resolve(twice)).toBeDefined();
    clock.advance(2 * IDLE - 1);
    expect(table.resolve(twice)).toBeDefined();
  });

  it('the hold of "more time" ends to the millisecond', () => {
    const { clock, table } = sessions();
    const token = table.create('acc-1', 0);
    table.extend(token, 'MORE_TIME');
    table.extend(token, 'MORE_TIME');
    clock.advance(4 * IDLE);
    expect(table.resolve(token)).toBeUndefined();
  });

  it('"more time" is used at most three times a session; the fourth is refused and adds nothing', () => {
    const { clock, table } = sessions();
    const token = table.create('acc-1', 0);
    expect([1, 2, 3].map(() => table.extend(token, 'MORE_TIME'))).toEqual([
      { ok: true, value: { moreTimeLeft: 2 } },
      { ok: true, value: { moreTimeLeft: 1 } },
      { ok: true, value: { moreTimeLeft: 0 } },
    ]);
    expect(table.extend(token, 'MORE_TIME')).toEqual({ ok: false, error: { code: 'MORE_TIME_USED_UP' } });
    expect(table.resolve(token)).toMatchObject({ moreTimeUsed: 3, holdUntil: clock.now().getTime() + 8 * IDLE });
    // Another session has its own three.
    expect(table.extend(table.create('acc-1', 0), 'MORE_TIME')).toEqual({ ok: true, value: { moreTimeLeft: 2 } });
  });

  it('"more time" never holds a session beyond the absolute maximum', () => {
    const { clock, table } = sessions();
    const start = clock.now().getTime();
    const token = table.create('acc-1', 0);
    while (clock.now().getTime() + 100_000 < start + ABSOLUTE - 30_000) {
      clock.advance(100_000);
      table.resolve(token);
    }
    clock.set(new Date(start + ABSOLUTE - 30_000).toISOString());
    expect(table.extend(token, 'MORE_TIME').ok).toBe(true);
    expect(table.resolve(token)?.holdUntil).toBe(start + ABSOLUTE);
    clock.set(new Date(start + ABSOLUTE).toISOString());
    expect(table.resolve(token)).toBeUndefined();
  });

  it('a person who needs more time gets twice the idle limit for the session, once, without using up "more time"', () => {
    const { clock, table } = sessions();
    const token = table.create('acc-1', 0);
    const untouched = table.create('acc-2', 0);
    expect(table.extend(token, 'NEEDS_MORE_TIME')).toEqual({ ok: true, value: { moreTimeLeft: 3 } });
    expect(table.extend(token, 'NEEDS_MORE_TIME')).toEqual({ ok: true, value: { moreTimeLeft: 3 } });
    expect(table.extend(untouched, 'NEEDS_MORE_TIME').ok).toBe(true);
    expect(table.resolve(token)).toMatchObject({ idleMs: 2 * IDLE, holdUntil: 0, moreTimeUsed: 0 });
    clock.advance(2 * IDLE - 1);
    expect(table.resolve(token)).toBeDefined();
    clock.advance(1);
    expect(table.resolve(untouched)).toBeUndefined();
  });

  it('more time only for a live session', () => {
    const { clock, table } = sessions();
    const token = table.create('acc-1', 0);
    const refused = { ok: false, error: { code: 'NOT_AUTHENTICATED' } };
    expect(table.extend(undefined, 'MORE_TIME')).toEqual(refused);
    expect(table.extend('made-up', 'NEEDS_MORE_TIME')).toEqual(refused);
    clock.advance(IDLE);
    expect(table.extend(token, 'MORE_TIME')).toEqual(refused);
    expect(table.extend(token, 'NEEDS_MORE_TIME')).toEqual(refused);
  });
});

describe('kiosk sessions: the table stays small', () => {
  it('expired sessions are swept when a session is opened, at most once a minute', () => {
    const { clock, table } = sessions({ idleMs: 10_000, absoluteMs: ABSOLUTE });
    table.create('acc-1', 0);
    clock.advance(59_999);
    table.create('acc-2', 0);
    // The first has expired but stays until the next sweep.
    expect(table.size()).toBe(2);
    clock.advance(1);
    table.create('acc-3', 0);
    expect(table.size()).toBe(2);
  });

  it('a table of a thousand sessions is swept at once, and then only when it has doubled since', () => {
    const { clock, table } = sessions({ idleMs: 10_000, absoluteMs: ABSOLUTE });
    for (let i = 0; i < 999; i++) table.create(`acc-${i}`, 0);
    clock.advance(20_000);
    table.create('late-1', 0);
    expect(table.size()).toBe(1000);
    table.create('late-2', 0);
    expect(table.size()).toBe(2);

    // 1200 live sessions: a sweep at the thousandth keeps them all, and the next is due at 2000.
    const big = sessions({ idleMs: 10_000, absoluteMs: ABSOLUTE });
    for (let i = 0; i < 1200; i++) big.table.create(`acc-${i}`, 0);
    big.clock.advance(20_000);
    big.table.create('late-1', 0);
    expect(big.table.size()).toBe(1201);
    big.clock.advance(40_000);
    big.table.create('late-2', 0);
    expect(big.table.size()).toBe(1);
  });

  it('nothing of an account is held once its last session has ended, by logout, expiry or ending them all', () => {
    const { clock, table, perAccount } = sessions();
    const one = table.create('by-logout', 0);
    table.end(one);
    const two = table.create('by-expiry', 0);
    table.create('ended-all', 0);
    table.create('ended-all', 0);
    table.endAllFor('ended-all');
    expect([...perAccount().keys()]).toEqual(['by-expiry']);
    clock.advance(IDLE);
    expect(table.resolve(two)).toBeUndefined();
    expect(perAccount().size).toBe(0);
    expect(table.size()).toBe(0);
  });

  it('an account keeps its newest five sessions; the sixth ends the oldest', () => {
    const { table, perAccount } = sessions();
    const tokens = Array.from({ length: 6 }, () => table.create('acc-1', 0));
    expect(tokens.map((t) => table.resolve(t) !== undefined)).toEqual([false, true, true, true, true, true]);
    expect(perAccount().get('acc-1')?.size).toBe(5);
    expect(table.size()).toBe(5);
  });
});
