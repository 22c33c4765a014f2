/**
 * The insurer's inbox at the counter: what persons write through their mailbox arrives here; staff
 * read it and answer into the person's mailbox, where the answer appears as a message from the
 * insurer, and the message is marked handled. The queue shows unhandled messages first.
 *
 * Every look is audited (the list with its size, each message read by whom); no staff member reads
 * or answers messages of their own online account; a message is claimed before it is answered, so
 * two staff answering at once give the person one answer. The answer's entry goes with the change
 * that records the answer on the message: committed with it, or not at all.
 */
import type { MailboxMessage } from '../account.js';
import { auditEntries, auditEvent, type Actor, type CoreDeps } from '../deps.js';
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

/** The account behind a message belongs to the staff member themselves. */
async function ownMessage(deps: CoreDeps, item: InboxItem, ownKvnr: string | undefined): Promise<boolean> {
  return ownKvnr !== undefined && (await deps.accounts.get(item.accountId))?.kvnr === ownKvnr;
}

export async function inboxQueue(deps: CoreDeps, who: Actor): Promise<Result<readonly InboxEntry[]>> {
  const items = await deps.inbox.list(QUEUE_LIMIT);
  await auditEvent(deps, who, deps.clock.now(), { type: 'INBOX_LISTED', data: { shown: items.length } });
  const names = new Map<string, string>();
  for (const item of items) if (!names.has(item.accountId)) names.set(item.accountId, await usernameOf(deps, item.accountId));
  return ok(items.map((item) => entry(item, names.get(item.accountId) ?? '')));
}

/** Reading is access to what a person wrote: every read is audited with the reason; the message keeps the time of its first read. */
export async function readInboxMessage(
  deps: CoreDeps,
  who: Actor,
  id: string,
  reason: string,
  ownKvnr?: string,
): Promise<Result<InboxMessage>> {
  const now = deps.clock.now();
  const existing = await deps.inbox.get(id);
  if (!existing) return fail('NOT_FOUND');
  if (await ownMessage(deps, existing, ownKvnr)) return fail('OWN_ACCOUNT');
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
  ownKvnr?: string,
): Promise<Result<null>> {
  const now = deps.clock.now();
  const found = await deps.inbox.get(id);
  if (!found) return fail('NOT_FOUND');
  if (await ownMessage(deps, found, ownKvnr)) return fail('OWN_ACCOUNT');
  // Claimed first: of two staff answering at once, one gets the message and the other WRONG_STEP.
  const item = await deps.inbox.update(id, (current) =>
    current.handledAt
      ? { result: undefined }
      : {
          next: { ...current, handledAt: now.toISOString(), handledBy: who.actor, readAt: current.readAt ?? now.toISOString() },
          result: current,
        },
  );
  if (!item) return fail('WRONG_STEP');
  /** Gives the claim back when the answer could not be delivered or recorded: the message is open again, as it was. */
  const release = () =>
    deps.inbox.update(id, (current) => {
      const { handledAt: _h, handledBy: _b, readAt: _r, answerId: _a, ...open } = current;
      return { next: { ...open, ...(item.readAt ? { readAt: item.readAt } : {}) }, result: null };
    });
  const answer: MailboxMessage = {
    id: deps.random.token(9),
    from: 'INSURER',
    subject: input.subject,
    body: input.body,
    at: now.toISOString(),
    read: false,
  };
  const deliver = async (): Promise<Result<null>> => {
    const account = await deps.accounts.get(item.accountId);
    if (!account) return fail('NOT_FOUND');
    if (account.mailbox.state !== 'ACTIVE') return fail('WRONG_STEP');
    await deps.mailbox.add(item.accountId, () => ({ add: [answer], result: null }));
    // Left or deleted meanwhile (at a kiosk): the answer does not stay in a closed mailbox.
    const after = await deps.accounts.get(item.accountId);
    if (after?.mailbox.state === 'ACTIVE') return ok(null);
    await deps.mailbox.remove(item.accountId, answer.id);
    return fail(after ? 'WRONG_STEP' : 'NOT_FOUND');
  };
  const delivered = await deliver().catch(async (error: unknown) => {
    await release();
    throw error;
  });
  if (!delivered.ok) {
    await release();
    return delivered;
  }
  const answered = { type: 'INBOX_MESSAGE_ANSWERED' as const, subject: item.accountId, data: { message: id, reason: input.reason } };
  // The answer counts once it is recorded on the message together with its entry; when that
  // fails it is taken back and the message is open again, so no answer stands without its entry.
  const recorded = await deps.inbox
    .update(id, (current) => ({ next: { ...current, answerId: answer.id }, result: true, audit: auditEntries(who, now, answered) }))
    .catch(async (error: unknown) => {
      // Each step on its own: a store that fails here too must not keep the other from happening.
      await deps.mailbox.remove(item.accountId, answer.id).catch(() => undefined);
      await release().catch(() => undefined);
      throw error;
    });
  // The message went meanwhile with its account (deletion): there is nothing to change, yet the answer was delivered.
  if (!recorded) await auditEvent(deps, who, now, answered);
  return ok(null);
}
