/**
 * The supervisor's dashboard: registrations, locks and deactivations per day over the last 30
 * days, the onboarding funnel, and the identity methods used. Counts only: no account is named.
 * Daily series come from the audit trail (read for the window only, by type); the funnel from the
 * store's own counts.
 */
import { berlinDate, DAY_MS, type IsoDate } from '../dates.js';
import type { CoreDeps } from '../deps.js';
import type { AuditEventType } from '../ports.js';
import { ok, type Result } from '../result.js';

export interface Dashboard {
  /** The 30 Berlin days of the window, oldest first; every series has one number per day. */
  readonly days: readonly string[];
  readonly registrations: readonly number[];
  readonly locks: readonly number[];
  readonly deactivations: readonly number[];
  readonly funnel: {
    readonly registered: number;
    readonly emailConfirmed: number;
    readonly identityConfirmed: number;
    readonly mailboxDecided: number;
  };
  readonly identityMethods: { readonly LETTER: number; readonly POSTIDENT: number; readonly COUNTER: number };
}

const WINDOW_DAYS = 30;
const TYPES: readonly AuditEventType[] = ['REGISTRATION', 'ACCOUNT_LOCKED', 'ACCOUNT_DEACTIVATED', 'IDENTITY_CONFIRMED'];

/**
 * Calendar arithmetic, not instants: stepping back 24 hours from a late Berlin evening lands on the
 * same date twice (or skips one) across a change of clocks.
 */
const daysBefore = (date: IsoDate, back: number): IsoDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) - back * DAY_MS).toISOString().slice(0, 10);

export async function dashboard(deps: CoreDeps): Promise<Result<Dashboard>> {
  const now = deps.clock.now();
  const today = berlinDate(now);
  const days = Array.from({ length: WINDOW_DAYS }, (_, i) => daysBefore(today, WINDOW_DAYS - 1 - i));
  const index = new Map(days.map((d, i) => [d, i]));
  const series = () => days.map(() => 0);
  const registrations = series();
  const locks = series();
  const deactivations = series();
  const identityMethods = { LETTER: 0, POSTIDENT: 0, COUNTER: 0 };
  const since = new Date(now.getTime() - (WINDOW_DAYS + 1) * DAY_MS);
  for (const event of await deps.audit.eventsSince(since, TYPES)) {
    const i = index.get(berlinDate(new Date(event.at)));
    if (i === undefined) continue;
    if (event.type === 'REGISTRATION') registrations[i] = (registrations[i] ?? 0) + 1;
    else if (event.type === 'ACCOUNT_LOCKED') locks[i] = (locks[i] ?? 0) + 1;
    else if (event.type === 'ACCOUNT_DEACTIVATED') deactivations[i] = (deactivations[i] ?? 0) + 1;
    else {
      const method = event.data?.['method'];
      if (method === 'LETTER' || method === 'POSTIDENT' || method === 'COUNTER') identityMethods[method] += 1;
    }
  }
  return ok({ days, registrations, locks, deactivations, funnel: await deps.accounts.funnel(), identityMethods });
}
