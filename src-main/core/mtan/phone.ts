/** Mobile numbers, parsed and normalised with libphonenumber-js (full metadata, for the number type). */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type PhoneCheck = { ok: true; e164: string } | { ok: false; reason: 'PHONE_INVALID' | 'PHONE_NOT_MOBILE' };

/** German numbers may be written nationally (0151 …); others need their +country prefix. */
export function parseMobile(input: string, defaultRegion: string): PhoneCheck {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultRegion as Parameters<typeof parsePhoneNumberFromString>[1]);
  if (!parsed || !parsed.isValid()) return { ok: false, reason: 'PHONE_INVALID' };
  const type = parsed.getType();
  // Some countries (US, CA) do not tell mobile from fixed numbers; those are accepted.
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return { ok: false, reason: 'PHONE_NOT_MOBILE' };
  return { ok: true, e164: parsed.number };
}

export function maskPhone(e164: string): string {
  return `${e164.slice(0, 3)} ••• ${e164.slice(-4)}`;
}
