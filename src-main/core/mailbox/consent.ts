/**
 * Secure mailbox consent, step 4 (R5). Declining is allowed and can be changed later. Leaving the
 * mailbox deletes its messages (R9: leaving a function deletes that function's data).
 */
import { auditEntries, type Actor, type CoreDeps } from '../deps.js';
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
  const audit = auditEntries(who, now, { type: 'MAILBOX_CONSENT', subject: accountId, data: { accept } });
  const result = await deps.accounts.update(accountId, (account) => {
    if (!account.identity.confirmedAt) return { result: fail('WRONG_STEP') };
    if (account.mailbox.state === state) return { result: ok({ state, changed: false, account }), audit };
    const next = { ...account, mailbox: { state, decidedAt: now.toISOString() } };
    return { next, result: ok({ state, changed: true, account: next }), audit };
  });
  if (!result) return fail('NOT_FOUND');
  if (!result.ok) return result;
  if (result.value.changed) {
    // The mailbox's messages go when it is left (R9), and whatever a cut-short step left behind
    // goes before a new one opens with the insurer's welcome.
    await deps.mailbox.removeFor(accountId);
    if (accept) {
      const welcome = welcomeMessages(deps, result.value.account, now);
      await deps.mailbox.add(accountId, () => ({ add: welcome, result: null }));
    }
  }
  return ok({ state });
}
