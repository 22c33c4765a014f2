import type { IsoDate } from '../dates.js';

export interface PatientReceiptItem {
  readonly date: IsoDate;
  readonly provider: string;
  readonly service: string;
  /** Euro cents, to keep sums exact. */
  readonly amountCents: number;
}

/** The insurer's master data of one insured person (R1). Read-only for the online account. */
export interface InsuredPerson {
  readonly kvnr: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: IsoDate;
  readonly street: string;
  readonly postalCode: string;
  readonly city: string;
  readonly insuranceStart: IsoDate;
  readonly insuranceEnd?: IsoDate;
  /** Health-card (eGK) number, 20 digits. */
  readonly cardNumber: string;
  readonly receipts: readonly PatientReceiptItem[];
}

/** The register's address of a person, as letters and documents print it. */
export function postalAddress(person: InsuredPerson): { name: string; street: string; postalCode: string; city: string } {
  return { name: `${person.firstName} ${person.lastName}`, street: person.street, postalCode: person.postalCode, city: person.city };
}
