import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ShardedAccountStore } from '../../src-main/store/account-store.js';
import { FileMailboxStore } from '../../src-main/store/mailbox-store.js';
import { DEFAULT_POLICY } from '../../src-main/core/policy.js';
import { WHO } from '../fixtures/harness.js';
import { activeAccount, withMtan, CARD_DIGITS } from '../fixtures/active.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('mailbox (R5, R9)', () => {
  it('brings the insurer’s messages on activation; the person can write; leaving deletes them', async () => {
    const { h, id } = await activeAccount();
    const list = await h.core.mailbox.messages(id);
    expect(list.ok && list.value.every((m) => m.from === 'INSURER')).toBe(true);
    expect(list.ok && list.value.length).toBe(2);
    expect((await h.core.mailbox.write(id, { subject: 'Frage zur Rechnung', body: 'Guten Tag, …' })).ok).toBe(true);
    const after = await h.core.mailbox.messages(id);
    expect(after.ok && after.value.some((m) => m.from === 'PERSON' && m.subject === 'Frage zur Rechnung')).toBe(true);
    await h.core.mailbox.decide(WHO, id, false);
    const account = await h.accounts.get(id);
    expect(account?.mailbox.messages).toBeUndefined();
    expect(JSON.stringify(account)).not.toContain('Frage zur Rechnung');
    expect(await h.mailbox.list(id)).toEqual([]);
    expect((await h.core.mailbox.messages(id)).ok).toBe(false);
  });

  it('keeps the messages out of the account document, so a login does not rewrite them', async () => {
    const { h, id } = await activeAccount();
    expect((await h.core.mailbox.write(id, { subject: 'Frage zur Rechnung', body: 'Guten Tag, …' })).ok).toBe(true);
    expect(JSON.stringify(await h.accounts.get(id))).not.toContain('Frage zur Rechnung');
    expect((await h.mailbox.list(id)).map((m) => m.subject)).toContain('Frage zur Rechnung');
    const view = await h.core.view(id);
    expect(view.ok && view.value.unreadMessages).toBe(2);
  });

  it('moves messages stored in the account document by an earlier version into the mailbox, losing none', async () => {
    const { h, id } = await activeAccount();
    const legacy = {
      id: 'old-1',
      from: 'INSURER' as const,
      subject: 'Ältere Nachricht',
      body: '…',
      at: '2026-01-01T10:00:00.000Z',
      read: false,
    };
    await h.accounts.update(id, (a) => ({ next: { ...a, mailbox: { ...a.mailbox, messages: [legacy] } }, result: null }));
    const view = await h.core.view(id);
    expect(view.ok && view.value.unreadMessages).toBe(3);
    const list = await h.core.mailbox.messages(id);
    expect(list.ok && list.value.map((m) => m.id)).toContain('old-1');
    expect((await h.accounts.get(id))?.mailbox.messages).toBeUndefined();
    expect((await h.mailbox.list(id)).filter((m) => m.id === 'old-1')).toHaveLength(1);
    // Moving again (a second terminal at the same moment) adds nothing twice.
    expect((await h.core.mailbox.markRead(id, 'old-1')).ok).toBe(true);
    expect((await h.mailbox.list(id)).find((m) => m.id === 'old-1')?.read).toBe(true);
  });

  it('takes at most 10 messages a day from the person; the 11th is refused and changes nothing; a day later one more goes', async () => {
    const { h, id } = await activeAccount();
    for (let i = 0; i < 10; i++) {
      expect(await h.core.mailbox.write(id, { subject: `Frage ${i}`, body: 'Text' })).toEqual({ ok: true, value: null });
      h.clock.advance(60_000);
    }
    const before = JSON.stringify(await h.accounts.get(id));
    const refused = await h.core.mailbox.write(id, { subject: 'Frage 11', body: 'Text' });
    // The first of the ten was written at 10:00; the window of 24 hours frees a place from then.
    expect(refused).toEqual({ ok: false, error: { code: 'RATE_LIMITED', details: { retryAt: '2026-11-30T10:00:00.000Z' } } });
    expect(JSON.stringify(await h.accounts.get(id))).toBe(before);
    h.clock.set('2026-11-30T10:00:00Z');
    expect((await h.core.mailbox.write(id, { subject: 'Frage 11', body: 'Text' })).ok).toBe(true);
    expect((await h.core.mailbox.write(id, { subject: 'Frage 12', body: 'Text' })).ok).toBe(false);
  });

  it('keeps at most the configured number of the person’s messages: then MAILBOX_FULL, and the store unchanged', async () => {
    const policy = { ...DEFAULT_POLICY, mailbox: { maxMessagesPerDay: 10, maxStoredMessages: 3 } };
    const { h, id } = await activeAccount({ policy });
    for (let i = 0; i < 3; i++) {
      expect((await h.core.mailbox.write(id, { subject: `Frage ${i}`, body: 'Text' })).ok).toBe(true);
      h.clock.advance(2 * 86_400_000);
    }
    const before = JSON.stringify(await h.accounts.get(id));
    expect(await h.core.mailbox.write(id, { subject: 'Frage 4', body: 'Text' })).toEqual({
      ok: false,
      error: { code: 'MAILBOX_FULL', details: { max: 3 } },
    });
    expect(JSON.stringify(await h.accounts.get(id))).toBe(before);
    // The insurer's own messages do not count against the person.
    const list = await h.core.mailbox.messages(id);
    expect(list.ok && list.value.length).toBe(5);
  });

  it('marks a message read', async () => {
    const { h, id } = await activeAccount();
    const list = await h.core.mailbox.messages(id);
    const first = list.ok ? list.value[0] : undefined;
    if (!first) throw new Error('setup');
    await h.core.mailbox.markRead(id, first.id);
    const view = await h.core.view(id);
    expect(view.ok && view.value.unreadMessages).toBe(1);
  });
});

