/**
 * Identity by POSTIDENT (R4). The provider sits behind a port; its result arrives asynchronously
 * through handlePostidentResult. Success activates the account and sends an e-mail; a declined or
 * abandoned case makes the next login offer the activation letter instead.
 */
import { auditEvent, type Actor, type CoreDeps } from '../deps.js';
import { berlinDate } from '../dates.js';
import { identityConfirmedMail } from '../mail-texts.js';
import type { PostidentOutcome } from '../ports.js';
import { sendQuietly } from '../registration/register-account.js';
import { fail, ok, type Result } from '../result.js';
import type { PostidentCaseRecord } from '../account.js';

export async function startPostident(
  deps: CoreDeps,
  who: Actor,
  accountId: string,
): Promise<Result<{ caseId: string; continueUrl: string }>> {
  const now = deps.clock.now();
  const account = await deps.accounts.get(accountId);
  if (!account) return fail('NOT_FOUND');
  if (!account.email.confirmedAt || account.identity.confirmedAt) return fail('WRONG_STEP');
  const open = account.identity.postident;
  if (open?.state === 'OPEN') return ok({ caseId: open.caseId, continueUrl: open.continueUrl });
  if (open && open.state !== 'SUCCESS') return fail('POSTIDENT_UNAVAILABLE', { reason: 'PREVIOUS_CASE_FAILED' });
  const person = await deps.register.getByKvnr(account.kvnr);
  if (!person) return fail('REGISTER_MISMATCH');
  let opened;
  try {
    opened = await deps.postident.openCase({
      reference: account.id,
      firstName: person.firstName,
      lastName: person.lastName,
      birthDate: person.birthDate,
    });
  } catch {
    return fail('POSTIDENT_UNAVAILABLE');
  }
  const record: PostidentCaseRecord = {
    caseId: opened.caseId,
    continueUrl: opened.continueUrl,
    openedAt: now.toISOString(),
    state: 'OPEN',
  };
  const stored = await deps.accounts.update(accountId, (current) => {
    if (current.identity.confirmedAt || current.identity.postident) return { result: false };
    return { next: { ...current, identity: { ...current.identity, postident: record } }, result: true };
  });
  if (!stored) return fail('WRONG_STEP');
  await auditEvent(deps, who, now, { type: 'POSTIDENT_OPENED', subject: accountId, data: { caseId: record.caseId } });
  return ok({ caseId: record.caseId, continueUrl: record.continueUrl });
}

/** Called by the provider adapter when a case ends. Idempotent: a case ends once. */
export async function handlePostidentResult(deps: CoreDeps, caseId: string, outcome: PostidentOutcome): Promise<Result<null>> {
  const now = deps.clock.now();
  const account = await deps.accounts.findByPostidentCase(caseId);
  if (!account) return fail('NOT_FOUND');
  const changed = await deps.accounts.update(account.id, (current) => {
    const pi = current.identity.postident;
    if (!pi || pi.caseId !== caseId || pi.state !== 'OPEN') return { result: false };
    const closed = { ...pi, state: outcome, closedAt: now.toISOString() };
    const confirm = outcome === 'SUCCESS' && !current.identity.confirmedAt;
    return {
      next: {
        ...current,
        identity: confirm
          ? { ...current.identity, postident: closed, confirmedAt: now.toISOString(), method: 'POSTIDENT' as const }
          : { ...current.identity, postident: closed },
      },
      result: true,
    };
  });
  if (!changed) return fail('WRONG_STEP');
  const system = { actor: 'postident', terminal: deps.postident.label };
  await auditEvent(deps, system, now, { type: 'POSTIDENT_RESULT', subject: account.id, data: { caseId, outcome } });
  if (outcome === 'SUCCESS') {
    await auditEvent(deps, system, now, { type: 'IDENTITY_CONFIRMED', subject: account.id, data: { method: 'POSTIDENT' } });
    await sendQuietly(deps, identityConfirmedMail(account.language, deps.brand.name, account.email.email));
  }
  return ok(null);
}

/** Prints the coupon a person takes to a post-office branch. */
export async function printPostidentCoupon(deps: CoreDeps, accountId: string): Promise<Result<null>> {
  const now = deps.clock.now();
  const account = await deps.accounts.get(accountId);
  const pi = account?.identity.postident;
  if (!account || !pi || pi.state !== 'OPEN') return fail('WRONG_STEP');
  const person = await deps.register.getByKvnr(account.kvnr);
  if (!person) return fail('REGISTER_MISMATCH');
  await deps.letters.print({
    kind: 'POSTIDENT_COUPON',
    to: { name: `${person.firstName} ${person.lastName}`, street: person.street, postalCode: person.postalCode, city: person.city },
    date: berlinDate(now),
    caseId: pi.caseId,
    language: account.language,
  });
  return ok(null);
}
