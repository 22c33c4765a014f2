/**
 * The one dispatcher behind both shells. Order for every call: known channel -> the terminal's
 * role (a kiosk refuses every counter channel and the counter every kiosk channel, whatever the
 * renderer sends) -> input parsed from `unknown` with the channel's strict schema -> the caller's
 * level (an account channel gets its principal, a staff or supervisor channel its staff principal,
 * or nothing runs) -> the channel's handler (grouped by area in handlers/) -> core. Bad input gets
 * VALIDATION_FAILED with the failing paths (never the values) and reaches nothing else. Refusals of
 * counter channels are audited: they are someone trying a staff action they may not take.
 * The session token is handed to the shell, never to the renderer's code: the Electron shell keeps
 * it per window, the browser shell in an in-memory header of its bridge.
 */
import type { Core } from '../core/index.js';
import { HashingBusyError, StoreUnavailableError } from '../core/ports.js';
import { fail, type AppError } from '../core/result.js';
import type { Config } from '../config/config.js';
import type { ConsentTexts } from '../config/consent-document.js';
import { contractFor, isChannel, type Channel, type TerminalRole } from './contract.js';
import { counterHandlers, supervisorHandlers } from './handlers/counter.js';
import { staffHandlers } from './handlers/staff.js';
import { auditEvent } from '../core/deps.js';
import { identityHandlers } from './handlers/identity.js';
import { kioskHandlers } from './handlers/kiosk.js';
import { helpHandlers } from './handlers/help.js';
import { loginHandlers } from './handlers/login.js';
import { mailboxHandlers } from './handlers/mailbox.js';
import { mtanHandlers } from './handlers/mtan.js';
import { passwordHandlers } from './handlers/password.js';
import { usernameHandlers } from './handlers/username.js';
import { registrationHandlers } from './handlers/registration.js';
import { serviceHandlers } from './handlers/services.js';
import type { AccountCall, AuditVerifier, Handler, HandlerContext, Handlers, PublicCall, StaffCall } from './handlers/types.js';
import { RegisterUploads } from './register-upload.js';
import { PendingDocuments } from './pending-documents.js';

export interface CallContext {
  readonly sessionToken: string | undefined;
  readonly terminal: string;
}

export interface DispatchOutcome {
  readonly result: { ok: true; value: unknown } | { ok: false; error: AppError };
  /** New token to remember, or null to forget the current one. */
  readonly session?: string | null;
}

export interface DispatcherOptions {
  /** Documents for the person, held in memory under one-time tokens (default limits if absent). */
  readonly documents?: PendingDocuments;
  /** What this terminal is (default: the configuration's terminalRole). */
  readonly role?: TerminalRole;
  /** Register files sent from the console (shared by the dispatchers of one process). */
  readonly uploads?: RegisterUploads;
  /** Verifies the audit trail for the console; absent: the console says it cannot. */
  readonly verifyAudit?: AuditVerifier;
  /** The consent texts read at start-up (startup/consent-texts.ts); absent: app.info names the versions with empty texts. */
  readonly consentTexts?: ConsentTexts;
}

const REFUSAL_WINDOW_MS = 10 * 60_000;
const REFUSALS_AUDITED = 20;

/** Polls of an open counter window: they do not count as someone working (the staff idle limit goes on). */
const QUIET_CHANNELS: ReadonlySet<Channel> = new Set(['help.list']);

/** While a temporary password is in use, only these account channels are open (R7). */
const OPEN_DURING_TEMPORARY_PASSWORD: ReadonlySet<Channel> = new Set([
  'password.chooseOwn',
  'onboarding.state',
  'session.touch',
  'session.moreTime',
]);

