/**
 * Finding an online account at the counter (R10): by KVNR, by username, or by name and birth date.
 * Names are compared as at registration (R2: Unicode folding, ß = ss, spaces); the register is
 * reached through its birth-date index, so no search scans every person or account.
 */
import type { CoreDeps } from '../deps.js';
import { parseKvnr } from '../kvnr.js';
import { isValidIsoDate } from '../dates.js';
import { usernameKey } from '../registration/username.js';
import { fail, ok, type Result } from '../result.js';
import { sameName } from '../text.js';
import { accountSummary, type AccountSummary } from './counter-view.js';

export type AccountQuery =
  | { readonly by: 'KVNR'; readonly kvnr: string }
  | { readonly by: 'USERNAME'; readonly username: string }
  | { readonly by: 'NAME'; readonly lastName: string; readonly firstName?: string | undefined; readonly birthDate: string };

/** At most this many results by name: a longer list would be browsing, not finding. */
const MAX_RESULTS = 20;

export async function searchAccounts(deps: CoreDeps, query: AccountQuery): Promise<Result<readonly AccountSummary[]>> {
  const now = deps.clock.now();
  if (query.by === 'KVNR') {
    const kvnr = parseKvnr(query.kvnr);
    if (!kvnr) return fail('SEARCH_INVALID', { field: 'kvnr' });
    const account = await deps.accounts.findByKvnr(kvnr);
    return ok(account ? [accountSummary(account, await deps.register.getByKvnr(kvnr), now)] : []);
  }
  if (query.by === 'USERNAME') {
    const key = usernameKey(query.username);
    if (key.length < 1) return fail('SEARCH_INVALID', { field: 'username' });
    const account = await deps.accounts.findByUsernameKey(key);
    return ok(account ? [accountSummary(account, await deps.register.getByKvnr(account.kvnr), now)] : []);
  }
  if (!isValidIsoDate(query.birthDate)) return fail('SEARCH_INVALID', { field: 'birthDate' });
  if (query.lastName.trim().length === 0) return fail('SEARCH_INVALID', { field: 'lastName' });
  const born = await deps.register.findByBirthDate(query.birthDate);
  const firstName = query.firstName?.trim();
  const persons = born.filter((p) => sameName(p.lastName, query.lastName) && (!firstName || sameName(p.firstName, firstName)));
  const found: AccountSummary[] = [];
  for (const person of persons.slice(0, MAX_RESULTS)) {
    const account = await deps.accounts.findByKvnr(person.kvnr);
    if (account) found.push(accountSummary(account, person, now));
  }
  return ok(found);
}
