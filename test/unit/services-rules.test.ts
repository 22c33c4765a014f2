/** The rules of the online services (R9): who may use them, what they show, what changing and deleting record. */
import { describe, expect, it } from 'vitest';
import { issueCode } from '../../src-main/core/codes.js';
import { membershipCertificate } from '../../src-main/core/services/certificate.js';
import { confirmEmailChange } from '../../src-main/core/services/contact.js';
import { deleteAccount, removeAccount } from '../../src-main/core/services/delete-account.js';
import { personalData } from '../../src-main/core/services/personal-data.js';
import { viewReceipt } from '../../src-main/core/services/receipt.js';
import type { CoreDeps } from '../../src-main/core/deps.js';
import { LoginGuards } from '../../src-main/core/login/guards.js';
import { ERIKA, WHO, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';
import { activeAccount, withMtan } from '../fixtures/active.js';

type Harness = ReturnType<typeof makeHarness>;
const IDENTITY_REQUIRED = { ok: false, error: { code: 'IDENTITY_REQUIRED' } };
const REGISTER_MISMATCH = { ok: false, error: { code: 'REGISTER_MISMATCH' } };
const NOT_FOUND = { ok: false, error: { code: 'NOT_FOUND' } };

const types = (h: Harness, ...wanted: string[]) =>
  h.audit
    .events()
    .filter((e) => wanted.includes(e.type))
    .map((e) => ({ type: e.type, subject: e.subject, data: e.data }));

describe('services need a confirmed identity and the register’s entry', () => {
  it('without a confirmed identity: no certificate, no personal data, no receipt (IDENTITY_REQUIRED)', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    expect(await h.core.services.certificate(id)).toEqual(IDENTITY_REQUIRED);
    expect(await h.core.services.personalData(id)).toEqual(IDENTITY_REQUIRED);
    expect(await h.core.services.receipt(WHO, id, '123456')).toEqual(IDENTITY_REQUIRED);
    expect(h.documents).toEqual([]);
  });

  it('a person no longer in the register gets no certificate and no personal data (REGISTER_MISMATCH)', async () => {
    const { h, id } = await activeAccount();
    await h.register.replaceAll([]);
    expect(await h.core.services.certificate(id)).toEqual(REGISTER_MISMATCH);
    expect(await h.core.services.personalData(id)).toEqual(REGISTER_MISMATCH);
    expect(h.documents).toEqual([]);
  });

  it('a person no longer in the register sees an empty receipt behind the TAN', async () => {
    const { h, id } = await withMtan();
    await h.core.mtan.requestTan(WHO, id, { action: 'RECEIPT_VIEW' });
    await h.register.replaceAll([]);
    expect(await viewReceipt(h.deps, WHO, id, h.lastSmsCode())).toEqual({ ok: true, value: { items: [], totalCents: 0 } });
  });
});

describe('the membership certificate', () => {
  it('names the end of the insurance when the register has one, from the register’s data', async () => {
    const ended = { ...ERIKA, insuranceEnd: '2026-12-31' };
    const { h, id } = await activeAccount({ register: [ended] });
    expect((await h.core.services.certificate(id)).ok).toBe(true);
    expect(h.documents.at(-1)).toMatchObject({
      kind: 'MEMBERSHIP_CERTIFICATE',
      date: '2026-11-29',
      birthDate: ERIKA.birthDate,
      insuranceStart: ERIKA.insuranceStart,
      insuranceEnd: '2026-12-31',
      language: 'de',
      accountId: id,
    });
  });

  it('an account deleted while the certificate was asked for gets NOT_FOUND and no document', async () => {
    const { h, id } = await activeAccount();
    const register = Object.assign(Object.create(h.deps.register) as CoreDeps['register'], {
      getByKvnr: async (kvnr: string) => {
        await h.accounts.delete(id);
        return h.deps.register.getByKvnr(kvnr);
      },
    });
    expect(await membershipCertificate({ ...h.deps, register }, id)).toEqual(NOT_FOUND);
    expect(h.documents).toEqual([]);
  });
});

describe('personal data', () => {
  it('shows the register’s names and address, the pending new address and the end of the insurance', async () => {
    const ended = { ...ERIKA, insuranceEnd: '2026-12-31' };
    const { h, id } = await activeAccount({ register: [ended] });
    await h.accounts.update(id, (a) => ({
      next: { ...a, emailChange: { email: 'neu@example.org', code: issueCode(h.deps.secrets, '12345678', h.clock.now(), 1_800_000) } },
      result: null,
    }));
    expect(await personalData(h.deps, id)).toEqual({
      ok: true,
      value: {
        kvnr: ERIKA.kvnr,
        firstName: ERIKA.firstName,
        lastName: ERIKA.lastName,
        birthDate: ERIKA.birthDate,
        street: ERIKA.street,
        postalCode: ERIKA.postalCode,
        city: ERIKA.city,
        email: 'erika@example.org',
        pendingEmail: 'neu@example.org',
        insuranceStart: ERIKA.insuranceStart,
        insuranceEnd: '2026-12-31',
      },
    });
  });
});

