/**
 * Fictional insured persons for the embedded default and the tests. Every name, address and number
 * is invented; the KVNRs carry valid check digits. They cover the interesting cases: a ready adult,
 * umlauts and ß, a name outside Latin-1, someone under 15, a 29 February birthday, an insurance
 * that has ended and one that has not begun.
 */
import { kvnrCheckDigit } from '../core/kvnr.js';
import type { InsuredPerson } from '../core/register/person.js';

function kvnr(body: string): string {
  const check = kvnrCheckDigit(body);
  if (check === undefined) throw new Error(`bad demo KVNR body ${body}`);
  return `${body}${check}`;
}

const receipts = [
  { date: '2026-03-04', provider: 'Praxis Dr. Sonnenberg', service: 'Hausärztliche Versorgung', amountCents: 4_213 },
  { date: '2026-05-19', provider: 'Zahnarztpraxis Lindenhof', service: 'Kontrolluntersuchung', amountCents: 2_870 },
  { date: '2026-09-02', provider: 'Klinikum Nordstadt', service: 'Ambulante Behandlung', amountCents: 18_940 },
];

export const DEMO_REGISTER: readonly InsuredPerson[] = [
  {
    kvnr: 'A123456780',
    firstName: 'Erika',
    lastName: 'Mustermann',
    birthDate: '1984-08-12',
    street: 'Heidestraße 17',
    postalCode: '51147',
    city: 'Köln',
    insuranceStart: '2004-01-01',
    cardNumber: '80276883110000012345',
    receipts,
  },
  {
    kvnr: kvnr('M20001000'),
    firstName: 'Jürgen',
    lastName: 'Weiß',
    birthDate: '1961-02-03',
    street: 'Am Fließ 3',
    postalCode: '14469',
    city: 'Potsdam',
    insuranceStart: '1980-04-01',
    cardNumber: '80276883110000023456',
    receipts: receipts.slice(0, 2),
  },
  {
    kvnr: kvnr('Y30002000'),
    firstName: 'Ayşe',
    lastName: 'Yıldız',
    birthDate: '1999-11-30',
    street: 'Lindenweg 5a',
    postalCode: '20095',
    city: 'Hamburg',
    insuranceStart: '2017-09-01',
    cardNumber: '80276883110000034567',
    receipts: receipts.slice(1),
  },
  {
    kvnr: kvnr('S40003000'),
    firstName: 'Lena',
    lastName: 'Sommer',
    birthDate: '2012-06-15',
    street: 'Kastanienallee 9',
    postalCode: '04109',
    city: 'Leipzig',
    insuranceStart: '2012-06-15',
    cardNumber: '80276883110000045678',
    receipts: [],
  },
  {
    kvnr: kvnr('L50004000'),
    firstName: 'Leo',
    lastName: 'Schaltjahr',
    birthDate: '2012-02-29',
    street: 'Sonnenhang 2',
    postalCode: '79098',
    city: 'Freiburg im Breisgau',
    insuranceStart: '2012-02-29',
    cardNumber: '80276883110000056789',
    receipts: [],
  },
  {
    kvnr: kvnr('K60005000'),
    firstName: 'Karl',
    lastName: 'Altmann',
    birthDate: '1950-10-01',
    street: 'Hafenstraße 40',
    postalCode: '28195',
    city: 'Bremen',
    insuranceStart: '1970-01-01',
    insuranceEnd: '2025-12-31',
    cardNumber: '80276883110000067890',
    receipts: [],
  },
  {
    kvnr: kvnr('N70006000'),
    firstName: 'Nina',
    lastName: 'Neumann',
    birthDate: '2001-05-05',
    street: 'Gartenstraße 8',
    postalCode: '80331',
    city: 'München',
    insuranceStart: '2027-07-01',
    cardNumber: '80276883110000078901',
    receipts: [],
  },
  {
    kvnr: kvnr('B80007000'),
    firstName: 'Tobias',
    lastName: 'Becker',
    birthDate: '1978-12-24',
    street: 'Mühlenweg 12',
    postalCode: '30159',
    city: 'Hannover',
    insuranceStart: '1998-10-01',
    cardNumber: '80276883110000089012',
    receipts,
  },
];
