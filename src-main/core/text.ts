/** Unicode normalisation, full case folding (ß -> ss) and whitespace trimming for name comparison. */
export function foldText(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/gu, ' ').toUpperCase().toLowerCase().normalize('NFKC');
}

export function sameName(a: string, b: string): boolean {
  return foldText(a) === foldText(b);
}
