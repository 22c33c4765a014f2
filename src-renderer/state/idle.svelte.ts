/**
 * Idle timeout (R12): after the warning time without input a countdown shows; when it runs out the
 * session ends and everything entered is wiped. Activity also keeps the main-process session alive.
 * The warning reaches more than one sense: on screen, a tone, and (when speech is on) spoken once.
 * "More time" doubles what is left of the countdown, MORE_TIME_USES times a session; a person who
 * needs more time (speech, large text or high contrast on) gets twice the idle time from the start. Each
 * is asked of the main process too (session.moreTime, bounded there), so the session there never
 * ends while the screen still shows time left.
 * Threat: the next person finding the previous one's session; the bounds stay in the main process
 * (three uses, the absolute session limit), the screen only mirrors them.
 */
import { untrack } from 'svelte';
import { i18n } from '../i18n/i18n.svelte.js';
import { call } from '../lib/api.js';
import { createTone, type TonePort } from '../lib/tone.js';
import { app } from './app.svelte.js';
import { display } from './display.svelte.js';
import { speech } from './speech.svelte.js';

const TOUCH_EVERY_MS = 30_000;
/**
 * A touch also follows the last input by this much, so the main process's idle time runs from the
 * same moment as the screen's: with touches only every 30 s, the main process could end a session
 * up to 30 s before the screen warns, and "Continue" or "More time" would find it gone.
 */
const TRAILING_TOUCH_MS = 2_000;
/** As in the main process (core/session/sessions.ts); the main process may answer with fewer. */
const MORE_TIME_USES = 3;

class IdleWatch {
  remaining = $state<number | undefined>(undefined);
  /** How often "more time" can still be used in this session. */
  moreTimeLeft = $state(MORE_TIME_USES);
  /** Whoever has switched on speech, large text or high contrast gets twice the idle time. */
  needsMoreTime = $derived(speech.on || display.largeText || display.highContrast);
  readonly #inSession = $derived(app.view !== undefined);
  readonly #tone: TonePort;
  private lastInput = Date.now();
  private lastTouch = 0;
  private trailingTouch: ReturnType<typeof setTimeout> | undefined;
  /** Added to this wait's end by "more time"; a new wait (any input) starts without it. */
  private extraMs = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(tone: TonePort) {
    this.#tone = tone;
  }

  start(): () => void {
    // While the warning shows, only its buttons continue: a touch must not fall through to the form.
    const onInput = (): void => {
      if (this.remaining === undefined) this.activity();
    };
    const events = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, onInput, { capture: true, passive: true });
    this.timer = setInterval(() => this.tick(), 250);
    const stopReset = app.onReset(() => {
      this.moreTimeLeft = MORE_TIME_USES;
      this.extraMs = 0;
    });
    // The main process doubles its idle limit as soon as both hold: a session, and the need.
    const stopAsking = $effect.root(() => {
      $effect(() => {
        if (this.needsMoreTime && this.#inSession) untrack(() => this.#keepAlive());
      });
    });
    return () => {
      for (const e of events) window.removeEventListener(e, onInput, { capture: true });
      clearInterval(this.timer);
      clearTimeout(this.trailingTouch);
      stopReset();
      stopAsking();
    };
  }

  activity(): void {
    this.lastInput = Date.now();
    this.remaining = undefined;
    this.extraMs = 0;
    if (!app.view) return;
    if (Date.now() - this.lastTouch > TOUCH_EVERY_MS) this.#keepAlive();
    clearTimeout(this.trailingTouch);
    this.trailingTouch = setTimeout(() => {
      if (app.view && this.lastTouch < this.lastInput) this.#keepAlive();
    }, TRAILING_TOUCH_MS);
  }

  /** "More time": what is left of the countdown doubles, here and in the main process. */
  moreTime = async (): Promise<void> => {
    const kiosk = app.info?.kiosk;
    if (!kiosk || this.remaining === undefined || this.moreTimeLeft <= 0) return;
    const leftMs = Math.max(0, this.#endMs(kiosk) - (Date.now() - this.lastInput));
    this.extraMs += leftMs;
    this.moreTimeLeft -= 1;
    this.remaining = Math.ceil((2 * leftMs) / 1000);
    speech.say(i18n.t('idle.moreTimeGiven', { s: this.remaining }), { interrupt: true });
    if (!app.view) return;
    const granted = await call('session.moreTime', { kind: 'MORE_TIME' });
    if (granted.ok) this.moreTimeLeft = Math.min(this.moreTimeLeft, granted.value.moreTimeLeft);
  };

  /** Renews the main-process session; for a person who needs more time, also with the doubled limit. */
  #keepAlive(): void {
    this.lastTouch = Date.now();
    void (this.needsMoreTime ? call('session.moreTime', { kind: 'NEEDS_MORE_TIME' }) : call('session.touch', {}));
  }

  #factor(): number {
    return this.needsMoreTime ? 2 : 1;
  }

  #endMs(kiosk: { idleWarnAfterMs: number; idleCountdownMs: number }): number {
    return this.#factor() * (kiosk.idleWarnAfterMs + kiosk.idleCountdownMs) + this.extraMs;
  }

  private tick(): void {
    const kiosk = app.info?.kiosk;
    if (!kiosk || (app.screen === 'welcome' && !app.view)) {
      this.remaining = undefined;
      return;
    }
    const idle = Date.now() - this.lastInput;
    if (idle < this.#factor() * kiosk.idleWarnAfterMs) return;
    const left = Math.ceil((this.#endMs(kiosk) - idle) / 1000);
    if (left > 0) {
      if (this.remaining === undefined) this.#announce(left);
      this.remaining = left;
      return;
    }
    this.remaining = undefined;
    this.lastInput = Date.now();
    void app.reset();
  }

  /** The warning by sound and, when speech is on, in words: once as it appears. */
  #announce(seconds: number): void {
    this.#tone.warn();
    const words = [i18n.t('idle.title'), i18n.t('idle.text', { s: seconds })];
    if (this.moreTimeLeft > 0) words.push(i18n.t('idle.moreTimeKey'));
    speech.say(words.join(' '), { interrupt: true });
  }
}

export const idle = new IdleWatch(createTone(window));
