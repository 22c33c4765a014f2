import { HOUR_MS } from './dates.js';

/**
 * A sliding limit over the instants of earlier requests, kept on the record they concern. Returns
 * the instants still inside the window (to store back with the new one), or when the oldest of
 * them leaves it.
 */
export function windowLimit(
  instants: readonly string[],
  now: Date,
  max: number,
  windowMs: number,
): { allowed: true; recent: string[] } | { allowed: false; retryAt: string } {
  const recent = instants.filter((at) => now.getTime() - new Date(at).getTime() < windowMs);
  if (recent.length < max) return { allowed: true, recent };
  const oldest = recent.reduce((a, b) => (a < b ? a : b));
  return { allowed: false, retryAt: new Date(new Date(oldest).getTime() + windowMs).toISOString() };
}

export function hourlyLimit(
  instants: readonly string[],
  now: Date,
  max: number,
): { allowed: true; recent: string[] } | { allowed: false; retryAt: string } {
  return windowLimit(instants, now, max, HOUR_MS);
}
