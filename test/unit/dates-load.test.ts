/**
 * The Berlin calendar (core/dates.ts) builds its formatters when it loads, and they need a runtime
 * with full time-zone data. This file imports it only inside the test, so that a module that fails
 * to load is a failing test here, not a test file that quietly collects no tests.
 */
import { describe, expect, it } from 'vitest';

describe('the Berlin calendar loads', () => {
  it('loads, and names Berlin days and midnights in both summer and winter time', async () => {
    const dates = await import('../../src-main/core/dates.js');
    expect(dates.berlinDate(new Date('2026-07-14T22:00:00Z'))).toBe('2026-07-15');
    expect(dates.berlinDate(new Date('2026-01-14T22:59:59Z'))).toBe('2026-01-14');
    expect(dates.endOfBerlinDay('2026-07-14').toISOString()).toBe('2026-07-14T22:00:00.000Z');
    expect(dates.endOfBerlinDay('2026-01-14').toISOString()).toBe('2026-01-14T23:00:00.000Z');
  });
});
