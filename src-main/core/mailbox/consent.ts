/**
 * Secure mailbox consent, step 4 (R5). Declining is allowed and can be changed later. Leaving the
 * mailbox deletes its messages (R9: leaving a function deletes that function's data).
 */
import { auditEvent, type Actor, type CoreDeps } from '../deps.js';
import { welcomeMessages } from './messages.js';
import { fail, ok, type Result } from '../result.js';

export async function decideMailbox(
  deps: CoreDeps,
  who: Actor,
  accountId: string,
  accept: boolean,
): Promise<Result<{ state: 'ACTIVE' | 'DECLINED' }>> {
  const now = deps.clock.now();
  const state = accept ? ('ACTIVE' as const) : ('DECLINED' as const);
  const result = await deps.accounts.update(accountId, (account) => {
    if (!account.identity.confirmedAt) return { result: fail('WRONG_STEP') };
    if (account.mailbox.state === state) return { result: ok({ state }) };
    const mailbox = accept
      ? { state, decidedAt: now.toISOString(), messages: welcomeMessages(deps, account, now) }
      : { state, decidedAt: now.toISOString() };
    return { next: { ...account, mailbox }, result: ok({ state }) };
  });
  if (!result) return fail('NOT_FOUND');
  if (result.ok) await auditEvent(deps, who, now, { type: 'MAILBOX_CONSENT', subject: accountId, data: { accept } });
  return result;
}
