/**
 * The reference a letter prints ("Unser Zeichen"): a short, stable tag of the account it belongs
 * to. It is derived one way from the pseudonymous account id, so the paper carries neither the
 * KVNR nor the id itself (which also names the account's outbox files); the same account always
 * gets the same reference, so letters and calls about one account can be matched up.
 */
import { createHash } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, nothing to misread when read out on the phone. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function letterReference(accountId: string): string {
  const digest = createHash('sha256').update(`kontokiosk-letter-reference:${accountId}`).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 5)) bits = (bits << 8n) | BigInt(byte);
  let out = '';
  for (let i = 7; i >= 0; i--) out += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}
