/**
 * Registration, step 1 (R2). Anyone at the kiosk may try, so every check runs in the core and a
 * refusal changes nothing. The account is written durably before the e-mail code leaves.
 */
import type { Account } from '../account.js';
import { issueCode, numericCode } from '../codes.js';
import { anniversary, berlinDate, isValidIsoDate } from '../dates.js';
import { auditEntries, auditEvent, type Actor, type CoreDeps } from '../deps.js';
import { parseKvnr } from '../kvnr.js';
import { emailCodeMail } from '../texts.js';
import { fail, ok, type Result } from '../result.js';
import { sameName } from '../text.js';
import { isValidEmail, normalizeEmail } from '../email/address.js';
import { deliveryData, type Delivery } from '../notify.js';
import { checkPassword } from './password-policy.js';
import type { MismatchLimits } from '../login/guards.js';
import { paced } from '../login/attempt.js';
import { isValidUsername, usernameKey } from './username.js';

export interface RegistrationInput {
  readonly kvnr: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string;
  readonly email: string;
  readonly username: string;
  readonly password: string;
  readonly privacyVersion: string;
  readonly participationVersion: string;
  readonly language: 'de' | 'en';
}

export function registerAccount(
  deps: CoreDeps,
  limiters: { readonly mismatches: MismatchLimits; readonly registrations: MismatchLimits },
  who: Actor,
  input: RegistrationInput,
): Promise<Result<{ accountId: string; emailDelivery: Delivery }>> {
  // Every refusal answers no sooner than the failure floor: trying details costs time.
  return paced(deps, () => register(deps, limiters, who, input));
}

async function register(
  deps: CoreDeps,
  limiters: { readonly mismatches: MismatchLimits; readonly registrations: MismatchLimits },
  who: Actor,
  input: RegistrationInput,
): Promise<Result<{ accountId: string; emailDelivery: Delivery }>> {
  const now = deps.clock.now();
  const today = berlinDate(now);
  const { policy } = deps;

  const kvnr = parseKvnr(input.kvnr);
  if (!kvnr) return fail('KVNR_INVALID');
  if (!isValidIsoDate(input.birthDate) || input.birthDate > today) {
    return fail('VALIDATION_FAILED', { fields: ['birthDate'] });
  }
  if (!isValidUsername(input.username)) return fail('USERNAME_INVALID');
  const email = normalizeEmail(input.email);
  if (!isValidEmail(email)) return fail('EMAIL_INVALID');
  if (!input.privacyVersion || !input.participationVersion) return fail('CONSENT_REQUIRED');
  if (input.privacyVersion !== policy.consents.privacyVersion || input.participationVersion !== policy.consents.participationVersion) {
    return fail('CONSENT_OUTDATED', { ...policy.consents });
  }
  const rules = checkPassword(
    input.password,
    { username: input.username, names: [input.firstName, input.lastName], kvnr, birthDate: input.birthDate },
    deps.commonPasswords,
    policy.password,
  );
  if (rules.length > 0) return fail('PASSWORD_REJECTED', { rules });

  // Answers below tell whether the details match the register (or a username is taken): limited
  // per terminal and per KVNR. New accounts per KVNR are limited per day, so that registering and
  // deleting again cannot turn the kiosk into a mailer to any address.
  const limitKeys = [`registration:terminal:${who.terminal}`, `registration:kvnr:${kvnr}`] as const;
  const blocked =
    limiters.mismatches.check(
      [
        [limitKeys[0], policy.limits.registrationMismatchesPerTerminal],
        [limitKeys[1], policy.limits.registrationMismatchesPerKvnr],
      ],
      now.getTime(),
    ) ?? limiters.registrations.check([[limitKeys[1], policy.limits.registrationsPerKvnrPerDay]], now.getTime());
  if (blocked) {
    if (blocked.announce) await auditEvent(deps, who, now, { type: 'LIMIT_REACHED', data: { limit: 'REGISTRATION' } });
    return fail('RATE_LIMITED', { retryAt: new Date(blocked.until).toISOString() });
  }
  const mismatch = (code: 'REGISTER_MISMATCH' | 'ACCOUNT_EXISTS' | 'USERNAME_TAKEN') => {
    limiters.mismatches.record(limitKeys, now.getTime());
    return fail(code);
  };

  const person = await deps.register.getByKvnr(kvnr);
  if (
    !person ||
    !sameName(person.firstName, input.firstName) ||
    !sameName(person.lastName, input.lastName) ||
    person.birthDate !== input.birthDate
  ) {
    return mismatch('REGISTER_MISMATCH');
  }
  const eligibleFrom = anniversary(person.birthDate, policy.minimumAge);
  if (today < eligibleFrom) return fail('TOO_YOUNG', { eligibleFrom });
  if (today < person.insuranceStart) return fail('INSURANCE_NOT_STARTED', { startsOn: person.insuranceStart });
  if (person.insuranceEnd !== undefined && today > person.insuranceEnd) return fail('INSURANCE_ENDED');

  const key = usernameKey(input.username);
  if (await deps.accounts.findByKvnr(kvnr)) return mismatch('ACCOUNT_EXISTS');
  if (await deps.accounts.findByUsernameKey(key)) return mismatch('USERNAME_TAKEN');

  const code = numericCode(deps.random, policy.emailCode.digits);
  const at = now.toISOString();
  const account: Account = {
    id: deps.random.token(16),
    kvnr,
    username: input.username,
    usernameKey: key,
    language: input.language,
    createdAt: at,
    password: { hash: await deps.passwords.hash(input.password), changedAt: at, history: [] },
    consents: {
      privacy: { version: input.privacyVersion, acceptedAt: at },
      participation: { version: input.participationVersion, acceptedAt: at },
    },
    email: { email, code: issueCode(deps.secrets, code, now, policy.emailCode.validityMs), resentAt: [] },
    identity: {},
    mailbox: { state: 'PENDING' },
    login: { failures: 0 },
  };
  // The code's mail is queued with the account: an account that exists has its code on the way.
  const mail = emailCodeMail(account.language, deps.brand.name, email, code, policy.emailCode.validityMs, account.username);
  const expiresAt = new Date(now.getTime() + policy.emailCode.validityMs).toISOString();
  const queued = deps.courier.prepare({ channel: 'EMAIL', mail: { ...mail, expiresAt, accountId: account.id } });
  const inserted = await deps.accounts.insert(
    account,
    auditEntries(who, now, {
      type: 'REGISTRATION',
      subject: account.id,
      data: { privacyVersion: input.privacyVersion, participationVersion: input.participationVersion },
    }),
    [queued],
  );
  if (inserted === 'KVNR_TAKEN') return mismatch('ACCOUNT_EXISTS');
  if (inserted === 'USERNAME_TAKEN') return mismatch('USERNAME_TAKEN');
  limiters.registrations.record([limitKeys[1]], now.getTime());

  // The delivery is a fact of its own, recorded once it is known.
  const emailDelivery = await deps.courier.firstTry(queued);
  await auditEvent(deps, who, now, { type: 'EMAIL_CODE_SENT', subject: account.id, data: deliveryData(emailDelivery) });
  return ok({ accountId: account.id, emailDelivery });
}
