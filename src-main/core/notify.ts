/**
 * Mail that informs but must not decide: a delivery problem never undoes what already happened
 * (a registration, a lock, a changed password); the person can ask again or the outbox keeps it.
 */
import type { CoreDeps } from './deps.js';

/** The account id tags the mail so an undelivered copy goes with the account. */
export async function sendQuietly(deps: CoreDeps, mail: Parameters<CoreDeps['mailer']['send']>[0], accountId?: string): Promise<boolean> {
  try {
    await deps.mailer.send(accountId === undefined ? mail : { ...mail, accountId });
    return true;
  } catch {
    return false;
  }
}