describe('personal data and certificate (R9)', () => {
  it('shows the register address read-only and the account’s contact data', async () => {
    const { h, id } = await withMtan();
    const data = await h.core.services.personalData(id);
    expect(data).toMatchObject({
      ok: true,
      value: { street: 'Heidestraße 17', city: 'Köln', email: 'erika@example.org', mobileMasked: '+49 ••• 6789' },
    });
  });

  it('renders the membership certificate for the person, not as a letter to post', async () => {
    const { h, id } = await activeAccount();
    const lettersBefore = h.letters.length;
    const r = await h.core.services.certificate(id);
    if (!r.ok) throw new Error(r.error.code);
    expect(new TextDecoder().decode(r.value.pdf)).toContain('A123456780');
    expect(h.documents.at(-1)).toMatchObject({ kind: 'MEMBERSHIP_CERTIFICATE', kvnr: 'A123456780', insuranceStart: '2004-01-01' });
    expect(h.letters).toHaveLength(lettersBefore);
  });

  it('creates at most 10 certificates an hour per account', async () => {
    const { h, id } = await activeAccount();
    for (let i = 0; i < 10; i++) {
      expect((await h.core.services.certificate(id)).ok).toBe(true);
      h.clock.advance(60_000);
    }
    expect(await h.core.services.certificate(id)).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { retryAt: '2026-11-29T11:00:00.000Z' } },
    });
    expect(h.documents).toHaveLength(10);
    h.clock.set('2026-11-29T11:00:00Z');
    expect((await h.core.services.certificate(id)).ok).toBe(true);
  });
});

