/**
 * Registration, step 1, in detail (core/registration/register-account.ts, R2): what the new account
 * holds, the code's mail, what the audit trail records, and the exact answers of the form's checks.
 */
import { describe, expect, it } from 'vitest';
import type { InsuredPerson } from '../../src-main/core/register/person.js';
import { DEFAULT_POLICY } from '../../src-main/core/policy.js';
import { kvnrCheckDigit } from '../../src-main/core/kvnr.js';
import type { PasswordHasher } from '../../src-main/core/ports.js';
import { ERIKA, WHO, erikaInput, fastPasswords, makeHarness } from '../fixtures/harness.js';

const withKvnr = (body: string) => `${body}${kvnrCheckDigit(body)}`;
const CURRENT = {
  privacyVersion: DEFAULT_POLICY.consents.privacyVersion,
  participationVersion: DEFAULT_POLICY.consents.participationVersion,
};

async function registered(overrides: Partial<Record<string, string>> = {}) {
  const h = makeHarness();
  const r = await h.core.registration.register(WHO, erikaInput(overrides));
  if (!r.ok) throw new Error(r.error.code);
  return { h, r: r.value, account: await h.accounts.get(r.value.accountId) };
}

describe('the new account', () => {
  it('holds the normalised KVNR and address, the username as typed with its key, and the chosen language', async () => {
    const { account } = await registered({ kvnr: 'a 123 456 780', email: ' Erika@Example.ORG ', username: 'Erika.M', language: 'en' });
    expect(account).toMatchObject({
      kvnr: 'A123456780',
      username: 'Erika.M',
      usernameKey: 'erika.m',
      language: 'en',
      email: { email: 'erika@example.org', resentAt: [] },
    });
  });

  it('starts with a pending mailbox, no identity, no failures and an empty password history, all dated now', async () => {
    const { h, account } = await registered();
    const at = h.clock.now().toISOString();
    expect(account?.createdAt).toBe(at);
    expect(account?.mailbox).toStrictEqual({ state: 'PENDING' });
    expect(account?.identity).toStrictEqual({});
    expect(account?.login).toStrictEqual({ failures: 0 });
    expect(account?.password).toMatchObject({ changedAt: at, history: [] });
    expect(account?.password.hash).toMatch(/^\$argon2id\$/);
    expect(account?.consents).toStrictEqual({
      privacy: { version: CURRENT.privacyVersion, acceptedAt: at },
      participation: { version: CURRENT.participationVersion, acceptedAt: at },
    });
    expect(account?.email.code).toMatchObject({ issuedAt: at, failures: 0, state: 'ACTIVE' });
    expect(account?.id).toMatch(/^[A-Za-z0-9_-]{22,}$/);
  });
});

describe('the code mail of a registration', () => {
  it('goes to the normalised address, names the username and holds the code for 24 hours', async () => {
    const { h, r } = await registered({ email: 'ERIKA@example.org' });
    expect(r.emailDelivery).toBe('SENT');
    const mail = h.mails[0];
    expect(mail).toMatchObject({ kind: 'EMAIL_CODE', to: 'erika@example.org', subject: 'Kontokiosk: Ihr Bestätigungscode' });
    expect(mail?.text).toContain('Ihr Benutzername, mit dem Sie sich anmelden: erika.m');
    expect(mail?.text).toContain('Der Code gilt 24 Stunden.');
    expect(mail?.text).toContain(h.lastCode());
  });

  it('the stored code works for 24 hours, not a moment longer', async () => {
    const { h, account } = await registered();
    expect(account?.email.code?.expiresAt).toBe(new Date(h.clock.now().getTime() + 24 * 3_600_000).toISOString());
  });
});

