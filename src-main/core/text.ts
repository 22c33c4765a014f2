/** Unicode normalisation, full case folding (ß -> ss) and whitespace trimming for name comparison. */
export function foldText(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/gu, ' ').toUpperCase().toLowerCase().normalize('NFKC');
}

export function sameName(a: string, b: string): boolean {
  return foldText(a) === foldText(b);
}

export function normalizeEmail(value: string): string {
  return value.normalize('NFKC').trim().toLowerCase();
}

/** "m***@example.org" — shown on screens so the person recognises the address without exposing it. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}
