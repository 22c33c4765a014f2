/**
 * Mail that informs but must not decide: a delivery problem never undoes what already happened
 * (a registration, a lock, a changed password); the person can ask again or staff see it.
 */
import type { CoreDeps } from './deps.js';

/** What the person is told: the mail left, it is on its way (stored, tried again), or it did not go. */
export type Delivery = 'SENT' | 'QUEUED' | 'FAILED';

/** The account id tags the mail so an undelivered copy goes with the account. */
export async function sendQuietly(deps: CoreDeps, mail: Parameters<CoreDeps['mailer']['send']>[0], accountId?: string): Promise<Delivery> {
  try {
    const outcome = await deps.mailer.send(accountId === undefined ? mail : { ...mail, accountId });
    return outcome === 'QUEUED' ? 'QUEUED' : 'SENT';
  } catch {
    return 'FAILED';
  }
}

/** A delivery as the audit trail keeps it: `delivered` as before, and whether it waits in the queue. */
export function deliveryData(delivery: Delivery): { delivered: boolean; queued?: true } {
  return delivery === 'QUEUED' ? { delivered: false, queued: true } : { delivered: delivery === 'SENT' };
}
