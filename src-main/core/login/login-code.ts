/**
 * Login codes (R11): 12 characters in three groups of four from a CSPRNG, stored as a keyed hash,
 * bound to one KVNR, valid 30 days, good for one session and void after use. Logging in with one
 * is a login attempt under R6 only for an account that has an active code: then a wrong code or a
 * wrong birth date counts as a failure, a right one resets the count, and any attempt during a lock
 * deactivates. For every other account the answer is the same and nothing is counted.
 */
import { issueCode } from '../codes.js';
import { berlinDate, validForDays } from '../dates.js';
import { auditEntries, type Actor, type CoreDeps } from '../deps.js';
import { normalizeKvnr, parseKvnr } from '../kvnr.js';
import { postalAddress } from '../register/person.js';
import { fail, ok, type Result } from '../result.js';
import type { Account } from '../account.js';
import { loginAttempt, loginLane } from './attempt.js';
import type { LoginGuards } from './guards.js';
import { unknownLogin } from './login.js';

// No 0/O or 1/I: the code is printed and typed by hand. 32 symbols, 12 of them: 60 bits.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function normalizeLoginCode(input: string): string | undefined {
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
  // Valid until the end of the day printed on the letter (Berlin), not the hour it was issued at.
  const { lastDay, expiresAt } = validForDays(now, deps.policy.loginCode.validityDays);
  const hashed = { ...issueCode(deps.secrets, bare, now, expiresAt.getTime() - now.getTime()), issuedBy: who.actor };
  const stored = await deps.accounts.update(account.id, (current) => ({
    next: {
      ...current,
      // Only codes that can still be used are kept.
      loginCodes: [...(current.loginCodes ?? []).filter((c) => c.state === 'ACTIVE' && new Date(c.expiresAt) > now), hashed],
    },
    result: true,
    audit: auditEntries(who, now, { type: 'LOGIN_CODE_ISSUED', subject: account.id }),
  }));
  if (!stored) return fail('NOT_FOUND');
  const documentRef = await deps.letters.print({
    kind: 'LOGIN_CODE',
    to: postalAddress(person),
    date: berlinDate(now),
    code,
    validUntil: lastDay,
    language: account.language,
    accountId: account.id,
  });
  return ok({ code, validUntil: hashed.expiresAt, documentRef });
}

/** An issued, unused, unexpired login code: only then does a login-code attempt count under R6. */
function hasActiveLoginCode(account: Account, now: Date): boolean {
  return (account.loginCodes ?? []).some((c) => c.state === 'ACTIVE' && now.getTime() < new Date(c.expiresAt).getTime());
}

export function kvnrLane(kvnr: string): string {
  return `kvnr:${parseKvnr(kvnr) ?? normalizeKvnr(kvnr)}`;
}

export function loginWithCode(
  deps: CoreDeps,
  guards: LoginGuards,
  who: Actor,
  input: { kvnr: string; birthDate: string; code: string },
): Promise<Result<{ accountId: string; epoch: number }>> {
  const lane = kvnrLane(input.kvnr);
  return loginLane(deps, guards, who, lane, async () => {
    const kvnr = parseKvnr(input.kvnr);
    const account = kvnr ? await deps.accounts.findByKvnr(kvnr) : undefined;
    const person = kvnr ? await deps.register.getByKvnr(kvnr) : undefined;
    if (!account || !person) return unknownLogin(deps, guards, who, 'LOGIN_CODE_INVALID', { loginCode: true });
    const bare = normalizeLoginCode(input.code) ?? '';
    const birthDateMatches = person.birthDate === input.birthDate;
    return loginAttempt(deps, guards, who, account, {
      credential: 'LOGIN_CODE',
      lockKey: lane,
      failureCode: 'LOGIN_CODE_INVALID',
      // Without an active code there is nothing to guess: the attempt counts for nothing, so that
      // KVNR and birth date (both printed on the health card) cannot lock anyone out.
      counts: (current, at) => hasActiveLoginCode(current, at),
      check: (current) => {
        const now = deps.clock.now();
        const codes = current.loginCodes ?? [];
        // Every stored code is compared, so the time does not tell how many there are or which matched.
        const matches = codes.map((c) => deps.secrets.verify(bare, c.hash));
        const index = codes.findIndex((c, i) => matches[i] && c.state === 'ACTIVE' && now.getTime() < new Date(c.expiresAt).getTime());
        // A wrong birth date with an active code is a failed attempt like a wrong code.
        if (index < 0 || !birthDateMatches) return { valid: false };
        const used = codes.map((c, i) => (i === index ? { ...c, state: 'USED' as const } : c));
        return { valid: true, next: { ...current, loginCodes: used } };
      },
    });
  });
}