export function createDispatcher(core: Core, config: Config, options: DispatcherOptions = {}) {
  // Code lengths as configured: the contract accepts exactly what the core sends.
  const contract = contractFor(config.policy);
  const role = options.role ?? config.terminalRole;
  const documents = options.documents ?? new PendingDocuments(core.deps.clock, core.deps.random);
  const context: HandlerContext = {
    core,
    config,
    documents,
    uploads: options.uploads ?? new RegisterUploads(core.deps.clock, core.deps.random),
    verifyAudit: options.verifyAudit ?? (() => Promise.resolve({ ok: false, code: 'UNAVAILABLE' })),
    view: (accountId) => core.view(accountId),
    ...(options.consentTexts ? { consentTexts: options.consentTexts } : {}),
  };
  // Grouped by area; the type makes sure every channel has exactly one handler.
  const handlers: Handlers<Channel> = {
    ...kioskHandlers(context),
    ...registrationHandlers(context),
    ...identityHandlers(context),
    ...loginHandlers(context),
    ...passwordHandlers(context),
    ...usernameHandlers(context),
    ...mtanHandlers(context),
    ...serviceHandlers(context),
    ...mailboxHandlers(context),
    ...staffHandlers(context),
    ...counterHandlers(context),
    ...supervisorHandlers(context),
    ...helpHandlers(context),
  };

  /**
   * A refused counter call, audited with what was tried (never the input). A terminal that keeps
   * trying (a script at a kiosk) would fill the disk: per terminal at most REFUSALS_AUDITED entries
   * in a window, and the first entry of the next window says how many were left out.
   */
  const refusals = new Map<string, { windowStart: number; audited: number; suppressed: number }>();
  const refuse = async (channel: Channel, call: CallContext, code: 'WRONG_TERMINAL' | 'FORBIDDEN' | 'VALIDATION_FAILED', actor: string) => {
    const now = core.deps.clock.now();
    let window = refusals.get(call.terminal);
    if (!window || now.getTime() - window.windowStart >= REFUSAL_WINDOW_MS) {
      window = { windowStart: now.getTime(), audited: 0, suppressed: window?.suppressed ?? 0 };
      refusals.set(call.terminal, window);
    }
    if (window.audited >= REFUSALS_AUDITED) {
      window.suppressed += 1;
      return;
    }
    window.audited += 1;
    const suppressed = window.suppressed;
    window.suppressed = 0;
    await auditEvent(core.deps, { actor, terminal: call.terminal }, now, {
      type: 'STAFF_ACTION_REFUSED',
      data: { channel, code, role, ...(suppressed > 0 ? { notAuditedBefore: suppressed } : {}) },
    });
  };

  /**
   * Hands out a document's PDF bytes once; undefined for unknown, used or expired tokens. The
   * shell sends or prints them from memory and keeps no copy.
   */
  function takeDocument(token: string): { readonly bytes: Uint8Array } | undefined {
    return documents.take(token);
  }

  async function dispatch(channel: unknown, payload: unknown, call: CallContext): Promise<DispatchOutcome> {
    if (!isChannel(channel)) return { result: fail('UNKNOWN_CHANNEL') };
    const spec = contract[channel];
    const staffLevel = spec.auth === 'staff' || spec.auth === 'supervisor';
    if (spec.terminal !== 'any' && spec.terminal !== role) {
      if (spec.terminal === 'counter') await refuse(channel, call, 'WRONG_TERMINAL', 'anonymous');
      return { result: fail('WRONG_TERMINAL') };
    }
    // Counter channels check the caller first: a stranger learns nothing, not even what input fits.
    const staff = staffLevel ? await core.staff.resolve(call.sessionToken, QUIET_CHANNELS.has(channel)) : undefined;
    if (staffLevel && !staff) return { result: fail('NOT_AUTHENTICATED'), session: null };
    if (staff && spec.auth === 'supervisor' && staff.role !== 'supervisor') {
      await refuse(channel, call, 'FORBIDDEN', `staff:${staff.staffId}`);
      return { result: fail('FORBIDDEN') };
    }
    // Only a missing payload (a call without an argument) means "no input"; null is input, and wrong.
    const parsed = spec.input.safeParse(payload === undefined ? {} : payload);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code }));
      if (staff) await refuse(channel, call, 'VALIDATION_FAILED', `staff:${staff.staffId}`);
      return { result: fail('VALIDATION_FAILED', { issues }) };
    }
    let callFor: PublicCall | AccountCall | StaffCall;
    if (staff) {
      callFor = { who: { actor: `staff:${staff.staffId}`, terminal: call.terminal }, token: call.sessionToken, staff };
    } else {
      const principal = role === 'kiosk' ? await core.access.resolve(call.sessionToken) : undefined;
      if (spec.auth === 'account' && !principal) return { result: fail('NOT_AUTHENTICATED'), session: null };
      if (spec.auth === 'account' && principal?.mustChangePassword && !OPEN_DURING_TEMPORARY_PASSWORD.has(channel)) {
        return { result: fail('PASSWORD_CHANGE_REQUIRED') };
      }
      const who = { actor: principal ? `account:${principal.accountId}` : 'anonymous', terminal: call.terminal };
      callFor = principal
        ? { who, token: call.sessionToken, principal, accountId: principal.accountId }
        : { who, token: call.sessionToken, principal };
    }
    const handler = handlers[channel] as (input: unknown, call: PublicCall | AccountCall | StaffCall) => ReturnType<Handler<Channel>>;
    try {
      const outcome = await handler(parsed.data, callFor);
      // A new session replaces the previous one on this screen; the old token dies at once.
      if (typeof outcome.session === 'string' && role === 'kiosk') core.access.end(call.sessionToken);
      // Wrong current passwords inside a session locked the account: the session ends with it.
      const code = outcome.result.ok ? undefined : outcome.result.error.code;
      if (spec.auth === 'account' && (code === 'ACCOUNT_LOCKED' || code === 'ACCOUNT_DEACTIVATED' || code === 'NOT_AUTHENTICATED')) {
        core.access.end(call.sessionToken);
        return { ...outcome, session: null };
      }
      return outcome;
    } catch (error) {
      // Too much hashing work queued: nothing was changed; the person may try again.
      if (error instanceof HashingBusyError) return { result: fail('BUSY') };
      // The database is away: the transaction was rolled back; the terminal says so and recovers by itself.
      if (error instanceof StoreUnavailableError) return { result: fail('STORE_UNAVAILABLE') };
      // A bug, not an expected failure: log it for the operator, tell the renderer nothing more.
      console.error(`[dispatcher] ${channel} failed`, error);
      return { result: fail('INTERNAL') };
    }
  }

  return { dispatch, takeDocument };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
