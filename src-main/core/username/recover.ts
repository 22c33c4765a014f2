/**
 * Forgot username. The person names KVNR and date of birth; when they belong to an account with a
 * confirmed e-mail address that is not deactivated, an 8-digit code goes there (the rules of
 * "forgot password": 30 minutes, 5 tries, hourly limit per account, bound to the requesting screen's
 * flow token); entering it shows the username. Everyone else gets nothing, and is told with the same
 * words to go to the counter if no e-mail arrives.
 *
 * Threats: learning whether a KVNR has an online account, or a person's birth date (every request
 * gets the same answer in the same time, matching or not; the mail leaves after the answer; and the
 * limits per KVNR and per terminal count every request, so where the limit starts tells nothing
 * either; a code entry is refused with one answer whatever the reason); mail bombing (the hourly
 * limit per account, silent because a refusal would tell); a stranger entering codes for someone
 * else's request (flow token, see flow-code.ts).
 */
import type { Account } from '../account.js';
import { numericCode } from '../codes.js';
import { auditEntries, auditEvent, type Actor, type CoreDeps } from '../deps.js';
import type { AccountChange } from '../ports.js';
import { attemptFlowCode, forgotLimitReached, holdsFlow, withFlowCode } from '../flow-code.js';
import { parseKvnr } from '../kvnr.js';
import { paced } from '../login/attempt.js';
import type { MismatchLimits } from '../login/guards.js';
import { sendQuietly } from '../notify.js';
import { fail, ok, type Result } from '../result.js';
import { flowCodeMail } from '../texts.js';

/** The one answer to every request below the limits. */
export interface UsernameRequestAnswer {
  readonly codeSentIfMatching: true;
}

/** What a request was keyed by for its limits: the KVNR as parsed, or what was typed when it is none. */
const kvnrKey = (input: string): string => parseKvnr(input) ?? input.replace(/\s+/g, '').toUpperCase();

/** Every answer, success or refusal, takes at least the failure floor: a match does more work. */
async function evenly<T>(deps: CoreDeps, work: () => Promise<T>): Promise<T> {
  const mark = deps.pacer.mark();
  const result = await work();
  await deps.pacer.hold(mark, deps.policy.login.failureFloorMs);
  return result;
}

export function requestUsernameReminder(
  deps: CoreDeps,
  limiter: MismatchLimits,
  who: Actor,
  input: { kvnr: string; birthDate: string },
  flowToken: string,
): Promise<Result<UsernameRequestAnswer>> {
  return evenly(deps, async () => {
    const now = deps.clock.now();
    const { limits } = deps.policy;
    const keys = [`forgot-username:terminal:${who.terminal}`, `forgot-username:kvnr:${kvnrKey(input.kvnr)}`] as const;
    const blocked = await forgotLimitReached(
      deps,
      limiter,
      who,
      now,
      [
        [keys[0], limits.forgotUsernamePerTerminal],
        [keys[1], limits.forgotUsernamePerKvnr],
      ],
      'FORGOT_USERNAME',
    );
    const kvnr = parseKvnr(input.kvnr);
    const found = kvnr ? await deps.accounts.findByKvnr(kvnr) : undefined;
    const person = found ? await deps.register.getByKvnr(found.kvnr) : undefined;
    const matches = found !== undefined && person?.birthDate === input.birthDate;
    // Deactivated accounts and unconfirmed addresses get nothing: only the counter can help them.
    const eligible = matches && found.email.confirmedAt !== undefined && found.login.deactivatedAt === undefined;
    if (!blocked) limiter.record(keys, now.getTime());
    if (eligible) await issueUsernameCode(deps, who, found, now, flowToken, blocked !== undefined);
    else {
      await auditEvent(deps, who, now, {
        type: 'USERNAME_RECOVERY_REQUESTED',
        ...(found ? { subject: found.id } : {}),
        data: { detailsMatch: matches, sent: false, ...(blocked ? { underLimit: true } : {}) },
      });
    }
    // The owner past a limit still gets a code; the answer is the same whatever the details.
    if (blocked) return fail('RATE_LIMITED', { retryAt: new Date(blocked.until).toISOString(), codeSentIfMatching: true });
    return ok({ codeSentIfMatching: true });
  });
}

async function issueUsernameCode(deps: CoreDeps, who: Actor, found: Account, now: Date, flowToken: string, underLimit: boolean) {
  const { policy } = deps;
  const code = numericCode(deps.random, policy.emailCode.digits);
  const stored = await deps.accounts.update(found.id, (account) => {
    const change = withFlowCode(deps, account, 'usernameRecovery', code, now, flowToken);
    const sent = change.result.ok;
    const data = { detailsMatch: true, sent, ...(underLimit ? { underLimit: true } : {}), ...(sent ? {} : { hourlyLimit: true }) };
    return { ...change, audit: auditEntries(who, now, { type: 'USERNAME_RECOVERY_REQUESTED', subject: found.id, data }) };
  });
  if (!stored) {
    // Gone since it was found: recorded as a request that sent nothing.
    await auditEvent(deps, who, now, {
      type: 'USERNAME_RECOVERY_REQUESTED',
      subject: found.id,
      data: { detailsMatch: true, sent: false, ...(underLimit ? { underLimit: true } : {}) },
    });
    return;
  }
  if (!stored.ok) return;
  const mail = flowCodeMail('USERNAME_CODE', found.language, deps.brand.name, found.email.email, code, policy.passwordReset.validityMs);
  // Not awaited: delivery time must not show in the answer's time. sendQuietly never rejects.
  void sendQuietly(deps, mail, found.id);
}

/**
 * The code from the e-mail, entered on the screen that asked for it: the username. Every refusal is
 * the same CODE_REFUSED (wrong, expired, void, or no code for this screen at all): a remaining count
 * or an expiry would tell the screen that its details matched an account.
 */
export function revealUsername(
  deps: CoreDeps,
  who: Actor,
  input: { kvnr: string; code: string },
  flowToken: string,
): Promise<Result<{ username: string }>> {
  return paced(deps, async () => {
    const now = deps.clock.now();
    const refused = fail('CODE_REFUSED');
    const kvnr = parseKvnr(input.kvnr);
    const found = kvnr ? await deps.accounts.findByKvnr(kvnr) : undefined;
    // Without the token of the request that issued the code, nothing is looked at or counted.
    if (!found?.usernameRecovery?.code || !holdsFlow(deps, found.usernameRecovery, flowToken)) return refused;
    const recorded = <T>(answer: AccountChange<Result<T>>): AccountChange<Result<T>> => {
      const data = { success: answer.result.ok, outcome: answer.result.ok ? 'SHOWN' : answer.result.error.code };
      return { ...answer, audit: auditEntries(who, now, { type: 'USERNAME_RECOVERED', subject: found.id, data }) };
    };
    const result = await deps.accounts.update(found.id, (account): AccountChange<Result<{ username: string }>> => {
      if (account.login.deactivatedAt) return recorded({ result: refused });
      const attempt = attemptFlowCode(deps, account, 'usernameRecovery', input.code, now, flowToken);
      if (!attempt.ok) return recorded(attempt.answer);
      return recorded({ next: attempt.next, result: ok({ username: account.username }) });
    });
    if (!result) return refused;
    return result.ok ? result : refused;
  });
}