describe('what a registration records', () => {
  it('the registration with the accepted consent versions, then the code mail with its delivery, both on the new account', async () => {
    const { h, r } = await registered();
    expect(h.audit.events()).toMatchObject([
      { type: 'REGISTRATION', subject: r.accountId, actor: WHO.actor, terminal: WHO.terminal, data: CURRENT },
      { type: 'EMAIL_CODE_SENT', subject: r.accountId, actor: WHO.actor, terminal: WHO.terminal, data: { delivered: true } },
    ]);
  });

  it('a mail that could not be sent is recorded as not delivered', async () => {
    const h = makeHarness();
    h.mailFailures.next = 1;
    const r = await h.core.registration.register(WHO, erikaInput());
    expect(h.audit.events().at(-1)).toMatchObject({
      type: 'EMAIL_CODE_SENT',
      subject: r.ok ? r.value.accountId : '',
      data: { delivered: false },
    });
  });

  it('a refused registration records nothing and stores nothing', async () => {
    const h = makeHarness();
    await h.core.registration.register(WHO, erikaInput({ firstName: 'Erica' }));
    await h.core.registration.register(WHO, erikaInput({ privacyVersion: '' }));
    expect(h.audit.events()).toEqual([]);
    expect(await h.accounts.count()).toBe(0);
  });
});

describe('the checks of the form', () => {
  it('each consent is required on its own', async () => {
    const h = makeHarness();
    for (const missing of [{ privacyVersion: '' }, { participationVersion: '' }]) {
      expect(await h.core.registration.register(WHO, erikaInput(missing))).toEqual({ ok: false, error: { code: 'CONSENT_REQUIRED' } });
    }
  });

  it('each outdated consent is refused with the current versions, so the screen can show them again', async () => {
    const h = makeHarness();
    for (const outdated of [{ privacyVersion: '2020-01' }, { participationVersion: '2020-01' }]) {
      expect(await h.core.registration.register(WHO, erikaInput(outdated))).toEqual({
        ok: false,
        error: { code: 'CONSENT_OUTDATED', details: CURRENT },
      });
    }
  });

  it('a birth date that is no date or lies in the future is a form error naming the field', async () => {
    const h = makeHarness();
    for (const birthDate of ['1984-02-30', '2026-11-30', '12.08.1984']) {
      expect(await h.core.registration.register(WHO, erikaInput({ birthDate }))).toEqual({
        ok: false,
        error: { code: 'VALIDATION_FAILED', details: { fields: ['birthDate'] } },
      });
    }
  });

  it('a birth date of today is a date: it is checked against the register', async () => {
    const baby: InsuredPerson = { ...ERIKA, kvnr: withKvnr('T20000000'), firstName: 'Mia', lastName: 'Klein', birthDate: '2026-11-29' };
    const h = makeHarness({ register: [baby] });
    const input = erikaInput({ kvnr: baby.kvnr, firstName: 'Mia', lastName: 'Klein', birthDate: '2026-11-29', username: 'mia.klein' });
    expect(await h.core.registration.register(WHO, input)).toEqual({
      ok: false,
      error: { code: 'TOO_YOUNG', details: { eligibleFrom: '2041-11-29' } },
    });
  });

  it('the password may contain neither the username, nor a name, nor the KVNR, nor the birth date', async () => {
    const h = makeHarness();
    const rulesOf = async (password: string) => {
      const r = await h.core.registration.register(WHO, erikaInput({ password }));
      return r.ok ? [] : r.error.details?.['rules'];
    };
    expect(await rulesOf('Xy*erika.m*42')).toEqual(['CONTAINS_USERNAME', 'CONTAINS_NAME']);
    expect(await rulesOf('Xy*Mustermann*42')).toEqual(['CONTAINS_NAME']);
    expect(await rulesOf('Xy*A123456780*')).toEqual(['CONTAINS_KVNR']);
    expect(await rulesOf('Xy*12.08.1984*')).toEqual(['CONTAINS_BIRTH_DATE']);
  });

  it('an insurance that has ended is refused with its own code, nothing more', async () => {
    const leaver: InsuredPerson = { ...ERIKA, insuranceEnd: '2026-11-28' };
    const h = makeHarness({ register: [leaver] });
    expect(await h.core.registration.register(WHO, erikaInput())).toEqual({ ok: false, error: { code: 'INSURANCE_ENDED' } });
  });
});

