/** Counter actions on online accounts (R10 with the counter parts of R4, R7, R11), through the core. */
import { describe, expect, it, vi } from 'vitest';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { activeAccount } from '../fixtures/active.js';
import { erikaInput, makeHarness, registeredAndConfirmed, WHO } from '../fixtures/harness.js';
import { COUNTER, readyStaff } from '../fixtures/staff.js';

const reason = 'Person am Schalter';

async function lockOut(h: ReturnType<typeof makeHarness>, attempts: number): Promise<void> {
  for (let i = 0; i < attempts; i++) await h.core.login.withPassword(WHO, { username: 'erika.m', password: 'falsch' });
}

describe('finding an account at the counter', () => {
  it('by KVNR, by username without case, by name and birth date as at registration; each search audited without its terms', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const found = [
      { accountId: id, username: 'erika.m', kvnr: 'A123456780', firstName: 'Erika', lastName: 'Mustermann', birthDate: '1984-08-12' },
    ];
    expect(await h.core.counter.search(COUNTER, principal, { by: 'KVNR', kvnr: 'a 123 456 780' }, reason)).toMatchObject({
      ok: true,
      value: found,
    });
    expect(await h.core.counter.search(COUNTER, principal, { by: 'USERNAME', username: 'ERIKA.M' }, reason)).toMatchObject({
      ok: true,
      value: found,
    });
    expect(
      await h.core.counter.search(
        COUNTER,
        principal,
        { by: 'NAME', lastName: ' MUSTERMANN ', firstName: 'erika', birthDate: '1984-08-12' },
        reason,
      ),
    ).toMatchObject({ ok: true, value: found });
    expect(
      await h.core.counter.search(COUNTER, principal, { by: 'NAME', lastName: 'Mustermann', birthDate: '1984-08-13' }, reason),
    ).toEqual({
      ok: true,
      value: [],
    });
    expect(await h.core.counter.search(COUNTER, principal, { by: 'KVNR', kvnr: 'A123456781' }, reason)).toEqual({
      ok: false,
      error: { code: 'SEARCH_INVALID', details: { field: 'kvnr' } },
    });
    expect(
      await h.core.counter.search(COUNTER, principal, { by: 'NAME', lastName: 'Mustermann', birthDate: '1984-02-30' }, reason),
    ).toMatchObject({
      ok: false,
      error: { code: 'SEARCH_INVALID' },
    });
    const searches = h.audit.events().filter((e) => e.type === 'COUNTER_SEARCH' || e.type === 'STAFF_ACTION_REFUSED');
    expect(searches.map((e) => e.data)).toEqual([
      { by: 'KVNR', results: 1, reason },
      { by: 'USERNAME', results: 1, reason },
      { by: 'NAME', results: 1, reason },
      { by: 'NAME', results: 0, reason },
      { action: 'SEARCH', code: 'SEARCH_INVALID', reason },
      { action: 'SEARCH', code: 'SEARCH_INVALID', reason },
    ]);
    const audit = h.audit.lines.join('\n');
    for (const term of ['A123456780', 'erika', 'Mustermann', '1984-08-12']) expect(audit).not.toContain(term);
  });
});

