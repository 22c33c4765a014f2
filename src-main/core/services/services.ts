/**
 * The account's services (R9): patient receipt (behind a TAN), personal data (address read-only
 * from the register; e-mail and mobile number changed behind a TAN), membership certificate,
 * and the secure mailbox's messages. All of them need a confirmed identity.
 * What a person can make the kiosk store or render is bounded: messages per day and in the
 * mailbox, certificates per hour (each is rendered and held in memory until handed over).
 */
import type { Account, MailboxMessage } from '../account.js';
import { attemptCode, CODE_ERRORS, issueCode, numericCode } from '../codes.js';
import { berlinDate, DAY_MS } from '../dates.js';
import { auditEvent, type Actor, type CoreDeps } from '../deps.js';
import { emailCodeMail } from '../mail-texts.js';
import { newEnrolment } from '../mtan/enrolment.js';
import { maskPhone, parseMobile } from '../mtan/phone.js';
import { requestTan, withTan } from '../mtan/tan.js';
import { hourlyLimit } from '../rate-limit.js';
import type { PatientReceiptItem } from '../register/person.js';
import { isValidEmail, sendQuietly } from '../registration/register-account.js';
import { fail, ok, type Result } from '../result.js';
import { normalizeEmail } from '../text.js';

export interface PersonalData {
  readonly kvnr: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string;
  readonly street: string;
  readonly postalCode: string;
  readonly city: string;
  readonly email: string;
  readonly pendingEmail?: string;
  readonly mobileMasked?: string;
  readonly insuranceStart: string;
  readonly insuranceEnd?: string;
}

async function identified(deps: CoreDeps, accountId: string): Promise<Result<Account>> {
  const account = await deps.accounts.get(accountId);
  if (!account) return fail('NOT_FOUND');
  if (!account.identity.confirmedAt) return fail('IDENTITY_REQUIRED');
  return ok(account);
}

export async function personalData(deps: CoreDeps, accountId: string): Promise<Result<PersonalData>> {
  const account = await identified(deps, accountId);
  if (!account.ok) return account;
  const a = account.value;
  const p = await deps.register.getByKvnr(a.kvnr);
  if (!p) return fail('REGISTER_MISMATCH');
  return ok({
    kvnr: p.kvnr,
    firstName: p.firstName,
    lastName: p.lastName,
    birthDate: p.birthDate,
    street: p.street,
    postalCode: p.postalCode,
    city: p.city,
    email: a.email.email,
    ...(a.emailChange ? { pendingEmail: a.emailChange.email } : {}),
    ...(a.mtan ? { mobileMasked: maskPhone(a.mtan.phone) } : {}),
    insuranceStart: p.insuranceStart,
    ...(p.insuranceEnd ? { insuranceEnd: p.insuranceEnd } : {}),
  });
}

export async function viewReceipt(
  deps: CoreDeps,
  who: Actor,
  accountId: string,
  tan: string,
): Promise<Result<{ items: readonly PatientReceiptItem[]; totalCents: number }>> {
  const account = await identified(deps, accountId);
  if (!account.ok) return account;
  const person = await deps.register.getByKvnr(account.value.kvnr);
  const items = person?.receipts ?? [];
  return withTan(deps, who, accountId, 'RECEIPT_VIEW', {}, tan, (next) => ({
    next,
    value: { items, totalCents: items.reduce((sum, item) => sum + item.amountCents, 0) },
  }));
}

export type TanRequest =
  | { readonly action: 'RECEIPT_VIEW' }
  | { readonly action: 'CHANGE_MOBILE'; readonly phone: string }
  | { readonly action: 'CHANGE_EMAIL'; readonly email: string };

/** Sends a TAN for an action, with its parameters normalised exactly as the action will use them. */
export async function requestTanFor(
  deps: CoreDeps,
  who: Actor,
  accountId: string,
  request: TanRequest,
): Promise<Result<{ expiresAt: string; sentTo: string }>> {
  switch (request.action) {
    case 'RECEIPT_VIEW':
      return requestTan(deps, who, accountId, 'RECEIPT_VIEW', {});
    case 'CHANGE_MOBILE': {
      const parsed = parseMobile(request.phone, deps.policy.mtan.defaultRegion);
      if (!parsed.ok) return fail(parsed.reason);
      return requestTan(deps, who, accountId, 'CHANGE_MOBILE', { phone: parsed.e164 });
    }
    case 'CHANGE_EMAIL': {
      const email = normalizeEmail(request.email);
      if (!isValidEmail(email)) return fail('EMAIL_INVALID');
      return requestTan(deps, who, accountId, 'CHANGE_EMAIL', { email });
    }
  }
}

