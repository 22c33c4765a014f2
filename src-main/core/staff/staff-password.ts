/**
 * Staff passwords: at least the policy's length (12 by default), at most 256 characters, not a
 * common password, and not containing the username. Stricter than the kiosk's rule in length,
 * since a staff account opens every insured person's account at the counter.
 */
import type { CoreDeps } from '../deps.js';
import { fail, ok, type Result } from '../result.js';

export type StaffPasswordRule = 'TOO_SHORT' | 'TOO_LONG' | 'COMMON' | 'CONTAINS_USERNAME' | 'NOT_WELL_FORMED';

export function checkStaffPassword(deps: CoreDeps, password: string, username: string): Result<null> {
  const failed: StaffPasswordRule[] = [];
  const length = [...password].length;
  if (length < deps.policy.staff.minPasswordLength) failed.push('TOO_SHORT');
  if (length > 256) failed.push('TOO_LONG');
  if (!password.isWellFormed()) failed.push('NOT_WELL_FORMED');
  if (deps.commonPasswords.isCommon(password)) failed.push('COMMON');
  if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) failed.push('CONTAINS_USERNAME');
  return failed.length === 0 ? ok(null) : fail('PASSWORD_REJECTED', { rules: failed, minLength: deps.policy.staff.minPasswordLength });
}

/** A one-time password for a new or reset staff account: 4 groups of 5 from an unambiguous alphabet (about 100 bits). */
export function oneTimePassword(deps: CoreDeps): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = '';
    for (let i = 0; i < 5; i++) group += alphabet[deps.random.int(alphabet.length)];
    groups.push(group);
  }
  return groups.join('-');
}
