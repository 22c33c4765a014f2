/**
 * The register file's rules (R1), cell by cell: what a row must hold to be taken, the reason a
 * supervisor reads for each refusal, and how dates, card numbers and receipt amounts are read.
 */
import { describe, expect, it } from 'vitest';
import {
  importRegisterCsv,
  missingRegisterColumns,
  registerDelimiter,
  validateRegisterRow,
} from '../../src-main/core/register/csv-import.js';
import { postalAddress } from '../../src-main/core/register/person.js';

const COLUMNS = [
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
type Column = (typeof COLUMNS)[number];

const ERIKA: Record<Column, string> = {
  kvnr: 'A123456780',
  first_name: 'Erika',
  last_name: 'Mustermann',
  birth_date: '1984-08-12',
  street: 'Heidestraße 17',
  postal_code: '51147',
  city: 'Köln',
  insurance_start: '2004-01-01',
  insurance_end: '',
  card_number: '80276883110000012345',
  receipts: '',
};

const quote = (cell: string) => (/[;"\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
const line = (cells: Partial<Record<Column, string>>) => COLUMNS.map((c) => quote({ ...ERIKA, ...cells }[c])).join(';');

/** The report of a file with the header and Erika's row, changed by `cells`. */
function importOne(cells: Partial<Record<Column, string>>) {
  const report = importRegisterCsv(`${COLUMNS.join(';')}\n${line(cells)}\n`);
  if ('error' in report) throw new Error('unexpected missing columns');
  return report;
}
const reasonsFor = (cells: Partial<Record<Column, string>>) => importOne(cells).rejected[0]?.reasons ?? [];
const accepted = (cells: Partial<Record<Column, string>>) => {
  const report = importOne(cells);
  expect(report.rejected).toEqual([]);
  return report.accepted[0];
};

describe('a register row that is taken', () => {
  it('is stored with its cells trimmed, the canonical KVNR and the card number without spaces', () => {
    expect(
      accepted({
        kvnr: ' a 12345678 0 ',
        first_name: ' Erika ',
        last_name: ' Mustermann ',
        street: ' Heidestraße 17 ',
        postal_code: ' 51147 ',
        city: ' Köln ',
        card_number: '8027 6883 1100 0001 2345',
      }),
    ).toEqual({
      kvnr: 'A123456780',
      firstName: 'Erika',
      lastName: 'Mustermann',
      birthDate: '1984-08-12',
      street: 'Heidestraße 17',
      postalCode: '51147',
      city: 'Köln',
      insuranceStart: '2004-01-01',
      cardNumber: '80276883110000012345',
      receipts: [],
    });
  });

  it('an insurance end on the day the insurance starts is taken and stored', () => {
    expect(accepted({ insurance_end: '2004-01-01' })?.insuranceEnd).toBe('2004-01-01');
  });

  it('a German date DD.MM.YYYY is read as the same day', () => {
    expect(accepted({ birth_date: '12.08.1984', insurance_start: '01.01.2004', insurance_end: '31.12.2030' })).toMatchObject({
      birthDate: '1984-08-12',
      insuranceStart: '2004-01-01',
      insuranceEnd: '2030-12-31',
    });
  });

  it('names and street of 100 characters are taken', () => {
    const hundred = 'a'.repeat(100);
    expect(accepted({ first_name: hundred, last_name: hundred, street: hundred, city: hundred })).toMatchObject({
      firstName: hundred,
      lastName: hundred,
      street: hundred,
      city: hundred,
    });
  });

  it('the letters print the register’s name and address: first and last name, street, postal code, city', () => {
    const person = accepted({});
    if (!person) throw new Error('setup');
    expect(postalAddress(person)).toEqual({ name: 'Erika Mustermann', street: 'Heidestraße 17', postalCode: '51147', city: 'Köln' });
  });
});

describe('a register row that is refused names each reason', () => {
  it('a KVNR with a wrong check digit', () => {
    expect(reasonsFor({ kvnr: 'A123456781' })).toEqual(['kvnr: not a valid insurance number (check digit)']);
  });

  it.each(['first_name', 'last_name', 'street', 'city'] as const)('an empty or 101 characters long %s', (column) => {
    const reason = `${column}: required, at most 100 characters`;
    expect(reasonsFor({ [column]: ' ' })).toEqual([reason]);
    expect(reasonsFor({ [column]: 'a'.repeat(101) })).toEqual([reason]);
  });

  it.each(['first_name', 'last_name', 'street', 'city'] as const)('a NUL character in %s', (column) => {
    expect(reasonsFor({ [column]: 'Er\u0000ika' })).toEqual([`${column}: contains a NUL character`]);
  });

  it('a NUL character in the receipts', () => {
    expect(reasonsFor({ receipts: '2026-03-04|Praxis|Kon\u0000trolle|10,00' })).toEqual(['receipts: contains a NUL character']);
  });

  it('a postal code of other than exactly five digits', () => {
    expect(reasonsFor({ postal_code: '' })).toEqual(['postal_code: required, at most 100 characters', 'postal_code: five digits']);
    for (const code of ['5114', '511470', 'x51147', '51147x', '5114a']) {
      expect(reasonsFor({ postal_code: code }), code).toEqual(['postal_code: five digits']);
    }
  });

  it('birth and insurance dates that are no dates, in either form', () => {
    for (const date of ['31.02.1990', '1.8.1984', 'x12.08.1984', '12.08.1984x', '12.08.19845', '1984-8-12']) {
      expect(reasonsFor({ birth_date: date }), date).toEqual(['birth_date: not a valid date']);
    }
    expect(reasonsFor({ insurance_start: '' })).toEqual(['insurance_start: not a valid date']);
    expect(reasonsFor({ insurance_end: '2004-13-01' })).toEqual(['insurance_end: not a valid date']);
  });

  it('an insurance that ends the day before it starts', () => {
    expect(reasonsFor({ insurance_end: '2003-12-31' })).toEqual(['insurance_end: before insurance_start']);
  });

  it('a card number of other than 20 digits', () => {
    for (const card of ['8027688311000001234', '802768831100000123456', '8027688311000001234x']) {
      expect(reasonsFor({ card_number: card }), card).toEqual(['card_number: 20 digits']);
    }
  });

  it('a row with any reason gives no person, however valid its number and dates (the command-line import relies on it)', () => {
    for (const cells of [{ postal_code: '1' }, { insurance_end: '2003-12-31' }, { receipts: 'x' }, { city: '' }]) {
      const reasons: string[] = [];
      expect(validateRegisterRow({ ...ERIKA, ...cells }, reasons), JSON.stringify(cells)).toBeUndefined();
      expect(reasons).toHaveLength(1);
    }
    const reasons: string[] = [];
    expect(validateRegisterRow(ERIKA, reasons)).toMatchObject({ kvnr: 'A123456780' });
    expect(reasons).toEqual([]);
  });

  it('every reason of a row at once', () => {
    expect(reasonsFor({ kvnr: 'x', postal_code: '1', birth_date: 'x', card_number: '1' })).toEqual([
      'kvnr: not a valid insurance number (check digit)',
      'postal_code: five digits',
      'birth_date: not a valid date',
      'card_number: 20 digits',
    ]);
  });
});

describe('receipts in a register row', () => {
  it('items are "date|provider|service|amount", separated by ";", in euros with a comma or a point', () => {
    const person = accepted({
      receipts: ' 2026-03-04 | Praxis Dr. Sonnenberg | Hausärztliche Versorgung | 42,13 ;04.05.2026|Zahnarzt|Kontrolle|28.70',
    });
    expect(person?.receipts).toEqual([
      { date: '2026-03-04', provider: 'Praxis Dr. Sonnenberg', service: 'Hausärztliche Versorgung', amountCents: 4213 },
      { date: '2026-05-04', provider: 'Zahnarzt', service: 'Kontrolle', amountCents: 2870 },
    ]);
  });

  it('amounts are kept exact in cents: whole euros, up to seven digits, and negative corrections', () => {
    const amounts = ['45', '0,05', '1234567', '1234567,99', '-5,10', '-0,50', '-3'];
    const person = accepted({ receipts: amounts.map((a) => `2026-03-04|Praxis|Kontrolle|${a}`).join(';') });
    expect(person?.receipts.map((r) => r.amountCents)).toEqual([4500, 5, 123456700, 123456799, -510, -50, -300]);
  });

  it('a cell of spaces is no receipt', () => {
    expect(accepted({ receipts: '   ' })?.receipts).toEqual([]);
  });

  it('an item without a date, provider, service or amount, or with a malformed amount, is refused by its number', () => {
    const good = '2026-03-04|Praxis|Kontrolle|10,00';
    const bad = [
      '2026-02-30|Praxis|Kontrolle|10,00',
      '2026-03-04||Kontrolle|10,00',
      '2026-03-04|Praxis| |10,00',
      '2026-03-04|Praxis|Kontrolle',
      '2026-03-04|Praxis|Kontrolle|10,5',
      '2026-03-04|Praxis|Kontrolle|12345678',
      '2026-03-04|Praxis|Kontrolle|x10',
      '2026-03-04|Praxis|Kontrolle|10,00x',
      '2026-03-04|Praxis|Kontrolle|45|10',
    ];
    for (const item of bad) {
      expect(reasonsFor({ receipts: `${good};${item}` }), item).toEqual(['receipts: item 2 is not "date|provider|service|amount"']);
    }
  });
});

describe('the register file as a whole', () => {
  it('a comma-separated file is read with commas, even when a receipts cell holds several items', () => {
    const header = COLUMNS.join(',');
    const row = [
      'A123456780',
      'Erika',
      'Mustermann',
      '1984-08-12',
      'Heidestraße 17',
      '51147',
      'Köln',
      '2004-01-01',
      '',
      '80276883110000012345',
    ];
    const report = importRegisterCsv(`${header}\n${row.join(',')},"2026-03-04|Praxis|Kontrolle|1,00;2026-03-05|Praxis|Kontrolle|2.00"\n`);
    if ('error' in report) throw new Error('unexpected');
    expect(report.rejected).toEqual([]);
    expect(report.accepted[0]?.receipts.map((r) => r.amountCents)).toEqual([100, 200]);
    expect(registerDelimiter(header)).toBe(',');
    expect(registerDelimiter(COLUMNS.join(';'))).toBe(';');
  });

  it('the header is read in any case, with spaces, a byte-order mark and Windows line ends', () => {
    const header = COLUMNS.map((c) => ` ${c.toUpperCase()} `).join(';');
    const report = importRegisterCsv(`\uFEFF${header}\r\n${line({})}\r\n`);
    if ('error' in report) throw new Error('unexpected');
    expect(report.accepted.map((p) => p.kvnr)).toEqual(['A123456780']);
  });

  it('insurance_end and receipts may be left out of the file; the other columns are required and named when missing', () => {
    const without = COLUMNS.filter((c) => c !== 'insurance_end' && c !== 'receipts');
    const report = importRegisterCsv(`${without.join(';')}\n${without.map((c) => ERIKA[c]).join(';')}\n`);
    if ('error' in report) throw new Error('unexpected');
    expect(report.accepted[0]).toMatchObject({ kvnr: 'A123456780', receipts: [] });
    expect(report.accepted[0]).not.toHaveProperty('insuranceEnd');
    expect(missingRegisterColumns(['kvnr', 'city'])).toEqual([
      'first_name',
      'last_name',
      'birth_date',
      'street',
      'postal_code',
      'insurance_start',
      'card_number',
    ]);
    expect(importRegisterCsv('kvnr,first_name\nA123456780,Erika\n')).toEqual({
      error: 'MISSING_COLUMNS',
      missing: ['last_name', 'birth_date', 'street', 'postal_code', 'city', 'insurance_start', 'card_number'],
    });
  });

  it('a KVNR that appears twice keeps its first valid row; a refused row does not count as the first', () => {
    const report = importRegisterCsv(
      [COLUMNS.join(';'), line({ postal_code: '1' }), '', line({ first_name: 'Erste' }), line({ first_name: 'Zweite' })].join('\n'),
    );
    if ('error' in report) throw new Error('unexpected');
    expect(report.accepted.map((p) => p.firstName)).toEqual(['Erste']);
    expect(report.rejected).toEqual([
      { line: 2, reasons: ['postal_code: five digits'] },
      { line: 5, reasons: ['kvnr: appears twice in the file'] },
    ]);
  });
});
