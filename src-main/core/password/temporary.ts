/**
 * Temporary passwords printed at the counter (R7): 12 characters without look-alikes (no 0/o,
 * 1/l/i), lower case, printed in groups of four. Typed from paper at a kiosk, so spaces, dashes
 * and case are ignored when one is checked.
 */
import type { Random } from '../ports.js';

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function temporaryPassword(random: Random): string {
  let bare = '';
  for (let i = 0; i < 12; i++) bare += ALPHABET[random.int(ALPHABET.length)];
  return bare;
}

export function normalizeTemporaryPassword(input: string): string {
  return input.replace(/[\s-]+/g, '').toLowerCase();
}

export function groupedForPrint(bare: string): string {
  return bare.match(/.{4}/g)?.join(' ') ?? bare;
}
