/**
 * The in-memory guards of R6 on their own (src-main/core/login/guards.ts): a terminal's pause and
 * its fresh start, the locks a terminal has shown and when it forgets them, the times and audit
 * announcements of the mismatch limits, attempts on one name one after another, and memory that
 * stays bounded by what is still in force however many names are tried.
 */
import { describe, expect, it } from 'vitest';
import { LoginGuards, MismatchLimits, WindowCounter } from '../../src-main/core/login/guards.js';

const HOUR = 3_600_000;
const limits = { maxFailedLogins: 3, windowMs: HOUR, pauseMs: 60_000 };

/** How many keys a guard holds in memory (its private maps, read for the bound only). */
const held = (guard: object, field: string): number => (guard as unknown as Record<string, Map<unknown, unknown>>)[field]?.size ?? -1;

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe("a terminal's failed logins", () => {
  it('pause the terminal at the limit until the pause ends, and afterwards the count starts afresh', () => {
    const guards = new LoginGuards(limits);
    expect(guards.recordFailure('kiosk-1', 0)).toBeUndefined();
    expect(guards.recordFailure('kiosk-1', 1)).toBeUndefined();
    expect(guards.recordFailure('kiosk-1', 2)).toBe(60_002);
    expect(guards.pausedAt('kiosk-1', 60_001)).toBe(60_002);
    expect(guards.pausedAt('kiosk-2', 60_001)).toBeUndefined();
    expect(guards.pausedAt('kiosk-1', 60_002)).toBeUndefined();
    // The window is an hour, the pause a minute: the failures before the pause are not counted again.
    expect(guards.recordFailure('kiosk-1', 60_002)).toBeUndefined();
    expect(guards.recordFailure('kiosk-1', 60_003)).toBeUndefined();
    expect(guards.pausedAt('kiosk-1', 60_003)).toBeUndefined();
  });
});

describe('the locks a terminal has shown', () => {
  it('are named to that terminal for that name until the instant the lock ends, and then forgotten', () => {
    const guards = new LoginGuards(limits);
    guards.rememberLock('kiosk-1', 'user:erika.m', 1_000, 0);
    expect(guards.shownLock('kiosk-1', 'user:erika.m', 999)).toBe(1_000);
    expect(guards.shownLock('kiosk-2', 'user:erika.m', 999)).toBeUndefined();
    expect(guards.shownLock('kiosk-1', 'user:someone', 999)).toBeUndefined();
    expect(guards.shownLock('kiosk-1', 'user:erika.m', 1_000)).toBeUndefined();
  });

  it('past 10 000 remembered, those that have ended are dropped and those in force kept', () => {
    const guards = new LoginGuards(limits);
    for (let i = 0; i <= 10_000; i++) guards.rememberLock('kiosk-1', `user:name.${i}`, 1_000, 0);
    expect(held(guards, 'shownLocks')).toBe(10_001);
    guards.rememberLock('kiosk-1', 'user:erika.m', 5_000, 1_000);
    expect(held(guards, 'shownLocks')).toBe(1);
    expect(guards.shownLock('kiosk-1', 'user:erika.m', 1_000)).toBe(5_000);
  });
});

