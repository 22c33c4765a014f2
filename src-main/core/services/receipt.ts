/**
 * The patient receipt (R9): the register's billed items, shown only behind a TAN to the enrolled
 * mobile number, since it tells of illnesses. A confirmed identity is required before anything.
 */
import { identified } from '../identity.js';
import type { Actor, CoreDeps } from '../deps.js';
import { withTan } from '../mtan/tan.js';
import type { PatientReceiptItem } from '../register/person.js';
import type { Result } from '../result.js';

export async function viewReceipt(
  deps: CoreDeps,
  who: Actor,
  accountId: string,
  tan: string,
): Promise<Result<{ items: readonly PatientReceiptItem[]; totalCents: number }>> {
  const account = await identified(deps, accountId);
  if (!account.ok) return account;
  const person = await deps.register.getByKvnr(account.value.kvnr);
  const items = person?.receipts ?? [];
  return withTan(deps, who, accountId, 'RECEIPT_VIEW', {}, tan, (next) => ({
    next,
    value: { items, totalCents: items.reduce((sum, item) => sum + item.amountCents, 0) },
  }));
}
