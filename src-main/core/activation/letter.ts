/**
 * Identity by activation key letter (R4). The letter goes to the register's address only. The key
 * is stored as a keyed hash, valid 60 days, void after 10 wrong entries or when a new one is asked.
 */
import type { Account } from '../account.js';
import { activationKey, attemptIn, issueCode, keyCandidates, normalizeKey } from '../codes.js';
import { berlinDate, validForDays } from '../dates.js';
import { auditEntries, auditEvent, type Actor, type CoreDeps } from '../deps.js';
import type { AccountChange } from '../ports.js';
import { reservePrint } from '../delivery-limits.js';
import { postalAddress } from '../register/person.js';
import { fail, ok, type Result } from '../result.js';

export async function requestActivationLetter(deps: CoreDeps, who: Actor, accountId: string): Promise<Result<{ validUntil: string }>> {
  const now = deps.clock.now();
  const account = await deps.accounts.get(accountId);
  if (!account) return fail('NOT_FOUND');
  if (!account.email.confirmedAt || account.identity.confirmedAt) return fail('WRONG_STEP');
  const person = await deps.register.getByKvnr(account.kvnr);
  if (!person) return fail('REGISTER_MISMATCH');

  const slot = await reservePrint(deps, who, accountId, now, 'ACTIVATION_KEY');
  if (!slot.ok) return slot;
  const key = activationKey(deps.random);
  // Valid until the end of the day printed on the letter (Berlin), not the hour it was issued at.
  const { lastDay, expiresAt } = validForDays(now, deps.policy.activationKey.validityDays);
  const validityMs = expiresAt.getTime() - now.getTime();
  const code = issueCode(deps.secrets, normalizeKey(key) ?? key, now, validityMs);
  const letterRef = await deps.letters.print({
    kind: 'ACTIVATION_KEY',
    to: postalAddress(person),
    date: berlinDate(now),
    username: account.username,
    key,
    validUntil: lastDay,
    language: account.language,
    accountId,
  });
  // The letter is printed first: a key that is stored but never printed would lock the person out.
  const stored = await deps.accounts.update(accountId, (current) => {
    if (current.identity.confirmedAt) return { result: false };
    return { next: { ...current, identity: { ...current.identity, letter: { ...code, letterRef } } }, result: true };
  });
  if (!stored) return fail('WRONG_STEP');
  await auditEvent(deps, who, now, { type: 'ACTIVATION_KEY_SENT', subject: accountId, data: { letterRef } });
  return ok({ validUntil: code.expiresAt });
}

export async function enterActivationKey(deps: CoreDeps, who: Actor, accountId: string, input: string): Promise<Result<null>> {
  const now = deps.clock.now();
  const readings = keyCandidates(input);
  // A key of the wrong shape is a typing slip, not a guess: it is refused without counting.
  if (readings.length === 0) return fail('KEY_INVALID', { malformed: true });
  const { maxFailures } = deps.policy.activationKey;
  const decide = (account: Account): AccountChange<Result<null>> => {
    const letter = account.identity.letter;
    if (account.identity.confirmedAt || !account.email.confirmedAt || !letter) return { result: fail('WRONG_STEP') };
    const withLetter = (next: typeof letter): Account => ({ ...account, identity: { ...account.identity, letter: next } });
    const errors = { invalid: 'KEY_INVALID', expired: 'KEY_EXPIRED', void: 'KEY_VOID' } as const;
    const attempt = attemptIn(letter, readings, now, maxFailures, deps.secrets, errors, withLetter);
    if (!attempt.ok) return attempt.answer;
    const next = attempt.next;
    return { next: { ...next, identity: { ...next.identity, confirmedAt: now.toISOString(), method: 'LETTER' } }, result: ok(null) };
  };
  // Every counted entry is in the audit trail, recorded with the change it made.
  const result = await deps.accounts.update(accountId, (account) => {
    const change = decide(account);
    const r = change.result;
    if (!r.ok && r.error.code !== 'KEY_INVALID' && r.error.code !== 'KEY_VOID') return change;
    const checked = { type: 'ACTIVATION_KEY_CHECKED' as const, subject: accountId, data: { success: r.ok } };
    const confirmed = { type: 'IDENTITY_CONFIRMED' as const, subject: accountId, data: { method: 'LETTER' } };
    return { ...change, audit: r.ok ? auditEntries(who, now, checked, confirmed) : auditEntries(who, now, checked) };
  });
  if (!result) return fail('NOT_FOUND');
  return result;
}
