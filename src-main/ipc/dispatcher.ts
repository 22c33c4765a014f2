/**
 * The one dispatcher behind both shells. Order for every call: known channel -> input parsed from
 * `unknown` with the channel's strict schema -> session check -> core. Bad input gets
 * VALIDATION_FAILED with the failing paths (never the values) and reaches nothing else.
 * The session token is handed to the shell, never to the renderer's code: the Electron shell keeps
 * it per window, the browser shell in an in-memory header of its bridge.
 */
import QRCode from 'qrcode';
import type { Core } from '../core/index.js';
import { HashingBusyError } from '../core/ports.js';
import { fail, ok, type AppError, type Result } from '../core/result.js';
import { CONSENT_TEXTS } from '../config/consent-texts.js';
import type { Config } from '../config/config.js';
import { contractFor, isChannel, type Channel, type ChannelInput } from './contract.js';
import { PendingDocuments } from './pending-documents.js';
import type { ChannelOutputs } from './responses.js';

export interface CallContext {
  readonly sessionToken: string | undefined;
  readonly terminal: string;
}

export interface DispatchOutcome {
  readonly result: { ok: true; value: unknown } | { ok: false; error: AppError };
  /** New token to remember, or null to forget the current one. */
  readonly session?: string | null;
}

type Handler<C extends Channel> = (
  input: ChannelInput<C>,
  call: {
    accountId: string | undefined;
    /** The session's epoch (see Account.epoch), for checks that must end with the session. */
    epoch: number | undefined;
    who: { actor: string; terminal: string };
    token: string | undefined;
  },
) => Promise<{ result: Result<ChannelOutputs[C]>; session?: string | null }>;

export interface DispatcherOptions {
  /** Documents for the person, held in memory under one-time tokens (default limits if absent). */
  readonly documents?: PendingDocuments;
}

