/**
 * Staff sessions on their own (R10): the idle and absolute limits to the millisecond, a poll that
 * does not count as work, one counter session per staff member once a login is complete, and a
 * table that holds only token hashes and sweeps expired sessions. Fake clock, no sleeps.
 */
import { describe, expect, it } from 'vitest';
import { HmacSecretHasher, nodeRandom } from '../../src-main/adapters/crypto.js';
import { StaffSessions } from '../../src-main/core/staff/staff-sessions.js';
import { FakeClock } from '../fixtures/harness.js';

const MIN = 60_000;
const IDLE = 5 * MIN;
const ABSOLUTE = 10 * 60 * MIN;

function sessions() {
  const clock = new FakeClock(new Date('2026-11-29T08:00:00Z'));
  const table = new StaffSessions(clock, nodeRandom, new HmacSecretHasher(new Uint8Array(32).fill(3)), {
    idleMs: IDLE,
    absoluteMs: ABSOLUTE,
  });
  const held = () => (table as unknown as { byHash: Map<string, unknown> }).byHash;
  return { clock, table, held };
}

describe('staff sessions', () => {
  it('a session ends after 5 minutes without a call, not a millisecond before', () => {
    const { clock, table } = sessions();
    const token = table.create('staff-1', 0, 'READY');
    clock.advance(IDLE - 1);
    expect(table.resolve(token)).toMatchObject({ staffId: 'staff-1', epoch: 0, stage: 'READY' });
    clock.advance(IDLE - 1);
    expect(table.resolve(token)).toBeDefined();
    clock.advance(IDLE);
    expect(table.resolve(token)).toBeUndefined();
    // Gone for good, not only for this call.
    clock.set('2026-11-29T08:00:00Z');
    expect(table.resolve(token)).toBeUndefined();
  });

  it('a busy session ends 10 hours after it was opened, not a millisecond before', () => {
    const { clock, table } = sessions();
    const token = table.create('staff-1', 0, 'READY');
    for (let t = 0; t < ABSOLUTE - IDLE; t += 4 * MIN) {
      clock.advance(4 * MIN);
      expect(table.resolve(token)).toBeDefined();
    }
    clock.set(new Date(Date.parse('2026-11-29T08:00:00Z') + ABSOLUTE - 1).toISOString());
    expect(table.resolve(token)).toBeDefined();
    clock.advance(1);
    expect(table.resolve(token)).toBeUndefined();
  });

  it('a quiet poll of the window does not keep the session from its idle end', () => {
    const { clock, table } = sessions();
    const token = table.create('staff-1', 0, 'READY');
    clock.advance(IDLE - 1);
    expect(table.resolve(token, true)).toBeDefined();
    clock.advance(1);
    expect(table.resolve(token, true)).toBeUndefined();
  });

  it('a complete login ends the staff member’s other sessions; a login under way ends none, and colleagues keep theirs', () => {
    const { table } = sessions();
    const working = table.create('staff-1', 0, 'READY');
    const colleague = table.create('staff-2', 0, 'READY');
    const underWay = table.create('staff-1', 0, 'TOTP');
    expect(table.resolve(working)).toBeDefined();
    expect(table.resolve(underWay)).toMatchObject({ stage: 'TOTP' });
    table.complete(underWay);
    expect(table.resolve(underWay)).toBeDefined();
    expect(table.resolve(working)).toBeUndefined();
    expect(table.resolve(colleague)).toBeDefined();
    // A login that is complete at once (no further stage) does the same.
    const again = table.create('staff-1', 1, 'READY');
    expect(table.resolve(underWay)).toBeUndefined();
    expect(table.resolve(again)).toMatchObject({ staffId: 'staff-1', epoch: 1 });
    expect(table.resolve(colleague)).toBeDefined();
  });

  it('completing an unknown token changes nothing', () => {
    const { table } = sessions();
    const token = table.create('staff-1', 0, 'READY');
    table.complete('no-such-token');
    expect(table.resolve(token)).toBeDefined();
  });

  it('logout ends that session only; ending all of one staff member leaves colleagues’ sessions', () => {
    const { table } = sessions();
    const a = table.create('staff-1', 0, 'READY');
    const b = table.create('staff-1', 0, 'TOTP');
    const c = table.create('staff-2', 0, 'READY');
    table.end(undefined);
    table.end('no-such-token');
    expect([a, b, c].map((t) => table.resolve(t) !== undefined)).toEqual([true, true, true]);
    table.end(b);
    expect([a, b, c].map((t) => table.resolve(t) !== undefined)).toEqual([true, false, true]);
    table.endAllFor('staff-1');
    expect([a, b, c].map((t) => table.resolve(t) !== undefined)).toEqual([false, false, true]);
    expect(table.resolve(undefined)).toBeUndefined();
    expect(table.resolve('')).toBeUndefined();
  });

  it('the table holds only hashes of the tokens, and a new login sweeps out the expired sessions', () => {
    const { clock, table, held } = sessions();
    const old = [table.create('staff-1', 0, 'TOTP'), table.create('staff-2', 0, 'READY')];
    clock.advance(2 * MIN);
    const live = table.create('staff-3', 0, 'READY');
    for (const token of [...old, live]) expect(held().has(token)).toBe(false);
    expect(held().size).toBe(3);
    clock.advance(IDLE - 2 * MIN);
    table.create('staff-4', 0, 'TOTP');
    // The two opened 5 minutes ago are gone; the one of 3 minutes ago stays.
    expect(held().size).toBe(2);
    expect(table.resolve(live)).toMatchObject({ staffId: 'staff-3' });
  });

  it('tokens are long and random', () => {
    const { table } = sessions();
    const tokens = new Set(Array.from({ length: 50 }, () => table.create('staff-1', 0, 'TOTP')));
    expect(tokens.size).toBe(50);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