describe('login codes (R11)', () => {
  const erika = { kvnr: 'A123456780', birthDate: '1984-08-12' };

  it('12 characters in three groups of four, one session, void after use', async () => {
    const { h, id } = await activeAccount();
    const issued = await h.core.login.issueCode({ actor: 'staff:anna', terminal: 'counter-1' }, 'a123456780');
    if (!issued.ok) throw new Error(issued.error.code);
    expect(issued.value.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(JSON.stringify(await h.accounts.get(id))).not.toContain(issued.value.code.replace(/-/g, ''));
    expect(h.letters.at(-1)).toMatchObject({ kind: 'LOGIN_CODE', code: issued.value.code });
    expect(await h.core.login.withCode(WHO, { ...erika, code: issued.value.code.toLowerCase().replace(/-/g, ' ') })).toEqual({
      ok: true,
      value: { accountId: id, epoch: 0, session: expect.any(String) },
    });
    const again = await h.core.login.withCode(WHO, { ...erika, code: issued.value.code });
    expect(again.ok || again.error.code).toBe('LOGIN_CODE_INVALID');
  });

  it('is valid until the end of the day printed on it (30 days, Berlin): 23:59:59.999 yes, midnight no', async () => {
    // Issued 29.11.2026 11:00 Berlin; printed "valid until 29.12.2026".
    for (const [at, expected] of [
      ['2026-12-29T22:59:59.999Z', true],
      ['2026-12-29T23:00:00.000Z', 'LOGIN_CODE_INVALID'],
    ] as const) {
      const { h } = await activeAccount();
      const issued = await h.core.login.issueCode(WHO, 'A123456780');
      if (!issued.ok) throw new Error('setup');
      expect(h.letters.at(-1)).toMatchObject({ kind: 'LOGIN_CODE', validUntil: '2026-12-29' });
      h.clock.set(at);
      const r = await h.core.login.withCode(WHO, { ...erika, code: issued.value.code });
      expect(r.ok || r.error.code).toBe(expected);
    }
  });

  it('is bound to one KVNR and the birth date', async () => {
    const { h } = await activeAccount();
    const issued = await h.core.login.issueCode(WHO, 'A123456780');
    if (!issued.ok) throw new Error('setup');
    const wrongBirth = await h.core.login.withCode(WHO, { kvnr: 'A123456780', birthDate: '1984-08-13', code: issued.value.code });
    expect(wrongBirth.ok || wrongBirth.error.code).toBe('LOGIN_CODE_INVALID');
    const otherKvnr = await h.core.login.withCode(WHO, { kvnr: 'X110411675', birthDate: '1984-08-12', code: issued.value.code });
    expect(otherKvnr.ok || otherKvnr.error.code).toBe('LOGIN_CODE_INVALID');
  });

  it('using one during a lock counts as a login attempt and deactivates the account', async () => {
    const { h, id } = await activeAccount();
    const issued = await h.core.login.issueCode(WHO, 'A123456780');
    if (!issued.ok) throw new Error('setup');
    for (let i = 0; i < 5; i++) await h.core.login.withPassword(WHO, { username: 'erika.m', password: 'Wrong*Pass1' });
    const r = await h.core.login.withCode(WHO, { ...erika, code: issued.value.code });
    expect(r).toEqual({ ok: false, error: { code: 'ACCOUNT_DEACTIVATED' } });
    expect((await h.accounts.get(id))?.login.deactivatedAt).toBeDefined();
  });

  it('wrong codes count as failed login attempts where a code is active', async () => {
    const { h, id } = await activeAccount();
    if (!(await h.core.login.issueCode(WHO, 'A123456780')).ok) throw new Error('setup');
    for (let i = 0; i < 4; i++) await h.core.login.withCode(WHO, { ...erika, code: 'AAAA-BBBB-CCCC' });
    expect((await h.accounts.get(id))?.login.failures).toBe(4);
    const fifth = await h.core.login.withCode(WHO, { ...erika, code: 'AAAA-BBBB-CCCC' });
    expect(fifth.ok || fifth.error.code).toBe('ACCOUNT_LOCKED');
  });

  it('a single use holds under concurrency', async () => {
    const { h } = await activeAccount();
    const issued = await h.core.login.issueCode(WHO, 'A123456780');
    if (!issued.ok) throw new Error('setup');
    const results = await Promise.all(Array.from({ length: 4 }, () => h.core.login.withCode(WHO, { ...erika, code: issued.value.code })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});

describe('changing the e-mail address (R9)', () => {
  it('the new address gets a text of its own; once confirmed, the old one is told it was replaced', async () => {
    const { h, id } = await withMtan();
    await h.core.mtan.requestTan(WHO, id, { action: 'CHANGE_EMAIL', email: 'neu@example.org' });
    expect((await h.core.services.changeEmail(WHO, id, 'neu@example.org', h.lastSmsCode())).ok).toBe(true);
    const codeMail = h.mails.at(-1);
    expect(codeMail?.kind).toBe('EMAIL_CHANGE_CODE');
    expect(codeMail?.to).toBe('neu@example.org');
    expect(codeMail?.text).toContain('die bisherige ersetzen');
    // Nothing goes to the old address before the new one is confirmed.
    const before = h.mails.length;
    expect((await h.core.services.confirmEmailChange(WHO, id, h.lastCode())).ok).toBe(true);
    expect(h.mails.slice(before)).toEqual([
      expect.objectContaining({
        kind: 'EMAIL_REPLACED',
        to: 'erika@example.org',
        accountId: id,
        text: expect.stringContaining('n***@example.org'),
      }),
    ]);
    expect(h.mails.at(-1)?.text).not.toContain('neu@example.org');
    const events = h.audit
      .events()
      .filter((e) => e.type === 'EMAIL_CHANGED' || (e.type === 'CODE_CHECKED' && e.data?.['kind'] === 'EMAIL_CHANGE_CODE'));
    expect(events.map((e) => e.type)).toEqual(['CODE_CHECKED', 'EMAIL_CHANGED']);
  });

  it('a wrong code changes nothing and tells the old address nothing', async () => {
    const { h, id } = await withMtan();
    await h.core.mtan.requestTan(WHO, id, { action: 'CHANGE_EMAIL', email: 'neu@example.org' });
    await h.core.services.changeEmail(WHO, id, 'neu@example.org', h.lastSmsCode());
    const before = h.mails.length;
    expect((await h.core.services.confirmEmailChange(WHO, id, '00000000')).ok).toBe(false);
    expect(h.mails.length).toBe(before);
    expect((await h.accounts.get(id))?.email.email).toBe('erika@example.org');
  });
});

describe('deleting the online account (R9)', () => {
  it('needs the password and an explicit confirmation', async () => {
    const { h, id } = await activeAccount();
    expect(await h.core.services.deleteAccount(WHO, id, { password: 'Heide*Blume7', confirm: false })).toEqual({
      ok: false,
      error: { code: 'CONFIRMATION_REQUIRED' },
    });
    expect(await h.core.services.deleteAccount(WHO, id, { password: 'Wrong*Pass1', confirm: true })).toEqual({
      ok: false,
      error: { code: 'PASSWORD_WRONG' },
    });
    expect(await h.accounts.get(id)).toBeDefined();
  });

  it('leaves no personal datum of the account in any store file; the register and a pseudonymous audit stay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-delete-'));
    dirs.push(dir);
    const accounts = await ShardedAccountStore.openDirectory(dir, 4);
    // The mailbox's messages are files of their own beside the accounts (store/mailbox-store.ts).
    const { h, id } = await activeAccount({ accounts, mailbox: new FileMailboxStore(join(dir, 'mailbox')) });
    // Distinctive values in every part of the account.
    await h.core.mtan.start(id);
    await h.core.mtan.enterCard(WHO, id, CARD_DIGITS);
    await h.core.mtan.sendCode(WHO, id, '0151 98765432');
    await h.core.mtan.confirm(WHO, id, h.lastSmsCode());
    await h.core.mailbox.write(id, { subject: 'Zebrafinkenfutter-Anfrage', body: 'Quittenmarmelade und Zitronengras' });
    await h.core.login.issueCode(WHO, 'A123456780');
    // A mail still waiting in the outbound queue for this account, and one for someone else.
    const waiting = { channel: 'EMAIL', kind: 'EMAIL_CHANGED', createdAt: '2026-11-29T10:00:00.000Z', attempts: 1 } as const;
    const queued = { ...waiting, nextAttemptAt: '2026-11-29T10:00:30.000Z', state: 'PENDING', sealed: 'x' } as const;
    await h.outbound.add({ ...queued, id: 'queued-own', accountId: id });
    await h.outbound.add({ ...queued, id: 'queued-other', accountId: 'someone-else' });
    const before = await h.accounts.get(id);
    const distinctive = [
      'erika.m',
      'erika@example.org',
      '+4915198765432',
      'Zebrafinkenfutter',
      'Quittenmarmelade',
      'A123456780',
      id,
      before?.password.hash ?? 'x',
    ];
    // Every file below the store, with its name (account files are named by their id).
    const raw = () =>
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((f) => f.isFile())
        .map((f) => `${f.name}\n${readFileSync(join(f.parentPath, f.name)).toString('latin1')}`)
        .join('\n');
    for (const value of distinctive) expect(raw()).toContain(value);

    expect(await h.core.services.deleteAccount(WHO, id, { password: 'Heide*Blume7', confirm: true })).toEqual({ ok: true, value: null });
    const bytes = raw();
    for (const value of distinctive) expect(bytes, value).not.toContain(value);
    expect(await h.register.getByKvnr('A123456780')).toBeDefined();
    const deleted = h.audit.events().filter((e) => e.type === 'ACCOUNT_DELETED');
    expect(deleted).toEqual([expect.objectContaining({ subject: id })]);
    // Its undelivered outbox items went with it: activation letter, login code, mails, SMS.
    expect(h.outboxPurges).toEqual([id]);
    const own = [...h.mails, ...h.smsSent, ...h.letters].filter((item) => item.accountId === id);
    expect(own.map((item) => item.kind).sort()).toEqual(['ACTIVATION_KEY', 'EMAIL_CODE', 'LOGIN_CODE', 'MTAN_CODE']);
    // The counter's copy of the message the person wrote went too, and the mailbox's three messages.
    const removed = h.audit.events().filter((e) => e.type === 'ACCOUNT_DATA_REMOVED');
    expect(removed).toEqual([expect.objectContaining({ subject: id })]);
    expect(removed[0]?.data).toEqual({ outboxItemsRemoved: own.length, inboxRemoved: 1, mailboxRemoved: 3, outboundRemoved: 1 });
    expect((await h.outbound.due('9999', 10)).map((r) => r.id)).toEqual(['queued-other']);
    // The deletion's own entry comes first, recorded with the deletion itself.
    const types = h.audit.events().map((e) => e.type);
    expect(types.indexOf('ACCOUNT_DELETED')).toBe(types.indexOf('ACCOUNT_DATA_REMOVED') - 1);
    expect(await h.mailbox.list(id)).toEqual([]);
    expect(await h.inbox.list(10)).toEqual([]);
    expect(h.audit.lines.join('\n')).not.toContain('erika');
    // The person may register again.
    const again = await h.core.registration.register(WHO, (await import('../fixtures/harness.js')).erikaInput());
    expect(again.ok).toBe(true);
  });
});
