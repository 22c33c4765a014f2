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
import { membershipCertificate } from './services/certificate.js';
import { changeEmail, changeMobile, confirmEmailChange } from './services/contact.js';
import { personalData } from './services/personal-data.js';
import { viewReceipt } from './services/receipt.js';
import { mailboxMessages, markRead, writeToInsurer } from './mailbox/messages.js';
import { requestTanFor, type TanRequest } from './mtan/tan-request.js';
import { registerAccount, type RegistrationInput } from './registration/register-account.js';
import { fail, ok, type Result } from './result.js';
import { Sessions } from './session/sessions.js';
import { DAY_MS } from './dates.js';
import { LoginGuards, MismatchLimits } from './login/guards.js';
import { lockNotice } from './login/lock-notice.js';
import { lockState } from './login/attempt.js';

export type { CoreDeps, Actor } from './deps.js';
export type { OnboardingView } from './onboarding-view.js';

/** Who is logged in, as the session says: the account and the epoch the session was opened in. */
export interface Principal {
  readonly accountId: string;
  readonly epoch: number;
}

/** An account named by a session (checked against its epoch), or by its id alone (no session to check). */
export type Subject = Principal | string;
const subjectOf = (subject: Subject): { accountId: string; epoch?: number } =>
  typeof subject === 'string' ? { accountId: subject } : subject;

/**
 * The core, grouped by area. Where access begins or ends (registration, login, password change and
 * reset, deletion), the core opens and ends the sessions itself and hands the shell the new token,
 * so no shell decides who stays logged in.
 */
