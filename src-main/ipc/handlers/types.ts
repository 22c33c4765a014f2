/**
 * What a channel handler gets: the parsed input and a call context typed by the channel's auth
 * level. An account channel's handler always has the principal (never an undefined account id);
 * a public channel's handler may see one if a session exists; a staff or supervisor channel's
 * handler always has the staff principal (who, role, terminal).
 */
import type { Actor, Core, Principal, StaffPrincipal } from '../../core/index.js';
import type { OnboardingView } from '../../core/onboarding-view.js';
import type { Result } from '../../core/result.js';
import type { Config } from '../../config/config.js';
import type { ConsentTexts } from '../../config/consent-document.js';
import type { Channel, ChannelInput, channels } from '../contract.js';
import type { PendingDocuments } from '../pending-documents.js';
import type { RegisterUploads } from '../register-upload.js';
import type { ChannelOutputs } from '../responses.js';

export interface PublicCall {
  readonly who: Actor;
  /** The token in the shell's session slot (a session, or a forgot-password flow). */
  readonly token: string | undefined;
  readonly principal: Principal | undefined;
}

export interface AccountCall extends PublicCall {
  readonly principal: Principal;
  readonly accountId: string;
}

/** A counter channel's call: the staff member whose login is complete, and the terminal. */
export interface StaffCall {
  readonly who: Actor;
  readonly token: string | undefined;
  readonly staff: StaffPrincipal;
}

type CallFor<C extends Channel> = (typeof channels)[C]['auth'] extends 'account'
  ? AccountCall
  : (typeof channels)[C]['auth'] extends 'staff' | 'supervisor'
    ? StaffCall
    : PublicCall;

/** The answer and what the shell does with its session slot: a new token, or null to forget it. */
type Answer<C extends Channel> = Promise<{ result: Result<ChannelOutputs[C]>; session?: string | null }>;

export type Handler<C extends Channel> = (input: ChannelInput<C>, call: CallFor<C>) => Answer<C>;

export type Handlers<C extends Channel> = { [K in C]: Handler<K> };

/** The audit trail's check for the console (see audit/verify-trail.ts), reduced to what the screen shows. */
export type AuditVerifier = () => Promise<{ ok: boolean; code: string; entries?: number; brokenAtLine?: number; problem?: string }>;

export interface HandlerContext {
  readonly core: Core;
  readonly uploads: RegisterUploads;
  readonly verifyAudit: AuditVerifier;
  readonly config: Config;
  readonly documents: PendingDocuments;
  readonly view: (accountId: string) => Promise<Result<OnboardingView>>;
  readonly consentTexts?: ConsentTexts;
}

/** Runs `next` only when `first` succeeded (a change, then the state the screen shows next). */
export const andThen = async <T>(first: Result<unknown>, next: () => Promise<Result<T>>): Promise<Result<T>> => (first.ok ? next() : first);
