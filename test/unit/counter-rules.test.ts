/**
 * The counter's rules one by one (R10 with the counter parts of R4, R7, R11): what the account view
 * shows and offers for each state, how its history names who acted, how a search matches and where
 * it stops, what each counter action stores and records, and which reasons are refused.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Account } from '../../src-main/core/account.js';
import { confirmIdentityInPerson, deleteAtCounter, liftLock, setTemporaryPassword } from '../../src-main/core/counter/counter-actions.js';
import { accountSummary, counterAccountView } from '../../src-main/core/counter/counter-view.js';
import { reasonIsClean } from '../../src-main/core/counter/reason.js';
import { kvnrCheckDigit } from '../../src-main/core/kvnr.js';
import type { AuditEventType, RecordedAuditEvent } from '../../src-main/core/ports.js';
import type { InsuredPerson } from '../../src-main/core/register/person.js';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { activeAccount } from '../fixtures/active.js';
import { ERIKA, makeHarness, registeredAndConfirmed, WHO } from '../fixtures/harness.js';
import { COUNTER, readyStaff } from '../fixtures/staff.js';

const reason = 'Person am Schalter';
type Harness = ReturnType<typeof makeHarness>;

const kvnrOf = (body: string): string => `${body}${kvnrCheckDigit(body) ?? ''}`;

async function erikasAccount() {
  const h = makeHarness();
  const id = await registeredAndConfirmed(h);
  const account = await h.accounts.get(id);
  if (!account) throw new Error('no account');
  return { h, id, account, now: h.clock.now() };
}

/** Another online account like the given one, for another person (or none in the register). */
function copyOf(account: Account, n: number, kvnr: string): Account {
  return { ...account, id: `copy-${n}`, kvnr, username: `namesake.${n}`, usernameKey: `namesake.${n}` };
}

const lockOut = async (h: Harness, attempts: number) => {
  for (let i = 0; i < attempts; i++) await h.core.login.withPassword(WHO, { username: 'erika.m', password: 'falsch' });
};

