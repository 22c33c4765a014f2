import { describe, expect, it } from 'vitest';
import { anniversary, berlinDate, isValidIsoDate } from '../../src-main/core/dates.js';

describe('calendar dates in Europe/Berlin', () => {
  it('takes the Berlin calendar day, not UTC', () => {
    expect(berlinDate(new Date('2026-11-28T23:30:00Z'))).toBe('2026-11-29');
    expect(berlinDate(new Date('2026-07-14T21:59:59Z'))).toBe('2026-07-14');
    expect(berlinDate(new Date('2026-07-14T22:00:00Z'))).toBe('2026-07-15');
  });

  it('knows impossible dates', () => {
    expect(isValidIsoDate('2026-02-29')).toBe(false);
    expect(isValidIsoDate('2024-02-29')).toBe(true);
    expect(isValidIsoDate('2026-13-01')).toBe(false);
    expect(isValidIsoDate('2026-04-31')).toBe(false);
    expect(isValidIsoDate('26-04-01')).toBe(false);
  });

  it('the 15th birthday of a 29 February child is 1 March in a common year', () => {
    expect(anniversary('2012-02-29', 15)).toBe('2027-03-01');
    expect(anniversary('2012-02-29', 16)).toBe('2028-02-29');
    expect(anniversary('2011-06-15', 15)).toBe('2026-06-15');
  });
});
