import { describe, expect, it } from 'vitest';
import type { InsuredPerson } from '../../src-main/core/register/person.js';
import { ERIKA, WHO, erikaInput, makeHarness } from '../fixtures/harness.js';
import { kvnrCheckDigit } from '../../src-main/core/kvnr.js';

const withKvnr = (body: string) => `${body}${kvnrCheckDigit(body)}`;
const person = (overrides: Partial<InsuredPerson>): InsuredPerson => ({ ...ERIKA, kvnr: withKvnr('T10000000'), ...overrides });
const inputFor = (p: InsuredPerson, username = 'tester.one') =>
  erikaInput({ kvnr: p.kvnr, firstName: p.firstName, lastName: p.lastName, birthDate: p.birthDate, username });

describe('registration (R2)', () => {
  it('creates an account, stores consents with versions and time, and e-mails an 8-digit code', async () => {
    const h = makeHarness();
    const r = await h.core.registration.register(WHO, erikaInput());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const account = await h.accounts.get(r.value.accountId);
    expect(account?.consents.privacy).toEqual({ version: '2026-01', acceptedAt: '2026-11-29T10:00:00.000Z' });
    expect(account?.consents.participation.version).toBe('2026-01');
    expect(h.mails).toHaveLength(1);
    expect(h.mails[0]?.to).toBe('erika@example.org');
    const code = h.lastCode();
    expect(code).toMatch(/^\d{8}$/);
    // Only a hash is stored: the code appears nowhere in the record.
    expect(JSON.stringify(account)).not.toContain(code);
    expect(JSON.stringify(account)).not.toContain('Heide*Blume7');
    expect(h.audit.events().map((e) => e.type)).toEqual(['REGISTRATION', 'EMAIL_CODE_SENT']);
  });

  it('matches names after normalisation, case folding and trimming', async () => {
    const h = makeHarness();
    const r = await h.core.registration.register(WHO, erikaInput({ firstName: '  ERIKA ', lastName: 'mustermann' }));
    expect(r.ok).toBe(true);
    const weiss = await h.core.registration.register(
      WHO,
      erikaInput({
        kvnr: withKvnr('M20001000'),
        firstName: 'JÜRGEN',
        lastName: 'WEISS',
        birthDate: '1961-02-03',
        username: 'juergen.w',
        email: 'j@example.org',
      }),
    );
    expect(weiss.ok).toBe(true);
    const decomposed = await makeHarness().core.registration.register(WHO, erikaInput({ firstName: 'Eri\u006Ba' }));
    expect(decomposed.ok).toBe(true);
  });

  it('refuses data that does not match the register, with one code for every mismatch', async () => {
    const h = makeHarness();
    for (const change of [{ firstName: 'Erica' }, { lastName: 'Musterfrau' }, { birthDate: '1984-08-13' }, { kvnr: 'X110411675' }]) {
      const r = await h.core.registration.register(WHO, erikaInput(change));
      expect(r).toEqual({ ok: false, error: { code: 'REGISTER_MISMATCH' } });
    }
    expect(await h.accounts.count()).toBe(0);
    expect(h.mails).toHaveLength(0);
  });

  it('allows one online account per insured person', async () => {
    const h = makeHarness();
    expect((await h.core.registration.register(WHO, erikaInput())).ok).toBe(true);
    const again = await h.core.registration.register(WHO, erikaInput({ username: 'another.name' }));
    expect(again.ok || again.error.code).toBe('ACCOUNT_EXISTS');
    expect(await h.accounts.count()).toBe(1);
  });

  it('keeps usernames unique without regard to case', async () => {
    const becker = person({ kvnr: withKvnr('B80007000'), firstName: 'Tobias', lastName: 'Becker', birthDate: '1978-12-24' });
    const h = makeHarness({ register: [ERIKA, becker] });
    expect((await h.core.registration.register(WHO, erikaInput())).ok).toBe(true);
    const r = await h.core.registration.register(WHO, inputFor(becker, 'ERIKA.M'));
    expect(r.ok || r.error.code).toBe('USERNAME_TAKEN');
  });

  it('checks the username format: 6-32 of letters, digits, . - _', async () => {
    const h = makeHarness();
    for (const username of ['erika', 'e'.repeat(33), 'erika m', 'erikä.m', 'erika@m']) {
      const r = await h.core.registration.register(WHO, erikaInput({ username }));
      expect(r.ok || r.error.code).toBe('USERNAME_INVALID');
    }
    expect((await h.core.registration.register(WHO, erikaInput({ username: 'Er-1_k.' }))).ok).toBe(true);
  });

  it('names the failed password rules', async () => {
    const h = makeHarness();
    const r = await h.core.registration.register(WHO, erikaInput({ password: 'mustermann' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('PASSWORD_REJECTED');
    expect(r.error.details?.['rules']).toEqual(expect.arrayContaining(['TOO_FEW_CLASSES', 'CONTAINS_NAME']));
  });

  it('requires the current consent versions', async () => {
    const h = makeHarness();
    const outdated = await h.core.registration.register(WHO, erikaInput({ privacyVersion: '2020-01' }));
    expect(outdated.ok || outdated.error.code).toBe('CONSENT_OUTDATED');
    const missing = await h.core.registration.register(WHO, erikaInput({ participationVersion: '' }));
    expect(missing.ok || missing.error.code).toBe('CONSENT_REQUIRED');
  });

  describe('minimum age: from the 15th birthday on', () => {
    const teen = person({ birthDate: '2011-12-01', firstName: 'Tim', lastName: 'Jung' });
    it('the day before the 15th birthday is too early', async () => {
      const h = makeHarness({ now: '2026-11-30T12:00:00Z', register: [teen] });
      const r = await h.core.registration.register(WHO, inputFor(teen));
      expect(r).toEqual({ ok: false, error: { code: 'TOO_YOUNG', details: { eligibleFrom: '2026-12-01' } } });
    });
    it('on the 15th birthday (Berlin midnight) registration works', async () => {
      const h = makeHarness({ now: '2026-11-30T23:00:00Z', register: [teen] });
      expect((await h.core.registration.register(WHO, inputFor(teen))).ok).toBe(true);
    });
    const leap = person({ birthDate: '2012-02-29', firstName: 'Leo', lastName: 'Schaltjahr' });
    it('born on 29 February: not on 28 February of a common year', async () => {
      const h = makeHarness({ now: '2027-02-28T12:00:00Z', register: [leap] });
      const r = await h.core.registration.register(WHO, inputFor(leap));
      expect(r.ok || r.error.details?.['eligibleFrom']).toBe('2027-03-01');
    });
    it('born on 29 February: from 1 March of a common year', async () => {
      const h = makeHarness({ now: '2027-03-01T12:00:00Z', register: [leap] });
      expect((await h.core.registration.register(WHO, inputFor(leap))).ok).toBe(true);
    });
  });

  describe('insurance period', () => {
    const starter = person({ insuranceStart: '2026-12-01', firstName: 'Nina', lastName: 'Neu' });
    it('the day before the insurance start is refused with the start date', async () => {
      const h = makeHarness({ now: '2026-11-30T22:59:59Z', register: [starter] });
      const r = await h.core.registration.register(WHO, inputFor(starter));
      expect(r).toEqual({ ok: false, error: { code: 'INSURANCE_NOT_STARTED', details: { startsOn: '2026-12-01' } } });
    });
    it('the insurance start day itself is allowed', async () => {
      const h = makeHarness({ now: '2026-11-30T23:00:00Z', register: [starter] });
      expect((await h.core.registration.register(WHO, inputFor(starter))).ok).toBe(true);
    });
    const leaver = person({ insuranceEnd: '2026-11-28', firstName: 'Karl', lastName: 'Alt' });
    it('an ended insurance is refused', async () => {
      const h = makeHarness({ register: [leaver] });
      const r = await h.core.registration.register(WHO, inputFor(leaver));
      expect(r.ok || r.error.code).toBe('INSURANCE_ENDED');
    });
    it('the last insured day still counts', async () => {
      const h = makeHarness({ now: '2026-11-28T12:00:00Z', register: [leaver] });
      expect((await h.core.registration.register(WHO, inputFor(leaver))).ok).toBe(true);
    });
  });

  it('refuses malformed KVNR, impossible dates and bad e-mail addresses before looking anything up', async () => {
    const h = makeHarness();
    const kvnr = await h.core.registration.register(WHO, erikaInput({ kvnr: 'A123456781' }));
    expect(kvnr.ok || kvnr.error.code).toBe('KVNR_INVALID');
    const date = await h.core.registration.register(WHO, erikaInput({ birthDate: '1984-02-30' }));
    expect(date.ok || date.error.code).toBe('VALIDATION_FAILED');
    const mail = await h.core.registration.register(WHO, erikaInput({ email: 'erika.example.org' }));
    expect(mail.ok || mail.error.code).toBe('EMAIL_INVALID');
    expect(await h.accounts.count()).toBe(0);
  });

  it('a registration whose mail cannot be sent is kept, and says so', async () => {
    const h = makeHarness();
    h.mailFailures.next = 1;
    const r = await h.core.registration.register(WHO, erikaInput());
    expect(r.ok && r.value.emailDelivery).toBe('FAILED');
    expect(await h.accounts.count()).toBe(1);
  });

  it('two simultaneous registrations of one person create one account', async () => {
    const h = makeHarness();
    const results = await Promise.all([
      h.core.registration.register(WHO, erikaInput({ username: 'first.try' })),
      h.core.registration.register(WHO, erikaInput({ username: 'second.try' })),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await h.accounts.count()).toBe(1);
  });
});