export function createCore(deps: CoreDeps) {
  const sessions = new Sessions(deps.clock, deps.random, deps.secrets, deps.policy.session);
  const guards = new LoginGuards(deps.policy.terminal);
  const mismatches = new MismatchLimits(deps.policy.limits.mismatchWindowMs);
  const registrations = new MismatchLimits(DAY_MS);
  /**
   * A live session whose account still grants access: it exists, is neither locked nor deactivated,
   * and its epoch has not moved (password changed or reset, lock, deactivation). Read from the store
   * on every call, so a change made at another terminal ends the session here too.
   */
  const resolve = async (token: string | undefined): Promise<Principal | undefined> => {
    const session = sessions.resolve(token);
    if (!session) return undefined;
    const account = await deps.accounts.get(session.accountId);
    if (!account || (account.epoch ?? 0) !== session.epoch || lockState(account, deps.clock.now()) !== 'OPEN') {
      sessions.end(token);
      return undefined;
    }
    return { accountId: session.accountId, epoch: session.epoch };
  };
  /** Opens a session on success; the epoch comes from the same atomic update that granted access. */
  const withSession = async <T extends { accountId: string; epoch: number }>(
    granted: Promise<Result<T>>,
  ): Promise<Result<T & { session: string }>> => {
    const r = await granted;
    return r.ok ? ok({ ...r.value, session: sessions.create(r.value.accountId, r.value.epoch) }) : r;
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
    view,
    access: {
      resolve,
      end: (token: string | undefined) => sessions.end(token),
    },
    registration: {
      /** A new account starts at epoch 0 with a session of its own. */
      register: async (who: Actor, input: RegistrationInput) => {
        const r = await registerAccount(deps, { mismatches, registrations }, who, input);
        return r.ok ? ok({ ...r.value, session: sessions.create(r.value.accountId, 0) }) : r;
      },
    },
    email: {
      confirm: (who: Actor, accountId: string, input: { email: string; code: string }) => confirmEmail(deps, who, accountId, input),
      resend: (who: Actor, accountId: string) => resendEmailCode(deps, who, accountId),
    },
    identity: {
      requestLetter: (who: Actor, accountId: string) => requestActivationLetter(deps, who, accountId),
      enterKey: (who: Actor, accountId: string, key: string) => enterActivationKey(deps, who, accountId, key),
      startPostident: (who: Actor, accountId: string) => startPostident(deps, who, accountId),
      printCoupon: (who: Actor, accountId: string) => printPostidentCoupon(deps, who, accountId),
      postidentResult: (caseId: string, outcome: 'SUCCESS' | 'DECLINED' | 'ABANDONED') => handlePostidentResult(deps, caseId, outcome),
      refreshPostident: (accountId: string) => refreshPostident(deps, accountId),
    },
    login: {
      withPassword: (who: Actor, input: { username: string; password: string }) => withSession(login(deps, guards, who, input)),
      withCode: (who: Actor, input: { kvnr: string; birthDate: string; code: string }) =>
        withSession(loginWithCode(deps, guards, who, input)),
      lockNotice: (who: Actor, input: { username: string } | { kvnr: string }) => lockNotice(deps, guards, who, input),
      issueCode: (who: Actor, kvnr: string) => issueLoginCode(deps, who, kvnr),
    },
    password: {
      requestReset: (who: Actor, input: { username: string; kvnr: string; birthDate: string }, flowToken: string) =>
        requestPasswordReset(deps, mismatches, who, input, flowToken),
      /** Whoever was logged in with the old password is out. */
      completeReset: async (who: Actor, input: { username: string; code: string; newPassword: string }, flowToken: string) => {
        const r = await completePasswordReset(deps, who, input, flowToken);
        if (r.ok) sessions.endAllFor(r.value.accountId);
        return r;
      },
      /** Every session of the old password ends; the asking screen continues with a fresh one. */
      change: async (who: Actor, subject: Subject, input: { currentPassword: string; newPassword: string }) => {
        const { accountId, epoch } = subjectOf(subject);
        const r = await changePassword(deps, guards, who, accountId, input, epoch);
        if (!r.ok) return r;
        sessions.endAllFor(accountId);
        return ok({ session: sessions.create(accountId, r.value.epoch) });
      },
    },
    mtan: {
      start: (accountId: string) => startEnrolment(deps, accountId),
      enterCard: (who: Actor, accountId: string, digits: string) => enterCardDigits(deps, who, accountId, digits),
      sendCode: (who: Actor, accountId: string, phone: string | undefined) => sendEnrolmentCode(deps, who, accountId, phone),
      confirm: (who: Actor, accountId: string, code: string) => confirmEnrolmentCode(deps, who, accountId, code),
      leave: (who: Actor, accountId: string) => leaveMtan(deps, who, accountId),
      requestTan: (who: Actor, accountId: string, request: TanRequest) => requestTanFor(deps, who, accountId, request),
    },
    services: {
      receipt: (who: Actor, accountId: string, tan: string) => viewReceipt(deps, who, accountId, tan),
      personalData: (accountId: string) => personalData(deps, accountId),
      changeEmail: (who: Actor, accountId: string, email: string, tan: string) => changeEmail(deps, who, accountId, email, tan),
      confirmEmailChange: (who: Actor, accountId: string, code: string) => confirmEmailChange(deps, who, accountId, code),
      changeMobile: (who: Actor, accountId: string, phone: string, tan: string) => changeMobile(deps, who, accountId, phone, tan),
      certificate: (accountId: string) => membershipCertificate(deps, accountId),
      /** Every session of the account ends with it. */
      deleteAccount: async (who: Actor, subject: Subject, input: { password: string; confirm: boolean }) => {
        const { accountId, epoch } = subjectOf(subject);
        const r = await deleteAccount(deps, guards, who, accountId, input, epoch);
        if (r.ok) sessions.endAllFor(accountId);
        return r;
      },
    },
    mailbox: {
      decide: (who: Actor, accountId: string, accept: boolean) => decideMailbox(deps, who, accountId, accept),
      messages: (accountId: string) => mailboxMessages(deps, accountId),
      write: (accountId: string, input: { subject: string; body: string }) => writeToInsurer(deps, accountId, input),
      markRead: (accountId: string, id: string) => markRead(deps, accountId, id),
    },
  };
}

export type Core = ReturnType<typeof createCore>;
