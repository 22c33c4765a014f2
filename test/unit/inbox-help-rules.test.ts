/**
 * The counter's inbox and help queue, rule by rule: what the queue and a read show, what reading
 * and answering store and record, how a failed answer leaves the message, how long done help
 * requests stay listed, the hourly limit at its boundary and the list's size. Fake clock throughout.
 */
import { describe, expect, it, vi } from 'vitest';
import { deleteAtCounter } from '../../src-main/core/counter/counter-actions.js';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { policySchema } from '../../src-main/core/policy.js';
import { activeAccount } from '../fixtures/active.js';
import { COUNTER, readyStaff } from '../fixtures/staff.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const reason = 'Person am Schalter';

/** A person's message in the counter's queue and a staff member to read and answer it. */
async function messageWaiting() {
  const { h, id } = await activeAccount();
  await h.core.mailbox.write(id, { subject: 'Frage', body: 'Guten Tag' });
  const writtenAt = h.clock.now().toISOString();
  const clerk = await readyStaff(h, 'berta.meier', 'staff');
  const queue = await h.core.counter.inbox(COUNTER, clerk.principal);
  const messageId = queue.ok ? queue.value[0]?.id : undefined;
  if (!messageId) throw new Error('no message');
  return { h, id, clerk, messageId, writtenAt, by: `staff:${clerk.principal.staffId}` };
}

