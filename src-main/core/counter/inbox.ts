/**
 * The insurer's inbox at the counter: what persons write through their mailbox arrives here; staff
 * read it and answer into the person's mailbox, where the answer appears as a message from the
 * insurer, and the message is marked handled. The queue shows unhandled messages first.
 */
import type { Account, MailboxMessage } from '../account.js';
import { auditEvent, type Actor, type CoreDeps } from '../deps.js';
import { fail, ok, type Result } from '../result.js';
import type { InboxItem } from './inbox-item.js';

export interface InboxEntry {
  readonly id: string;
  readonly accountId: string;
  readonly username: string;
  readonly subject: string;
  readonly at: string;
  readonly read: boolean;
  readonly handledAt?: string;
}

export interface InboxMessage extends InboxEntry {
  readonly body: string;
  readonly handledBy?: string;
}

const QUEUE_LIMIT = 200;

async function usernameOf(deps: CoreDeps, accountId: string): Promise<string> {
  return (await deps.accounts.get(accountId))?.username ?? '';
}

function entry(item: InboxItem, username: string): InboxEntry {
  return {
    id: item.id,
    accountId: item.accountId,
    username,
    subject: item.subject,
    at: item.at,
    read: item.readAt !== undefined,
    ...(item.handledAt ? { handledAt: item.handledAt } : {}),
  };
}

export async function inboxQueue(deps: CoreDeps): Promise<Result<readonly InboxEntry[]>> {
  const items = await deps.inbox.list(QUEUE_LIMIT);
  const names = new Map<string, string>();
  for (const item of items) if (!names.has(item.accountId)) names.set(item.accountId, await usernameOf(deps, item.accountId));
  return ok(items.map((item) => entry(item, names.get(item.accountId) ?? '')));
}

/** Reading is access to what a person wrote: audited once per message and staff member. */
export async function readInboxMessage(deps: CoreDeps, who: Actor, id: string, reason: string): Promise<Result<InboxMessage>> {
  const now = deps.clock.now();
  const item = await deps.inbox.update(id, (current) =>
    current.readAt
      ? { result: current }
      : { next: { ...current, readAt: now.toISOString() }, result: { ...current, readAt: now.toISOString() } },
  );
  if (!item) return fail('NOT_FOUND');
  await auditEvent(deps, who, now, { type: 'INBOX_MESSAGE_READ', subject: item.accountId, data: { message: id, reason } });
  return ok({
    ...entry(item, await usernameOf(deps, item.accountId)),
    body: item.body,
    ...(item.handledBy ? { handledBy: item.handledBy } : {}),
  });
}

/** The answer goes into the person's mailbox; the message is handled. A handled message is not answered twice. */
export async function answerInboxMessage(
  deps: CoreDeps,
  who: Actor,
  id: string,
  input: { subject: string; body: string; reason: string },
): Promise<Result<null>> {
  const now = deps.clock.now();
  const item = await deps.inbox.get(id);
  if (!item) return fail('NOT_FOUND');
  if (item.handledAt) return fail('WRONG_STEP');
  const answer: MailboxMessage = {
    id: deps.random.token(9),
    from: 'INSURER',
    subject: input.subject,
    body: input.body,
    at: now.toISOString(),
    read: false,
  };
  const delivered = await deps.accounts.update(item.accountId, (account): { next?: Account; result: Result<null> } => {
    if (account.mailbox.state !== 'ACTIVE') return { result: fail('WRONG_STEP') };
    return {
      next: { ...account, mailbox: { ...account.mailbox, messages: [...(account.mailbox.messages ?? []), answer] } },
      result: ok(null),
    };
  });
  if (!delivered) return fail('NOT_FOUND');
  if (!delivered.ok) return delivered;
  await deps.inbox.update(id, (current) => ({
    next: {
      ...current,
      handledAt: now.toISOString(),
      handledBy: who.actor,
      answerId: answer.id,
      readAt: current.readAt ?? now.toISOString(),
    },
    result: null,
  }));
  await auditEvent(deps, who, now, {
    type: 'INBOX_MESSAGE_ANSWERED',
    subject: item.accountId,
    data: { message: id, reason: input.reason },
  });
  return ok(null);
}
