import { describe, expect, it } from 'vitest';
import { anniversary, berlinDate, isValidIsoDate, endOfBerlinDay, validForDays } from '../../src-main/core/dates.js';

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

describe('the end of a day in Berlin', () => {
  it('is the next midnight in Berlin, in winter and summer time and around both changes', () => {
    expect(endOfBerlinDay('2027-01-28').toISOString()).toBe('2027-01-28T23:00:00.000Z');
    expect(endOfBerlinDay('2026-07-31').toISOString()).toBe('2026-07-31T22:00:00.000Z');
    // Summer time begins on 29 March 2026 at 02:00, ends on 25 October 2026 at 03:00.
    expect(endOfBerlinDay('2026-03-28').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(endOfBerlinDay('2026-03-29').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(endOfBerlinDay('2026-10-24').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(endOfBerlinDay('2026-10-25').toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect(endOfBerlinDay('2028-02-28').toISOString()).toBe('2028-02-28T23:00:00.000Z');
    expect(endOfBerlinDay('2026-12-31').toISOString()).toBe('2026-12-31T23:00:00.000Z');
  });

  it('a validity of whole days names the last day as printed and ends with it', () => {
    expect(validForDays(new Date('2026-11-29T10:00:00Z'), 60)).toEqual({
      lastDay: '2027-01-28',
      expiresAt: new Date('2027-01-28T23:00:00.000Z'),
    });
  });
});
