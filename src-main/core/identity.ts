/**
 * Online services need a confirmed identity (R4). One guard, so that no service can forget it
 * or answer it differently: an account without it gets IDENTITY_REQUIRED and nothing happens.
 */
import type { Account } from './account.js';
import type { CoreDeps } from './deps.js';
import { fail, ok, type Result } from './result.js';

export function requireIdentity(account: Account): Result<Account> {
  return account.identity.confirmedAt ? ok(account) : fail('IDENTITY_REQUIRED');
}

/** The account, read from the store, when it exists and its identity is confirmed. */
export async function identified(deps: CoreDeps, accountId: string): Promise<Result<Account>> {
  const account = await deps.accounts.get(accountId);
  return account ? requireIdentity(account) : fail('NOT_FOUND');
}