describe('the account as the counter sees it', () => {
  it('offers the actions its state allows, in the order the screen lists them', async () => {
    const { account, now } = await erikasAccount();
    const actions = (a: Account) => counterAccountView(a, ERIKA, [], now).actions;
    const { confirmedAt: _c, ...unconfirmedEmail } = account.email;
    expect(actions({ ...account, email: unconfirmedEmail })).toEqual([
      'RESEND_EMAIL_CODE',
      'CONFIRM_IDENTITY',
      'TEMPORARY_PASSWORD',
      'ISSUE_LOGIN_CODE',
      'DELETE_ACCOUNT',
    ]);
    expect(actions(account)).toEqual([
      'CONFIRM_IDENTITY',
      'NEW_ACTIVATION_LETTER',
      'TEMPORARY_PASSWORD',
      'ISSUE_LOGIN_CODE',
      'DELETE_ACCOUNT',
    ]);
    const confirmed = { ...account, identity: { confirmedAt: now.toISOString(), method: 'COUNTER' as const } };
    expect(actions(confirmed)).toEqual(['TEMPORARY_PASSWORD', 'ISSUE_LOGIN_CODE', 'DELETE_ACCOUNT']);
    const lockedUntil = new Date(now.getTime() + 60_000).toISOString();
    expect(actions({ ...confirmed, login: { failures: 5, lockedUntil } })).toEqual([
      'LIFT_LOCK',
      'TEMPORARY_PASSWORD',
      'ISSUE_LOGIN_CODE',
      'DELETE_ACCOUNT',
    ]);
    // A lock that has run out is nothing to lift.
    expect(actions({ ...confirmed, login: { failures: 5, lockedUntil: now.toISOString() } })).toEqual([
      'TEMPORARY_PASSWORD',
      'ISSUE_LOGIN_CODE',
      'DELETE_ACCOUNT',
    ]);
    expect(actions({ ...confirmed, login: { failures: 6, deactivatedAt: now.toISOString() } })).toEqual(['REACTIVATE', 'DELETE_ACCOUNT']);
  });

  it('shows a lock with its end only while it lasts, a deactivation with its time, and the failures as counted', async () => {
    const { account, now } = await erikasAccount();
    const lockedUntil = new Date(now.getTime() + 60_000).toISOString();
    const locked = counterAccountView({ ...account, login: { failures: 5, lockedUntil } }, ERIKA, [], now);
    expect(locked).toMatchObject({ state: 'LOCKED', lockedUntil, failures: 5 });
    const over = counterAccountView({ ...account, login: { failures: 5, lockedUntil } }, ERIKA, [], new Date(lockedUntil));
    expect(over.state).toBe('OPEN');
    expect('lockedUntil' in over).toBe(false);
    const deactivatedAt = now.toISOString();
    const deactivated = counterAccountView({ ...account, login: { failures: 6, lockedUntil, deactivatedAt } }, ERIKA, [], now);
    expect(deactivated).toMatchObject({ state: 'DEACTIVATED', deactivatedAt, failures: 6 });
    expect('lockedUntil' in deactivated).toBe(false);
    const open = counterAccountView(account, ERIKA, [], now);
    expect(['lockedUntil', 'deactivatedAt', 'mtan', 'postident', 'temporaryPasswordValidThrough'].filter((k) => k in open)).toEqual([]);
  });

  it('dates of validity are the last Berlin day: a letter on its way and a temporary password, none once expired or used', async () => {
    const { account, now } = await erikasAccount();
    // Valid to the end of 13 December in Berlin (23:00 UTC in winter).
    const expiresAt = '2026-12-13T23:00:00.000Z';
    const letter = { hash: 'x', issuedAt: now.toISOString(), expiresAt, failures: 0, state: 'ACTIVE' as const, letterRef: 'L1' };
    const onItsWay = { ...account, identity: { letter }, password: { ...account.password, temporaryUntil: expiresAt } };
    const view = counterAccountView(onItsWay, ERIKA, [], now);
    expect(view.identity).toEqual({ letterValidThrough: '2026-12-13' });
    expect(view.temporaryPasswordValidThrough).toBe('2026-12-13');
    expect(counterAccountView(onItsWay, ERIKA, [], new Date(expiresAt)).identity).toEqual({});
    const used = { ...account, identity: { letter: { ...letter, state: 'USED' as const } } };
    expect(counterAccountView(used, ERIKA, [], now).identity).toEqual({});
    const confirmed = { ...account, identity: { confirmedAt: now.toISOString(), method: 'LETTER' as const } };
    expect(counterAccountView(confirmed, ERIKA, [], now).identity).toEqual({ confirmedAt: now.toISOString(), method: 'LETTER' });
  });

  it('counts the login codes that are active and unexpired, no others', async () => {
    const { account, now } = await erikasAccount();
    const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
    const code = (state: 'ACTIVE' | 'USED' | 'VOID', expiresAt: string) => ({
      hash: 'x',
      issuedAt: at(-1000),
      expiresAt,
      failures: 0,
      state,
      issuedBy: 'staff:s1',
    });
    const loginCodes = [
      code('ACTIVE', at(1)),
      code('ACTIVE', at(0)),
      code('ACTIVE', at(-1)),
      code('USED', at(60_000)),
      code('VOID', at(60_000)),
    ];
    expect(counterAccountView({ ...account, loginCodes }, ERIKA, [], now).activeLoginCodes).toBe(1);
    expect(counterAccountView(account, ERIKA, [], now).activeLoginCodes).toBe(0);
  });

  it('masks the e-mail address and the mobile number and shows POSTIDENT’s state and the mailbox', async () => {
    const { account, now } = await erikasAccount();
    const withAll = {
      ...account,
      mtan: { phone: '+4915123456789', enrolledAt: now.toISOString() },
      identity: { postident: { caseId: 'CASE-1', state: 'OPEN' as const, openedAt: now.toISOString() } },
      mailbox: { state: 'DECLINED' as const },
    } as Account;
    const view = counterAccountView(withAll, ERIKA, [], now);
    expect(view).toMatchObject({
      emailMasked: 'e***@example.org',
      emailConfirmed: true,
      mtan: { phoneMasked: '+49 ••• 6789', enrolledAt: now.toISOString() },
      postident: { state: 'OPEN', openedAt: now.toISOString() },
      mailbox: 'DECLINED',
      step: 'POSTIDENT_PENDING',
      createdAt: account.createdAt,
    });
    expect(view.postident).toEqual({ state: 'OPEN', openedAt: now.toISOString() });
    const { confirmedAt: _c, ...unconfirmed } = account.email;
    expect(counterAccountView({ ...account, email: unconfirmed }, ERIKA, [], now).emailConfirmed).toBe(false);
    expect(JSON.stringify(view)).not.toContain('4915123456789');
  });

  it('an account whose person has left the register shows empty names', async () => {
    const { account, now } = await erikasAccount();
    expect(accountSummary(account, undefined, now)).toEqual({
      accountId: account.id,
      username: 'erika.m',
      kvnr: 'A123456780',
      firstName: '',
      lastName: '',
      birthDate: '',
      state: 'OPEN',
      step: 'CHOOSE_IDENTITY',
    });
  });

  it('its history names the person, the system, staff by username (by id when unknown) and anyone else as anonymous', async () => {
    const { account, id, now } = await erikasAccount();
    const at = now.toISOString();
    const event = (actor: string, data?: Record<string, string | number | boolean>): RecordedAuditEvent => ({
      type: 'LOGIN_SUCCESS' as AuditEventType,
      actor,
      terminal: 'kiosk-1',
      subject: id,
      at,
      ...(data ? { data } : {}),
    });
    const history = [
      event(`account:${id}`, { method: 'PASSWORD' }),
      event('system:retention'),
      event('staff:s1', { reason }),
      event('staff:s2'),
      event('kiosk'),
      event(''),
    ];
    const view = counterAccountView(account, ERIKA, history, now, new Map([['s1', 'anna.schmidt']]));
    expect(view.history).toEqual([
      { at, type: 'LOGIN_SUCCESS', by: 'person', terminal: 'kiosk-1', details: { method: 'PASSWORD' } },
      { at, type: 'LOGIN_SUCCESS', by: 'system', terminal: 'kiosk-1', details: {} },
      { at, type: 'LOGIN_SUCCESS', by: 'staff:anna.schmidt', terminal: 'kiosk-1', details: { reason } },
      { at, type: 'LOGIN_SUCCESS', by: 'staff:s2', terminal: 'kiosk-1', details: {} },
      { at, type: 'LOGIN_SUCCESS', by: 'anonymous', terminal: 'kiosk-1', details: {} },
      { at, type: 'LOGIN_SUCCESS', by: 'anonymous', terminal: 'kiosk-1', details: {} },
    ]);
  });
});

