/**
 * Calendar dates are ISO strings (YYYY-MM-DD) in Europe/Berlin. Instants are Date objects.
 * Age and insurance rules compare calendar dates, never instants, so a birthday starts at local
 * midnight in Berlin whatever the machine's time zone.
 */
export type IsoDate = string;

const berlinFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export function berlinDate(instant: Date): IsoDate {
  return berlinFormat.format(instant);
}

function parseIsoDate(value: string): { y: number; m: number; d: number } | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) || y < 1900) return undefined;
  return { y, m, d };
}

export function isValidIsoDate(value: string): boolean {
  return parseIsoDate(value) !== undefined;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * The day from which a person born on `birthDate` has completed `years` years of life, as the
 * spec counts it: the birthday itself; for 29 February in a common year, 1 March.
 */
export function anniversary(birthDate: IsoDate, years: number): IsoDate {
  const parts = parseIsoDate(birthDate);
  if (!parts) throw new Error('anniversary: invalid date');
  const y = parts.y + years;
  if (parts.m === 2 && parts.d === 29 && !isLeap(y)) return `${pad(y, 4)}-03-01`;
  return `${pad(y, 4)}-${pad(parts.m)}-${pad(parts.d)}`;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

const berlinHour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The day after a calendar date (proleptic Gregorian, no time zone involved). */
function nextDay(date: IsoDate): IsoDate {
  const parts = parseIsoDate(date);
  if (!parts) throw new Error('nextDay: invalid date');
  const next = new Date(Date.UTC(parts.y, parts.m - 1, parts.d + 1));
  return `${pad(next.getUTCFullYear(), 4)}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

/**
 * The instant a calendar date ends in Berlin (midnight at the start of the next day, in winter or
 * summer time): a code printed as "valid until 28.01.2027" is valid until then, not until the hour
 * of day it was issued at.
 */
export function endOfBerlinDay(date: IsoDate): Date {
  const [y, m, d] = nextDay(date).split('-').map(Number) as [number, number, number];
  for (const offsetHours of [1, 2]) {
    const candidate = new Date(Date.UTC(y, m - 1, d) - offsetHours * HOUR_MS);
    if (berlinDate(candidate) === nextDay(date) && berlinHour.format(candidate) === '00:00') return candidate;
  }
  throw new Error('endOfBerlinDay: no Berlin midnight found');
}

/** A validity of whole days, as printed: until the end of the last day in Berlin. */
export function validForDays(now: Date, days: number): { lastDay: IsoDate; expiresAt: Date } {
  const lastDay = berlinDate(new Date(now.getTime() + days * DAY_MS));
  return { lastDay, expiresAt: endOfBerlinDay(lastDay) };
}
