/** The core's public face: every security rule of the product, composed from its ports. */
import { enterActivationKey, requestActivationLetter } from './activation/letter.js';
import { handlePostidentResult, printPostidentCoupon, refreshPostident, startPostident } from './activation/postident.js';
import type { Actor, CoreDeps } from './deps.js';
import { confirmEmail, resendEmailCode } from './email/confirm-email.js';
import { login } from './login/login.js';
import { decideMailbox } from './mailbox/consent.js';
import { onboardingView, type OnboardingView } from './onboarding-view.js';
import { changePassword, completePasswordReset, requestPasswordReset } from './password/reset.js';
import { issueLoginCode, loginWithCode } from './login/login-code.js';
import { confirmEnrolmentCode, enterCardDigits, leaveMtan, sendEnrolmentCode, startEnrolment } from './mtan/enrolment.js';
import { deleteAccount } from './services/delete-account.js';
import {
  changeEmail,
  changeMobile,
  confirmEmailChange,
  mailboxMessages,
  markRead,
  membershipCertificate,
  personalData,
  requestTanFor,
  viewReceipt,
  writeToInsurer,
  type TanRequest,
} from './services/services.js';
import { registerAccount, type RegistrationInput } from './registration/register-account.js';
import { fail, ok, type Result } from './result.js';
import { Sessions, type Session } from './session/sessions.js';
import { DAY_MS } from './dates.js';
import { LoginGuards, MismatchLimits } from './login/guards.js';
import { lockNotice } from './login/lock-notice.js';
import { lockState } from './login/attempt.js';

export type { CoreDeps, Actor } from './deps.js';
export type { OnboardingView } from './onboarding-view.js';

export function createCore(deps: CoreDeps) {
  const sessions = new Sessions(deps.clock, deps.random, deps.secrets, deps.policy.session);
  const guards = new LoginGuards(deps.policy.terminal);
  const mismatches = new MismatchLimits(deps.policy.limits.mismatchWindowMs);
  const registrations = new MismatchLimits(DAY_MS);
  /** The epoch must come from the same atomic update that granted access (login, change). */
  const openSession = (accountId: string, epoch: number): string => sessions.create(accountId, epoch);
  /**
   * A live session whose account still grants access: it exists, is neither locked nor deactivated,
   * and its epoch has not moved (password changed or reset, lock, deactivation). Read from the store
   * on every call, so a change made at another terminal ends the session here too.
   */
  const resolveSession = async (token: string | undefined): Promise<Session | undefined> => {
    const session = sessions.resolve(token);
    if (!session) return undefined;
    const account = await deps.accounts.get(session.accountId);
    if (!account || (account.epoch ?? 0) !== session.epoch || lockState(account, deps.clock.now()) !== 'OPEN') {
      sessions.end(token);
      return undefined;
    }
    return session;
  };
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
    guards,
    openSession,
    resolveSession,
    view,
    register: (who: Actor, input: RegistrationInput) => registerAccount(deps, { mismatches, registrations }, who, input),
    confirmEmail: (who: Actor, accountId: string, input: { email: string; code: string }) => confirmEmail(deps, who, accountId, input),
    resendEmailCode: (who: Actor, accountId: string) => resendEmailCode(deps, who, accountId),
    requestActivationLetter: (who: Actor, accountId: string) => requestActivationLetter(deps, who, accountId),
    enterActivationKey: (who: Actor, accountId: string, key: string) => enterActivationKey(deps, who, accountId, key),
    startPostident: (who: Actor, accountId: string) => startPostident(deps, who, accountId),
    printPostidentCoupon: (who: Actor, accountId: string) => printPostidentCoupon(deps, who, accountId),
    handlePostidentResult: (caseId: string, outcome: 'SUCCESS' | 'DECLINED' | 'ABANDONED') => handlePostidentResult(deps, caseId, outcome),
    refreshPostident: (accountId: string) => refreshPostident(deps, accountId),
    decideMailbox: (who: Actor, accountId: string, accept: boolean) => decideMailbox(deps, who, accountId, accept),
    login: (who: Actor, input: { username: string; password: string }) => login(deps, guards, who, input),
    requestPasswordReset: (who: Actor, input: { username: string; kvnr: string; birthDate: string }, flowToken: string) =>
      requestPasswordReset(deps, mismatches, who, input, flowToken),
    completePasswordReset: (who: Actor, input: { username: string; code: string; newPassword: string }, flowToken: string) =>
      completePasswordReset(deps, who, input, flowToken),
    changePassword: (who: Actor, accountId: string, input: { currentPassword: string; newPassword: string }, sessionEpoch?: number) =>
      changePassword(deps, guards, who, accountId, input, sessionEpoch),
    startEnrolment: (accountId: string) => startEnrolment(deps, accountId),
    enterCardDigits: (who: Actor, accountId: string, digits: string) => enterCardDigits(deps, who, accountId, digits),
    sendEnrolmentCode: (who: Actor, accountId: string, phone: string | undefined) => sendEnrolmentCode(deps, who, accountId, phone),
    confirmEnrolmentCode: (who: Actor, accountId: string, code: string) => confirmEnrolmentCode(deps, who, accountId, code),
    leaveMtan: (who: Actor, accountId: string) => leaveMtan(deps, who, accountId),
    requestTan: (who: Actor, accountId: string, request: TanRequest) => requestTanFor(deps, who, accountId, request),
    viewReceipt: (who: Actor, accountId: string, tan: string) => viewReceipt(deps, who, accountId, tan),
    personalData: (accountId: string) => personalData(deps, accountId),
    changeEmail: (who: Actor, accountId: string, email: string, tan: string) => changeEmail(deps, who, accountId, email, tan),
    confirmEmailChange: (who: Actor, accountId: string, code: string) => confirmEmailChange(deps, who, accountId, code),
    changeMobile: (who: Actor, accountId: string, phone: string, tan: string) => changeMobile(deps, who, accountId, phone, tan),
    mailboxMessages: (accountId: string) => mailboxMessages(deps, accountId),
    writeToInsurer: (accountId: string, input: { subject: string; body: string }) => writeToInsurer(deps, accountId, input),
    markRead: (accountId: string, id: string) => markRead(deps, accountId, id),
    membershipCertificate: (accountId: string) => membershipCertificate(deps, accountId),
    deleteAccount: (who: Actor, accountId: string, input: { password: string; confirm: boolean }, sessionEpoch?: number) =>
      deleteAccount(deps, guards, who, accountId, input, sessionEpoch),
    issueLoginCode: (who: Actor, kvnr: string) => issueLoginCode(deps, who, kvnr),
    loginWithCode: (who: Actor, input: { kvnr: string; birthDate: string; code: string }) => loginWithCode(deps, guards, who, input),
    lockNotice: (who: Actor, input: { username: string } | { kvnr: string }) => lockNotice(deps, guards, who, input),
  };
}

export type Core = ReturnType<typeof createCore>;