describe('the account at the counter', () => {
  it('shows its state, only the actions that state allows, and its security history newest first', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const view = await h.core.counter.account(COUNTER, principal, id, reason);
    if (!view.ok) throw new Error(view.error.code);
    expect(view.value).toMatchObject({
      step: 'CHOOSE_IDENTITY',
      state: 'OPEN',
      emailConfirmed: true,
      emailMasked: 'e***@example.org',
      failures: 0,
      actions: ['CONFIRM_IDENTITY', 'NEW_ACTIVATION_LETTER', 'TEMPORARY_PASSWORD', 'ISSUE_LOGIN_CODE', 'DELETE_ACCOUNT'],
    });
    // The look itself is part of the history, naming the staff member by username.
    expect(view.value.history.map((e) => e.type)).toEqual(['COUNTER_ACCOUNT_VIEWED', 'EMAIL_CONFIRMED', 'EMAIL_CODE_SENT', 'REGISTRATION']);
    expect(view.value.history[0]).toMatchObject({ by: 'staff:berta.meier', terminal: 'counter-1', details: { reason } });
    expect(JSON.stringify(view.value)).not.toMatch(/argon2|hash/);
    await lockOut(h, 5);
    const locked = await h.core.counter.account(COUNTER, principal, id, reason);
    expect(locked).toMatchObject({ ok: true, value: { state: 'LOCKED', failures: 5, lockedUntil: expect.any(String) } });
    expect(locked.ok && locked.value.actions).toContain('LIFT_LOCK');
    expect(locked.ok && locked.value.history.map((e) => e.type).slice(0, 2)).toEqual(['COUNTER_ACCOUNT_VIEWED', 'ACCOUNT_LOCKED']);
    await lockOut(h, 1);
    const deactivated = await h.core.counter.account(COUNTER, principal, id, reason);
    expect(deactivated.ok && deactivated.value.actions).toEqual([
      'CONFIRM_IDENTITY',
      'NEW_ACTIVATION_LETTER',
      'REACTIVATE',
      'DELETE_ACCOUNT',
    ]);
    expect(h.audit.events().filter((e) => e.type === 'COUNTER_ACCOUNT_VIEWED')).toHaveLength(3);
  });

  it('identity confirmed in person: the document kind is recorded (no number), a letter on its way is void, twice is refused', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    await h.core.identity.requestLetter(WHO, id);
    const letter = h.letters.at(-1);
    if (letter?.kind !== 'ACTIVATION_KEY') throw new Error('no letter');
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    expect(await h.core.counter.confirmIdentity(COUNTER, principal, id, { reason })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await h.core.counter.confirmIdentity(COUNTER, principal, id, { reason, document: 'ID_CARD' })).toEqual({
      ok: true,
      value: null,
    });
    const view = await h.core.view(id);
    expect(view).toMatchObject({ ok: true, value: { step: 'MAILBOX', identityMethod: 'COUNTER', identityConfirmed: true } });
    expect(await h.core.identity.enterKey(WHO, id, letter.key)).toMatchObject({ ok: false, error: { code: 'WRONG_STEP' } });
    expect(await h.core.counter.confirmIdentity(COUNTER, principal, id, { reason, document: 'PASSPORT' })).toEqual({
      ok: false,
      error: { code: 'ALREADY_CONFIRMED' },
    });
    const events = h.audit.events();
    expect(events.find((e) => e.type === 'IDENTITY_CONFIRMED')).toMatchObject({
      subject: id,
      actor: `staff:${principal.staffId}`,
      terminal: 'counter-1',
      data: { method: 'COUNTER', document: 'ID_CARD', reason },
    });
    expect(events.filter((e) => e.type === 'STAFF_ACTION_REFUSED').map((e) => e.data?.['code'])).toEqual([
      'VALIDATION_FAILED',
      'ALREADY_CONFIRMED',
    ]);
  });

  it('a lock is lifted (and a missing lock refused); the person logs in again', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    expect(await h.core.counter.liftLock(COUNTER, principal, id, { reason })).toEqual({ ok: false, error: { code: 'NOT_LOCKED' } });
    await lockOut(h, 5);
    expect(await h.core.counter.liftLock(COUNTER, principal, id, { reason })).toEqual({ ok: true, value: null });
    expect((await h.core.login.withPassword(WHO, { username: 'erika.m', password: 'Heide*Blume7' })).ok).toBe(true);
  });

  it('reactivation after an in-person check prints a temporary password; the next login leads to choosing one’s own first', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const old = await h.core.login.withPassword(WHO, { username: 'erika.m', password: 'Heide*Blume7' });
    if (!old.ok) throw new Error('login');
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    expect(await h.core.counter.reactivate(COUNTER, principal, id, { reason, document: 'ID_CARD' })).toEqual({
      ok: false,
      error: { code: 'NOT_DEACTIVATED' },
    });
    await lockOut(h, 6);
    const reactivated = await h.core.counter.reactivate(COUNTER, principal, id, { reason, document: 'ID_CARD' });
    if (!reactivated.ok) throw new Error(reactivated.error.code);
    const letter = h.letters.at(-1);
    if (letter?.kind !== 'TEMPORARY_PASSWORD') throw new Error('no letter');
    expect(letter).toMatchObject({ username: 'erika.m', to: { name: 'Erika Mustermann' }, accountId: id });
    expect(letter.password).toMatch(/^[a-z2-9]{4} [a-z2-9]{4} [a-z2-9]{4}$/);
    // 14 days, to the end of the printed day (Berlin).
    expect(letter.validUntil).toBe('2026-12-13');
    expect(reactivated.value.validThrough).toBe('2026-12-13');
    expect(await h.core.access.resolve(old.value.session)).toBeUndefined();
    // The old password is gone; the temporary one works as printed, without spaces, in capitals.
    expect((await h.core.login.withPassword(WHO, { username: 'erika.m', password: 'Heide*Blume7' })).ok).toBe(false);
    const typed = letter.password.replace(/ /g, '').toUpperCase();
    const temp = await h.core.login.withPassword(WHO, { username: 'erika.m', password: typed });
    if (!temp.ok) throw new Error(temp.error.code);
    const principalAfter = await h.core.access.resolve(temp.value.session);
    expect(principalAfter).toMatchObject({ accountId: id, mustChangePassword: true });
    expect(await h.core.view(id)).toMatchObject({ ok: true, value: { mustChangePassword: true } });
    if (!principalAfter) throw new Error('no principal');
    expect(await h.core.password.chooseOwn(WHO, principalAfter, 'kurz')).toMatchObject({ ok: false, error: { code: 'PASSWORD_REJECTED' } });
    expect(await h.core.password.chooseOwn(WHO, principalAfter, 'Heide*Blume7')).toMatchObject({
      ok: false,
      error: { code: 'PASSWORD_REUSED' },
    });
    const chosen = await h.core.password.chooseOwn(WHO, principalAfter, 'Neue*Wiese*42');
    if (!chosen.ok) throw new Error(chosen.error.code);
    expect(await h.core.access.resolve(temp.value.session)).toBeUndefined();
    expect(await h.core.access.resolve(chosen.value.session)).toEqual({ accountId: id, epoch: expect.any(Number) });
    expect(await h.core.view(id)).toMatchObject({ ok: true, value: { mustChangePassword: false } });
    const types = h.audit.events().map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['ACCOUNT_REACTIVATED', 'TEMPORARY_PASSWORD_SET', 'PASSWORD_CHANGED']));
  });

  it('a temporary password replaces the old one with its own audit entry, even when its letter cannot be printed', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    h.letterFailures.next = 1;
    await expect(h.core.counter.temporaryPassword(COUNTER, principal, id, { reason, document: 'PASSPORT' })).rejects.toThrow();
    // The person's own password no longer opens the account, and the trail says why and who did it.
    expect((await h.core.login.withPassword(WHO, { username: 'erika.m', password: 'Heide*Blume7' })).ok).toBe(false);
    const own = h.audit.events().filter((e) => e.subject === id && e.type.startsWith('TEMPORARY_PASSWORD'));
    expect(own).toEqual([
      expect.objectContaining({
        type: 'TEMPORARY_PASSWORD_STORED',
        actor: `staff:${principal.staffId}`,
        data: { reason, document: 'PASSPORT' },
      }),
    ]);
    // The next one is printed and named by its letter.
    expect((await h.core.counter.temporaryPassword(COUNTER, principal, id, { reason, document: 'PASSPORT' })).ok).toBe(true);
    const types = h.audit
      .events()
      .filter((e) => e.subject === id && e.type.startsWith('TEMPORARY_PASSWORD'))
      .map((e) => e.type);
    expect(types).toEqual(['TEMPORARY_PASSWORD_STORED', 'TEMPORARY_PASSWORD_STORED', 'TEMPORARY_PASSWORD_SET']);
  });

  it('a temporary password past its date opens nothing and sends the person to the counter', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    expect((await h.core.counter.temporaryPassword(COUNTER, principal, id, { reason, document: 'PASSPORT' })).ok).toBe(true);
    const letter = h.letters.at(-1);
    if (letter?.kind !== 'TEMPORARY_PASSWORD') throw new Error('no letter');
    h.clock.set('2026-12-13T22:59:59.000Z');
    const inTime = await h.core.login.withPassword(WHO, { username: 'erika.m', password: letter.password });
    expect(inTime.ok).toBe(true);
    h.clock.set('2026-12-13T23:00:00.000Z');
    expect(await h.core.login.withPassword(WHO, { username: 'erika.m', password: letter.password })).toEqual({
      ok: false,
      error: { code: 'TEMPORARY_PASSWORD_EXPIRED' },
    });
  });

  it('a login code printed at the counter is used once at the kiosk', async () => {
    const { h, id } = await activeAccount();
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const issued = await h.core.counter.issueLoginCode(COUNTER, principal, id, { reason, document: 'ID_CARD' });
    expect(issued).toMatchObject({ ok: true, value: { letterRef: expect.any(String) } });
    const letter = h.letters.at(-1);
    if (letter?.kind !== 'LOGIN_CODE') throw new Error('no letter');
    const input = { kvnr: 'A123456780', birthDate: '1984-08-12', code: letter.code };
    expect((await h.core.login.withCode(WHO, input)).ok).toBe(true);
    expect((await h.core.login.withCode(WHO, input)).ok).toBe(false);
    expect(h.audit.events().find((e) => e.type === 'LOGIN_CODE_ISSUED')).toMatchObject({
      actor: `staff:${principal.staffId}`,
      subject: id,
    });
  });

  it('resends the e-mail code only while the address is unconfirmed', async () => {
    const h = makeHarness();
    const r = await h.core.registration.register(WHO, erikaInput());
    if (!r.ok) throw new Error('register');
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const before = h.mails.length;
    expect(await h.core.counter.resendEmailCode(COUNTER, principal, r.value.accountId, { reason })).toEqual({
      ok: true,
      value: { emailDelivery: 'SENT' },
    });
    expect(h.mails.length).toBe(before + 1);
    expect((await h.core.email.confirm(WHO, r.value.accountId, { email: 'erika@example.org', code: h.lastCode() })).ok).toBe(true);
    expect(await h.core.counter.resendEmailCode(COUNTER, principal, r.value.accountId, { reason })).toEqual({
      ok: false,
      error: { code: 'EMAIL_ALREADY_CONFIRMED' },
    });
  });

  it('deletes the account at the person’s request: the same deletion as R9, sessions and messages included', async () => {
    const { h, id } = await activeAccount();
    const session = await h.core.login.withPassword(WHO, { username: 'erika.m', password: 'Heide*Blume7' });
    if (!session.ok) throw new Error('login');
    await h.core.mailbox.write(id, { subject: 'Frage', body: 'Text' });
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    expect(await h.core.counter.deleteAccount(COUNTER, principal, id, { reason, document: 'ID_CARD' })).toEqual({ ok: true, value: null });
    expect(await h.accounts.get(id)).toBeUndefined();
    expect(await h.inbox.list(10)).toEqual([]);
    expect(await h.core.access.resolve(session.value.session)).toBeUndefined();
    expect(h.outboxPurges).toEqual([id]);
    expect(h.audit.events().find((e) => e.type === 'ACCOUNT_DELETED')).toMatchObject({
      actor: `staff:${principal.staffId}`,
      data: { reason, document: 'ID_CARD' },
    });
    expect(h.audit.events().find((e) => e.type === 'ACCOUNT_DATA_REMOVED')).toMatchObject({
      actor: `staff:${principal.staffId}`,
      subject: id,
      data: { inboxRemoved: 1 },
    });
  });

  it('no staff member acts on their own online account', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff', 'A123456780');
    await lockOut(h, 5);
    const before = await h.accounts.get(id);
    for (const attempt of [
      () => h.core.counter.liftLock(COUNTER, principal, id, { reason }),
      () => h.core.counter.account(COUNTER, principal, id, reason),
      () => h.core.counter.temporaryPassword(COUNTER, principal, id, { reason, document: 'ID_CARD' }),
      () => h.core.counter.confirmIdentity(COUNTER, principal, id, { reason, document: 'ID_CARD' }),
    ]) {
      expect(await attempt()).toEqual({ ok: false, error: { code: 'OWN_ACCOUNT' } });
    }
    expect(await h.accounts.get(id)).toEqual(before);
    expect(h.audit.events().filter((e) => e.type === 'STAFF_ACTION_REFUSED' && e.data?.['code'] === 'OWN_ACCOUNT')).toHaveLength(4);
  });
});