/** After a TAN to the current mobile number, a code goes to the new address; it counts once confirmed. */
export async function changeEmail(deps: CoreDeps, who: Actor, accountId: string, email: string, tan: string): Promise<Result<null>> {
  const now = deps.clock.now();
  const normalized = normalizeEmail(email);
  if (!isValidEmail(normalized)) return fail('EMAIL_INVALID');
  const code = numericCode(deps.random, deps.policy.emailCode.digits);
  const result = await withTan(deps, who, accountId, 'CHANGE_EMAIL', { email: normalized }, tan, (account) => ({
    next: { ...account, emailChange: { email: normalized, code: issueCode(deps.secrets, code, now, deps.policy.emailCode.validityMs) } },
    value: account.language,
  }));
  if (!result.ok) return result;
  await sendQuietly(deps, emailCodeMail(result.value, deps.brand.name, normalized, code, deps.policy.emailCode.validityMs), accountId);
  return ok(null);
}

export async function confirmEmailChange(deps: CoreDeps, who: Actor, accountId: string, input: string): Promise<Result<null>> {
  const now = deps.clock.now();
  const max = deps.policy.emailCode.maxFailures;
  const result = await deps.accounts.update(accountId, (account): { next?: Account; result: Result<null> } => {
    const change = account.emailChange;
    if (!change) return { result: fail('WRONG_STEP') };
    const attempt = attemptCode(change.code, input.trim(), now, max, deps.secrets, CODE_ERRORS);
    if (!attempt.ok) {
      const next = attempt.next ? { next: { ...account, emailChange: { ...change, code: attempt.next } } } : {};
      return { ...next, result: { ok: false, error: attempt.error } };
    }
    const { emailChange: _done, ...rest } = account;
    return { next: { ...rest, email: { ...account.email, email: change.email, confirmedAt: now.toISOString() } }, result: ok(null) };
  });
  if (!result) return fail('NOT_FOUND');
  await auditEvent(deps, who, now, { type: 'CODE_CHECKED', subject: accountId, data: { kind: 'EMAIL_CHANGE_CODE', success: result.ok } });
  if (result.ok) await auditEvent(deps, who, now, { type: 'EMAIL_CHANGED', subject: accountId });
  return result;
}

/**
 * Changing the mobile number: a TAN to the current number approves the new one, then the
 * enrolment runs again for it (card digits, SMS code). The old number stays until then.
 */
export async function changeMobile(deps: CoreDeps, who: Actor, accountId: string, phoneInput: string, tan: string): Promise<Result<null>> {
  const now = deps.clock.now();
  const parsed = parseMobile(phoneInput, deps.policy.mtan.defaultRegion);
  if (!parsed.ok) return fail(parsed.reason);
  const result = await withTan(deps, who, accountId, 'CHANGE_MOBILE', { phone: parsed.e164 }, tan, (account) => ({
    next: { ...account, mtanEnrolment: newEnrolment(deps, now, parsed.e164) },
    value: null,
  }));
  if (result.ok) await auditEvent(deps, who, now, { type: 'MOBILE_CHANGE_STARTED', subject: accountId });
  return result;
}

/** The insurer's first messages in a newly activated mailbox. */
export function welcomeMessages(deps: CoreDeps, account: Account, now: Date): MailboxMessage[] {
  const en = account.language === 'en';
  const at = now.toISOString();
  return [
    {
      id: deps.random.token(9),
      from: 'INSURER',
      at,
      read: false,
      subject: en ? 'Welcome to your secure mailbox' : 'Willkommen in Ihrem sicheren Postfach',
      body: en
        ? 'From now on you receive our letters here as well, and you can write to us safely. We answer within two working days.'
        : 'Ab jetzt erhalten Sie unsere Schreiben auch hier, und Sie können uns sicher schreiben. Wir antworten innerhalb von zwei Werktagen.',
    },
    {
      id: deps.random.token(9),
      from: 'INSURER',
      at,
      read: false,
      subject: en ? 'Your bonus programme' : 'Ihr Bonusprogramm',
      body: en
        ? 'Did you know? Check-ups and vaccinations earn bonus points. Ask at the counter for the booklet.'
        : 'Schon gewusst? Vorsorgeuntersuchungen und Impfungen bringen Bonuspunkte. Fragen Sie am Schalter nach dem Heft.',
    },
  ];
}