describe('changing the contact data', () => {
  it('an invalid address is refused before the TAN is looked at: EMAIL_INVALID, the TAN stays usable', async () => {
    const { h, id } = await withMtan();
    await h.core.mtan.requestTan(WHO, id, { action: 'CHANGE_EMAIL', email: 'neu@example.org' });
    const tan = h.lastSmsCode();
    expect(await h.core.services.changeEmail(WHO, id, 'not-an-address', tan)).toEqual({ ok: false, error: { code: 'EMAIL_INVALID' } });
    expect((await h.core.services.changeEmail(WHO, id, 'neu@example.org', tan)).ok).toBe(true);
  });

  it('a wrong TAN sends no code to the new address', async () => {
    const { h, id } = await withMtan();
    await h.core.mtan.requestTan(WHO, id, { action: 'CHANGE_EMAIL', email: 'neu@example.org' });
    const tan = h.lastSmsCode();
    const before = h.mails.length;
    const wrong = tan === '000000' ? '111111' : '000000';
    expect((await h.core.services.changeEmail(WHO, id, 'neu@example.org', wrong)).ok).toBe(false);
    expect(h.mails.length).toBe(before);
    expect((await h.accounts.get(id))?.emailChange).toBeUndefined();
  });

  it('confirming without a pending change is WRONG_STEP; for an unknown account NOT_FOUND', async () => {
    const { h, id } = await withMtan();
    expect(await h.core.services.confirmEmailChange(WHO, id, '12345678')).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect(await confirmEmailChange(h.deps, WHO, 'no-such-account', '12345678')).toEqual(NOT_FOUND);
  });

  it('the code may be typed with spaces around it; a wrong one is counted on the pending change and recorded', async () => {
    const { h, id } = await withMtan();
    await h.core.mtan.requestTan(WHO, id, { action: 'CHANGE_EMAIL', email: 'neu@example.org' });
    await h.core.services.changeEmail(WHO, id, 'neu@example.org', h.lastSmsCode());
    const code = h.lastCode();
    const wrong = String((Number(code) + 1) % 100_000_000).padStart(8, '0');
    expect((await h.core.services.confirmEmailChange(WHO, id, wrong)).ok).toBe(false);
    expect((await h.accounts.get(id))?.emailChange).toMatchObject({ email: 'neu@example.org', code: { failures: 1 } });
    expect(types(h, 'CODE_CHECKED').at(-1)).toEqual({
      type: 'CODE_CHECKED',
      subject: id,
      data: { kind: 'EMAIL_CHANGE_CODE', success: false },
    });
    expect(await h.core.services.confirmEmailChange(WHO, id, ` ${code} `)).toEqual({ ok: true, value: null });
    expect((await h.accounts.get(id))?.email.email).toBe('neu@example.org');
  });

  it('an invalid mobile number is refused with its reason before the TAN is looked at; the change of number is recorded', async () => {
    const { h, id } = await withMtan();
    await h.core.mtan.requestTan(WHO, id, { action: 'CHANGE_MOBILE', phone: '+491601111111' });
    const tan = h.lastSmsCode();
    expect(await h.core.services.changeMobile(WHO, id, '12', tan)).toEqual({ ok: false, error: { code: 'PHONE_INVALID' } });
    expect(await h.core.services.changeMobile(WHO, id, '0160 1111111', tan)).toEqual({ ok: true, value: null });
    expect(types(h, 'MOBILE_CHANGE_STARTED')).toEqual([{ type: 'MOBILE_CHANGE_STARTED', subject: id, data: undefined }]);
  });
});

describe('deleting the online account', () => {
  it('an unknown account is NOT_FOUND', async () => {
    const h = makeHarness();
    const guards = new LoginGuards(h.deps.policy.terminal);
    expect(await deleteAccount(h.deps, guards, WHO, 'no-such-account', { password: 'Heide*Blume7', confirm: true })).toEqual(NOT_FOUND);
  });

  it('when removing its data fails, the deletion stands and the trail says which part failed', async () => {
    const { h, id } = await activeAccount();
    const refuse = () => Promise.reject(new Error('store unavailable'));
    const deps: CoreDeps = {
      ...h.deps,
      outbox: { purgeFor: refuse },
      inbox: Object.assign(Object.create(h.deps.inbox) as CoreDeps['inbox'], { removeFor: refuse }),
      mailbox: Object.assign(Object.create(h.deps.mailbox) as CoreDeps['mailbox'], { removeFor: refuse }),
      outbound: Object.assign(Object.create(h.deps.outbound) as CoreDeps['outbound'], { removeFor: refuse }),
    };
    await removeAccount(deps, WHO, h.clock.now(), id, { reason: 'test' });
    expect(await h.accounts.get(id)).toBeUndefined();
    expect(types(h, 'ACCOUNT_DELETED', 'ACCOUNT_DATA_REMOVED')).toEqual([
      { type: 'ACCOUNT_DELETED', subject: id, data: { reason: 'test' } },
      {
        type: 'ACCOUNT_DATA_REMOVED',
        subject: id,
        data: { outboxPurgeFailed: true, inboxRemoved: -1, mailboxRemoved: -1, outboundRemoved: -1 },
      },
    ]);
  });
});
