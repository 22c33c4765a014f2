/**
 * The secure mailbox's messages (R9), readable with a confirmed identity while the mailbox is
 * active (see consent.ts). What a person can make the kiosk store is bounded: own messages per
 * day and in the mailbox.
 */
import type { Account, MailboxMessage } from '../account.js';
import { DAY_MS } from '../dates.js';
import type { CoreDeps } from '../deps.js';
import { identified } from '../identity.js';
import { fail, ok, type Result } from '../result.js';

/** The insurer's first messages in a newly activated mailbox. */
export function welcomeMessages(deps: CoreDeps, account: Account, now: Date): MailboxMessage[] {
  const en = account.language === 'en';
  const at = now.toISOString();
  return [
    {
      id: deps.random.token(9),
      from: 'INSURER',
      at,
      read: false,
      subject: en ? 'Welcome to your secure mailbox' : 'Willkommen in Ihrem sicheren Postfach',
      body: en
        ? 'From now on you receive our letters here as well, and you can write to us safely. We answer within two working days.'
        : 'Ab jetzt erhalten Sie unsere Schreiben auch hier, und Sie können uns sicher schreiben. Wir antworten innerhalb von zwei Werktagen.',
    },
    {
      id: deps.random.token(9),
      from: 'INSURER',
      at,
      read: false,
      subject: en ? 'Your bonus programme' : 'Ihr Bonusprogramm',
      body: en
        ? 'Did you know? Check-ups and vaccinations earn bonus points. Ask at the counter for the booklet.'
        : 'Schon gewusst? Vorsorgeuntersuchungen und Impfungen bringen Bonuspunkte. Fragen Sie am Schalter nach dem Heft.',
    },
  ];
}

export async function mailboxMessages(deps: CoreDeps, accountId: string): Promise<Result<readonly MailboxMessage[]>> {
  const account = await identified(deps, accountId);
  if (!account.ok) return account;
  if (account.value.mailbox.state !== 'ACTIVE') return fail('WRONG_STEP');
  // Newest first; messages of the same moment keep the order they were written in.
  return ok([...(account.value.mailbox.messages ?? [])].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)));
}

/**
 * The person's own messages are counted from the mailbox itself (their instants), so the limits
 * need no extra state. A full mailbox refuses rather than dropping older messages unasked.
 */
export async function writeToInsurer(deps: CoreDeps, accountId: string, input: { subject: string; body: string }): Promise<Result<null>> {
  const now = deps.clock.now();
  const { maxMessagesPerDay, maxStoredMessages } = deps.policy.mailbox;
  const message: MailboxMessage = { id: deps.random.token(9), from: 'PERSON', at: now.toISOString(), read: true, ...input };
  const result = await deps.accounts.update(accountId, (account): { next?: Account; result: Result<null> } => {
    if (!account.identity.confirmedAt || account.mailbox.state !== 'ACTIVE') return { result: fail('WRONG_STEP') };
    const messages = account.mailbox.messages ?? [];
    const own = messages.filter((m) => m.from === 'PERSON').map((m) => new Date(m.at).getTime());
    if (own.length >= maxStoredMessages) return { result: fail('MAILBOX_FULL', { max: maxStoredMessages }) };
    const lastDay = own.filter((at) => now.getTime() - at < DAY_MS);
    if (lastDay.length >= maxMessagesPerDay) {
      return { result: fail('RATE_LIMITED', { retryAt: new Date(Math.min(...lastDay) + DAY_MS).toISOString() }) };
    }
    return { next: { ...account, mailbox: { ...account.mailbox, messages: [...messages, message] } }, result: ok(null) };
  });
  if (!result) return fail('NOT_FOUND');
  if (!result.ok) return result;
  // The counter's copy: without it nobody at the insurer would read the message, so a failure
  // takes the person's copy back and the person is told it was not sent.
  try {
    await deps.inbox.add({ id: message.id, accountId, subject: message.subject, body: message.body, at: message.at });
    // Deleted meanwhile (at the counter): its messages go with it, this one included.
    if (!(await deps.accounts.get(accountId))) {
      await deps.inbox.removeFor(accountId);
      return fail('NOT_FOUND');
    }
  } catch (error) {
    await deps.accounts.update(accountId, (account) => ({
      next: { ...account, mailbox: { ...account.mailbox, messages: (account.mailbox.messages ?? []).filter((m) => m.id !== message.id) } },
      result: null,
    }));
    throw error;
  }
  return result;
}

export async function markRead(deps: CoreDeps, accountId: string, id: string): Promise<Result<null>> {
  const result = await deps.accounts.update(accountId, (account) => {
    const messages = account.mailbox.messages ?? [];
    if (!messages.some((m) => m.id === id)) return { result: fail('NOT_FOUND') };
    return {
      next: { ...account, mailbox: { ...account.mailbox, messages: messages.map((m) => (m.id === id ? { ...m, read: true } : m)) } },
      result: ok(null),
    };
  });
  return result ?? fail('NOT_FOUND');
}