describe('finding an account at the counter: matching and limits', () => {
  it('each malformed query names its field: a blank username, a birth date that is no date, a blank last name', async () => {
    const h = makeHarness();
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const search = (query: Parameters<typeof h.core.counter.search>[2]) => h.core.counter.search(COUNTER, principal, query, reason);
    const invalid = (field: string) => ({ ok: false, error: { code: 'SEARCH_INVALID', details: { field } } });
    expect(await search({ by: 'USERNAME', username: '   ' })).toEqual(invalid('username'));
    expect(await search({ by: 'NAME', lastName: 'Mustermann', birthDate: '12.08.1984' })).toEqual(invalid('birthDate'));
    expect(await search({ by: 'NAME', lastName: '  ', birthDate: '1984-08-12' })).toEqual(invalid('lastName'));
    expect(await search({ by: 'KVNR', kvnr: '' })).toEqual(invalid('kvnr'));
  });

  it('finds nothing, as an empty list, for an unknown username and for an insured person without an online account', async () => {
    const h = makeHarness();
    await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const other = DEMO_REGISTER[1];
    if (!other) throw new Error('demo register');
    for (const query of [
      { by: 'USERNAME' as const, username: 'nobody.here' },
      { by: 'USERNAME' as const, username: 'e' },
      { by: 'KVNR' as const, kvnr: other.kvnr },
      { by: 'NAME' as const, lastName: other.lastName, birthDate: other.birthDate },
    ]) {
      expect(await h.core.counter.search(COUNTER, principal, query, reason)).toEqual({ ok: true, value: [] });
    }
  });

  it('a first name narrows a search by name, a blank one does not, and each result carries its state and step', async () => {
    const maria: InsuredPerson = { ...ERIKA, kvnr: kvnrOf('A98765432'), firstName: 'Maria' };
    const h = makeHarness({ register: [...DEMO_REGISTER, maria] });
    const id = await registeredAndConfirmed(h);
    const account = await h.accounts.get(id);
    if (!account) throw new Error('no account');
    await h.accounts.insert(copyOf(account, 1, maria.kvnr));
    await lockOut(h, 5);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const byName = async (firstName?: string) => {
      const r = await h.core.counter.search(
        COUNTER,
        principal,
        { by: 'NAME', lastName: 'mustermann', firstName, birthDate: ERIKA.birthDate },
        reason,
      );
      return r.ok ? r.value.map((s) => [s.firstName, s.username, s.state, s.step]) : r.error.code;
    };
    expect(await byName('Maria')).toEqual([['Maria', 'namesake.1', 'OPEN', 'CHOOSE_IDENTITY']]);
    expect(await byName(' ERIKA ')).toEqual([['Erika', 'erika.m', 'LOCKED', 'CHOOSE_IDENTITY']]);
    expect(await byName('Erik')).toEqual([]);
    expect((await byName('  ')) as unknown[]).toHaveLength(2);
    expect((await byName()) as unknown[]).toHaveLength(2);
  });

  it('a search by name and birth date shows at most 20 accounts: a longer list would be browsing', async () => {
    const namesakes = Array.from({ length: 25 }, (_, i) => ({ ...ERIKA, kvnr: kvnrOf(`B${String(10_000_000 + i)}`) }));
    const h = makeHarness({ register: [...DEMO_REGISTER, ...namesakes] });
    const id = await registeredAndConfirmed(h);
    const account = await h.accounts.get(id);
    if (!account) throw new Error('no account');
    for (const [i, person] of namesakes.entries()) await h.accounts.insert(copyOf(account, i, person.kvnr));
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const r = await h.core.counter.search(COUNTER, principal, { by: 'NAME', lastName: 'Mustermann', birthDate: ERIKA.birthDate }, reason);
    expect(r.ok && r.value).toHaveLength(20);
  });
});

