/**
 * Short secrets: numeric codes (e-mail, later SMS), activation keys. Drawn from the CSPRNG port,
 * stored only through the SecretHasher, checked with a failure counter and an expiry.
 */
import type { HashedCode } from './account.js';
import type { Random, SecretHasher } from './ports.js';
import type { AppError, ErrorCode } from './result.js';

/**
 * Crockford's base32: digits and letters without I, L, O and U, so that nothing copied by hand
 * from paper can be misread; 32 symbols, 5 bits each.
 */
const KEY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ACTIVATION_KEY_LENGTH = 24;

export function numericCode(random: Random, digits: number): string {
  let code = '';
  for (let i = 0; i < digits; i++) code += String(random.int(10));
  return code;
}

/** 24 characters of the alphabet above: 24 * 5 = 120 bits. Grouped by four for print. */
export function activationKey(random: Random): string {
  let key = '';
  for (let i = 0; i < ACTIVATION_KEY_LENGTH; i++) key += KEY_ALPHABET[random.int(KEY_ALPHABET.length)];
  return formatKey(key);
}

function formatKey(raw: string): string {
  return raw.match(/.{1,4}/g)?.join('-') ?? raw;
}

function bareKey(input: string): string | undefined {
  const bare = input.replace(/[\s-]+/g, '').toUpperCase();
  return /^[A-Z0-9]{24}$/.test(bare) ? bare : undefined;
}

/**
 * Accepts lower case, spaces and missing dashes, and reads O as 0 and I or L as 1 (people copy the
 * key from paper); returns the 24 canonical characters or undefined.
 */
export function normalizeKey(input: string): string | undefined {
  return bareKey(input)?.replace(/O/g, '0').replace(/[IL]/g, '1');
}

/**
 * What a key typed from paper may have been hashed as: its canonical form and, for keys printed
 * before the alphabet without look-alikes (A-Z/0-9, hashed as printed), the characters as typed.
 */
export function keyCandidates(input: string): readonly string[] {
  const canonical = normalizeKey(input);
  const asTyped = bareKey(input);
  return [...new Set([canonical, asTyped].filter((k): k is string => k !== undefined))];
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

type CodeErrors = {
  readonly invalid: ErrorCode;
  readonly expired: ErrorCode;
  readonly void: ErrorCode;
  readonly mismatch?: ErrorCode;
};

type CodeOutcome = 'OK' | 'INVALID' | 'EXPIRED' | 'VOID';

/**
 * Checks one entry. A code is valid while now < expiresAt. A wrong entry counts a failure and the
 * code becomes VOID at `maxFailures`. The hash is compared even for void or expired codes so the
 * answer time does not depend on the code's state.
 */
function checkCode<C extends HashedCode>(
  code: C,
  input: string | readonly string[],
  now: Date,
  maxFailures: number,
  hasher: SecretHasher,
): { outcome: CodeOutcome; next: C; remaining: number } {
  // Several readings of one entry are one attempt; each is compared, so the time does not tell which.
  const matches = (typeof input === 'string' ? [input] : input).map((i) => hasher.verify(i, code.hash)).some(Boolean);
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

/**
 * A check's outcome, turned into what a flow needs: the code to store back (when it changed) and
 * the error to answer, with the flow's own error codes. `bound` is false when the right code comes
 * with the wrong context (another address, action or parameters).
 */
function attemptOutcome<C extends HashedCode>(
  code: C,
  check: { outcome: CodeOutcome; next: C; remaining: number },
  maxFailures: number,
  errors: CodeErrors,
  bound: boolean,
): { ok: true; next: C } | { ok: false; next?: C; error: AppError } {
  switch (check.outcome) {
    case 'OK': {
      if (bound) return { ok: true, next: check.next };
      // The right code in the wrong context counts like a wrong code.
      const failures = code.failures + 1;
      const next = { ...code, failures, state: failures >= maxFailures ? ('VOID' as const) : ('ACTIVE' as const) };
      if (next.state === 'VOID') return { ok: false, next, error: { code: errors.void } };
      return { ok: false, next, error: { code: errors.mismatch ?? errors.invalid, details: { remaining: maxFailures - failures } } };
    }
    case 'EXPIRED':
      return { ok: false, error: { code: errors.expired } };
    case 'VOID':
      // Voided by this very entry: the counted failure is stored; already void: nothing changes.
      return code.state === 'ACTIVE'
        ? { ok: false, next: check.next, error: { code: errors.void } }
        : { ok: false, error: { code: errors.void } };
    case 'INVALID':
      return { ok: false, next: check.next, error: { code: errors.invalid, details: { remaining: check.remaining } } };
  }
}

/**
 * One entry of a code, checked inside an account update. `withCode` puts a code back into its
 * holder. A failed entry gives the update's answer at once: its error, and the holder with the
 * counted code when the code changed. A right entry gives the holder with the code marked used.
 */
export function attemptIn<C extends HashedCode, A>(
  code: C,
  input: string | readonly string[],
  now: Date,
  maxFailures: number,
  hasher: SecretHasher,
  errors: CodeErrors,
  withCode: (next: C) => A,
  bound = true,
): { ok: true; next: A } | { ok: false; answer: { next?: A; result: { ok: false; error: AppError } } } {
  const attempt = attemptOutcome(code, checkCode(code, input, now, maxFailures, hasher), maxFailures, errors, bound);
  if (attempt.ok) return { ok: true, next: withCode(attempt.next) };
  const result = { ok: false as const, error: attempt.error };
  return { ok: false, answer: attempt.next ? { next: withCode(attempt.next), result } : { result } };
}

export const CODE_ERRORS = { invalid: 'CODE_INVALID', expired: 'CODE_EXPIRED', void: 'CODE_VOID' } as const;
