/**
 * The counter's state: who is logged in and at which stage, the open case (its reason, the search
 * results, the account on screen) and the messages of the last call. Everything here is personal
 * data or a key to it; `clear()` drops all of it and bumps `generation`, which re-creates every
 * screen, so nothing typed into a form survives a logout either.
 */
import type {
  AppError,
  AccountSummary,
  AppInfo,
  CounterAccountView,
  IpcResult,
  StaffLoginState,
  StaffStage,
} from '../../../src-main/ipc/responses.js';
import type { CounterChannel } from '../../../src-main/ipc/contract.js';
import { i18n, type MessageKey } from '../i18n/i18n.svelte.js';
import { call, endSession } from '../lib/api.js';
import type { ReasonPreset } from '../lib/reason.js';

export type Screen = 'search' | 'account' | 'inbox' | 'staff' | 'import' | 'audit' | 'dashboard' | 'ownPassword';
/** Screens of the supervisor's console: offered and shown to supervisors only (the main process refuses them to others too). */
export const SUPERVISOR_SCREENS = ['staff', 'import', 'audit', 'dashboard'] as const satisfies readonly Screen[];
type Stage = 'LOADING' | 'LOGIN' | StaffStage;

/** A message to show after a success, kept as key and parameters so a language switch re-renders it. */
export interface Notice {
  readonly key: MessageKey;
  readonly params?: Record<string, string | number>;
}

/** The reason form of a case, kept while the staff member moves between screens. */
export class ReasonDraft {
  preset = $state<ReasonPreset | ''>('');
  free = $state('');
}

class CounterState {
  info = $state<AppInfo | undefined>(undefined);
  stage = $state<Stage>('LOADING');
  me = $state<Omit<StaffLoginState, 'stage'> | undefined>(undefined);
  screen = $state<Screen>('search');
  error = $state<AppError | undefined>(undefined);
  notice = $state<Notice | undefined>(undefined);
  busy = $state(false);
  generation = $state(0);
  /** When the main process last heard from this window (the idle rule counts from here). */
  lastCall = Date.now();

  /** The open case: the reason chosen at the search, sent with every call on its account. */
  caseReason = $state<string | undefined>(undefined);
  reasonDraft = $state(new ReasonDraft());
  results = $state<readonly AccountSummary[] | undefined>(undefined);
  account = $state<CounterAccountView | undefined>(undefined);

  get supervisor(): boolean {
    return this.me?.role === 'supervisor';
  }

  async load(): Promise<void> {
    const info = await call('app.info', {});
    if (info.ok) this.info = info.value;
    // After a reload the token is gone (memory only): the answer is NOT_AUTHENTICATED and the login shows.
    const state = await call('staff.state', {});
    if (state.ok) this.enter(state.value);
    else this.stage = 'LOGIN';
  }

  /** Moves to a stage of the login; at READY, learns who is logged in. */
  async advance(stage: StaffStage): Promise<void> {
    if (stage !== 'READY') {
      this.stage = stage;
      return;
    }
    const state = await call('staff.state', {});
    if (state.ok) this.enter(state.value);
    else await this.end(state.error);
  }

  private enter(state: StaffLoginState): void {
    this.me = { username: state.username, role: state.role };
    this.stage = state.stage;
    this.screen = 'search';
  }

  /**
   * Runs one call: clears the last message, shows errors by name, and ends the session on
   * NOT_AUTHENTICATED (the main process has ended it already: idle, logout elsewhere, a change to
   * this staff account). Returns the value on success.
   */
  async run<C extends CounterChannel>(work: () => Promise<IpcResult<C>>, keepNotice = false): Promise<IpcResult<C>> {
    this.busy = true;
    this.error = undefined;
    if (!keepNotice) this.notice = undefined;
    try {
      const r = await work();
      this.lastCall = Date.now();
      if (!r.ok) {
        const code = r.error.code;
        // The main process has ended the session (or the login under way): so does the screen.
        const ended =
          (code === 'NOT_AUTHENTICATED' && this.stage === 'READY') ||
          code === 'STAFF_STAGE' ||
          (code === 'STAFF_LOCKED' && this.stage !== 'LOGIN');
        if (ended) await this.end(r.error);
        else this.error = r.error;
      }
      return r;
    } finally {
      this.busy = false;
    }
  }

  /** A new search opens a new case: the account on screen and its results belong to the old one. */
  startCase(reason: string, results: readonly AccountSummary[]): void {
    this.caseReason = reason;
    this.results = results;
    this.account = undefined;
  }

  go(screen: Screen): void {
    this.error = undefined;
    this.notice = undefined;
    this.screen = screen;
  }

  /** Logs out in the main process and forgets everything; `why` is shown on the login screen. */
  async end(why?: AppError | Notice): Promise<void> {
    // The screen is wiped first, before the main process answers.
    this.clear();
    if (why && 'code' in why) this.error = why;
    else if (why) this.notice = why;
    await endSession();
  }

  clear(): void {
    this.me = undefined;
    this.stage = 'LOGIN';
    this.screen = 'search';
    this.error = undefined;
    this.notice = undefined;
    this.caseReason = undefined;
    this.reasonDraft = new ReasonDraft();
    this.results = undefined;
    this.account = undefined;
    this.generation += 1;
    i18n.set('de');
  }
}

export const counter = new CounterState();
