/** The core's public face: every security rule of the product, composed from its ports. */
import { enterActivationKey, requestActivationLetter } from './activation/letter.js';
import { handlePostidentResult, printPostidentCoupon, refreshPostident, startPostident } from './activation/postident.js';
import type { Actor, CoreDeps } from './deps.js';
import { confirmEmail, resendEmailCode } from './email/confirm-email.js';
import { login } from './login/login.js';
import { decideMailbox } from './mailbox/consent.js';
import { onboardingView, type OnboardingView } from './onboarding-view.js';
import { changePassword, completePasswordReset, requestPasswordReset } from './password/reset.js';
import { requestUsernameReminder, revealUsername } from './username/recover.js';
import { issueLoginCode, loginWithCode } from './login/login-code.js';
import { confirmEnrolmentCode, enterCardDigits, leaveMtan, sendEnrolmentCode, startEnrolment } from './mtan/enrolment.js';
import { deleteAccount } from './services/delete-account.js';
import { membershipCertificate } from './services/certificate.js';
import { changeEmail, changeMobile, confirmEmailChange } from './services/contact.js';
import { personalData } from './services/personal-data.js';
import { viewReceipt } from './services/receipt.js';
import { mailboxMessages, markRead, unreadMessages, writeToInsurer } from './mailbox/messages.js';
import { requestTanFor, type TanRequest } from './mtan/tan-request.js';
import { registerAccount, type RegistrationInput } from './registration/register-account.js';
import { fail, ok, type Result } from './result.js';
import { Sessions, type MoreTimeKind } from './session/sessions.js';
import { berlinDate, DAY_MS } from './dates.js';
import { LoginGuards, MismatchLimits } from './login/guards.js';
import { lockNotice } from './login/lock-notice.js';
import { lockState } from './login/attempt.js';
import { chooseOwnPassword } from './password/choose-own.js';
import { StaffSessions } from './staff/staff-sessions.js';
import {
  beginTotpEnrolment,
  changeStaffPassword,
  confirmTotpEnrolment,
  staffLogin,
  staffTotp,
  type StaffGrant,
} from './staff/staff-login.js';
import { staffLocked, type StaffRole, type StaffStage } from './staff/staff-account.js';
import { changeStaff, createStaff, listStaff } from './staff/manage-staff.js';
import { searchAccounts, type AccountQuery } from './counter/search.js';
import { counterAccountView } from './counter/counter-view.js';
import { confirmIdentityInPerson, deleteAtCounter, liftLock, setTemporaryPassword, type CounterCase } from './counter/counter-actions.js';
import { answerInboxMessage, inboxQueue, readInboxMessage } from './counter/inbox.js';
import { dismissUndelivered, undeliveredList } from './counter/undelivered.js';
import { closeHelp, helpQueue, requestHelp } from './counter/help.js';
import { reasonIsClean } from './counter/reason.js';
import { counterNoticeMail, type CounterNotice } from './texts.js';
import { sendQuietly, type Delivery } from './notify.js';
import { auditEvent } from './deps.js';
import { importRegisterFromConsole } from './supervisor/register-import.js';
import { dashboard } from './supervisor/dashboard.js';

export type { CoreDeps, Actor } from './deps.js';

/** The last Berlin day on which something valid until `instant` (exclusive, a midnight) still works: the date printed. */
const lastValidDay = (instant: string): string => berlinDate(new Date(new Date(instant).getTime() - 1));
export type { OnboardingView } from './onboarding-view.js';

/** Who is logged in, as the session says: the account and the epoch the session was opened in. */
export interface Principal {
  readonly accountId: string;
  readonly epoch: number;
  /** A temporary password from the counter is in use: only choosing one's own is open. */
  readonly mustChangePassword?: boolean;
}

/** A staff member at the counter whose login is complete (every stage passed). */
export interface StaffPrincipal {
  readonly staffId: string;
  readonly username: string;
  readonly role: StaffRole;
  readonly epoch: number;
  readonly ownKvnr?: string;
}

