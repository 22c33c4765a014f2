/**
 * Help requests: a person at a kiosk taps "call someone", and the counter sees which terminal asks
 * and since when, until a staff member marks it done.
 *
 * Model: a request names the terminal and the time, nothing else. It is public (no login needed),
 * so it never carries the account of whoever is logged in: the audit entry's actor is the kiosk,
 * not the person. One request per terminal is open at a time (a second tap hears that someone is
 * on the way); at most `policy.help.maxPerHourPerTerminal` are made per terminal in a sliding hour,
 * done ones included, so a child tapping the button cannot keep the counter running.
 *
 * Threats: flooding the counter's queue from one kiosk (the open-one rule and the hourly limit,
 * decided inside the store's lock so that taps at once cannot pass it twice); personal data in the
 * queue (there is no field for it, and the store's schema refuses extra ones).
 *
 * A request's audit entries (opened, done) go with the store's change that opens or closes it:
 * committed with it, or not at all.
 */
import { auditEntries, type Actor, type CoreDeps } from '../deps.js';
import type { AuditEntry, RecordChange } from '../ports.js';
import { fail, ok, type Result } from '../result.js';
import type { HelpRequest } from './inbox-item.js';

const HOUR_MS = 3_600_000;
/** Done requests stay on the counter's list for a day; the audit trail keeps them for good. */
const KEEP_DONE_MS = 24 * HOUR_MS;
const LIST_LIMIT = 100;

export interface HelpRequested {
  /** REQUESTED: this tap opened a request; ALREADY_OPEN: one was open, someone is on the way. */
  readonly state: 'REQUESTED' | 'ALREADY_OPEN';
  /** Since when this terminal's open request waits. */
  readonly since: string;
}

/** A help request as the counter shows it. */
export interface HelpEntry {
  readonly id: string;
  readonly terminal: string;
  readonly at: string;
  readonly doneAt?: string;
}

type Decision = { add?: HelpRequest; result: Result<HelpRequested>; audit?: readonly AuditEntry[] };

/** The kiosk's actor: the terminal alone, whoever is logged in there. */
const kioskActor = (terminal: string): Actor => ({ actor: 'kiosk', terminal });

export function requestHelp(deps: CoreDeps, terminal: string): Promise<Result<HelpRequested>> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const hourAgo = new Date(now.getTime() - HOUR_MS).toISOString();
  const { maxPerHourPerTerminal } = deps.policy.help;
  const id = deps.random.token(9);
  return deps.inbox.addHelp(id, terminal, (mine): Decision => {
    const open = mine.find((h) => !h.doneAt);
    if (open) return { result: ok({ state: 'ALREADY_OPEN', since: open.at }) };
    const lastHour = mine.filter((h) => h.at > hourAgo).sort((a, b) => (a.at < b.at ? -1 : 1));
    if (lastHour.length >= maxPerHourPerTerminal) {
      const oldest = lastHour[lastHour.length - maxPerHourPerTerminal];
      const retryAt = new Date(new Date(oldest?.at ?? at).getTime() + HOUR_MS).toISOString();
      return { result: fail('RATE_LIMITED', { retryAt }) };
    }
    // Only a new request is audited: repeated taps and refusals would let one kiosk fill the trail.
    return {
      add: { id, kind: 'HELP', terminal, at },
      result: ok({ state: 'REQUESTED', since: at }),
      audit: auditEntries(kioskActor(terminal), now, { type: 'HELP_REQUESTED', data: { request: id } }),
    };
  });
}

export async function helpQueue(deps: CoreDeps): Promise<Result<readonly HelpEntry[]>> {
  const now = deps.clock.now();
  await deps.inbox.pruneHelp(new Date(now.getTime() - KEEP_DONE_MS).toISOString());
  const list = await deps.inbox.listHelp(LIST_LIMIT);
  return ok(list.map((h) => ({ id: h.id, terminal: h.terminal, at: h.at, ...(h.doneAt ? { doneAt: h.doneAt } : {}) })));
}

/** Marks a request done; of two staff at once, the second hears WRONG_STEP and nothing is audited twice. */
export async function closeHelp(deps: CoreDeps, who: Actor, id: string): Promise<Result<null>> {
  const now = deps.clock.now();
  const closed = await deps.inbox.updateHelp(id, (current): RecordChange<HelpRequest, 'CLOSED' | 'ALREADY_DONE'> => {
    if (current.doneAt) return { result: 'ALREADY_DONE' };
    const waitedSeconds = Math.round((now.getTime() - new Date(current.at).getTime()) / 1000);
    return {
      next: { ...current, doneAt: now.toISOString(), doneBy: who.actor },
      result: 'CLOSED',
      audit: auditEntries(who, now, { type: 'HELP_DONE', data: { request: id, kioskTerminal: current.terminal, waitedSeconds } }),
    };
  });
  if (closed === undefined) return fail('NOT_FOUND');
  if (closed === 'ALREADY_DONE') return fail('WRONG_STEP');
  return ok(null);
}