describe('the inbox at the counter', () => {
  it('the queue shows each message with its account’s username, unread, and the look is recorded with how many were shown', async () => {
    const { h, id, clerk, messageId, writtenAt, by } = await messageWaiting();
    h.clock.advance(MIN);
    await h.core.mailbox.write(id, { subject: 'Noch eine', body: 'Text' });
    const from = h.audit.events().length;
    const queue = await h.core.counter.inbox(COUNTER, clerk.principal);
    expect(queue.ok && queue.value[1]).toEqual({
      id: messageId,
      accountId: id,
      username: 'erika.m',
      subject: 'Frage',
      at: writtenAt,
      read: false,
    });
    expect(h.audit.events().slice(from)).toEqual([
      expect.objectContaining({ type: 'INBOX_LISTED', actor: by, terminal: 'counter-1', data: { shown: 2 } }),
    ]);
  });

  it('reading records INBOX_MESSAGE_READ with the message and the reason every time; the first read’s time stays', async () => {
    const { h, id, clerk, messageId, writtenAt, by } = await messageWaiting();
    expect(await h.core.counter.readMessage(COUNTER, clerk.principal, 'no-such-message', reason)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const firstRead = h.clock.now().toISOString();
    const read = await h.core.counter.readMessage(COUNTER, clerk.principal, messageId, reason);
    expect(read).toEqual({
      ok: true,
      value: { id: messageId, accountId: id, username: 'erika.m', subject: 'Frage', at: writtenAt, read: true, body: 'Guten Tag' },
    });
    h.clock.advance(MIN);
    expect((await h.core.counter.readMessage(COUNTER, clerk.principal, messageId, 'Rückfrage')).ok).toBe(true);
    expect((await h.inbox.get(messageId))?.readAt).toBe(firstRead);
    expect(h.audit.events().filter((e) => e.type === 'INBOX_MESSAGE_READ')).toEqual([
      expect.objectContaining({ subject: id, actor: by, data: { message: messageId, reason } }),
      expect.objectContaining({ subject: id, actor: by, data: { message: messageId, reason: 'Rückfrage' } }),
    ]);
  });

  it('an answer arrives as the insurer’s, unread; the message is handled by the staff member and recorded as answered', async () => {
    const { h, id, clerk, messageId, by } = await messageWaiting();
    h.clock.advance(MIN);
    const at = h.clock.now().toISOString();
    expect(await h.core.counter.answerMessage(COUNTER, clerk.principal, 'no-such-message', { subject: 'Re', body: 'x', reason })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(
      await h.core.counter.answerMessage(COUNTER, clerk.principal, messageId, { subject: 'Re: Frage', body: 'Antwort', reason }),
    ).toEqual({
      ok: true,
      value: null,
    });
    const box = await h.core.mailbox.messages(id);
    const answer = box.ok ? box.value.find((m) => m.from === 'INSURER') : undefined;
    expect(answer).toEqual({ id: expect.any(String), from: 'INSURER', subject: 'Re: Frage', body: 'Antwort', at, read: false });
    expect(await h.inbox.get(messageId)).toMatchObject({ handledAt: at, handledBy: by, readAt: at, answerId: answer?.id });
    expect(h.audit.events().filter((e) => e.type === 'INBOX_MESSAGE_ANSWERED')).toEqual([
      expect.objectContaining({ subject: id, actor: by, terminal: 'counter-1', data: { message: messageId, reason } }),
    ]);
    // Read afterwards, the message says who answered it and when.
    expect(await h.core.counter.readMessage(COUNTER, clerk.principal, messageId, reason)).toMatchObject({
      ok: true,
      value: { handledAt: at, handledBy: by, read: true },
    });
  });

  it('answering a message read earlier keeps the time of that first read', async () => {
    const { h, clerk, messageId } = await messageWaiting();
    const firstRead = h.clock.now().toISOString();
    await h.core.counter.readMessage(COUNTER, clerk.principal, messageId, reason);
    h.clock.advance(MIN);
    await h.core.counter.answerMessage(COUNTER, clerk.principal, messageId, { subject: 'Re: Frage', body: 'Antwort', reason });
    expect((await h.inbox.get(messageId))?.readAt).toBe(firstRead);
  });

  it('an answer that cannot be delivered leaves the message as it was: unread stays unread, a read one keeps its time', async () => {
    const { h, id, clerk, messageId } = await messageWaiting();
    await h.accounts.update(id, (account) => ({ next: { ...account, mailbox: { ...account.mailbox, state: 'DECLINED' } }, result: null }));
    const answer = { subject: 'Re: Frage', body: 'Antwort', reason };
    const before = await h.inbox.get(messageId);
    expect(await h.core.counter.answerMessage(COUNTER, clerk.principal, messageId, answer)).toEqual({
      ok: false,
      error: { code: 'WRONG_STEP' },
    });
    expect(await h.inbox.get(messageId)).toEqual(before);
    await h.core.counter.readMessage(COUNTER, clerk.principal, messageId, reason);
    const read = await h.inbox.get(messageId);
    h.clock.advance(MIN);
    expect(await h.core.counter.answerMessage(COUNTER, clerk.principal, messageId, answer)).toEqual({
      ok: false,
      error: { code: 'WRONG_STEP' },
    });
    expect(await h.inbox.get(messageId)).toEqual(read);
    expect(h.audit.events().filter((e) => e.type === 'INBOX_MESSAGE_ANSWERED')).toEqual([]);
  });
});

describe('the inbox when the account changes meanwhile', () => {
  /** Runs `action` once, right after the next call of `method` on `store` has answered. */
  function afterNextCall<T extends object>(store: T, method: keyof T & string, action: () => Promise<unknown>) {
    const original = (store[method] as (...args: unknown[]) => Promise<unknown>).bind(store);
    let done = false;
    return vi.spyOn(store, method as never).mockImplementation((async (...args: unknown[]) => {
      const answer = await original(...args);
      if (!done) {
        done = true;
        await action();
      }
      return answer;
    }) as never);
  }
  const removeAccount = (h: Awaited<ReturnType<typeof messageWaiting>>['h'], id: string) =>
    deleteAtCounter(h.deps, { actor: 'staff:other', terminal: 'counter-9' }, id, { reason, document: 'ID_CARD' });

  it('a message whose account is deleted while it is opened is NOT_FOUND, also for staff insured here, and no read is recorded', async () => {
    const { h, id, messageId } = await messageWaiting();
    const insured = await readyStaff(h, 'dora.klein', 'staff', DEMO_REGISTER[1]?.kvnr);
    afterNextCall(h.inbox, 'get', () => removeAccount(h, id));
    expect(await h.core.counter.readMessage(COUNTER, insured.principal, messageId, reason)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(h.audit.events().filter((e) => e.type === 'INBOX_MESSAGE_READ')).toEqual([]);
  });

  it('a queue listed just before its account was deleted shows that message without a username', async () => {
    const { h, id, clerk, messageId } = await messageWaiting();
    afterNextCall(h.inbox, 'list', () => removeAccount(h, id));
    const queue = await h.core.counter.inbox(COUNTER, clerk.principal);
    expect(queue.ok && queue.value.map((m) => [m.id, m.username])).toEqual([[messageId, '']]);
  });

  it('each account’s username is looked up once for the queue, however many messages it wrote', async () => {
    const { h, id, clerk } = await messageWaiting();
    await h.core.mailbox.write(id, { subject: 'Zwei', body: 'Text' });
    await h.core.mailbox.write(id, { subject: 'Drei', body: 'Text' });
    const gets = vi.spyOn(h.accounts, 'get');
    const queue = await h.core.counter.inbox(COUNTER, clerk.principal);
    expect(queue.ok && queue.value.map((m) => m.username)).toEqual(['erika.m', 'erika.m', 'erika.m']);
    expect(gets).toHaveBeenCalledTimes(1);
  });

  it('an account deleted after its message was claimed for an answer: NOT_FOUND, and no answer anywhere', async () => {
    const { h, id, clerk, messageId } = await messageWaiting();
    afterNextCall(h.inbox, 'update', () => removeAccount(h, id));
    expect(await h.core.counter.answerMessage(COUNTER, clerk.principal, messageId, { subject: 'Re', body: 'Antwort', reason })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await h.mailbox.list(id)).toEqual([]);
    expect(h.audit.events().filter((e) => e.type === 'INBOX_MESSAGE_ANSWERED')).toEqual([]);
  });

  it('an answer delivered while the person declines the mailbox at a kiosk is taken back, and the message is open again', async () => {
    const { h, id, clerk, messageId } = await messageWaiting();
    const before = await h.inbox.get(messageId);
    afterNextCall(h.mailbox, 'add', () =>
      h.accounts.update(id, (account) => ({ next: { ...account, mailbox: { ...account.mailbox, state: 'DECLINED' } }, result: null })),
    );
    expect(await h.core.counter.answerMessage(COUNTER, clerk.principal, messageId, { subject: 'Re', body: 'Antwort', reason })).toEqual({
      ok: false,
      error: { code: 'WRONG_STEP' },
    });
    const box = await h.mailbox.list(id);
    expect(box.filter((m) => m.subject === 'Re')).toEqual([]);
    expect(await h.inbox.get(messageId)).toEqual(before);
  });

  it('an answer delivered while the account is deleted at a kiosk is NOT_FOUND', async () => {
    const { h, id, clerk, messageId } = await messageWaiting();
    afterNextCall(h.mailbox, 'add', () => removeAccount(h, id));
    expect(await h.core.counter.answerMessage(COUNTER, clerk.principal, messageId, { subject: 'Re', body: 'Antwort', reason })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await h.mailbox.list(id)).toEqual([]);
  });

  it('an answer whose delivery fails leaves the message open for the next try', async () => {
    const { h, clerk, messageId } = await messageWaiting();
    const before = await h.inbox.get(messageId);
    vi.spyOn(h.mailbox, 'add').mockRejectedValueOnce(new Error('mailbox unavailable'));
    await expect(
      h.core.counter.answerMessage(COUNTER, clerk.principal, messageId, { subject: 'Re', body: 'Antwort', reason }),
    ).rejects.toThrow('mailbox unavailable');
    expect(await h.inbox.get(messageId)).toEqual(before);
  });

  it('an answer delivered just before its account was deleted is still recorded in the trail', async () => {
    const { h, id, clerk, messageId, by } = await messageWaiting();
    // The second look at the account (after the delivery) still finds it; the deletion follows at once.
    const original = h.accounts.get.bind(h.accounts);
    let calls = 0;
    vi.spyOn(h.accounts, 'get').mockImplementation(async (accountId) => {
      const answer = await original(accountId);
      calls += 1;
      if (calls === 2) await removeAccount(h, id);
      return answer;
    });
    expect(await h.core.counter.answerMessage(COUNTER, clerk.principal, messageId, { subject: 'Re', body: 'Antwort', reason })).toEqual({
      ok: true,
      value: null,
    });
    expect(h.audit.events().filter((e) => e.type === 'INBOX_MESSAGE_ANSWERED')).toEqual([
      expect.objectContaining({ subject: id, actor: by, data: { message: messageId, reason } }),
    ]);
  });

  it('a staff member with an own KVNR reads and answers other people’s messages; an unknown message is NOT_FOUND', async () => {
    const { h, clerk, messageId } = await messageWaiting();
    const other = DEMO_REGISTER[1];
    if (!other) throw new Error('demo register');
    const insured = await readyStaff(h, 'dora.klein', 'staff', other.kvnr);
    expect(insured.principal.ownKvnr).toBe(other.kvnr);
    expect(await h.core.counter.readMessage(COUNTER, insured.principal, messageId, reason)).toMatchObject({ ok: true });
    expect(await h.core.counter.readMessage(COUNTER, insured.principal, 'no-such-message', reason)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await h.core.counter.answerMessage(COUNTER, insured.principal, 'no-such-message', { subject: 'Re', body: 'x', reason })).toEqual(
      { ok: false, error: { code: 'NOT_FOUND' } },
    );
    expect(await h.core.counter.answerMessage(COUNTER, insured.principal, messageId, { subject: 'Re', body: 'Antwort', reason })).toEqual({
      ok: true,
      value: null,
    });
    expect(clerk.principal.ownKvnr).toBeUndefined();
  });
});

describe('the help queue', () => {
  async function kioskAndCounter() {
    const { h } = await activeAccount();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const list = async () => {
      const r = await h.core.counter.helpRequests();
      if (!r.ok) throw new Error(r.error.code);
      return r.value;
    };
    return { h, clerk, list };
  }

  it('a done request stays listed until a day after it was made; an open one stays whatever its age', async () => {
    const { h, clerk, list } = await kioskAndCounter();
    const start = h.clock.now().getTime();
    await h.core.help.request('kiosk-1');
    h.clock.advance(MIN);
    await h.core.help.request('kiosk-2');
    const [first] = await list();
    expect(first?.terminal).toBe('kiosk-1');
    await h.core.counter.closeHelp(COUNTER, clerk.principal, first?.id ?? '');
    h.clock.set(new Date(start + 24 * HOUR).toISOString());
    expect((await list()).map((q) => q.terminal)).toEqual(['kiosk-2', 'kiosk-1']);
    h.clock.advance(1);
    expect((await list()).map((q) => q.terminal)).toEqual(['kiosk-2']);
    h.clock.advance(48 * HOUR);
    expect((await list()).map((q) => q.terminal)).toEqual(['kiosk-2']);
  });

  it('marking a request done records who did it and how long the kiosk waited, in whole seconds', async () => {
    const { h, clerk, list } = await kioskAndCounter();
    await h.core.help.request('kiosk-1');
    await h.core.help.request('kiosk-2');
    const [one, two] = await list();
    h.clock.advance(90_600);
    await h.core.counter.closeHelp(COUNTER, clerk.principal, one?.id ?? '');
    h.clock.advance(-200);
    await h.core.counter.closeHelp(COUNTER, clerk.principal, two?.id ?? '');
    expect(
      h.audit
        .events()
        .filter((e) => e.type === 'HELP_DONE')
        .map((e) => e.data?.['waitedSeconds']),
    ).toEqual([91, 90]);
    const stored = await h.inbox.listHelp(10);
    expect(new Set(stored.map((r) => r.doneBy))).toEqual(new Set([`staff:${clerk.principal.staffId}`]));
    expect(stored).toHaveLength(2);
  });

  it('a request made exactly an hour ago no longer counts toward the hourly limit', async () => {
    const { h, clerk, list } = await kioskAndCounter();
    const start = h.clock.now().getTime();
    for (let i = 0; i < 4; i++) {
      expect(await h.core.help.request('kiosk-1')).toMatchObject({ ok: true, value: { state: 'REQUESTED' } });
      const open = (await list()).find((q) => !q.doneAt);
      await h.core.counter.closeHelp(COUNTER, clerk.principal, open?.id ?? '');
      h.clock.advance(MIN);
    }
    expect(await h.core.help.request('kiosk-1')).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { retryAt: new Date(start + HOUR).toISOString() } },
    });
    h.clock.set(new Date(start + HOUR).toISOString());
    expect(await h.core.help.request('kiosk-1')).toMatchObject({ ok: true, value: { state: 'REQUESTED' } });
  });

  it('the retry time is an hour after the oldest request of the hour, in whatever order the store keeps them', async () => {
    const policy = policySchema.parse({ help: { maxPerHourPerTerminal: 2 } });
    const { h } = await activeAccount({ policy });
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const start = h.clock.now().getTime();
    const askAndClose = async (at: number) => {
      h.clock.set(new Date(at).toISOString());
      expect(await h.core.help.request('kiosk-1')).toMatchObject({ ok: true, value: { state: 'REQUESTED' } });
      const open = (await h.core.counter.helpRequests()).ok ? (await h.inbox.listHelp(10)).find((q) => !q.doneAt) : undefined;
      await h.core.counter.closeHelp(COUNTER, clerk.principal, open?.id ?? '');
    };
    // The later one is stored first.
    await askAndClose(start + 10 * MIN);
    await askAndClose(start);
    h.clock.set(new Date(start + 20 * MIN).toISOString());
    expect(await h.core.help.request('kiosk-1')).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { retryAt: new Date(start + HOUR).toISOString() } },
    });
  });

  it('the counter’s list shows at most 100 requests', async () => {
    const { h, list } = await kioskAndCounter();
    for (let i = 0; i < 101; i++) await h.core.help.request(`kiosk-${i}`);
    expect(await list()).toHaveLength(100);
  });
});
