/**
 * E-mail addresses as the core compares, checks and shows them. Only the shape is checked here;
 * that an address belongs to the person is proved by the code sent to it. Masking keeps a full
 * address off the kiosk screen.
 */

export function normalizeEmail(value: string): string {
  return value.normalize('NFKC').trim().toLowerCase();
}

// Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is proven by the code.
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/u;

export function isValidEmail(email: string): boolean {
  return email.length <= 254 && EMAIL_PATTERN.test(email);
}

/** "m***@example.org" — shown on screens so the person recognises the address without exposing it. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}