describe('the counter’s actions: what they store and record', () => {
  it('identity in person: method COUNTER with the document, who checked it and when; the document is required', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    expect(await h.core.counter.confirmIdentity(COUNTER, principal, id, { reason })).toEqual({
      ok: false,
      error: { code: 'VALIDATION_FAILED', details: { issues: [{ path: 'document', code: 'required' }] } },
    });
    expect((await h.accounts.get(id))?.identity.confirmedAt).toBeUndefined();
    h.clock.advance(60_000);
    const at = h.clock.now().toISOString();
    expect(await h.core.counter.confirmIdentity(COUNTER, principal, id, { reason, document: 'RESIDENCE_PERMIT' })).toEqual({
      ok: true,
      value: null,
    });
    expect((await h.accounts.get(id))?.identity).toEqual({
      confirmedAt: at,
      method: 'COUNTER',
      counterCheck: { document: 'RESIDENCE_PERMIT', checkedBy: `staff:${principal.staffId}`, at },
    });
  });

  it('identity in person makes a key still on its way void', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    await h.core.identity.requestLetter(WHO, id);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const letter = (await h.accounts.get(id))?.identity.letter;
    expect(letter?.state).toBe('ACTIVE');
    expect((await h.core.counter.confirmIdentity(COUNTER, principal, id, { reason, document: 'ID_CARD' })).ok).toBe(true);
    expect((await h.accounts.get(id))?.identity.letter).toEqual({ ...letter, state: 'VOID' });
  });

  it('each counter action called for an account that does not exist is NOT_FOUND', async () => {
    const h = makeHarness();
    const who = { actor: 'staff:s1', terminal: 'counter-1' };
    const caseInfo = { reason, document: 'ID_CARD' as const };
    const notFound = { ok: false, error: { code: 'NOT_FOUND' } };
    expect(await confirmIdentityInPerson(h.deps, who, 'no-such-account', caseInfo)).toEqual(notFound);
    expect(await liftLock(h.deps, who, 'no-such-account', caseInfo)).toEqual(notFound);
    expect(await setTemporaryPassword(h.deps, who, 'no-such-account', caseInfo, 'SET')).toEqual(notFound);
    expect(await deleteAtCounter(h.deps, who, 'no-such-account', caseInfo)).toEqual(notFound);
    expect(h.audit.events()).toEqual([]);
  });

  it('an account deleted while its temporary password is prepared: NOT_FOUND, and no letter is printed', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const who = { actor: 'staff:s1', terminal: 'counter-1' };
    const caseInfo = { reason, document: 'ID_CARD' as const };
    const lookUp = h.register.getByKvnr.bind(h.register);
    vi.spyOn(h.register, 'getByKvnr').mockImplementationOnce(async (kvnr) => {
      const person = await lookUp(kvnr);
      await deleteAtCounter(h.deps, who, id, caseInfo);
      return person;
    });
    const letters = h.letters.length;
    expect(await setTemporaryPassword(h.deps, who, id, caseInfo, 'SET')).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(h.letters.length).toBe(letters);
    expect(h.audit.events().filter((e) => e.type.startsWith('TEMPORARY_PASSWORD'))).toEqual([]);
  });

  it('identity in person leaves a used letter as it was: only a key still on its way becomes void', async () => {
    const { h, id } = await activeAccount();
    const before = (await h.accounts.get(id))?.identity.letter;
    expect(before?.state).toBe('USED');
    // An account confirmed by letter is ALREADY_CONFIRMED; remove the confirmation to see the letter rule alone.
    await h.accounts.update(id, (account) => {
      const { confirmedAt: _c, method: _m, ...identity } = account.identity;
      return { next: { ...account, identity }, result: null };
    });
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    expect((await h.core.counter.confirmIdentity(COUNTER, principal, id, { reason, document: 'ID_CARD' })).ok).toBe(true);
    expect((await h.accounts.get(id))?.identity.letter).toEqual(before);
  });

  it('a lock is lifted with ACCOUNT_UNLOCKED by the staff member; a deactivated account is ACCOUNT_DEACTIVATED, not unlocked', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    await lockOut(h, 5);
    expect(await h.core.counter.liftLock(COUNTER, principal, id, { reason })).toEqual({ ok: true, value: null });
    expect((await h.accounts.get(id))?.login).toEqual({ failures: 0 });
    expect(h.audit.events().filter((e) => e.type === 'ACCOUNT_UNLOCKED')).toEqual([
      expect.objectContaining({ subject: id, actor: `staff:${principal.staffId}`, terminal: 'counter-1', data: { reason } }),
    ]);
    await lockOut(h, 5);
    expect(await h.core.counter.liftLock(COUNTER, principal, id, { reason, document: 'PASSPORT' })).toEqual({ ok: true, value: null });
    expect(h.audit.events().filter((e) => e.type === 'ACCOUNT_UNLOCKED')[1]?.data).toEqual({ reason, document: 'PASSPORT' });
    await lockOut(h, 6);
    expect(await h.core.counter.liftLock(COUNTER, principal, id, { reason })).toEqual({
      ok: false,
      error: { code: 'ACCOUNT_DEACTIVATED' },
    });
    expect((await h.accounts.get(id))?.login.deactivatedAt).toBeDefined();
  });

  it('a temporary password: stored for 14 Berlin days with the old one in the history, a lock lifted, audited twice, its letter printed', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    await lockOut(h, 5);
    const before = await h.accounts.get(id);
    if (!before) throw new Error('no account');
    const from = h.audit.events().length;
    const r = await h.core.counter.temporaryPassword(COUNTER, principal, id, { reason, document: 'PASSPORT' });
    expect(r).toEqual({ ok: true, value: { validThrough: '2026-12-13', letterRef: 'letter-1' } });
    const after = await h.accounts.get(id);
    expect(after?.password).toMatchObject({
      changedAt: h.clock.now().toISOString(),
      history: [before.password.hash],
      temporaryUntil: '2026-12-13T23:00:00.000Z',
    });
    expect(after?.login).toEqual({ failures: 0 });
    expect(after?.epoch).toBe((before.epoch ?? 0) + 1);
    expect(h.letters.at(-1)).toMatchObject({
      kind: 'TEMPORARY_PASSWORD',
      to: { name: 'Erika Mustermann' },
      date: '2026-11-29',
      username: 'erika.m',
      validUntil: '2026-12-13',
      language: 'de',
      accountId: id,
    });
    const by = { subject: id, actor: `staff:${principal.staffId}`, terminal: 'counter-1' };
    expect(h.audit.events().slice(from)).toEqual([
      expect.objectContaining({ type: 'TEMPORARY_PASSWORD_STORED', ...by, data: { reason, document: 'PASSPORT' } }),
      expect.objectContaining({ type: 'TEMPORARY_PASSWORD_SET', ...by, data: { reason, document: 'PASSPORT', letterRef: 'letter-1' } }),
    ]);
  });

  it('the password history keeps the policy’s number of earlier passwords, newest first', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const hashes: string[] = [];
    for (let i = 0; i < 6; i++) {
      hashes.unshift((await h.accounts.get(id))?.password.hash ?? '');
      expect((await h.core.counter.temporaryPassword(COUNTER, principal, id, { reason, document: 'ID_CARD' })).ok).toBe(true);
    }
    // historySize 5: the current password and the four before it.
    expect((await h.accounts.get(id))?.password.history).toEqual(hashes.slice(0, 4));
  });

  it('reactivation is recorded as ACCOUNT_REACTIVATED before the stored password; a password for a deactivated account needs it', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    await lockOut(h, 6);
    expect(await h.core.counter.temporaryPassword(COUNTER, principal, id, { reason, document: 'ID_CARD' })).toEqual({
      ok: false,
      error: { code: 'ACCOUNT_DEACTIVATED' },
    });
    expect(await h.core.counter.reactivate(COUNTER, principal, id, { reason })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    const from = h.audit.events().length;
    expect((await h.core.counter.reactivate(COUNTER, principal, id, { reason, document: 'ID_CARD' })).ok).toBe(true);
    expect(
      h.audit
        .events()
        .slice(from)
        .filter((e) => e.subject === id)
        .map((e) => [e.type, e.data?.['reason']]),
    ).toEqual([
      ['ACCOUNT_REACTIVATED', reason],
      ['TEMPORARY_PASSWORD_STORED', reason],
      ['TEMPORARY_PASSWORD_SET', reason],
    ]);
    expect((await h.accounts.get(id))?.login).toEqual({ failures: 0 });
  });

  it('no temporary password for an account whose person is not in the register (REGISTER_MISMATCH): no letter could reach them', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const account = await h.accounts.get(id);
    if (!account) throw new Error('no account');
    await h.accounts.insert(copyOf(account, 1, kvnrOf('Z12345678')));
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    const letters = h.letters.length;
    expect(await h.core.counter.temporaryPassword(COUNTER, principal, 'copy-1', { reason, document: 'ID_CARD' })).toEqual({
      ok: false,
      error: { code: 'REGISTER_MISMATCH' },
    });
    expect(h.letters.length).toBe(letters);
    expect((await h.accounts.get('copy-1'))?.password).toEqual(account.password);
  });

  it('deletion at the counter needs the document shown and names the reason and document in the trail', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { principal } = await readyStaff(h, 'berta.meier', 'staff');
    expect(await h.core.counter.deleteAccount(COUNTER, principal, id, { reason })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', details: { issues: [{ path: 'document', code: 'required' }] } },
    });
    expect(await h.accounts.get(id)).toBeDefined();
    expect(await h.core.counter.deleteAccount(COUNTER, principal, id, { reason, document: 'ARRIVAL_CERTIFICATE' })).toEqual({
      ok: true,
      value: null,
    });
    expect(h.audit.events().find((e) => e.type === 'ACCOUNT_DELETED')?.data).toEqual({ reason, document: 'ARRIVAL_CERTIFICATE' });
    expect(await h.core.counter.deleteAccount(COUNTER, principal, id, { reason, document: 'ID_CARD' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('a reason for the trail', () => {
  it('describes the occasion: words, a single short number and times of day are fine', () => {
    for (const clean of [
      'Person am Schalter',
      'Brief Nummer 2 nicht erhalten',
      'zu Brief 2 nachgefragt',
      'Frage zu Nr. 2.',
      'zu Abschnitt 3.a.',
      'Punkt 3 - Rückfrage',
      'Termin um 10 Uhr',
      'Rückruf 14:30',
      'Rückruf um 9.30 Uhr',
      'in Raum 101 verwiesen',
      'Kunde fragt, was zu tun ist',
    ]) {
      expect(reasonIsClean(clean)).toBe(true);
    }
  });

  it('never carries an insurance number, five or more digits, a day and month, or an e-mail address', () => {
    for (const personal of [
      'KVNR A123456780',
      'Nummer A 12345678 0',
      'Fall 12345',
      'Telefon 0151 2345',
      'geboren 12.08.1984',
      'Termin am 3.4.',
      'Termin am 3. 4.',
      'Termin am 3.12.',
      'Termin am 24.12',
      'Mail an erika@example.org',
      'über @',
    ]) {
      expect(reasonIsClean(personal), personal).toBe(false);
    }
  });

  it('never names the person concerned: whole name parts of three letters or more, in any case, ß written as ss', () => {
    const names = ['Jürgen', 'Groß-Öztürk', 'Al'];
    expect(reasonIsClean('Anruf von JÜRGEN', names)).toBe(false);
    expect(reasonIsClean('Frau Gross fragt', names)).toBe(false);
    expect(reasonIsClean('Frage von öztürk', names)).toBe(false);
    // A two-letter part is too common a word to refuse, and a name inside a longer word is no name.
    expect(reasonIsClean('Al fragt nach', names)).toBe(true);
    expect(reasonIsClean('Jürgens Frage', names)).toBe(true);
    expect(reasonIsClean('Ute fragt', ['Ute'])).toBe(false);
    expect(reasonIsClean('Frage', [])).toBe(true);
  });
});
