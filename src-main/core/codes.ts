/**
 * Short secrets: numeric codes (e-mail, later SMS), activation keys. Drawn from the CSPRNG port,
 * stored only through the SecretHasher, checked with a failure counter and an expiry.
 */
import type { HashedCode } from './account.js';
import type { Random, SecretHasher } from './ports.js';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const ACTIVATION_KEY_LENGTH = 24;

export function numericCode(random: Random, digits: number): string {
  let code = '';
  for (let i = 0; i < digits; i++) code += String(random.int(10));
  return code;
}

/** 24 characters of A-Z/0-9: 24 * log2(36) = 124 bits. Grouped by four for print. */
export function activationKey(random: Random): string {
  let key = '';
  for (let i = 0; i < ACTIVATION_KEY_LENGTH; i++) key += KEY_ALPHABET[random.int(KEY_ALPHABET.length)];
  return formatKey(key);
}

export function formatKey(raw: string): string {
  return raw.match(/.{1,4}/g)?.join('-') ?? raw;
}

/** Accepts lower case, spaces and missing dashes; returns the 24 bare characters or undefined. */
export function normalizeKey(input: string): string | undefined {
  const bare = input.replace(/[\s-]+/g, '').toUpperCase();
  return /^[A-Z0-9]{24}$/.test(bare) ? bare : undefined;
}

export function issueCode(hasher: SecretHasher, secret: string, now: Date, validityMs: number): HashedCode {
  return {
    hash: hasher.hash(secret),
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + validityMs).toISOString(),
    failures: 0,
    state: 'ACTIVE',
  };
}

export type CodeOutcome = 'OK' | 'INVALID' | 'EXPIRED' | 'VOID';

/**
 * Checks one entry. A code is valid while now < expiresAt. A wrong entry counts a failure and the
 * code becomes VOID at `maxFailures`. The hash is compared even for void or expired codes so the
 * answer time does not depend on the code's state.
 */
export function checkCode<C extends HashedCode>(
  code: C,
  input: string,
  now: Date,
  maxFailures: number,
  hasher: SecretHasher,
): { outcome: CodeOutcome; next: C; remaining: number } {
  const matches = hasher.verify(input, code.hash);
  if (code.state !== 'ACTIVE') return { outcome: 'VOID', next: code, remaining: 0 };
  if (now.getTime() >= new Date(code.expiresAt).getTime()) return { outcome: 'EXPIRED', next: code, remaining: 0 };
  if (matches) return { outcome: 'OK', next: { ...code, state: 'USED' }, remaining: 0 };
  const failures = code.failures + 1;
  const state = failures >= maxFailures ? 'VOID' : 'ACTIVE';
  return {
    outcome: state === 'VOID' ? 'VOID' : 'INVALID',
    next: { ...code, failures, state },
    remaining: Math.max(0, maxFailures - failures),
  };
}
