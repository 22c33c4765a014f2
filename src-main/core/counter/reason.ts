/**
 * The reason a staff member gives for an action goes into the audit trail, which is kept for good
 * and cannot be edited (a deleted account leaves only its pseudonymous id there, R9). So a reason
 * must describe the occasion, never the person: one that carries an insurance number, a date, a
 * longer number, an e-mail address or the name of the person concerned is refused before anything
 * is done or written. What the product cannot recognise (a diagnosis, say) is the staff's duty
 * (README: the counter).
 */
import { foldText } from '../text.js';

const LOOKS_PERSONAL: readonly RegExp[] = [
  // Five or more digits with separators: insurance numbers (their nine digits), dates, phone, card or case numbers.
  /\d[\d\s./-]{3,}\d/u,
  /\d{1,2}\.\s?\d{1,2}\./u, // a day and month, with or without a year
  /@/u, // an e-mail address
];

export function reasonIsClean(reason: string, names: readonly string[] = []): boolean {
  if (LOOKS_PERSONAL.some((pattern) => pattern.test(reason))) return false;
  const words = new Set(foldText(reason).split(/[^\p{L}]+/u));
  return !names.flatMap((name) => foldText(name).split(/[\s-]+/u)).some((part) => part.length >= 3 && words.has(part));
}