describe('what counts towards the limit of register answers', () => {
  it('form errors tell nothing about the register: however many, the right details still register', async () => {
    const h = makeHarness();
    for (let i = 0; i < 6; i++) {
      expect((await h.core.registration.register(WHO, erikaInput({ privacyVersion: '2020-01' }))).ok).toBe(false);
      expect((await h.core.registration.register(WHO, erikaInput({ password: 'kurz' }))).ok).toBe(false);
    }
    expect((await h.core.registration.register(WHO, erikaInput())).ok).toBe(true);
  });

  it('mismatches count for the terminal across persons: after twenty, the answer there is the pause, with its end', async () => {
    const h = makeHarness();
    for (let i = 0; i < 20; i++) {
      expect(await h.core.registration.register(WHO, erikaInput({ kvnr: withKvnr(`T30000${String(i).padStart(3, '0')}`) }))).toEqual({
        ok: false,
        error: { code: 'REGISTER_MISMATCH' },
      });
    }
    expect(await h.core.registration.register(WHO, erikaInput())).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { retryAt: '2026-11-29T11:00:00.000Z' } },
    });
    // Recorded once, when the pause begins: refused attempts cannot flood the trail.
    expect(await h.core.registration.register(WHO, erikaInput())).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(h.audit.events()).toMatchObject([
      { type: 'LIMIT_REACHED', actor: WHO.actor, terminal: WHO.terminal, data: { limit: 'REGISTRATION' } },
    ]);
    expect(h.audit.events()).toHaveLength(1);
    expect((await h.core.registration.register({ ...WHO, terminal: 'kiosk-2' }, erikaInput())).ok).toBe(true);
  });
});

describe('registrations at the same moment', () => {
  it('of one person: one account, and the other is told that it exists', async () => {
    const h = makeHarness();
    const results = await Promise.all([
      h.core.registration.register(WHO, erikaInput({ username: 'first.try' })),
      h.core.registration.register(WHO, erikaInput({ username: 'second.try' })),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, error: { code: 'ACCOUNT_EXISTS' } }]);
  });

  it('of two persons with one username: one gets it, the other is told it is taken', async () => {
    const becker: InsuredPerson = {
      ...ERIKA,
      kvnr: withKvnr('B80007000'),
      firstName: 'Tobias',
      lastName: 'Becker',
      birthDate: '1978-12-24',
    };
    const h = makeHarness({ register: [ERIKA, becker] });
    const tobias = erikaInput({
      kvnr: becker.kvnr,
      firstName: 'Tobias',
      lastName: 'Becker',
      birthDate: '1978-12-24',
      email: 't@example.org',
      username: 'Same.Name',
    });
    const results = await Promise.all([
      h.core.registration.register(WHO, erikaInput({ username: 'same.name' })),
      h.core.registration.register(WHO, tobias),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, error: { code: 'USERNAME_TAKEN' } }]);
    expect(await h.accounts.count()).toBe(1);
  });
});

/** Hashing is the expensive part of a registration: a refusal known from the store costs none. */
describe('nothing is hashed where the answer is already known', () => {
  it('an existing account or a taken username is refused before the password is hashed', async () => {
    const hashed = { count: 0 };
    const passwords: PasswordHasher = {
      hash: (password) => {
        hashed.count += 1;
        return fastPasswords.hash(password);
      },
      verify: (hash, password) => fastPasswords.verify(hash, password),
    };
    const becker: InsuredPerson = {
      ...ERIKA,
      kvnr: withKvnr('B80007000'),
      firstName: 'Tobias',
      lastName: 'Becker',
      birthDate: '1978-12-24',
    };
    const h = makeHarness({ register: [ERIKA, becker], passwords });
    expect((await h.core.registration.register(WHO, erikaInput())).ok).toBe(true);
    expect(hashed.count).toBe(1);
    expect(await h.core.registration.register(WHO, erikaInput({ username: 'other.name' }))).toEqual({
      ok: false,
      error: { code: 'ACCOUNT_EXISTS' },
    });
    const tobias = erikaInput({ kvnr: becker.kvnr, firstName: 'Tobias', lastName: 'Becker', birthDate: '1978-12-24', username: 'ERIKA.M' });
    expect(await h.core.registration.register(WHO, tobias)).toEqual({ ok: false, error: { code: 'USERNAME_TAKEN' } });
    expect(hashed.count).toBe(1);
  });
});
