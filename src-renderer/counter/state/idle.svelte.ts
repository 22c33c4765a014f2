/**
 * Idle timeout of the counter (lib/idle.ts has the rule): a countdown before the end, then logout
 * and every datum dropped. Input keeps the staff session alive; while the warning shows, only its
 * button continues, so a stray key press cannot dismiss it unseen.
 */
import { call } from '../lib/api.js';
import { IDLE_MS, WARNING_MS, idleState, touchDue } from '../lib/idle.js';
import { counter } from './counter.svelte.js';

class IdleWatch {
  remaining = $state<number | undefined>(undefined);
  private timer: ReturnType<typeof setInterval> | undefined;

  start(): () => void {
    const onInput = (): void => {
      if (this.remaining === undefined) this.activity();
    };
    const events = ['pointerdown', 'keydown', 'input', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, onInput, { capture: true, passive: true });
    this.timer = setInterval(() => void this.tick(), 250);
    return () => {
      for (const e of events) window.removeEventListener(e, onInput, { capture: true });
      clearInterval(this.timer);
    };
  }

  /** Someone works: tell the main process now and then (touch when ready, state during the login). */
  activity(): void {
    if (!this.watching() || !touchDue(Date.now(), counter.lastCall)) return;
    counter.lastCall = Date.now();
    void this.touch();
  }

  /** The warning's button: the session is kept alive at once, whatever the touch interval. */
  async resume(): Promise<void> {
    this.remaining = undefined;
    counter.lastCall = Date.now();
    await this.touch();
  }

  private async touch(): Promise<void> {
    const r = counter.stage === 'READY' ? await call('staff.touch', {}) : await call('staff.state', {});
    if (!r.ok && (r.error.code === 'NOT_AUTHENTICATED' || r.error.code === 'STAFF_STAGE')) await counter.end(r.error);
  }

  private watching(): boolean {
    return counter.stage !== 'LOGIN' && counter.stage !== 'LOADING';
  }

  private async tick(): Promise<void> {
    if (!this.watching()) {
      this.remaining = undefined;
      return;
    }
    // As configured (policy.staff.idleMs); the warning keeps its 30 seconds.
    const state = idleState(Date.now(), counter.lastCall, { idleMs: counter.info?.staffIdleMs ?? IDLE_MS, warningMs: WARNING_MS });
    if (state.kind === 'ACTIVE') this.remaining = undefined;
    else if (state.kind === 'WARN') this.remaining = state.seconds;
    else {
      this.remaining = undefined;
      await counter.end({ key: 'common.idleLoggedOut' });
    }
  }
}

export const idle = new IdleWatch();