export async function mailboxMessages(deps: CoreDeps, accountId: string): Promise<Result<readonly MailboxMessage[]>> {
  const account = await identified(deps, accountId);
  if (!account.ok) return account;
  if (account.value.mailbox.state !== 'ACTIVE') return fail('WRONG_STEP');
  // Newest first; messages of the same moment keep the order they were written in.
  return ok([...(account.value.mailbox.messages ?? [])].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)));
}

/**
 * The person's own messages are counted from the mailbox itself (their instants), so the limits
 * need no extra state. A full mailbox refuses rather than dropping older messages unasked.
 */
export async function writeToInsurer(deps: CoreDeps, accountId: string, input: { subject: string; body: string }): Promise<Result<null>> {
  const now = deps.clock.now();
  const { maxMessagesPerDay, maxStoredMessages } = deps.policy.mailbox;
  const message: MailboxMessage = { id: deps.random.token(9), from: 'PERSON', at: now.toISOString(), read: true, ...input };
  const result = await deps.accounts.update(accountId, (account): { next?: Account; result: Result<null> } => {
    if (!account.identity.confirmedAt || account.mailbox.state !== 'ACTIVE') return { result: fail('WRONG_STEP') };
    const messages = account.mailbox.messages ?? [];
    const own = messages.filter((m) => m.from === 'PERSON').map((m) => new Date(m.at).getTime());
    if (own.length >= maxStoredMessages) return { result: fail('MAILBOX_FULL', { max: maxStoredMessages }) };
    const lastDay = own.filter((at) => now.getTime() - at < DAY_MS);
    if (lastDay.length >= maxMessagesPerDay) {
      return { result: fail('RATE_LIMITED', { retryAt: new Date(Math.min(...lastDay) + DAY_MS).toISOString() }) };
    }
    return { next: { ...account, mailbox: { ...account.mailbox, messages: [...messages, message] } }, result: ok(null) };
  });
  return result ?? fail('NOT_FOUND');
}

export async function markRead(deps: CoreDeps, accountId: string, id: string): Promise<Result<null>> {
  const result = await deps.accounts.update(accountId, (account) => {
    const messages = account.mailbox.messages ?? [];
    if (!messages.some((m) => m.id === id)) return { result: fail('NOT_FOUND') };
    return {
      next: { ...account, mailbox: { ...account.mailbox, messages: messages.map((m) => (m.id === id ? { ...m, read: true } : m)) } },
      result: ok(null),
    };
  });
  return result ?? fail('NOT_FOUND');
}

/**
 * The membership certificate is a document for the person at the kiosk, not a letter to post: it
 * is rendered in memory and the shell hands it over once. Nothing of it is written anywhere.
 */
export async function membershipCertificate(deps: CoreDeps, accountId: string): Promise<Result<{ pdf: Uint8Array }>> {
  const now = deps.clock.now();
  const account = await identified(deps, accountId);
  if (!account.ok) return account;
  const p = await deps.register.getByKvnr(account.value.kvnr);
  if (!p) return fail('REGISTER_MISMATCH');
  const allowed = await deps.accounts.update(accountId, (current): { next?: Account; result: Result<null> } => {
    const limit = hourlyLimit(current.certificatesAt ?? [], now, deps.policy.certificate.maxPerHour);
    if (!limit.allowed) return { result: fail('RATE_LIMITED', { retryAt: limit.retryAt }) };
    return { next: { ...current, certificatesAt: [...limit.recent, now.toISOString()] }, result: ok(null) };
  });
  if (!allowed) return fail('NOT_FOUND');
  if (!allowed.ok) return allowed;
  const pdf = await deps.documents.render({
    kind: 'MEMBERSHIP_CERTIFICATE',
    to: { name: `${p.firstName} ${p.lastName}`, street: p.street, postalCode: p.postalCode, city: p.city },
    date: berlinDate(now),
    kvnr: p.kvnr,
    birthDate: p.birthDate,
    insuranceStart: p.insuranceStart,
    ...(p.insuranceEnd ? { insuranceEnd: p.insuranceEnd } : {}),
    language: account.value.language,
  });
  return ok({ pdf });
}
