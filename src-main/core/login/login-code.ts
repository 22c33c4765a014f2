/**
 * Login codes (R11): 12 characters in three groups of four from a CSPRNG, stored as a keyed hash,
 * bound to one KVNR, valid 30 days, good for one session and void after use. Logging in with one
 * is a login attempt under R6: during a lock it deactivates the account, a wrong code counts as a
 * failure, a right one resets the count.
 */
import type { Account } from '../account.js';
import { issueCode } from '../codes.js';
import { DAY_MS, berlinDate } from '../dates.js';
import { auditEvent, type Actor, type CoreDeps } from '../deps.js';
import { parseKvnr } from '../kvnr.js';
import { deactivatedMail, lockedMail } from '../mail-texts.js';
import { sendQuietly } from '../registration/register-account.js';
import { fail, ok, type Result } from '../result.js';
import { formatBerlinDateTime, lockState } from './login.js';

// No 0/O or 1/I: the code is printed and typed by hand. 32 symbols, 12 of them: 60 bits.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function normalizeLoginCode(input: string): string | undefined {
  const bare = input.replace(/[\s-]+/g, '').toUpperCase();
  return new RegExp(`^[${ALPHABET}]{12}$`).test(bare) ? bare : undefined;
}

export async function issueLoginCode(
  deps: CoreDeps,
  who: Actor,
  kvnrInput: string,
): Promise<Result<{ code: string; validUntil: string; documentRef: string }>> {
  const now = deps.clock.now();
  const kvnr = parseKvnr(kvnrInput);
  if (!kvnr) return fail('KVNR_INVALID');
  const account = await deps.accounts.findByKvnr(kvnr);
  const person = await deps.register.getByKvnr(kvnr);
  if (!account || !person) return fail('NOT_FOUND');
  let bare = '';
  for (let i = 0; i < 12; i++) bare += ALPHABET[deps.random.int(ALPHABET.length)];
  const code = bare.match(/.{4}/g)?.join('-') ?? bare;
  const hashed = { ...issueCode(deps.secrets, bare, now, deps.policy.loginCode.validityDays * DAY_MS), issuedBy: who.actor };
  const stored = await deps.accounts.update(account.id, (current) => ({
    next: {
      ...current,
      // Only codes that can still be used are kept.
      loginCodes: [...(current.loginCodes ?? []).filter((c) => c.state === 'ACTIVE' && new Date(c.expiresAt) > now), hashed],
    },
    result: true,
  }));
  if (!stored) return fail('NOT_FOUND');
  const documentRef = await deps.letters.print({
    kind: 'LOGIN_CODE',
    to: { name: `${person.firstName} ${person.lastName}`, street: person.street, postalCode: person.postalCode, city: person.city },
    date: berlinDate(now),
    code,
    validUntil: berlinDate(new Date(hashed.expiresAt)),
    language: account.language,
  });
  await auditEvent(deps, who, now, { type: 'LOGIN_CODE_ISSUED', subject: account.id });
  return ok({ code, validUntil: hashed.expiresAt, documentRef });
}

type Outcome = { kind: 'SUCCESS' } | { kind: 'FAILURE' } | { kind: 'LOCKED'; lockedUntil: string } | { kind: 'DEACTIVATED'; now: boolean };

export async function loginWithCode(
  deps: CoreDeps,
  who: Actor,
  input: { kvnr: string; birthDate: string; code: string },
): Promise<Result<{ accountId: string }>> {
  const mark = deps.pacer.mark();
  const result = await attempt(deps, who, input);
  if (!result.ok) await deps.pacer.hold(mark, deps.policy.login.failureFloorMs);
  return result;
}

async function attempt(
  deps: CoreDeps,
  who: Actor,
  input: { kvnr: string; birthDate: string; code: string },
): Promise<Result<{ accountId: string }>> {
  const now = deps.clock.now();
  const kvnr = parseKvnr(input.kvnr);
  const account = kvnr ? await deps.accounts.findByKvnr(kvnr) : undefined;
  const person = kvnr ? await deps.register.getByKvnr(kvnr) : undefined;
  const bare = normalizeLoginCode(input.code) ?? '';
  if (!account || !person || person.birthDate !== input.birthDate) {
    deps.secrets.verify(bare, deps.secrets.hash('no such code'));
    await auditEvent(deps, who, now, { type: 'LOGIN_FAILURE', data: { loginCode: true, unknownUser: true } });
    return fail('LOGIN_CODE_INVALID');
  }
  const { maxFailures, lockMs } = deps.policy.login;
  const outcome = await deps.accounts.update(account.id, (current): { next?: Account; result: Outcome } => {
    const state = lockState(current, now);
    if (state === 'DEACTIVATED') return { result: { kind: 'DEACTIVATED', now: false } };
    if (state === 'LOCKED')
      return {
        next: { ...current, login: { ...current.login, deactivatedAt: now.toISOString() } },
        result: { kind: 'DEACTIVATED', now: true },
      };
    const codes = current.loginCodes ?? [];
    // Every stored code is compared, so the time does not tell how many there are or which matched.
    const matches = codes.map((c) => deps.secrets.verify(bare, c.hash));
    const index = codes.findIndex((c, i) => matches[i] && c.state === 'ACTIVE' && now.getTime() < new Date(c.expiresAt).getTime());
    if (index >= 0) {
      const used = codes.map((c, i) => (i === index ? { ...c, state: 'USED' as const } : c));
      return { next: { ...current, loginCodes: used, login: { failures: 0 } }, result: { kind: 'SUCCESS' } };
    }
    const failures = (current.login.lockedUntil ? 0 : current.login.failures) + 1;
    if (failures >= maxFailures) {
      const lockedUntil = new Date(now.getTime() + lockMs).toISOString();
      return { next: { ...current, login: { failures, lockedUntil } }, result: { kind: 'LOCKED', lockedUntil } };
    }
    return { next: { ...current, login: { failures } }, result: { kind: 'FAILURE' } };
  });
  const subject = account.id;
  switch (outcome?.kind) {
    case 'SUCCESS':
      await auditEvent(deps, who, now, { type: 'LOGIN_CODE_USED', subject });
      return ok({ accountId: account.id });
    case 'LOCKED':
      await auditEvent(deps, who, now, { type: 'ACCOUNT_LOCKED', subject, data: { lockedUntil: outcome.lockedUntil } });
      await sendQuietly(
        deps,
        lockedMail(account.language, deps.brand.name, account.email.email, formatBerlinDateTime(outcome.lockedUntil)),
      );
      return fail('ACCOUNT_LOCKED', { lockedUntil: outcome.lockedUntil });
    case 'DEACTIVATED':
      if (outcome.now) {
        await auditEvent(deps, who, now, { type: 'ACCOUNT_DEACTIVATED', subject, data: { loginCode: true } });
        await sendQuietly(deps, deactivatedMail(account.language, deps.brand.name, account.email.email));
      }
      return fail('ACCOUNT_DEACTIVATED');
    default:
      await auditEvent(deps, who, now, { type: 'LOGIN_FAILURE', subject, data: { loginCode: true } });
      return fail('LOGIN_CODE_INVALID');
  }
}
