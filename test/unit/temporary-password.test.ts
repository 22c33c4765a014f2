/**
 * Temporary passwords printed at the counter (R7, src-main/core/password/temporary.ts): twelve
 * characters drawn from an alphabet without look-alikes, printed in groups of four, and read back
 * whatever the spacing, dashes and case the person types from paper.
 */
import { describe, expect, it } from 'vitest';
import { groupedForPrint, normalizeTemporaryPassword, temporaryPassword } from '../../src-main/core/password/temporary.js';
import type { Random } from '../../src-main/core/ports.js';

/** A random source that answers the given draws in turn and notes each range asked for. */
function scripted(draws: readonly number[]): Random & { ranges: number[] } {
  const ranges: number[] = [];
  let next = 0;
  return {
    ranges,
    int: (max) => {
      ranges.push(max);
      return draws[next++ % draws.length] ?? 0;
    },
    token: () => 'token',
  };
}

describe('temporary passwords', () => {
  it('are twelve draws from 31 lower-case characters without 0, o, 1, l and i', () => {
    const random = scripted(Array.from({ length: 31 }, (_, i) => i));
    expect(temporaryPassword(random)).toBe('abcdefghjkmn');
    expect(temporaryPassword(random)).toBe('pqrstuvwxyz2');
    expect(temporaryPassword(random)).toBe('3456789abcde');
    expect(random.ranges).toEqual(Array(36).fill(31));
  });

  it('are printed in three groups of four', () => {
    expect(groupedForPrint('abcdefghjkmn')).toBe('abcd efgh jkmn');
    // Nothing to print prints as nothing.
    expect(groupedForPrint('')).toBe('');
  });

  it('are read back whatever spaces, dashes and case were typed', () => {
    expect(normalizeTemporaryPassword('ABCD efgh-JKMN')).toBe('abcdefghjkmn');
    expect(normalizeTemporaryPassword('  abcd -- efgh \t jkmn ')).toBe('abcdefghjkmn');
  });
});
