/**
 * What the counter sees of an online account (R10): its state for the conversation with the person
 * at the desk, the actions that state allows (the screen offers those and no others; the core
 * checks them again), and its security history. No hashes, no codes, the mobile number masked.
 */
import { onboardingStep, type Account, type OnboardingStep } from '../account.js';
import { maskEmail } from '../email/address.js';
import { lockState } from '../login/attempt.js';
import { maskPhone } from '../mtan/phone.js';
import type { RecordedAuditEvent } from '../ports.js';
import type { InsuredPerson } from '../register/person.js';
import { berlinDate } from '../dates.js';

const lastDay = (instant: string): string => berlinDate(new Date(new Date(instant).getTime() - 1));

export type CounterAction =
  | 'CONFIRM_IDENTITY'
  | 'LIFT_LOCK'
  | 'REACTIVATE'
  | 'NEW_ACTIVATION_LETTER'
  | 'TEMPORARY_PASSWORD'
  | 'ISSUE_LOGIN_CODE'
  | 'RESEND_EMAIL_CODE'
  | 'DELETE_ACCOUNT';

export interface AccountSummary {
  readonly accountId: string;
  readonly username: string;
  readonly kvnr: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string;
  readonly state: 'OPEN' | 'LOCKED' | 'DEACTIVATED';
  readonly step: OnboardingStep;
}

interface HistoryEntry {
  readonly at: string;
  readonly type: string;
  /** `person`, `staff`, `system` or `anonymous`: who acted, never more of the account holder. */
  readonly by: string;
  readonly terminal: string;
  readonly details: Readonly<Record<string, string | number | boolean>>;
}

export interface CounterAccountView extends AccountSummary {
  readonly createdAt: string;
  readonly emailMasked: string;
  readonly emailConfirmed: boolean;
  /** Dates of validity are the last Berlin day it works, as printed on the letter. */
  readonly identity: { readonly confirmedAt?: string; readonly method?: string; readonly letterValidThrough?: string };
  readonly postident?: { readonly state: string; readonly openedAt: string };
  readonly mailbox: 'PENDING' | 'ACTIVE' | 'DECLINED';
  readonly mtan?: { readonly phoneMasked: string; readonly enrolledAt: string };
  readonly lockedUntil?: string;
  readonly deactivatedAt?: string;
  readonly failures: number;
  readonly temporaryPasswordValidThrough?: string;
  readonly activeLoginCodes: number;
  readonly actions: readonly CounterAction[];
  readonly history: readonly HistoryEntry[];
}

export function accountSummary(account: Account, person: InsuredPerson | undefined, now: Date): AccountSummary {
  return {
    accountId: account.id,
    username: account.username,
    kvnr: account.kvnr,
    firstName: person?.firstName ?? '',
    lastName: person?.lastName ?? '',
    birthDate: person?.birthDate ?? '',
    state: lockState(account, now),
    step: onboardingStep(account, now),
  };
}

/** The counter actions this state allows, in the order the screen lists them. */
function allowedActions(account: Account, now: Date): CounterAction[] {
  const state = lockState(account, now);
  const actions: CounterAction[] = [];
  if (!account.email.confirmedAt) actions.push('RESEND_EMAIL_CODE');
  if (!account.identity.confirmedAt) actions.push('CONFIRM_IDENTITY');
  if (account.email.confirmedAt && !account.identity.confirmedAt) actions.push('NEW_ACTIVATION_LETTER');
  if (state === 'LOCKED') actions.push('LIFT_LOCK');
  if (state === 'DEACTIVATED') actions.push('REACTIVATE');
  if (state !== 'DEACTIVATED') actions.push('TEMPORARY_PASSWORD', 'ISSUE_LOGIN_CODE');
  actions.push('DELETE_ACCOUNT');
  return actions;
}

/** Staff are named by their username (`staff:anna.schmidt`); a person's own actions as `person`. */
function historyEntry(event: RecordedAuditEvent, staffNames: ReadonlyMap<string, string>): HistoryEntry {
  const [kind = 'anonymous', id = ''] = event.actor.split(':');
  const by = kind === 'account' ? 'person' : kind === 'system' ? kind : 'anonymous';
  return {
    at: event.at,
    type: event.type,
    by: kind === 'staff' ? `staff:${staffNames.get(id) ?? id}` : by,
    terminal: event.terminal,
    details: event.data ?? {},
  };
}

export function counterAccountView(
  account: Account,
  person: InsuredPerson | undefined,
  history: readonly RecordedAuditEvent[],
  now: Date,
  staffNames: ReadonlyMap<string, string> = new Map(),
): CounterAccountView {
  const letter = account.identity.letter;
  const pi = account.identity.postident;
  const activeCodes = (account.loginCodes ?? []).filter((c) => c.state === 'ACTIVE' && now < new Date(c.expiresAt)).length;
  const temporary = account.password.temporaryUntil;
  return {
    ...accountSummary(account, person, now),
    createdAt: account.createdAt,
    emailMasked: maskEmail(account.email.email),
    emailConfirmed: account.email.confirmedAt !== undefined,
    identity: {
      ...(account.identity.confirmedAt ? { confirmedAt: account.identity.confirmedAt } : {}),
      ...(account.identity.method ? { method: account.identity.method } : {}),
      ...(letter?.state === 'ACTIVE' && now < new Date(letter.expiresAt) ? { letterValidThrough: lastDay(letter.expiresAt) } : {}),
    },
    ...(pi ? { postident: { state: pi.state, openedAt: pi.openedAt } } : {}),
    mailbox: account.mailbox.state,
    ...(account.mtan ? { mtan: { phoneMasked: maskPhone(account.mtan.phone), enrolledAt: account.mtan.enrolledAt } } : {}),
    ...(lockState(account, now) === 'LOCKED' && account.login.lockedUntil ? { lockedUntil: account.login.lockedUntil } : {}),
    ...(account.login.deactivatedAt ? { deactivatedAt: account.login.deactivatedAt } : {}),
    failures: account.login.failures,
    ...(temporary ? { temporaryPasswordValidThrough: lastDay(temporary) } : {}),
    activeLoginCodes: activeCodes,
    actions: allowedActions(account, now),
    history: history.map((event) => historyEntry(event, staffNames)),
  };
}