describe('mismatch limits', () => {
  it('free up when the oldest counted mismatch leaves the window, not an hour after the last', () => {
    const mismatches = new MismatchLimits(HOUR);
    mismatches.record(['forgot:user:erika.m'], 0);
    mismatches.record(['forgot:user:erika.m'], 600_000);
    expect(mismatches.check([['forgot:user:erika.m', 3]], 700_000)).toBeUndefined();
    expect(mismatches.check([['forgot:user:erika.m', 2]], 700_000)).toEqual({ until: HOUR, announce: true });
  });

  it('with several limits reached, the answer frees up when the last of them does', () => {
    const mismatches = new MismatchLimits(HOUR);
    mismatches.record(['terminal'], 0);
    mismatches.record(['user'], 600_000);
    const both = [
      ['terminal', 1],
      ['user', 1],
    ] as const;
    expect(mismatches.check(both, 700_000)?.until).toBe(HOUR + 600_000);
  });

  it('announce a block once, again when a further limit is reached during it, and again for a new block', () => {
    const mismatches = new MismatchLimits(HOUR);
    const both = [
      ['terminal', 2],
      ['user', 1],
    ] as const;
    mismatches.record(['user'], 0);
    expect(mismatches.check(both, 0)).toEqual({ until: HOUR, announce: true });
    expect(mismatches.check(both, 1)).toEqual({ until: HOUR, announce: false });
    // The terminal's own limit is reached while the username is blocked: that is news.
    mismatches.record(['terminal'], 2);
    mismatches.record(['terminal'], 2);
    expect(mismatches.check(both, 2)).toEqual({ until: HOUR + 2, announce: true });
    // At the instant the first block ends, a new one starts: announced again.
    const user = [['user', 1]] as const;
    mismatches.record(['user'], HOUR + 2);
    expect(mismatches.check(user, HOUR + 2)).toEqual({ until: 2 * HOUR + 2, announce: true });
  });

  it('past 10 000 announced blocks, the ended ones are dropped and a block in force is not announced twice', () => {
    const mismatches = new MismatchLimits(HOUR);
    for (let i = 0; i <= 10_000; i++) {
      mismatches.record([`kvnr:${i}`], 0);
      expect(mismatches.check([[`kvnr:${i}`, 1]], 0)?.announce).toBe(true);
    }
    mismatches.record(['kvnr:live'], HOUR);
    expect(mismatches.check([['kvnr:live', 1]], HOUR)).toEqual({ until: 2 * HOUR, announce: true });
    expect(held(mismatches, 'announced')).toBe(1);
    expect(mismatches.check([['kvnr:live', 1]], HOUR + 1)).toEqual({ until: 2 * HOUR, announce: false });
  });
});

describe('sliding-window counts', () => {
  it('hold no more than the keys with hits in the window once past 10 000 keys', () => {
    const counter = new WindowCounter(1_000);
    for (let i = 0; i <= 10_000; i++) counter.add(`terminal-${i}`, 0);
    expect(held(counter, 'hits')).toBe(10_001);
    expect(counter.add('terminal-late', 1_000)).toBe(1);
    expect(held(counter, 'hits')).toBe(1);
    expect(counter.count('terminal-0', 1_000)).toBe(0);
  });
});

describe('attempts on one name', () => {
  it('run one after another, and the queue bound counts those still running or waiting', async () => {
    const lanes = new LoginGuards(limits).lanes;
    const first = gate();
    const second = gate();
    const order: string[] = [];
    const a = lanes.run('user:erika.m', 2, async () => {
      await first.opened;
      order.push('a');
    });
    const b = lanes.run('user:erika.m', 2, async () => {
      order.push('b starts');
      await second.opened;
      order.push('b');
    });
    expect(lanes.run('user:erika.m', 2, () => Promise.resolve())).toBeUndefined();
    first.open();
    await a;
    await settle();
    // a has answered, b is running: one place is free, not two.
    const c = lanes.run('user:erika.m', 2, () => {
      order.push('c');
      return Promise.resolve();
    });
    expect(c).toBeDefined();
    expect(lanes.run('user:erika.m', 2, () => Promise.resolve())).toBeUndefined();
    await settle();
    expect(order).toEqual(['a', 'b starts']);
    second.open();
    await Promise.all([b, c]);
    expect(order).toEqual(['a', 'b starts', 'b', 'c']);
  });

  it('free their places as they answer, and the lanes of answered names are dropped', async () => {
    const guards = new LoginGuards(limits);
    for (let i = 0; i < 5; i++) expect(await guards.lanes.run('user:erika.m', 2, () => Promise.resolve(i))).toBe(i);
    await Promise.all(Array.from({ length: 50 }, (_, i) => guards.lanes.run(`user:name.${i}`, 2, () => Promise.resolve(i))));
    await settle();
    expect(held(guards.lanes, 'lanes')).toBe(0);
  });

  it('a failing attempt frees its place too, and the next one still runs', async () => {
    const lanes = new LoginGuards(limits).lanes;
    await expect(lanes.run('user:erika.m', 1, () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    await settle();
    expect(await lanes.run('user:erika.m', 1, () => Promise.resolve('answered'))).toBe('answered');
  });
});