export function createDispatcher(core: Core, config: Config, options: DispatcherOptions = {}) {
  // Code lengths as configured: the contract accepts exactly what the core sends.
  const contract = contractFor(config.policy);
  const documents = options.documents ?? new PendingDocuments(core.deps.clock, core.deps.random);
  const view = (accountId: string) => core.view(accountId);
  const then = async <T>(r: Result<unknown>, next: () => Promise<Result<T>>): Promise<Result<T>> => (r.ok ? next() : r);
  const consentTexts = () => {
    const { privacyVersion, participationVersion } = config.policy.consents;
    const privacy = CONSENT_TEXTS[privacyVersion]?.privacy;
    const participation = CONSENT_TEXTS[participationVersion]?.participation;
    if (!privacy || !participation) throw new Error('consent texts missing for the configured versions');
    return { privacyVersion, participationVersion, privacy, participation };
  };

  const handlers: { [C in Channel]: Handler<C> } = {
    'app.info': () =>
      Promise.resolve({
        result: ok({
          brand: { name: config.brand.name, primaryColor: config.brand.primaryColor },
          kiosk: config.kiosk,
          consents: consentTexts(),
          password: config.policy.password,
          lockHours: config.policy.login.lockMs / 3_600_000,
          postident: {
            available: core.deps.postident.available !== false,
            simulated: core.deps.postident.simulated,
            label: core.deps.postident.label,
          },
          minimumAge: config.policy.minimumAge,
        }),
      }),
    'registration.submit': async (input, { who }) => {
      const registered = await core.register(who, input);
      if (!registered.ok) return { result: registered };
      const state = await view(registered.value.accountId);
      if (!state.ok) return { result: state };
      return {
        result: ok({ ...state.value, emailSent: registered.value.emailSent }),
        // A new account starts at epoch 0.
        session: core.openSession(registered.value.accountId, 0),
      };
    },
    'session.login': async (input, { who }) => {
      const result = await core.login(who, input);
      if (!result.ok) return { result };
      const state = await view(result.value.accountId);
      return { result: state, session: core.openSession(result.value.accountId, result.value.epoch) };
    },
    'session.logout': (_input, { accountId, token }) => {
      core.sessions.end(token);
      // A document handed out but not fetched must not wait for the next person at the kiosk.
      if (accountId) documents.dropFor(accountId);
      return Promise.resolve({ result: ok(null), session: null });
    },
    'session.touch': () => Promise.resolve({ result: ok(null) }),
    'onboarding.state': async (_input, { accountId }) => {
      // Reading the state asks a polled provider about an open case; its failure is not this read's.
      await core.refreshPostident(accountId ?? '');
      return { result: await view(accountId ?? '') };
    },
    'email.confirm': async (input, { accountId, who }) => ({
      result: await then(await core.confirmEmail(who, accountId ?? '', input), () => view(accountId ?? '')),
    }),
    'email.resend': async (_input, { accountId, who }) => ({ result: await core.resendEmailCode(who, accountId ?? '') }),
    'identity.requestLetter': async (_input, { accountId, who }) => ({
      result: await then(await core.requestActivationLetter(who, accountId ?? ''), () => view(accountId ?? '')),
    }),
    'identity.enterKey': async (input, { accountId, who }) => ({
      result: await then(await core.enterActivationKey(who, accountId ?? '', input.key), () => view(accountId ?? '')),
    }),
    'identity.startPostident': async (_input, { accountId, who }) => {
      const started = await core.startPostident(who, accountId ?? '');
      if (!started.ok) return { result: started };
      const qrSvg = await QRCode.toString(started.value.continueUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      return { result: ok({ ...started.value, qrSvg }) };
    },
    'identity.printCoupon': async (_input, { accountId, who }) => ({ result: await core.printPostidentCoupon(who, accountId ?? '') }),
    'mailbox.decide': async (input, { accountId, who }) => ({
      result: await then(await core.decideMailbox(who, accountId ?? '', input.accept), () => view(accountId ?? '')),
    }),
    'password.forgot': async (input, { who }) => {
      // Every request, matching or not, gets a fresh flow token in the session slot: only the
      // screen that asked can enter the code, and the answer's shape tells nothing.
      const flowToken = core.deps.random.token(32);
      return { result: await core.requestPasswordReset(who, input, flowToken), session: flowToken };
    },
    'password.reset': async (input, { who, token }) => {
      const result = await core.completePasswordReset(who, input, token ?? '');
      if (!result.ok) return { result };
      // Whoever was logged in with the old password is out, with what they had open. The flow
      // token in the session slot is spent: forget it.
      core.sessions.endAllFor(result.value.accountId);
      documents.dropFor(result.value.accountId);
      return { result: ok(null), session: null };
    },
    'password.change': async (input, { accountId, epoch, who }) => {
      const result = await core.changePassword(who, accountId ?? '', input, epoch);
      if (!result.ok) return { result };
      // Every other session of the old password ends; this screen continues with a fresh token.
      core.sessions.endAllFor(accountId ?? '');
      return { result: ok(null), session: core.openSession(accountId ?? '', result.value.epoch) };
    },
    'session.loginCode': async (input, { who }) => {
      const result = await core.loginWithCode(who, input);
      if (!result.ok) return { result };
      return { result: await view(result.value.accountId), session: core.openSession(result.value.accountId, result.value.epoch) };
    },
    'session.lockNotice': async (input, { who }) => ({ result: await core.lockNotice(who, input) }),
    'mtan.start': async (_input, { accountId }) => ({ result: await core.startEnrolment(accountId ?? '') }),
    'mtan.card': async (input, { accountId, who }) => ({ result: await core.enterCardDigits(who, accountId ?? '', input.digits) }),
    'mtan.phone': async (input, { accountId, who }) => ({ result: await core.sendEnrolmentCode(who, accountId ?? '', input.phone) }),
    'mtan.resend': async (_input, { accountId, who }) => ({ result: await core.sendEnrolmentCode(who, accountId ?? '', undefined) }),
    'mtan.confirm': async (input, { accountId, who }) => ({ result: await core.confirmEnrolmentCode(who, accountId ?? '', input.code) }),
    'mtan.leave': async (_input, { accountId, who }) => ({ result: await core.leaveMtan(who, accountId ?? '') }),
    'tan.request': async (input, { accountId, who }) => ({ result: await core.requestTan(who, accountId ?? '', input) }),
    'receipt.view': async (input, { accountId, who }) => ({ result: await core.viewReceipt(who, accountId ?? '', input.tan) }),
    'personal.data': async (_input, { accountId }) => ({ result: await core.personalData(accountId ?? '') }),
    'contact.changeEmail': async (input, { accountId, who }) => ({
      result: await core.changeEmail(who, accountId ?? '', input.email, input.tan),
    }),
    'contact.confirmEmail': async (input, { accountId, who }) => ({
      result: await core.confirmEmailChange(who, accountId ?? '', input.code),
    }),
    'contact.changeMobile': async (input, { accountId, who }) => ({
      result: await core.changeMobile(who, accountId ?? '', input.phone, input.tan),
    }),
    'mailbox.list': async (_input, { accountId }) => ({ result: await core.mailboxMessages(accountId ?? '') }),
    'mailbox.write': async (input, { accountId }) => ({ result: await core.writeToInsurer(accountId ?? '', input) }),
    'mailbox.markRead': async (input, { accountId }) => ({ result: await core.markRead(accountId ?? '', input.id) }),
    'certificate.create': async (_input, { accountId }) => {
      const room = documents.room();
      if (!room.ok) return { result: room };
      const created = await core.membershipCertificate(accountId ?? '');
      if (!created.ok) return { result: created };
      const offered = documents.offer(accountId ?? '', created.value.pdf);
      return { result: offered.ok ? ok({ documentToken: offered.value }) : offered };
    },
    'account.delete': async (input, { accountId, epoch, who }) => {
      const result = await core.deleteAccount(who, accountId ?? '', input, epoch);
      if (!result.ok) return { result };
      documents.dropFor(accountId ?? '');
      core.sessions.endAllFor(accountId ?? '');
      return { result, session: null };
    },
  };

  /**
   * Hands out a document's PDF bytes once; undefined for unknown, used or expired tokens. The
   * shell sends or prints them from memory and keeps no copy.
   */
  function takeDocument(token: string): { readonly bytes: Uint8Array } | undefined {
    return documents.take(token);
  }

  async function dispatch(channel: unknown, payload: unknown, context: CallContext): Promise<DispatchOutcome> {
    if (!isChannel(channel)) return { result: fail('UNKNOWN_CHANNEL') };
    const spec = contract[channel];
    // Only a missing payload (a call without an argument) means "no input"; null is input, and wrong.
    const parsed = spec.input.safeParse(payload === undefined ? {} : payload);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code }));
      return { result: fail('VALIDATION_FAILED', { issues }) };
    }
    const session = await core.resolveSession(context.sessionToken);
    if (spec.auth === 'account' && !session) return { result: fail('NOT_AUTHENTICATED'), session: null };
    const who = { actor: session ? `account:${session.accountId}` : 'anonymous', terminal: context.terminal };
    const handler = handlers[channel] as Handler<Channel>;
    try {
      const outcome = await handler(parsed.data as never, {
        accountId: session?.accountId,
        epoch: session?.epoch,
        who,
        token: context.sessionToken,
      });
      // A new session replaces the previous one on this screen; the old token dies at once.
      if (typeof outcome.session === 'string') core.sessions.end(context.sessionToken);
      // Wrong current passwords inside a session locked the account: the session ends with it.
      const code = outcome.result.ok ? undefined : outcome.result.error.code;
      if (spec.auth === 'account' && (code === 'ACCOUNT_LOCKED' || code === 'ACCOUNT_DEACTIVATED' || code === 'NOT_AUTHENTICATED')) {
        core.sessions.end(context.sessionToken);
        return { ...outcome, session: null };
      }
      return outcome;
    } catch (error) {
      // Too much hashing work queued: nothing was changed; the person may try again.
      if (error instanceof HashingBusyError) return { result: fail('BUSY') };
      // A bug, not an expected failure: log it for the operator, tell the renderer nothing more.
      console.error(`[dispatcher] ${channel} failed`, error);
      return { result: fail('INTERNAL') };
    }
  }

  return { dispatch, takeDocument };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
