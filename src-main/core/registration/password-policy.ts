/**
 * Password policy (R2): 8..256 characters (code points, never truncated); at least three of the
 * classes upper case, lower case, digit, special (Unicode letters count by their case); not a
 * common password; not containing the username, the person's names, the KVNR or the birth date.
 * Every failed rule is reported, so the screen can name each one.
 */
import { foldText } from '../text.js';
import type { CommonPasswords } from '../ports.js';

export type PasswordRule =
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'INVALID_CHARACTERS'
  | 'TOO_FEW_CLASSES'
  | 'COMMON'
  | 'CONTAINS_USERNAME'
  | 'CONTAINS_NAME'
  | 'CONTAINS_KVNR'
  | 'CONTAINS_BIRTH_DATE';

export interface PasswordContext {
  readonly username?: string;
  readonly names?: readonly string[];
  readonly kvnr?: string;
  readonly birthDate?: string;
}

export interface PasswordLimits {
  readonly minLength: number;
  readonly maxLength: number;
  readonly minClasses: number;
}

const DEFAULT_PASSWORD_LIMITS: PasswordLimits = { minLength: 8, maxLength: 256, minClasses: 3 };

/** Names shorter than this would forbid too many ordinary passwords ("Li", "Ng"). */
const MIN_CONTEXT_WORD = 3;

function hasInvalidCharacters(password: string): boolean {
  // Lone surrogates (invalid UTF-16) and control characters have no place in a password.
  return !password.isWellFormed() || /\p{Cc}|\p{Cf}/u.test(password);
}

function characterClasses(password: string): number {
  const classes = new Set<string>();
  for (const ch of password) {
    if (/\p{Lu}|\p{Lt}/u.test(ch)) classes.add('upper');
    else if (/\p{Ll}/u.test(ch)) classes.add('lower');
    else if (/\p{Nd}/u.test(ch)) classes.add('digit');
    else if (!/\p{L}|\p{M}/u.test(ch)) classes.add('special');
  }
  return classes.size;
}

function birthDateForms(isoDate: string): string[] {
  const [y = '', m = '', d = ''] = isoDate.split('-');
  return [`${y}-${m}-${d}`, `${y}${m}${d}`, `${d}.${m}.${y}`, `${d}${m}${y}`, `${d}.${m}.${y.slice(2)}`, `${d}${m}${y.slice(2)}`];
}

export function checkPassword(
  password: string,
  context: PasswordContext,
  common: CommonPasswords,
  limits: PasswordLimits = DEFAULT_PASSWORD_LIMITS,
): PasswordRule[] {
  const failed: PasswordRule[] = [];
  const length = [...password].length;
  if (length < limits.minLength) failed.push('TOO_SHORT');
  if (length > limits.maxLength) failed.push('TOO_LONG');
  if (hasInvalidCharacters(password)) failed.push('INVALID_CHARACTERS');
  if (characterClasses(password) < limits.minClasses) failed.push('TOO_FEW_CLASSES');
  // The remaining checks only make sense on passwords of sane size.
  if (length > limits.maxLength || failed.includes('INVALID_CHARACTERS')) return failed;

  const folded = foldText(password).replace(/\s/g, '');
  if (common.isCommon(password)) failed.push('COMMON');
  const contains = (word: string | undefined): boolean => {
    if (!word) return false;
    const w = foldText(word).replace(/\s/g, '');
    return w.length >= MIN_CONTEXT_WORD && folded.includes(w);
  };
  if (contains(context.username)) failed.push('CONTAINS_USERNAME');
  const nameParts = (context.names ?? []).flatMap((n) => [n, ...n.split(/[\s-]+/u)]);
  if (nameParts.some(contains)) failed.push('CONTAINS_NAME');
  if (contains(context.kvnr)) failed.push('CONTAINS_KVNR');
  if (context.birthDate && birthDateForms(context.birthDate).some((form) => folded.includes(form))) {
    failed.push('CONTAINS_BIRTH_DATE');
  }
  return failed;
}
