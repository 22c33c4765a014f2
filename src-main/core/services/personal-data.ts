/**
 * Personal data (R9): names, birth date and address come read-only from the register, so the
 * account never holds a copy that could drift; only the contact data (e-mail, mobile number) is
 * the account's own, and the number is shown masked. A confirmed identity is required.
 */
import { identified } from '../identity.js';
import type { CoreDeps } from '../deps.js';
import { maskPhone } from '../mtan/phone.js';
import { fail, ok, type Result } from '../result.js';

export interface PersonalData {
  readonly kvnr: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string;
  readonly street: string;
  readonly postalCode: string;
  readonly city: string;
  readonly email: string;
  readonly pendingEmail?: string;
  readonly mobileMasked?: string;
  readonly insuranceStart: string;
  readonly insuranceEnd?: string;
}

export async function personalData(deps: CoreDeps, accountId: string): Promise<Result<PersonalData>> {
  const account = await identified(deps, accountId);
  if (!account.ok) return account;
  const a = account.value;
  const p = await deps.register.getByKvnr(a.kvnr);
  if (!p) return fail('REGISTER_MISMATCH');
  return ok({
    kvnr: p.kvnr,
    firstName: p.firstName,
    lastName: p.lastName,
    birthDate: p.birthDate,
    street: p.street,
    postalCode: p.postalCode,
    city: p.city,
    email: a.email.email,
    ...(a.emailChange ? { pendingEmail: a.emailChange.email } : {}),
    ...(a.mtan ? { mobileMasked: maskPhone(a.mtan.phone) } : {}),
    insuranceStart: p.insuranceStart,
    ...(p.insuranceEnd ? { insuranceEnd: p.insuranceEnd } : {}),
  });
}
