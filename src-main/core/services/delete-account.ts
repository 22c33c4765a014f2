/**
 * Deleting the online account (R9): after the password and an explicit confirmation, the account
 * record goes, and with it credentials, codes, messages and the mobile number. The register (the
 * insurer's master data) stays; the audit trail names the account only by its random id.
 */
import { auditEvent, type Actor, type CoreDeps } from '../deps.js';
import { fail, ok, type Result } from '../result.js';

export async function deleteAccount(
  deps: CoreDeps,
  who: Actor,
  accountId: string,
  input: { password: string; confirm: boolean },
): Promise<Result<null>> {
  const now = deps.clock.now();
  if (input.confirm !== true) return fail('CONFIRMATION_REQUIRED');
  const account = await deps.accounts.get(accountId);
  if (!account) return fail('NOT_FOUND');
  if (!(await deps.passwords.verify(account.password.hash, input.password))) return fail('PASSWORD_WRONG');
  await deps.accounts.delete(accountId);
  await auditEvent(deps, who, now, { type: 'ACCOUNT_DELETED', subject: accountId });
  return ok(null);
}
