/**
 * The sliding limits kept on a record (resends, SMS, letters, requests per hour): which earlier
 * requests still count, and when a refused one may try again.
 */
import { describe, expect, it } from 'vitest';
import { hourlyLimit, windowLimit } from '../../src-main/core/rate-limit.js';

const NOW = new Date('2026-11-29T10:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const HOUR = 3_600_000;

describe('a sliding window limit', () => {
  it('a request exactly one window old no longer counts; one a millisecond younger still does', () => {
    expect(windowLimit([ago(HOUR), ago(HOUR - 1), ago(5)], NOW, 3, HOUR)).toEqual({ allowed: true, recent: [ago(HOUR - 1), ago(5)] });
  });

  it('below the maximum the request is allowed; at the maximum it is refused until the oldest counted one leaves the window', () => {
    expect(windowLimit([ago(1_000)], NOW, 2, HOUR)).toEqual({ allowed: true, recent: [ago(1_000)] });
    expect(windowLimit([ago(1_000), ago(30 * 60_000), ago(2 * HOUR)], NOW, 2, HOUR)).toEqual({
      allowed: false,
      retryAt: new Date(NOW.getTime() - 30 * 60_000 + HOUR).toISOString(),
    });
  });

  it('the retry time follows the oldest counted request, in whatever order they were stored', () => {
    const instants = [ago(10_000), ago(50_000), ago(20_000)];
    const expected = { allowed: false, retryAt: new Date(NOW.getTime() - 50_000 + 120_000).toISOString() };
    expect(windowLimit(instants, NOW, 3, 120_000)).toEqual(expected);
    expect(windowLimit([...instants].reverse(), NOW, 3, 120_000)).toEqual(expected);
  });

  it('the hourly limit is a window of one hour', () => {
    expect(hourlyLimit([ago(HOUR)], NOW, 1)).toEqual({ allowed: true, recent: [] });
    expect(hourlyLimit([ago(HOUR - 1)], NOW, 1)).toEqual({ allowed: false, retryAt: '2026-11-29T10:00:00.001Z' });
  });
});
