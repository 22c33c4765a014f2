/**
 * Deleting the online account (R9): after the password and an explicit confirmation, the account
 * record goes, and with it credentials, codes, messages and the mobile number. The register (the
 * insurer's master data) stays; the audit trail names the account only by its random id.
 */
import { auditEntries, auditEvent, type Actor, type CoreDeps } from '../deps.js';
import { checkCurrentPassword } from '../login/current-password.js';
import type { LoginGuards } from '../login/guards.js';
import { fail, ok, type Result } from '../result.js';

export async function deleteAccount(
  deps: CoreDeps,
  guards: LoginGuards,
  who: Actor,
  accountId: string,
  input: { password: string; confirm: boolean },
  sessionEpoch?: number,
): Promise<Result<null>> {
  const now = deps.clock.now();
  if (input.confirm !== true) return fail('CONFIRMATION_REQUIRED');
  const account = await deps.accounts.get(accountId);
  if (!account) return fail('NOT_FOUND');
  const checked = await checkCurrentPassword(deps, guards, who, { accountId, epoch: sessionEpoch }, input.password, 'PASSWORD_WRONG');
  if (!checked.ok) return checked;
  await removeAccount(deps, who, now, accountId, {});
  return ok(null);
}

/**
 * The deletion itself, with ACCOUNT_DELETED recorded in the same change, then what belonged to the
 * account: undelivered letters, mails and SMS, the counter's copies of what the person wrote, the
 * mailbox. The record is gone first, so a failure there cannot hide the deletion; the outbox's
 * sweep removes what stayed once the trail shows the deletion. ACCOUNT_DATA_REMOVED says what went.
 */
export async function removeAccount(
  deps: CoreDeps,
  who: Actor,
  now: Date,
  accountId: string,
  data: Readonly<Record<string, string | number | boolean>>,
): Promise<void> {
  await deps.accounts.delete(accountId, auditEntries(who, now, { type: 'ACCOUNT_DELETED', subject: accountId, data }));
  const purged = await deps.outbox.purgeFor(accountId).then(
    (outboxItemsRemoved) => ({ outboxItemsRemoved }),
    () => ({ outboxPurgeFailed: true }),
  );
  const inboxRemoved = await deps.inbox.removeFor(accountId).catch(() => -1);
  const mailboxRemoved = await deps.mailbox.removeFor(accountId).catch(() => -1);
  // Mail and SMS still waiting for the account go too: nothing is sent for an account that is gone.
  const outboundRemoved = await deps.outbound.removeFor(accountId).catch(() => -1);
  await auditEvent(deps, who, now, {
    type: 'ACCOUNT_DATA_REMOVED',
    subject: accountId,
    data: { ...purged, inboxRemoved, mailboxRemoved, outboundRemoved },
  });
}
