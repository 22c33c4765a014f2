import { describe, expect, it } from 'vitest';
import { importRegisterCsv } from '../../src-main/core/register/csv-import.js';

const header = 'kvnr;first_name;last_name;birth_date;street;postal_code;city;insurance_start;insurance_end;card_number;receipts';

describe('register CSV import (R1)', () => {
  it('imports valid rows with German dates, receipts and an empty end date', () => {
    const csv = `${header}\nA123456780;Erika;Mustermann;12.08.1984;Heidestraße 17;51147;Köln;01.01.2004;;80276883110000012345;"2026-03-04|Praxis Dr. Sonnenberg|Hausärztliche Versorgung|42,13;2026-05-19|Zahnarzt|Kontrolle|28.70"\n`;
    const report = importRegisterCsv(csv);
    if ('error' in report) throw new Error('unexpected');
    expect(report.rejected).toEqual([]);
    expect(report.accepted).toHaveLength(1);
    expect(report.accepted[0]).toMatchObject({ kvnr: 'A123456780', birthDate: '1984-08-12', insuranceStart: '2004-01-01' });
    expect(report.accepted[0]?.insuranceEnd).toBeUndefined();
    expect(report.accepted[0]?.receipts.map((r) => r.amountCents)).toEqual([4213, 2870]);
  });

  it('rejects bad rows one by one with line numbers and reasons, keeping the good ones', () => {
    const csv = [
      header,
      'A123456781;Bad;Check;12.08.1984;Weg 1;51147;Köln;2004-01-01;;80276883110000012345;',
      'X110411675;Xaver;Beispiel;31.02.1990;Weg 2;1234;Bonn;2004-01-01;2003-01-01;123;',
      'x 110411675;Xaver;Beispiel;1990-02-01;Weg 2;53111;Bonn;2004-01-01;;80276883110000012345;',
      'X110411675;Doppelt;Beispiel;1990-02-01;Weg 2;53111;Bonn;2004-01-01;;80276883110000012345;',
    ].join('\n');
    const report = importRegisterCsv(csv);
    if ('error' in report) throw new Error('unexpected');
    expect(report.accepted.map((p) => p.kvnr)).toEqual(['X110411675']);
    expect(report.rejected.map((r) => r.line)).toEqual([2, 3, 5]);
    expect(report.rejected[0]?.reasons).toEqual(['kvnr: not a valid insurance number (check digit)']);
    expect(report.rejected[1]?.reasons).toEqual(
      expect.arrayContaining([
        'birth_date: not a valid date',
        'postal_code: five digits',
        'insurance_end: before insurance_start',
        'card_number: 20 digits',
      ]),
    );
    expect(report.rejected[2]?.reasons).toEqual(['kvnr: appears twice in the file']);
  });

  it('names missing columns', () => {
    expect(importRegisterCsv('kvnr,first_name\nA123456780,Erika\n')).toMatchObject({ error: 'MISSING_COLUMNS' });
  });
});
