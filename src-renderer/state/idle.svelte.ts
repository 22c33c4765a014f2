/**
 * Idle timeout (R12): after the warning time without input a countdown shows; when it runs out the
 * session ends and everything entered is wiped. Activity also keeps the main-process session alive.
 */
import { call } from '../lib/api.js';
import { app } from './app.svelte.js';

const TOUCH_EVERY_MS = 30_000;

class IdleWatch {
  remaining = $state<number | undefined>(undefined);
  private lastInput = Date.now();
  private lastTouch = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  start(): () => void {
    // While the warning shows, only its button continues: a touch must not fall through to the form.
    const onInput = (): void => {
      if (this.remaining === undefined) this.activity();
    };
    const events = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, onInput, { capture: true, passive: true });
    this.timer = setInterval(() => this.tick(), 250);
    return () => {
      for (const e of events) window.removeEventListener(e, onInput, { capture: true });
      clearInterval(this.timer);
    };
  }

  activity(): void {
    this.lastInput = Date.now();
    this.remaining = undefined;
    if (app.view && Date.now() - this.lastTouch > TOUCH_EVERY_MS) {
      this.lastTouch = Date.now();
      void call('session.touch', {});
    }
  }

  private tick(): void {
    const kiosk = app.info?.kiosk;
    if (!kiosk || (app.screen === 'welcome' && !app.view)) {
      this.remaining = undefined;
      return;
    }
    const idle = Date.now() - this.lastInput;
    if (idle < kiosk.idleWarnAfterMs) return;
    const left = Math.ceil((kiosk.idleWarnAfterMs + kiosk.idleCountdownMs - idle) / 1000);
    if (left > 0) {
      this.remaining = left;
      return;
    }
    this.remaining = undefined;
    this.lastInput = Date.now();
    void app.reset();
  }
}

export const idle = new IdleWatch();
