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

/**
 * Messages from before they left the account document (`mailbox.messages`) move to the mailbox
 * store the first time the account's mailbox is used: added there unless already there, then
 * dropped from the account, so nothing is lost when a step is cut short.
 */
async function moveLegacyMessages(deps: CoreDeps, account: Account): Promise<Account> {
  const legacy = account.mailbox.messages;
  if (!legacy) return account;
  await deps.mailbox.add(account.id, (current) => {
    const present = new Set(current.map((m) => m.id));
    return { add: legacy.filter((m) => !present.has(m.id)), result: null };
  });
  const moved = await deps.accounts.update(account.id, (current) => {
    if (!current.mailbox.messages) return { result: current };
    const { messages: _moved, ...mailbox } = current.mailbox;
    const next = { ...current, mailbox };
    return { next, result: next };
  });
  return moved ?? account;
}

/** Unread messages, for the start screen. */
export async function unreadMessages(deps: CoreDeps, account: Account): Promise<number> {
  if (account.mailbox.state !== 'ACTIVE') return 0;
  const messages = [...(account.mailbox.messages ?? []), ...(await deps.mailbox.list(account.id))];
  return new Set(messages.filter((m) => !m.read).map((m) => m.id)).size;
}

export async function mailboxMessages(deps: CoreDeps, accountId: string): Promise<Result<readonly MailboxMessage[]>> {
  const account = await identified(deps, accountId);
  if (!account.ok) return account;
  if (account.value.mailbox.state !== 'ACTIVE') return fail('WRONG_STEP');
  await moveLegacyMessages(deps, account.value);
  // Newest first; messages of the same moment keep the order they were written in.
  return ok([...(await deps.mailbox.list(accountId))].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)));
}

/**
 * The person's own messages are counted from the mailbox itself (their instants), so the limits
 * need no extra state. A full mailbox refuses rather than dropping older messages unasked.
 */
export async function writeToInsurer(deps: CoreDeps, accountId: string, input: { subject: string; body: string }): Promise<Result<null>> {
  const now = deps.clock.now();
  const { maxMessagesPerDay, maxStoredMessages } = deps.policy.mailbox;
  const message: MailboxMessage = { id: deps.random.token(9), from: 'PERSON', at: now.toISOString(), read: true, ...input };
  const account = await deps.accounts.get(accountId);
  if (!account) return fail('NOT_FOUND');
  if (!account.identity.confirmedAt || account.mailbox.state !== 'ACTIVE') return fail('WRONG_STEP');
  await moveLegacyMessages(deps, account);
  const result = await deps.mailbox.add(accountId, (messages): { add?: readonly MailboxMessage[]; result: Result<null> } => {
    const own = messages.filter((m) => m.from === 'PERSON').map((m) => new Date(m.at).getTime());
    if (own.length >= maxStoredMessages) return { result: fail('MAILBOX_FULL', { max: maxStoredMessages }) };
    const lastDay = own.filter((at) => now.getTime() - at < DAY_MS);
    if (lastDay.length >= maxMessagesPerDay) {
      return { result: fail('RATE_LIMITED', { retryAt: new Date(Math.min(...lastDay) + DAY_MS).toISOString() }) };
    }
    return { add: [message], result: ok(null) };
  });
  if (!result.ok) return result;
  // The counter's copy: without it nobody at the insurer would read the message, so a failure
  // takes the person's copy back and the person is told it was not sent.
  try {
    await deps.inbox.add({ id: message.id, accountId, subject: message.subject, body: message.body, at: message.at });
    // Deleted meanwhile (at the counter): its messages go with it, this one included. A mailbox
    // left meanwhile keeps no message: the person's copy goes, the counter has the one it was sent.
    const after = await deps.accounts.get(accountId);
    if (!after) {
      await deps.mailbox.removeFor(accountId);
      await deps.inbox.removeFor(accountId);
      return fail('NOT_FOUND');
    }
    if (after.mailbox.state !== 'ACTIVE') await deps.mailbox.remove(accountId, message.id);
  } catch (error) {
    await deps.mailbox.remove(accountId, message.id);
    throw error;
  }
  return result;
}

export async function markRead(deps: CoreDeps, accountId: string, id: string): Promise<Result<null>> {
  const account = await deps.accounts.get(accountId);
  if (!account) return fail('NOT_FOUND');
  await moveLegacyMessages(deps, account);
  const result = await deps.mailbox.update(accountId, id, (message) =>
    message.read ? { result: ok(null) } : { next: { ...message, read: true }, result: ok(null) },
  );
  return result ?? fail('NOT_FOUND');
}
