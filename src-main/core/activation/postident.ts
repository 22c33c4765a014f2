/**
 * Identity by POSTIDENT (R4). The provider sits behind a port; its result arrives asynchronously
 * through handlePostidentResult, either pushed (the simulator's page) or pulled by refreshPostident
 * from a provider that is asked for a case's status. Success activates the account and sends an
 * e-mail; a declined or abandoned case makes the next login offer the activation letter instead.
 * An operator may switch POSTIDENT off: then no case is opened. A provider that fails or does not
 * answer changes nothing: the person gets POSTIDENT_UNAVAILABLE and may choose the letter.
 */
import { auditEntries, type Actor, type CoreDeps } from '../deps.js';
import type { AccountChange } from '../ports.js';
import { berlinDate } from '../dates.js';
import { identityConfirmedMail } from '../texts.js';
import type { PostidentOutcome } from '../ports.js';
import { sendQuietly } from '../notify.js';
import { postalAddress } from '../register/person.js';
import { fail, ok, type Result } from '../result.js';
import { reservePrint } from '../delivery-limits.js';
import type { PostidentCaseRecord, PostidentState } from '../account.js';

export async function startPostident(
  deps: CoreDeps,
  who: Actor,
  accountId: string,
): Promise<Result<{ caseId: string; continueUrl: string }>> {
  const now = deps.clock.now();
  const account = await deps.accounts.get(accountId);
  if (!account) return fail('NOT_FOUND');
  if (!account.email.confirmedAt || account.identity.confirmedAt) return fail('WRONG_STEP');
  if (deps.postident.available === false) return fail('POSTIDENT_UNAVAILABLE', { reason: 'SWITCHED_OFF' });
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
    return {
      next: { ...current, identity: { ...current.identity, postident: record } },
      result: true,
      audit: auditEntries(who, now, { type: 'POSTIDENT_OPENED', subject: accountId, data: { caseId: record.caseId } }),
    };
  });
  if (!stored) return fail('WRONG_STEP');
  return ok({ caseId: record.caseId, continueUrl: record.continueUrl });
}

/** Called by the provider adapter when a case ends. Idempotent: a case ends once. */
export async function handlePostidentResult(deps: CoreDeps, caseId: string, outcome: PostidentOutcome): Promise<Result<null>> {
  const now = deps.clock.now();
  const account = await deps.accounts.findByPostidentCase(caseId);
  if (!account) return fail('NOT_FOUND');
  const system = { actor: 'postident', terminal: deps.postident.label };
  const changed = await deps.accounts.update(account.id, (current): AccountChange<boolean> => {
    const pi = current.identity.postident;
    if (!pi || pi.caseId !== caseId || pi.state !== 'OPEN') return { result: false };
    const closed = { ...pi, state: outcome, closedAt: now.toISOString() };
    const confirm = outcome === 'SUCCESS' && !current.identity.confirmedAt;
    const resultEvent = { type: 'POSTIDENT_RESULT' as const, subject: account.id, data: { caseId, outcome } };
    const confirmedEvent = { type: 'IDENTITY_CONFIRMED' as const, subject: account.id, data: { method: 'POSTIDENT' } };
    return {
      next: {
        ...current,
        identity: confirm
          ? { ...current.identity, postident: closed, confirmedAt: now.toISOString(), method: 'POSTIDENT' as const }
          : { ...current.identity, postident: closed },
      },
      result: true,
      audit: outcome === 'SUCCESS' ? auditEntries(system, now, resultEvent, confirmedEvent) : auditEntries(system, now, resultEvent),
    };
  });
  if (!changed) return fail('WRONG_STEP');
  if (outcome === 'SUCCESS') {
    await sendQuietly(deps, identityConfirmedMail(account.language, deps.brand.name, account.email.email), account.id);
  }
  return ok(null);
}

/**
 * Asks the provider how the account's open case stands and applies a final answer through
 * handlePostidentResult. Without a status() on the provider (it calls back instead) this only
 * reports the stored state. A late or concurrent result is harmless: a case ends once.
 */
export async function refreshPostident(deps: CoreDeps, accountId: string): Promise<Result<{ caseId: string; state: PostidentState }>> {
  const account = await deps.accounts.get(accountId);
  if (!account) return fail('NOT_FOUND');
  const pi = account.identity.postident;
  if (!pi) return fail('WRONG_STEP');
  const caseId = pi.caseId;
  if (pi.state !== 'OPEN' || !deps.postident.status) return ok({ caseId, state: pi.state });
  let status;
  try {
    status = await deps.postident.status(caseId);
  } catch {
    return fail('POSTIDENT_UNAVAILABLE', { reason: 'PROVIDER_ERROR' });
  }
  if (status === 'OPEN') return ok({ caseId, state: 'OPEN' });
  await handlePostidentResult(deps, caseId, status);
  const after = (await deps.accounts.get(accountId))?.identity.postident;
  return ok(after ? { caseId: after.caseId, state: after.state } : { caseId, state: status });
}

/** Prints the coupon a person takes to a post-office branch. */
export async function printPostidentCoupon(deps: CoreDeps, who: Actor, accountId: string): Promise<Result<null>> {
  const now = deps.clock.now();
  const account = await deps.accounts.get(accountId);
  const pi = account?.identity.postident;
  if (!account || !pi || pi.state !== 'OPEN') return fail('WRONG_STEP');
  const person = await deps.register.getByKvnr(account.kvnr);
  if (!person) return fail('REGISTER_MISMATCH');
  const slot = await reservePrint(deps, who, accountId, now, 'POSTIDENT_COUPON');
  if (!slot.ok) return slot;
  await deps.letters.print({
    kind: 'POSTIDENT_COUPON',
    to: postalAddress(person),
    date: berlinDate(now),
    caseId: pi.caseId,
    simulated: deps.postident.simulated,
    language: account.language,
    accountId,
  });
  return ok(null);
}