describe('the insurer’s inbox', () => {
  it('messages written at the kiosk arrive unread first; staff read and answer into the person’s mailbox', async () => {
    const { h, id } = await activeAccount();
    expect((await h.core.mailbox.write(id, { subject: 'Frage zur Rechnung', body: 'Guten Tag …' })).ok).toBe(true);
    h.clock.advance(60_000);
    expect((await h.core.mailbox.write(id, { subject: 'Noch eine Frage', body: 'Und …' })).ok).toBe(true);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const queue = await h.core.counter.inbox(COUNTER, principal);
    if (!queue.ok) throw new Error('inbox');
    expect(queue.value.map((m) => [m.subject, m.read, m.username])).toEqual([
      ['Noch eine Frage', false, 'erika.m'],
      ['Frage zur Rechnung', false, 'erika.m'],
    ]);
    const first = queue.value[1];
    if (!first) throw new Error('no message');
    expect(await h.core.counter.readMessage(COUNTER, principal, first.id, reason)).toMatchObject({
      ok: true,
      value: { body: 'Guten Tag …', read: true },
    });
    const answer = { subject: 'Re: Frage zur Rechnung', body: 'Die Rechnung ist korrekt.', reason };
    expect(await h.core.counter.answerMessage(COUNTER, principal, first.id, answer)).toEqual({ ok: true, value: null });
    expect(await h.core.counter.answerMessage(COUNTER, principal, first.id, answer)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    const mailbox = await h.core.mailbox.messages(id);
    expect(mailbox.ok && mailbox.value[0]).toMatchObject({ from: 'INSURER', subject: 'Re: Frage zur Rechnung', read: false });
    const after = await h.core.counter.inbox(COUNTER, principal);
    // Handled messages go below the open ones.
    expect(after.ok && after.value.map((m) => [m.subject, m.handledAt !== undefined])).toEqual([
      ['Noch eine Frage', false],
      ['Frage zur Rechnung', true],
    ]);
    expect(
      h.audit
        .events()
        .filter((e) => e.type.startsWith('INBOX_'))
        .map((e) => e.type),
    ).toEqual(['INBOX_LISTED', 'INBOX_MESSAGE_READ', 'INBOX_MESSAGE_ANSWERED', 'INBOX_LISTED']);
  });
});

describe('the insurer’s inbox when an answer cannot be delivered', () => {
  /** A person's message in the counter's queue and a staff member to answer it. */
  async function messageToAnswer() {
    const { h, id } = await activeAccount();
    await h.core.mailbox.write(id, { subject: 'Frage', body: 'Text' });
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const queue = await h.core.counter.inbox(COUNTER, principal);
    const messageId = queue.ok ? queue.value[0]?.id : undefined;
    if (!messageId) throw new Error('no message');
    return { h, id, principal, messageId };
  }

  it('leaves the message open for the next try when the person’s mailbox is no longer active', async () => {
    const { h, id, principal, messageId } = await messageToAnswer();
    await h.accounts.update(id, (account) => ({ next: { ...account, mailbox: { ...account.mailbox, state: 'DECLINED' } }, result: null }));
    const answer = { subject: 'Re: Frage', body: 'Antwort', reason };
    expect(await h.core.counter.answerMessage(COUNTER, principal, messageId, answer)).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect(await h.inbox.get(messageId)).toMatchObject({ id: messageId });
    expect((await h.inbox.get(messageId))?.handledAt).toBeUndefined();
    await h.accounts.update(id, (account) => ({ next: { ...account, mailbox: { ...account.mailbox, state: 'ACTIVE' } }, result: null }));
    expect(await h.core.counter.answerMessage(COUNTER, principal, messageId, answer)).toEqual({ ok: true, value: null });
  });

  it('takes the answer back when its audit entry cannot be recorded: no answer stands without its entry', async () => {
    const { h, id, principal, messageId } = await messageToAnswer();
    const append = h.audit.append.bind(h.audit);
    const refusing = vi
      .spyOn(h.audit, 'append')
      .mockImplementation((event, at) =>
        event.type === 'INBOX_MESSAGE_ANSWERED' ? Promise.reject(new Error('trail unavailable')) : append(event, at),
      );
    const answer = { subject: 'Re: Frage', body: 'Antwort', reason };
    const answers = async () => {
      const box = await h.core.mailbox.messages(id);
      return box.ok ? box.value.filter((m) => m.subject === answer.subject) : [];
    };
    await expect(h.core.counter.answerMessage(COUNTER, principal, messageId, answer)).rejects.toThrow('trail unavailable');
    expect(await answers()).toEqual([]);
    const open = await h.inbox.get(messageId);
    expect([open?.handledAt, open?.answerId]).toEqual([undefined, undefined]);
    refusing.mockRestore();
    expect(await h.core.counter.answerMessage(COUNTER, principal, messageId, answer)).toEqual({ ok: true, value: null });
    expect(await answers()).toHaveLength(1);
    expect(h.audit.events().filter((e) => e.type === 'INBOX_MESSAGE_ANSWERED')).toHaveLength(1);
  });
});

describe('the supervisor’s dashboard', () => {
  it('counts registrations, locks, deactivations per Berlin day over 30 days, the funnel and the identity methods', async () => {
    const h = makeHarness({ now: '2026-11-20T10:00:00Z' });
    // Outside the window (more than 30 days before the day the dashboard is looked at).
    h.clock.set('2026-10-01T10:00:00Z');
    const jurgen = DEMO_REGISTER[1];
    if (!jurgen) throw new Error('demo register');
    const old = await h.core.registration.register(WHO, {
      ...erikaInput({ kvnr: jurgen.kvnr, firstName: jurgen.firstName, lastName: jurgen.lastName, birthDate: jurgen.birthDate }),
      email: 'juergen@example.org',
      username: 'juergen.w',
    });
    expect(old.ok).toBe(true);
    h.clock.set('2026-11-20T23:30:00Z'); // 21 November in Berlin
    const id = await registeredAndConfirmed(h);
    await lockOut(h, 6);
    const { principal } = await readyStaff(h, 'berta.meier', 'supervisor');
    await h.core.counter.confirmIdentity(COUNTER, principal, id, { reason, document: 'ID_CARD' });
    h.clock.set('2026-11-29T10:00:00Z');
    const stats = await h.core.supervisor.dashboard();
    if (!stats.ok) throw new Error('dashboard');
    const { days, registrations, locks, deactivations } = stats.value;
    expect(days).toHaveLength(30);
    expect(days.at(-1)).toBe('2026-11-29');
    expect(days[0]).toBe('2026-10-31');
    const on21 = days.indexOf('2026-11-21');
    expect(registrations.reduce((a, b) => a + b, 0)).toBe(1);
    expect(registrations[on21]).toBe(1);
    expect(locks[on21]).toBe(1);
    expect(deactivations[on21]).toBe(1);
    expect(stats.value.funnel).toEqual({ registered: 2, emailConfirmed: 1, identityConfirmed: 1, mailboxDecided: 0 });
    expect(stats.value.identityMethods).toEqual({ LETTER: 0, POSTIDENT: 0, COUNTER: 1 });
  });
});
