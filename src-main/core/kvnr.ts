/**
 * Krankenversichertennummer (unchangeable part): one capital letter, eight digits, one check digit.
 * The letter becomes its two-digit alphabet position; the ten digits are weighted 1,2,1,2,...;
 * the digit sums of the products are added; the check digit is that sum mod 10.
 */
export function normalizeKvnr(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

export function kvnrCheckDigit(body: string): number | undefined {
  if (!/^[A-Z]\d{8}$/.test(body)) return undefined;
  const letter = String(body.charCodeAt(0) - 64).padStart(2, '0');
  const digits = (letter + body.slice(1)).split('').map(Number);
  let sum = 0;
  digits.forEach((digit, index) => {
    const product = digit * (index % 2 === 0 ? 1 : 2);
    sum += Math.floor(product / 10) + (product % 10);
  });
  return sum % 10;
}

/** Returns the canonical KVNR, or undefined when the input is not a valid KVNR. */
export function parseKvnr(input: string): string | undefined {
  const kvnr = normalizeKvnr(input);
  if (!/^[A-Z]\d{9}$/.test(kvnr)) return undefined;
  return kvnrCheckDigit(kvnr.slice(0, 9)) === Number(kvnr[9]) ? kvnr : undefined;
}
