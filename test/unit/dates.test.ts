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

  it('only 29 February moves: a 28 February birthday and the 29th of another month stay, also in common years', () => {
    expect(anniversary('2011-02-28', 15)).toBe('2026-02-28');
    expect(anniversary('2011-01-29', 15)).toBe('2026-01-29');
    expect(anniversary('2011-03-29', 15)).toBe('2026-03-29');
  });

  it('century years are leap years only when divisible by 400: 2000 is, 1900 and 2100 are not', () => {
    expect(isValidIsoDate('2000-02-29')).toBe(true);
    expect(isValidIsoDate('2400-02-29')).toBe(true);
    expect(isValidIsoDate('1900-02-29')).toBe(false);
    expect(isValidIsoDate('2100-02-29')).toBe(false);
    expect(anniversary('2000-02-29', 15)).toBe('2015-03-01');
    expect(anniversary('1996-02-29', 104)).toBe('2100-03-01');
    expect(anniversary('1996-02-29', 404)).toBe('2400-02-29');
  });

  it('a date is exactly four digits, two and two: no day 0, nothing before or after it', () => {
    expect(isValidIsoDate('2026-04-01')).toBe(true);
    expect(isValidIsoDate('2026-12-31')).toBe(true);
    expect(isValidIsoDate('2026-04-00')).toBe(false);
    expect(isValidIsoDate('2026-00-10')).toBe(false);
    expect(isValidIsoDate('2026-04-01x')).toBe(false);
    expect(isValidIsoDate('12026-04-01')).toBe(false);
    expect(isValidIsoDate(' 2026-04-01')).toBe(false);
    expect(isValidIsoDate('2026-4-01')).toBe(false);
    expect(isValidIsoDate('2026-04-1')).toBe(false);
    expect(isValidIsoDate('2026/04/01')).toBe(false);
  });

  it('the calendar starts on 1 January 1900: earlier dates are not dates of living persons', () => {
    expect(isValidIsoDate('1900-01-01')).toBe(true);
    expect(isValidIsoDate('1899-12-31')).toBe(false);
  });

  it('an impossible date has no anniversary and no end of day: both refuse it by name', () => {
    expect(() => anniversary('2026-02-29', 1)).toThrow('anniversary: invalid date');
    expect(() => endOfBerlinDay('2026-04-31')).toThrow('nextDay: invalid date');
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
