/**
 * The membership certificate (R9), from the register's data, for an account with a confirmed
 * identity. Each one is rendered and held in memory until handed over, so certificates per hour
 * are bounded.
 */
import type { Account } from '../account.js';
import { berlinDate } from '../dates.js';
import type { CoreDeps } from '../deps.js';
import { identified } from '../identity.js';
import { hourlyLimit } from '../rate-limit.js';
import { postalAddress } from '../register/person.js';
import { fail, ok, type Result } from '../result.js';

/**
 * The membership certificate is a document for the person at the kiosk, not a letter to post: it
 * is rendered in memory and the shell hands it over once. Nothing of it is written anywhere.
 */
export async function membershipCertificate(deps: CoreDeps, accountId: string): Promise<Result<{ pdf: Uint8Array }>> {
  const now = deps.clock.now();
  const account = await identified(deps, accountId);
  if (!account.ok) return account;
  const p = await deps.register.getByKvnr(account.value.kvnr);
  if (!p) return fail('REGISTER_MISMATCH');
  const allowed = await deps.accounts.update(accountId, (current): { next?: Account; result: Result<null> } => {
    const limit = hourlyLimit(current.certificatesAt ?? [], now, deps.policy.certificate.maxPerHour);
    if (!limit.allowed) return { result: fail('RATE_LIMITED', { retryAt: limit.retryAt }) };
    return { next: { ...current, certificatesAt: [...limit.recent, now.toISOString()] }, result: ok(null) };
  });
  if (!allowed) return fail('NOT_FOUND');
  if (!allowed.ok) return allowed;
  const pdf = await deps.documents.render({
    kind: 'MEMBERSHIP_CERTIFICATE',
    to: postalAddress(p),
    date: berlinDate(now),
    kvnr: p.kvnr,
    birthDate: p.birthDate,
    insuranceStart: p.insuranceStart,
    ...(p.insuranceEnd ? { insuranceEnd: p.insuranceEnd } : {}),
    language: account.value.language,
    accountId,
  });
  return ok({ pdf });
}