/** What the counter's login screen shows next, for a session whose login is still under way. */
export interface StaffLoginState {
  readonly stage: StaffStage;
  readonly username: string;
  readonly role: StaffRole;
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
    return {
      accountId: session.accountId,
      epoch: session.epoch,
      ...(account.password.temporaryUntil ? { mustChangePassword: true } : {}),
    };
  };
  const staffSessions = new StaffSessions(deps.clock, deps.random, deps.secrets, deps.policy.staff);
  /** Counter desks pause staff logins after many failures, as kiosks do (their own counts). */
  const staffGuards = new LoginGuards(deps.policy.terminal);
  /**
   * A staff session and its account as the store has it now: the account exists, is not disabled
   * or locked, and its epoch has not moved (disabled, password reset or changed, TOTP reset, role
   * changed). Anything else ends the session.
   */
  const staffSession = async (token: string | undefined, quiet = false) => {
    const session = staffSessions.resolve(token, quiet);
    if (!session) return undefined;
    const staff = await deps.staff.get(session.staffId);
    // A lock stops logins under way; a session whose login was complete goes on (a stranger's
    // guesses at another desk must not throw a working colleague out).
    if (
      !staff ||
      staff.disabledAt ||
      staff.epoch !== session.epoch ||
      (session.stage !== 'READY' && staffLocked(staff, deps.clock.now()))
    ) {
      staffSessions.end(token);
      return undefined;
    }
    return { session, staff };
  };
  const resolveStaff = async (token: string | undefined, quiet = false): Promise<StaffPrincipal | undefined> => {
    const found = await staffSession(token, quiet);
    if (!found || found.session.stage !== 'READY') return undefined;
    const { staff } = found;
    return {
      staffId: staff.id,
      username: staff.username,
      role: staff.role,
      epoch: staff.epoch,
      ...(staff.ownKvnr ? { ownKvnr: staff.ownKvnr } : {}),
    };
  };
  /** Moves a login under way to its next stage; a lock or a moved account ends it. */
  const advance = async (token: string | undefined, expected: StaffStage, step: (staffId: string) => Promise<Result<StaffGrant>>) => {
    const found = await staffSession(token);
    if (!found || found.session.stage !== expected) return fail('STAFF_STAGE');
    const r = await step(found.session.staffId);
    if (!r.ok) {
      if (r.error.code === 'STAFF_LOCKED') staffSessions.end(token);
      return r;
    }
    found.session.stage = r.value.stage;
    found.session.epoch = r.value.epoch;
    delete found.session.pendingSecret;
    if (r.value.stage === 'READY' && token) staffSessions.complete(token);
    return ok({ stage: r.value.stage });
  };
  const staffActor = (who: Actor, staff: StaffPrincipal): Actor => ({ actor: `staff:${staff.staffId}`, terminal: who.terminal });
  /** A refused staff action, audited; a reason refused for its content is not written anywhere. */
  const refusal = (by: Actor, action: string, code: string, reason: string, subject?: string) =>
    auditEvent(deps, by, deps.clock.now(), {
      type: 'STAFF_ACTION_REFUSED',
      ...(subject ? { subject } : {}),
      data: { action, code, ...(code === 'REASON_REJECTED' ? {} : { reason }) },
    });
  /**
   * A counter action on an online account: never on the staff member's own online account; a
   * refusal is audited with the action, its code and the reason, and changes nothing.
   */
  const onAccount = async <T>(
    who: Actor,
    staff: StaffPrincipal,
    accountId: string,
    action: string,
    reason: string,
    work: (by: Actor) => Promise<Result<T>>,
    notice?: CounterNotice,
  ): Promise<Result<T>> => {
    const by = staffActor(who, staff);
    const account = await deps.accounts.get(accountId);
    const person = account ? await deps.register.getByKvnr(account.kvnr) : undefined;
    const clean = reasonIsClean(reason, person ? [person.firstName, person.lastName] : []);
    const r: Result<T> = !account
      ? fail('NOT_FOUND')
      : staff.ownKvnr === account.kvnr
        ? fail('OWN_ACCOUNT')
        : !clean
          ? fail('REASON_REJECTED')
          : await work(by);
    if (!r.ok) await refusal(by, action, r.error.code, reason, account ? accountId : undefined);
    // The account holder hears of it at the confirmed address (a deleted account's mail is not filed under it).
    if (r.ok && notice && account?.email.confirmedAt) {
      const mail = counterNoticeMail(account.language, deps.brand.name, account.email.email, notice);
      await sendQuietly(deps, mail, notice === 'DELETED' ? undefined : accountId);
    }
    return r;
  };
  /** A staff action not on one account (staff management, the inbox, the register), refusals audited like the counter's. */
  const audited = async <T>(who: Actor, staff: StaffPrincipal, action: string, reason: string, work: (by: Actor) => Promise<Result<T>>) => {
    const by = staffActor(who, staff);
    const r = reasonIsClean(reason) ? await work(by) : fail('REASON_REJECTED');
    if (!r.ok) await refusal(by, action, r.error.code, reason);
    return r;
  };
  const renamed = (r: Result<unknown>, from: 'WRONG_STEP', to: 'EMAIL_ALREADY_CONFIRMED' | 'ALREADY_CONFIRMED') =>
    !r.ok && r.error.code === from ? fail(to) : r;
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
    const person = await deps.register.getByKvnr(account.kvnr);
    const unread = await unreadMessages(deps, account);
    return ok(onboardingView(account, person, deps.clock.now(), deps.policy.passwordChange.reminderDays, unread));
  };
  return {
    deps,
    sessions,
    view,
    access: {
      resolve,
      end: (token: string | undefined) => sessions.end(token),
      /** More time at the kiosk, bounded (core/session/sessions.ts). */
      moreTime: (token: string | undefined, kind: MoreTimeKind) => sessions.extend(token, kind),
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
      /** A temporary password past its date opens nothing: the person is sent to the counter. */
      withPassword: async (who: Actor, input: { username: string; password: string }) => {
        const granted = await login(deps, guards, who, input);
        if (!granted.ok) return granted;
        // Read inside the login's own decision: no second look at the account.
        const { temporaryUntil, ...value } = granted.value;
        if (temporaryUntil && deps.clock.now() >= new Date(temporaryUntil)) return fail('TEMPORARY_PASSWORD_EXPIRED');
        return withSession(Promise.resolve(ok(value)));
      },
      withCode: (who: Actor, input: { kvnr: string; birthDate: string; code: string }) =>
        withSession(loginWithCode(deps, guards, who, input)),
      lockNotice: (who: Actor, input: { username: string } | { kvnr: string }) => lockNotice(deps, guards, who, input),
      issueCode: (who: Actor, kvnr: string) => issueLoginCode(deps, who, kvnr),
    },
    /** The counter's staff login and its stages; staff sessions are kept apart from the kiosk's. */
    staff: {
      login: async (who: Actor, input: { username: string; password: string }) => {
        const r = await staffLogin(deps, staffGuards, who, input);
        if (!r.ok) return r;
        return ok({ stage: r.value.stage, session: staffSessions.create(r.value.staffId, r.value.epoch, r.value.stage) });
      },
      state: async (token: string | undefined): Promise<Result<StaffLoginState>> => {
        const found = await staffSession(token);
        if (!found) return fail('NOT_AUTHENTICATED');
        return ok({ stage: found.session.stage, username: found.staff.username, role: found.staff.role });
      },
      totp: (who: Actor, token: string | undefined, code: string) =>
        advance(token, 'TOTP', (staffId) =>
          staffTotp(deps, staffGuards, { actor: `staff:${staffId}`, terminal: who.terminal }, staffId, code),
        ),
      /** A new secret for the enrolment QR code, kept by the session until a code from it is confirmed. */
      beginEnrolment: async (token: string | undefined) => {
        const found = await staffSession(token);
        if (!found || found.session.stage !== 'ENROL_TOTP') return fail('STAFF_STAGE');
        const r = await beginTotpEnrolment(deps, found.session.staffId);
        if (!r.ok) return r;
        found.session.pendingSecret = r.value.secret;
        return ok({ uri: r.value.uri, secret: r.value.secret });
      },
      confirmEnrolment: async (who: Actor, token: string | undefined, code: string) => {
        const found = await staffSession(token);
        const secret = found?.session.pendingSecret;
        if (!found || found.session.stage !== 'ENROL_TOTP' || !secret) return fail('STAFF_STAGE');
        return advance(token, 'ENROL_TOTP', (staffId) =>
          confirmTotpEnrolment(deps, { actor: `staff:${staffId}`, terminal: who.terminal }, staffId, secret, code),
        );
      },
      /** The password set by someone else is replaced before the counter opens. */
      replacePassword: (who: Actor, token: string | undefined, newPassword: string) =>
        advance(token, 'CHANGE_PASSWORD', (staffId) =>
          changeStaffPassword(deps, staffGuards, { actor: `staff:${staffId}`, terminal: who.terminal }, staffId, { newPassword }),
        ),
      /** A voluntary change with the current password; the counter continues with the same session. */
      changePassword: async (
        who: Actor,
        token: string | undefined,
        staff: StaffPrincipal,
        input: { currentPassword: string; newPassword: string },
      ) => {
        const r = await changeStaffPassword(deps, staffGuards, staffActor(who, staff), staff.staffId, input);
        if (!r.ok) {
          // Five wrong current passwords lock the account, and this session ends with it.
          if (r.error.code === 'STAFF_LOCKED') staffSessions.endAllFor(staff.staffId);
          return r;
        }
        const found = staffSessions.resolve(token);
        if (found) found.epoch = r.value.epoch;
        return ok(null);
      },
      resolve: resolveStaff,
      logout: async (who: Actor, token: string | undefined) => {
        const found = await staffSession(token);
        staffSessions.end(token);
        if (found)
          await auditEvent(deps, { actor: `staff:${found.staff.id}`, terminal: who.terminal }, deps.clock.now(), {
            type: 'STAFF_LOGOUT',
            subject: found.staff.id,
          });
      },
      /** The first supervisor, created on the machine (no session exists yet). */
      createFromMachine: (input: { username: string; role: StaffRole; ownKvnr?: string | undefined }) =>
        createStaff(deps, { actor: 'system:cli', terminal: 'machine' }, 'cli', { ...input, reason: 'created on the machine' }),
    },
    /** Counter actions of role staff and above (R10). */
    counter: {
      search: async (who: Actor, staff: StaffPrincipal, query: AccountQuery, reason: string) => {
        const by = staffActor(who, staff);
        const names = query.by === 'NAME' ? [query.lastName, query.firstName ?? ''] : [];
        if (!reasonIsClean(reason, names)) {
          await refusal(by, 'SEARCH', 'REASON_REJECTED', reason);
          return fail('REASON_REJECTED');
        }
        const r = await searchAccounts(deps, query);
        if (!r.ok) {
          await refusal(by, 'SEARCH', r.error.code, reason);
          return r;
        }
        // The search is access to personal data: audited with what was searched by (never the terms),
        // and once for every account it showed, so each account's history names who looked it up.
        const now = deps.clock.now();
        const data = { by: query.by, results: r.value.length, reason };
        if (r.value.length === 0) await auditEvent(deps, by, now, { type: 'COUNTER_SEARCH', data });
        for (const found of r.value) await auditEvent(deps, by, now, { type: 'COUNTER_SEARCH', subject: found.accountId, data });
        return r;
      },
      account: (who: Actor, staff: StaffPrincipal, accountId: string, reason: string) =>
        onAccount(who, staff, accountId, 'VIEW', reason, async (by) => {
          const account = await deps.accounts.get(accountId);
          if (!account) return fail('NOT_FOUND');
          const now = deps.clock.now();
          await auditEvent(deps, by, now, { type: 'COUNTER_ACCOUNT_VIEWED', subject: accountId, data: { reason } });
          const history = await deps.audit.history(accountId, deps.policy.staff.historyEvents);
          const staffNames = new Map((await deps.staff.list()).map((s) => [s.id, s.username]));
          return ok(counterAccountView(account, await deps.register.getByKvnr(account.kvnr), history, now, staffNames));
        }),
      confirmIdentity: (who: Actor, staff: StaffPrincipal, accountId: string, caseInfo: CounterCase) =>
        onAccount(
          who,
          staff,
          accountId,
          'CONFIRM_IDENTITY',
          caseInfo.reason,
          (by) => confirmIdentityInPerson(deps, by, accountId, caseInfo),
          'IDENTITY_CONFIRMED',
        ),
      liftLock: (who: Actor, staff: StaffPrincipal, accountId: string, caseInfo: CounterCase) =>
        onAccount(who, staff, accountId, 'LIFT_LOCK', caseInfo.reason, (by) => liftLock(deps, by, accountId, caseInfo), 'LOCK_LIFTED'),
      /** Reactivation comes with a temporary password (README: the counter). Every session ends. */
      reactivate: async (who: Actor, staff: StaffPrincipal, accountId: string, caseInfo: CounterCase) => {
        const r = await onAccount(
          who,
          staff,
          accountId,
          'REACTIVATE',
          caseInfo.reason,
          (by) => setTemporaryPassword(deps, by, accountId, caseInfo, 'REACTIVATE'),
          'REACTIVATED',
        );
        if (r.ok) sessions.endAllFor(accountId);
        return r;
      },
      temporaryPassword: async (who: Actor, staff: StaffPrincipal, accountId: string, caseInfo: CounterCase) => {
        const r = await onAccount(
          who,
          staff,
          accountId,
          'TEMPORARY_PASSWORD',
          caseInfo.reason,
          (by) => setTemporaryPassword(deps, by, accountId, caseInfo, 'SET'),
          'TEMPORARY_PASSWORD',
        );
        if (r.ok) sessions.endAllFor(accountId);
        return r;
      },
      newActivationLetter: (who: Actor, staff: StaffPrincipal, accountId: string, caseInfo: CounterCase) =>
        onAccount(who, staff, accountId, 'NEW_ACTIVATION_LETTER', caseInfo.reason, async (by) => {
          const account = await deps.accounts.get(accountId);
          if (account?.identity.confirmedAt) return fail('ALREADY_CONFIRMED');
          const r = await requestActivationLetter(deps, by, accountId);
          return r.ok ? ok({ validThrough: lastValidDay(r.value.validUntil) }) : r;
        }),
      issueLoginCode: (who: Actor, staff: StaffPrincipal, accountId: string, caseInfo: CounterCase) =>
        onAccount(
          who,
          staff,
          accountId,
          'ISSUE_LOGIN_CODE',
          caseInfo.reason,
          async (by) => {
            const account = await deps.accounts.get(accountId);
            if (!account) return fail('NOT_FOUND');
            if (lockState(account, deps.clock.now()) === 'DEACTIVATED') return fail('ACCOUNT_DEACTIVATED');
            const r = await issueLoginCode(deps, by, account.kvnr);
            return r.ok ? ok({ validThrough: lastValidDay(r.value.validUntil), letterRef: r.value.documentRef }) : r;
          },
          'LOGIN_CODE',
        ),
      resendEmailCode: (who: Actor, staff: StaffPrincipal, accountId: string, caseInfo: CounterCase) =>
        onAccount(
          who,
          staff,
          accountId,
          'RESEND_EMAIL_CODE',
          caseInfo.reason,
          async (by) =>
            renamed(await resendEmailCode(deps, by, accountId), 'WRONG_STEP', 'EMAIL_ALREADY_CONFIRMED') as Result<{
              emailDelivery: Delivery;
            }>,
        ),
      deleteAccount: async (who: Actor, staff: StaffPrincipal, accountId: string, caseInfo: CounterCase) => {
        const r = await onAccount(
          who,
          staff,
          accountId,
          'DELETE_ACCOUNT',
          caseInfo.reason,
          (by) => deleteAtCounter(deps, by, accountId, caseInfo),
          'DELETED',
        );
        if (r.ok) sessions.endAllFor(accountId);
        return r;
      },
      inbox: (who: Actor, staff: StaffPrincipal) => inboxQueue(deps, staffActor(who, staff)),
      readMessage: (who: Actor, staff: StaffPrincipal, id: string, reason: string) =>
        audited(who, staff, 'READ_MESSAGE', reason, (by) => readInboxMessage(deps, by, id, reason, staff.ownKvnr)),
      answerMessage: (who: Actor, staff: StaffPrincipal, id: string, input: { subject: string; body: string; reason: string }) =>
        audited(who, staff, 'ANSWER_MESSAGE', input.reason, (by) => answerInboxMessage(deps, by, id, input, staff.ownKvnr)),
      /** Help requests from kiosks: no personal data in them, so listing is not access and not audited. */
      helpRequests: () => helpQueue(deps),
      closeHelp: (who: Actor, staff: StaffPrincipal, id: string) => closeHelp(deps, staffActor(who, staff), id),
      /** Mail and SMS the queue gave up: listed (audited, they name accounts) and dismissed once dealt with. */
      undelivered: (who: Actor, staff: StaffPrincipal) => undeliveredList(deps, staffActor(who, staff)),
      dismissUndelivered: (who: Actor, staff: StaffPrincipal, id: string) => dismissUndelivered(deps, staffActor(who, staff), id),
    },
    /** Supervisor actions on staff accounts (R10). */
    supervisor: {
      listStaff: () => listStaff(deps),
      createStaff: (
        who: Actor,
        staff: StaffPrincipal,
        input: { username: string; role: StaffRole; ownKvnr?: string | undefined; reason: string },
      ) => audited(who, staff, 'CREATE_STAFF', input.reason, (by) => createStaff(deps, by, staff.staffId, input)),
      /** The decoded file, or a refusal made before parsing (bytes not UTF-8, an incomplete upload), audited here. */
      importRegister: (
        who: Actor,
        staff: StaffPrincipal,
        upload: { text: string; acceptShrink: boolean } | { refused: Result<never> },
        reason: string,
      ) =>
        audited(who, staff, 'IMPORT_REGISTER', reason, (by) =>
          'refused' in upload
            ? Promise.resolve(upload.refused)
            : importRegisterFromConsole(deps, by, upload.text, reason, upload.acceptShrink),
        ),
      dashboard: () => dashboard(deps),
      /** A verification of the audit trail is itself recorded, with its outcome. */
      recordVerification: (who: Actor, staff: StaffPrincipal, outcome: string, reason: string) =>
        auditEvent(deps, staffActor(who, staff), deps.clock.now(), { type: 'AUDIT_VERIFIED', data: { outcome, reason } }),
      changeStaff: async (
        who: Actor,
        staff: StaffPrincipal,
        input: { staffId: string; change: 'DISABLE' | 'RESET_PASSWORD' | 'RESET_TOTP' | 'UNLOCK' | { role: StaffRole }; reason: string },
      ) => {
        const r = await audited(who, staff, 'CHANGE_STAFF', input.reason, (by) => changeStaff(deps, by, staff.staffId, input));
        if (r.ok) staffSessions.endAllFor(input.staffId);
        return r;
      },
    },
    password: {
      /** After a temporary password: the person's own password, and a fresh session for the asking screen. */
      chooseOwn: async (who: Actor, principal: Principal, newPassword: string) => {
        const r = await chooseOwnPassword(deps, who, principal.accountId, principal.epoch, newPassword);
        if (!r.ok) return r;
        sessions.endAllFor(principal.accountId);
        return ok({ session: sessions.create(principal.accountId, r.value.epoch) });
      },
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
    /** Forgot username: the same answer whether the details match or not; the code is bound to the asking screen. */
    username: {
      requestReminder: (who: Actor, input: { kvnr: string; birthDate: string }, flowToken: string) =>
        requestUsernameReminder(deps, mismatches, who, input, flowToken),
      reveal: (who: Actor, input: { kvnr: string; code: string }, flowToken: string) => revealUsername(deps, who, input, flowToken),
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
    /** A kiosk calls for help: by terminal, never by whoever is logged in there. */
    help: {
      request: (terminal: string) => requestHelp(deps, terminal),
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
