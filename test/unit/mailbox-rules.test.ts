/** The rules of the secure mailbox (R5, R9): consent, the insurer's welcome, order, limits, the counter's copy. */
import { describe, expect, it } from 'vitest';
import { decideMailbox } from '../../src-main/core/mailbox/consent.js';
import { markRead, writeToInsurer } from '../../src-main/core/mailbox/messages.js';
import type { CoreDeps } from '../../src-main/core/deps.js';
import { WHO, erikaInput, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';
import { activeAccount } from '../fixtures/active.js';

type Harness = ReturnType<typeof makeHarness>;

async function identifiedIn(language: 'de' | 'en') {
  const h = makeHarness();
  const r = await h.core.registration.register(WHO, erikaInput({ language }));
  if (!r.ok) throw new Error(r.error.code);
  const id = r.value.accountId;
  await h.core.email.confirm(WHO, id, { email: 'erika@example.org', code: h.lastCode() });
  await h.core.identity.requestLetter(WHO, id);
  const letter = h.letters.at(-1);
  if (letter?.kind !== 'ACTIVATION_KEY') throw new Error('no letter');
  await h.core.identity.enterKey(WHO, id, letter.key);
  return { h, id };
}

const subjects = async (h: Harness, id: string) => {
  const list = await h.core.mailbox.messages(id);
  return list.ok ? list.value.map((m) => m.subject) : list.error.code;
};

describe('mailbox consent', () => {
  it('the decision is answered with the state and recorded with what was chosen', async () => {
    const { h, id } = await identifiedIn('de');
    expect(await h.core.mailbox.decide(WHO, id, false)).toEqual({ ok: true, value: { state: 'DECLINED' } });
    expect(await h.core.mailbox.decide(WHO, id, true)).toEqual({ ok: true, value: { state: 'ACTIVE' } });
    const consents = h.audit.events().filter((e) => e.type === 'MAILBOX_CONSENT');
    expect(consents.map((e) => [e.subject, e.data])).toEqual([
      [id, { accept: false }],
      [id, { accept: true }],
    ]);
  });

  it('accepting again keeps the mailbox as it is: the person’s messages stay and no second welcome comes', async () => {
    const { h, id } = await activeAccount();
    await h.core.mailbox.write(id, { subject: 'Frage', body: 'Text' });
    expect(await h.core.mailbox.decide(WHO, id, true)).toEqual({ ok: true, value: { state: 'ACTIVE' } });
    expect((await h.mailbox.list(id)).map((m) => m.subject).sort()).toEqual([
      'Frage',
      'Ihr Bonusprogramm',
      'Willkommen in Ihrem sicheren Postfach',
    ]);
  });

  it('an unknown account is NOT_FOUND', async () => {
    const h = makeHarness();
    expect(await decideMailbox(h.deps, WHO, 'no-such-account', true)).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('the insurer’s welcome', () => {
  it('comes in German to a German account', async () => {
    const { h, id } = await identifiedIn('de');
    await h.core.mailbox.decide(WHO, id, true);
    const list = await h.core.mailbox.messages(id);
    expect(list.ok && list.value.map((m) => [m.from, m.subject, m.body.slice(0, 14), m.read])).toEqual([
      ['INSURER', 'Willkommen in Ihrem sicheren Postfach', 'Ab jetzt erhal', false],
      ['INSURER', 'Ihr Bonusprogramm', 'Schon gewusst?', false],
    ]);
  });

  it('comes in English to an English account', async () => {
    const { h, id } = await identifiedIn('en');
    await h.core.mailbox.decide(WHO, id, true);
    const list = await h.core.mailbox.messages(id);
    expect(list.ok && list.value.map((m) => [m.subject, m.body.slice(0, 13)])).toEqual([
      ['Welcome to your secure mailbox', 'From now on y'],
      ['Your bonus programme', 'Did you know?'],
    ]);
  });
});

describe('reading the mailbox', () => {
  it('lists the newest first; messages of the same moment keep the order they were written in', async () => {
    const { h, id } = await activeAccount();
    h.clock.advance(60_000);
    await h.core.mailbox.write(id, { subject: 'Erste', body: 'Text' });
    h.clock.advance(60_000);
    await h.core.mailbox.write(id, { subject: 'Zweite', body: 'Text' });
    expect(await subjects(h, id)).toEqual(['Zweite', 'Erste', 'Willkommen in Ihrem sicheren Postfach', 'Ihr Bonusprogramm']);
  });

  it('needs a confirmed identity (IDENTITY_REQUIRED) and an active mailbox (WRONG_STEP)', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    expect(await h.core.mailbox.messages(id)).toEqual({ ok: false, error: { code: 'IDENTITY_REQUIRED' } });
    const declined = await identifiedIn('de');
    await declined.h.core.mailbox.decide(WHO, declined.id, false);
    expect(await declined.h.core.mailbox.messages(declined.id)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
  });

  it('a mailbox that is not active shows no unread messages on the start screen', async () => {
    const { h, id } = await activeAccount();
    await h.core.mailbox.decide(WHO, id, false);
    await h.mailbox.add(id, () => ({
      add: [{ id: 'left-behind', from: 'INSURER', at: '2026-11-29T10:00:00.000Z', read: false, subject: 'x', body: 'y' }],
      result: null,
    }));
    const view = await h.core.view(id);
    expect(view.ok && view.value.unreadMessages).toBe(0);
  });

  it('a message from an earlier version that is already in the mailbox is not added a second time', async () => {
    const { h, id } = await activeAccount();
    const present = (await h.mailbox.list(id))[0];
    if (!present) throw new Error('setup');
    await h.accounts.update(id, (a) => ({ next: { ...a, mailbox: { ...a.mailbox, messages: [present] } }, result: null }));
    const list = await h.core.mailbox.messages(id);
    expect(list.ok && list.value.filter((m) => m.id === present.id)).toHaveLength(1);
    expect(await h.mailbox.list(id)).toHaveLength(2);
  });

  it('marking read: an unknown account or message is NOT_FOUND; a message read already stays read', async () => {
    const { h, id } = await activeAccount();
    const first = (await h.mailbox.list(id))[0];
    if (!first) throw new Error('setup');
    expect(await markRead(h.deps, 'no-such-account', first.id)).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await h.core.mailbox.markRead(id, 'no-such-message')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await h.core.mailbox.markRead(id, first.id)).toEqual({ ok: true, value: null });
    expect(await h.core.mailbox.markRead(id, first.id)).toEqual({ ok: true, value: null });
    expect((await h.mailbox.list(id)).find((m) => m.id === first.id)?.read).toBe(true);
  });
});

describe('writing to the insurer', () => {
  it('an unknown account is NOT_FOUND; without a confirmed identity or with a declined mailbox WRONG_STEP', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const message = { subject: 'Frage', body: 'Text' };
    expect(await writeToInsurer(h.deps, 'no-such-account', message)).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await writeToInsurer(h.deps, id, message)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    const declined = await identifiedIn('de');
    await declined.h.core.mailbox.decide(WHO, declined.id, false);
    expect(await declined.h.core.mailbox.write(declined.id, message)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect(await declined.h.inbox.list(10)).toEqual([]);
  });

  it('a refused message does not reach the counter either', async () => {
    const { h, id } = await activeAccount();
    for (let i = 0; i < 10; i++) await h.core.mailbox.write(id, { subject: `Frage ${i}`, body: 'Text' });
    expect((await h.core.mailbox.write(id, { subject: 'Zu viel', body: 'Text' })).ok).toBe(false);
    expect((await h.inbox.list(20)).map((m) => m.subject)).not.toContain('Zu viel');
  });

  it('an account deleted while the message went to the counter: NOT_FOUND, and its messages go', async () => {
    const { h, id } = await activeAccount();
    const inbox = Object.assign(Object.create(h.deps.inbox) as CoreDeps['inbox'], {
      add: async (item: Parameters<CoreDeps['inbox']['add']>[0]) => {
        await h.deps.inbox.add(item);
        await h.accounts.delete(id);
      },
    });
    expect(await writeToInsurer({ ...h.deps, inbox }, id, { subject: 'Frage', body: 'Text' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await h.mailbox.list(id)).toEqual([]);
    expect(await h.inbox.list(10)).toEqual([]);
  });

  it('a mailbox left while the message went to the counter keeps no copy of it', async () => {
    const { h, id } = await activeAccount();
    const inbox = Object.assign(Object.create(h.deps.inbox) as CoreDeps['inbox'], {
      add: async (item: Parameters<CoreDeps['inbox']['add']>[0]) => {
        await h.deps.inbox.add(item);
        await h.accounts.update(id, (a) => ({ next: { ...a, mailbox: { state: 'DECLINED' as const } }, result: null }));
      },
    });
    expect(await writeToInsurer({ ...h.deps, inbox }, id, { subject: 'Frage', body: 'Text' })).toEqual({ ok: true, value: null });
    expect((await h.mailbox.list(id)).map((m) => m.subject)).not.toContain('Frage');
    expect((await h.inbox.list(10)).map((m) => m.subject)).toEqual(['Frage']);
  });
});
