/**
 * The renderer's whole state: which screen is showing, the last onboarding view from the main
 * process, and the current error. It decides nothing: every transition follows an answer of the
 * main process. reset() wipes everything the person entered or saw.
 */
import type { AppError, AppInfo, OnboardingView, PostidentStart } from '../../src-main/ipc/responses.js';
import { untrack } from 'svelte';
import { call, endSession } from '../lib/api.js';
import { i18n, type MessageKey } from '../i18n/i18n.svelte.js';
import { changeNotice } from './notices.js';

export type Screen =
  | 'welcome'
  | 'accessibility'
  | 'register'
  | 'login'
  | 'loginCode'
  | 'forgot'
  | 'forgotUsername'
  | 'changePassword'
  | 'chooseOwnPassword'
  | 'onboarding'
  | 'letterSent'
  | 'mailbox'
  | 'receipt'
  | 'personal'
  | 'mtan'
  | 'deleteAccount';

class AppState {
  // Answers of the main process are only ever replaced whole: $state.raw keeps them as the plain
  // objects the main process sent (no deep proxy); an edit in place would not redraw, so none is made.
  info = $state.raw<AppInfo | undefined>(undefined);
  screen = $state<Screen>('welcome');
  view = $state.raw<OnboardingView | undefined>(undefined);
  postident = $state.raw<PostidentStart | undefined>(undefined);
  error = $state.raw<AppError | undefined>(undefined);
  notice = $state<string | undefined>(undefined);
  /** A slip the screen can name before asking the main process (a date it cannot read, two passwords that differ). */
  slip = $state<MessageKey | undefined>(undefined);
  busy = $state(false);
  /** The registration's last step was finished in this session (the home screen congratulates). */
  completedNow = $state(false);
  /** Bumped on every reset so forms re-mount empty. */
  generation = $state(0);
  /** Run first on every reset, before the session ends: what must stop at once (speech). */
  readonly #resetHooks = new Set<() => void>();
  /** Forms on screen that show an answer at their fields (state/form.svelte.ts). */
  #claims = $state.raw<readonly ((error: AppError) => boolean)[]>([]);
  /** The error for the one message above the screen: none while a form shows it at its fields. */
  unclaimedError = $derived(this.error && !this.#claims.some((owns) => owns(this.error as AppError)) ? this.error : undefined);

  stepNumber = $derived<1 | 2 | 3 | 4 | undefined>(
    this.screen === 'register'
      ? 1
      : (this.screen === 'onboarding' && this.view?.step !== 'DONE') || this.screen === 'letterSent'
        ? this.view?.stepNumber
        : undefined,
  );

  async load(): Promise<void> {
    const result = await call('app.info', {});
    if (result.ok) this.info = result.value;
  }

  go(screen: Screen): void {
    this.error = undefined;
    this.notice = undefined;
    this.slip = undefined;
    this.screen = screen;
  }

  /** Runs one call; on success hands the value on, on failure shows the error. */
  async run<T>(work: () => Promise<{ ok: true; value: T } | { ok: false; error: AppError }>, onOk: (value: T) => void): Promise<boolean> {
    // A second tap while a call is under way is ignored: one request per action.
    if (this.busy) return false;
    this.busy = true;
    this.error = undefined;
    this.notice = undefined;
    this.slip = undefined;
    try {
      const result = await work();
      if (result.ok) {
        onOk(result.value);
        return true;
      }
      if (result.error.code === 'NOT_AUTHENTICATED') {
        await this.reset();
      }
      this.error = result.error;
      return false;
    } finally {
      this.busy = false;
    }
  }

  showView(view: OnboardingView): void {
    if (this.view && this.view.step !== 'DONE' && view.step === 'DONE') this.completedNow = true;
    const changed = changeNotice(this.view, view);
    this.view = view;
    // A temporary password from the counter: choosing one's own comes before anything else.
    this.go(view.mustChangePassword ? 'chooseOwnPassword' : 'onboarding');
    // What the step just did is said once, politely (App.svelte shows it as a status).
    if (changed) this.notice = i18n.t(changed);
  }

  /** A form that shows the errors about its fields there; returns its removal. */
  claim(owns: (error: AppError) => boolean): () => void {
    // Registered from an effect: reading the list here would make that effect depend on it.
    this.#claims = [...untrack(() => this.#claims), owns];
    return () => (this.#claims = untrack(() => this.#claims).filter((c) => c !== owns));
  }

  showSlip(key: MessageKey): void {
    this.error = undefined;
    this.slip = key;
  }

  /** Orders an activation key letter and shows that it is on its way. */
  async requestLetter(): Promise<boolean> {
    return this.run(
      () => call('identity.requestLetter', {}),
      (view) => {
        this.view = view;
        this.go('letterSent');
      },
    );
  }

  /** Registers a hook for every reset; returns its removal. */
  onReset(hook: () => void): () => void {
    this.#resetHooks.add(hook);
    return () => void this.#resetHooks.delete(hook);
  }

  async reset(): Promise<void> {
    for (const hook of this.#resetHooks) hook();
    await endSession();
    this.view = undefined;
    this.postident = undefined;
    this.completedNow = false;
    this.error = undefined;
    this.slip = undefined;
    this.notice = undefined;
    this.screen = 'welcome';
    this.generation += 1;
    i18n.reset();
    try {
      sessionStorage.clear();
      localStorage.clear();
    } catch {
      // Storage may be unavailable; nothing is kept there anyway.
    }
  }
}

export const app = new AppState();
