/**
 * CSV import of the register (R1), validated row by row. A rejected row never stops the import of
 * the others; the report names each rejected row with its line number and reasons.
 *
 * Columns (header row required, ';' or ',' as delimiter):
 *   kvnr, first_name, last_name, birth_date, street, postal_code, city, insurance_start,
 *   insurance_end (may be empty), card_number, receipts (may be empty)
 * Dates as YYYY-MM-DD or DD.MM.YYYY. Receipts: items separated by ';' inside the quoted cell, each
 * item "date|provider|service|amount" with the amount in euros ("45,10" or "45.10").
 */
import { parse } from 'csv-parse/sync';
import { isValidIsoDate } from '../dates.js';
import { parseKvnr } from '../kvnr.js';
import type { InsuredPerson, PatientReceiptItem } from './person.js';

const REGISTER_COLUMNS = [
  'kvnr',
  'first_name',
  'last_name',
  'birth_date',
  'street',
  'postal_code',
  'city',
  'insurance_start',
  'insurance_end',
  'card_number',
  'receipts',
] as const;

interface RejectedRow {
  readonly line: number;
  readonly reasons: readonly string[];
}

export interface ImportReport {
  readonly accepted: readonly InsuredPerson[];
  readonly rejected: readonly RejectedRow[];
}

function toIsoDate(value: string): string | undefined {
  const german = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(value);
  const iso = german ? `${german[3]}-${german[2]}-${german[1]}` : value;
  return isValidIsoDate(iso) ? iso : undefined;
}

function parseAmountCents(value: string): number | undefined {
  const match = /^(-?\d{1,7})(?:[.,](\d{2}))?$/.exec(value);
  if (!match) return undefined;
  // At most seven digits of euros keep the cents exact. The sign from the text: "-0,50" is minus
  // fifty cents, though Number('-0') has no sign to read.
  return Number(match[1]) * 100 + (value.startsWith('-') ? -1 : 1) * Number(match[2] ?? 0);
}

/** Exactly four fields: a fifth (an amount written "45|10") would otherwise be dropped unseen. */
function parseReceiptItem(raw: string): PatientReceiptItem | undefined {
  const fields = raw.split('|').map((s) => s.trim());
  if (fields.length !== 4) return undefined;
  const [date, provider, service, amount] = fields as [string, string, string, string];
  const isoDate = toIsoDate(date);
  const amountCents = parseAmountCents(amount);
  return isoDate && provider && service && amountCents !== undefined ? { date: isoDate, provider, service, amountCents } : undefined;
}

function parseReceipts(cell: string, reasons: string[]): PatientReceiptItem[] {
  if (cell === '') return [];
  const items: PatientReceiptItem[] = [];
  for (const [index, raw] of cell.split(';').entries()) {
    const item = parseReceiptItem(raw);
    if (item) items.push(item);
    else reasons.push(`receipts: item ${index + 1} is not "date|provider|service|amount"`);
  }
  return items;
}

/** One row by column name (lower case); the reasons it is rejected go into `reasons`. */
export function validateRegisterRow(row: Record<string, string>, reasons: string[]): InsuredPerson | undefined {
  const get = (column: string): string => (row[column] ?? '').trim();
  const kvnr = parseKvnr(get('kvnr'));
  if (!kvnr) reasons.push('kvnr: not a valid insurance number (check digit)');
  for (const column of ['first_name', 'last_name', 'street', 'postal_code', 'city']) {
    const value = get(column);
    if (value === '' || value.length > 100) reasons.push(`${column}: required, at most 100 characters`);
  }
  // The branch database stores no NUL: such a row is refused by its line, not the whole import.
  for (const column of ['first_name', 'last_name', 'street', 'city', 'receipts']) {
    if (get(column).includes('\u0000')) reasons.push(`${column}: contains a NUL character`);
  }
  if (!/^\d{5}$/.test(get('postal_code'))) reasons.push('postal_code: five digits');
  const birthDate = toIsoDate(get('birth_date'));
  if (!birthDate) reasons.push('birth_date: not a valid date');
  const insuranceStart = toIsoDate(get('insurance_start'));
  if (!insuranceStart) reasons.push('insurance_start: not a valid date');
  const endCell = get('insurance_end');
  const insuranceEnd = toIsoDate(endCell);
  if (endCell !== '' && !insuranceEnd) reasons.push('insurance_end: not a valid date');
  if (insuranceStart && insuranceEnd && insuranceEnd < insuranceStart) reasons.push('insurance_end: before insurance_start');
  const cardNumber = get('card_number').replace(/\s/g, '');
  if (!/^\d{20}$/.test(cardNumber)) reasons.push('card_number: 20 digits');
  const receipts = parseReceipts(get('receipts'), reasons);
  if (reasons.length > 0 || !kvnr || !birthDate || !insuranceStart) return undefined;
  return {
    kvnr,
    firstName: get('first_name'),
    lastName: get('last_name'),
    birthDate,
    street: get('street'),
    postalCode: get('postal_code'),
    city: get('city'),
    insuranceStart,
    ...(insuranceEnd ? { insuranceEnd } : {}),
    cardNumber,
    receipts,
  };
}

/** The delimiter of a register file, from its header line. */
export const registerDelimiter = (headerLine: string): ';' | ',' => (headerLine.includes(';') ? ';' : ',');

/** The required columns a header (trimmed, lower case) lacks. */
export function missingRegisterColumns(header: readonly string[]): string[] {
  return REGISTER_COLUMNS.filter((c) => c !== 'receipts' && c !== 'insurance_end' && !header.includes(c));
}

export function importRegisterCsv(text: string): ImportReport | { error: 'MISSING_COLUMNS'; missing: string[] } {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = registerDelimiter(firstLine);
  const rows = parse(text, {
    delimiter,
    columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
    skip_empty_lines: true,
    relax_column_count: true,
    bom: true,
    info: true,
  }) as { record: Record<string, string>; info: { lines: number } }[];
  // trim() removes a byte-order mark too.
  const header = firstLine.split(delimiter).map((h) => h.trim().toLowerCase());
  const missing = missingRegisterColumns(header);
  if (missing.length > 0) return { error: 'MISSING_COLUMNS', missing };

  const accepted: InsuredPerson[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Set<string>();
  for (const { record, info } of rows) {
    const reasons: string[] = [];
    const person = validateRegisterRow(record, reasons);
    if (person && seen.has(person.kvnr)) reasons.push('kvnr: appears twice in the file');
    if (person && reasons.length === 0) {
      seen.add(person.kvnr);
      accepted.push(person);
    } else {
      rejected.push({ line: info.lines, reasons });
    }
  }
  return { accepted, rejected };
}
