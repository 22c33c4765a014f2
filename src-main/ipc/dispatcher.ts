/**
 * The one dispatcher behind both shells. Order for every call: known channel -> input parsed from
 * `unknown` with the channel's strict schema -> session check (an account channel gets its
 * principal, or nothing runs) -> the channel's handler (grouped by area in handlers/) -> core. Bad input gets
 * VALIDATION_FAILED with the failing paths (never the values) and reaches nothing else.
 * The session token is handed to the shell, never to the renderer's code: the Electron shell keeps
 * it per window, the browser shell in an in-memory header of its bridge.
 */
import type { Core } from '../core/index.js';
import { HashingBusyError } from '../core/ports.js';
import { fail, type AppError } from '../core/result.js';
import type { Config } from '../config/config.js';
import { contractFor, isChannel, type Channel } from './contract.js';
import { identityHandlers } from './handlers/identity.js';
import { kioskHandlers } from './handlers/kiosk.js';
import { loginHandlers } from './handlers/login.js';
import { mailboxHandlers } from './handlers/mailbox.js';
import { mtanHandlers } from './handlers/mtan.js';
import { passwordHandlers } from './handlers/password.js';
import { registrationHandlers } from './handlers/registration.js';
import { serviceHandlers } from './handlers/services.js';
import type { AccountCall, Handler, HandlerContext, Handlers, PublicCall } from './handlers/types.js';
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
}

export function createDispatcher(core: Core, config: Config, options: DispatcherOptions = {}) {
  // Code lengths as configured: the contract accepts exactly what the core sends.
  const contract = contractFor(config.policy);
  const documents = options.documents ?? new PendingDocuments(core.deps.clock, core.deps.random);
  const context: HandlerContext = { core, config, documents, view: (accountId) => core.view(accountId) };
  // Grouped by area; the type makes sure every channel has exactly one handler.
  const handlers: Handlers<Channel> = {
    ...kioskHandlers(context),
    ...registrationHandlers(context),
    ...identityHandlers(context),
    ...loginHandlers(context),
    ...passwordHandlers(context),
    ...mtanHandlers(context),
    ...serviceHandlers(context),
    ...mailboxHandlers(context),
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
    // Only a missing payload (a call without an argument) means "no input"; null is input, and wrong.
    const parsed = spec.input.safeParse(payload === undefined ? {} : payload);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code }));
      return { result: fail('VALIDATION_FAILED', { issues }) };
    }
    const principal = await core.access.resolve(call.sessionToken);
    if (spec.auth === 'account' && !principal) return { result: fail('NOT_AUTHENTICATED'), session: null };
    const who = { actor: principal ? `account:${principal.accountId}` : 'anonymous', terminal: call.terminal };
    const handler = handlers[channel] as (input: unknown, call: PublicCall | AccountCall) => ReturnType<Handler<Channel>>;
    try {
      const outcome = await handler(
        parsed.data,
        principal
          ? { who, token: call.sessionToken, principal, accountId: principal.accountId }
          : { who, token: call.sessionToken, principal },
      );
      // A new session replaces the previous one on this screen; the old token dies at once.
      if (typeof outcome.session === 'string') core.access.end(call.sessionToken);
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
      // A bug, not an expected failure: log it for the operator, tell the renderer nothing more.
      console.error(`[dispatcher] ${channel} failed`, error);
      return { result: fail('INTERNAL') };
    }
  }

  return { dispatch, takeDocument };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
