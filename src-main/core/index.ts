/** The core's public face: every security rule of the product, composed from its ports. */
import { enterActivationKey, requestActivationLetter } from './activation/letter.js';
import { handlePostidentResult, printPostidentCoupon, startPostident } from './activation/postident.js';
import type { Actor, CoreDeps } from './deps.js';
import { confirmEmail, resendEmailCode } from './email/confirm-email.js';
import { login } from './login/login.js';
import { decideMailbox } from './mailbox/consent.js';
import { onboardingView, type OnboardingView } from './onboarding-view.js';
import { changePassword, completePasswordReset, requestPasswordReset } from './password/reset.js';
import { registerAccount, type RegistrationInput } from './registration/register-account.js';
import { fail, ok, type Result } from './result.js';
import { Sessions } from './session/sessions.js';

export type { CoreDeps, Actor } from './deps.js';
export type { OnboardingView } from './onboarding-view.js';

export function createCore(deps: CoreDeps) {
  const sessions = new Sessions(deps.clock, deps.random, deps.secrets, deps.policy.session);
  const view = async (accountId: string): Promise<Result<OnboardingView>> => {
    const account = await deps.accounts.get(accountId);
    if (!account) return fail('NOT_FOUND');
    return ok(
      onboardingView(account, await deps.register.getByKvnr(account.kvnr), deps.clock.now(), deps.policy.passwordChange.reminderDays),
    );
  };
  return {
    deps,
    sessions,
    view,
    register: (who: Actor, input: RegistrationInput) => registerAccount(deps, who, input),
    confirmEmail: (who: Actor, accountId: string, input: { email: string; code: string }) => confirmEmail(deps, who, accountId, input),
    resendEmailCode: (who: Actor, accountId: string) => resendEmailCode(deps, who, accountId),
    requestActivationLetter: (who: Actor, accountId: string) => requestActivationLetter(deps, who, accountId),
    enterActivationKey: (who: Actor, accountId: string, key: string) => enterActivationKey(deps, who, accountId, key),
    startPostident: (who: Actor, accountId: string) => startPostident(deps, who, accountId),
    printPostidentCoupon: (accountId: string) => printPostidentCoupon(deps, accountId),
    handlePostidentResult: (caseId: string, outcome: 'SUCCESS' | 'DECLINED' | 'ABANDONED') => handlePostidentResult(deps, caseId, outcome),
    decideMailbox: (who: Actor, accountId: string, accept: boolean) => decideMailbox(deps, who, accountId, accept),
    login: (who: Actor, input: { username: string; password: string }) => login(deps, who, input),
    requestPasswordReset: (who: Actor, input: { username: string; kvnr: string; birthDate: string }) =>
      requestPasswordReset(deps, who, input),
    completePasswordReset: (who: Actor, input: { username: string; code: string; newPassword: string }) =>
      completePasswordReset(deps, who, input),
    changePassword: (who: Actor, accountId: string, input: { currentPassword: string; newPassword: string }) =>
      changePassword(deps, who, accountId, input),
  };
}

export type Core = ReturnType<typeof createCore>;
