/**
 * The kiosk with a keypad alone. Tab and the arrows move, Enter activates (the browser's own);
 * F1 switches speech on and off, F2 repeats, Escape goes back (the screen's button marked
 * `data-key="back"`); a long press anywhere (three seconds, without moving) switches speech too.
 * When the focused control disappears (a form's next step replaced it) focus goes to the screen's
 * heading instead of falling out of the page, so a person without sight is never left nowhere.
 * Threat: a key taken from a field or a dialog that needs it. Escape belongs to an open dialog
 * (it closes it); F1 and F2 type nothing, and their browser meanings (help page) are not wanted.
 */
import { DIALOG } from './narration.js';

const LONG_PRESS_MS = 3000;
const MOVE_PX = 12;

export interface KeypadActions {
  toggle(): void;
  repeat(): void;
  /** Escape on a screen without a way back. */
  noBack(): void;
}

const dialogOpen = (): boolean => document.querySelector(DIALOG) !== null;

function back(actions: KeypadActions): void {
  const button = document.querySelector<HTMLButtonElement>('main [data-key="back"]');
  if (button && !button.disabled && button.getClientRects().length > 0) button.click();
  else actions.noBack();
}

export function startKeypad(actions: KeypadActions): () => void {
  let swallow = false;
  const onKey = (event: KeyboardEvent): void => {
    swallow = false;
    if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    if (event.key === 'F1' || event.key === 'F2') {
      event.preventDefault();
      if (!event.repeat) (event.key === 'F1' ? actions.toggle : actions.repeat)();
    } else if (event.key === 'Escape' && !event.shiftKey && !dialogOpen()) {
      event.preventDefault();
      back(actions);
    }
  };

  // A long press: a held pointer that neither moves nor lifts. The tap it ends in does nothing else.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let start: { x: number; y: number } | undefined;
  const stop = (): void => {
    clearTimeout(timer);
    timer = undefined;
    start = undefined;
  };
  const onDown = (event: PointerEvent): void => {
    stop();
    swallow = false;
    if (!event.isPrimary) return;
    start = { x: event.clientX, y: event.clientY };
    timer = setTimeout(() => {
      stop();
      swallow = true;
      actions.toggle();
    }, LONG_PRESS_MS);
  };
  const onMove = (event: PointerEvent): void => {
    if (start && Math.hypot(event.clientX - start.x, event.clientY - start.y) > MOVE_PX) stop();
  };
  const onClick = (event: Event): void => {
    if (!swallow) return;
    swallow = false;
    event.preventDefault();
    event.stopPropagation();
  };
  // A touch screen opens a context menu on a long press, which would cancel the pointer: not while one is timed.
  const onMenu = (event: Event): void => {
    if (timer !== undefined || swallow) event.preventDefault();
  };

  // Focus that fell out of the page because its control was replaced goes to the screen's heading.
  let last: Element | null = null;
  const onFocus = (event: FocusEvent): void => {
    last = event.target instanceof Element ? event.target : null;
  };
  let rescue: ReturnType<typeof setTimeout> | undefined;
  const observer = new MutationObserver(() => {
    if (rescue !== undefined || !last || last.isConnected) return;
    rescue = setTimeout(() => {
      rescue = undefined;
      const lost = document.activeElement === null || document.activeElement === document.body;
      if (lost && last && !last.isConnected && !dialogOpen()) document.querySelector<HTMLElement>('main h1')?.focus();
    }, 0);
  });
  observer.observe(document.body, { childList: true, subtree: true });

  window.addEventListener('keydown', onKey, true);
  window.addEventListener('pointerdown', onDown, true);
  window.addEventListener('pointermove', onMove, true);
  window.addEventListener('pointerup', stop, true);
  window.addEventListener('pointercancel', stop, true);
  window.addEventListener('click', onClick, true);
  window.addEventListener('contextmenu', onMenu, true);
  document.addEventListener('focusin', onFocus);
  return () => {
    stop();
    clearTimeout(rescue);
    observer.disconnect();
    window.removeEventListener('keydown', onKey, true);
    window.removeEventListener('pointerdown', onDown, true);
    window.removeEventListener('pointermove', onMove, true);
    window.removeEventListener('pointerup', stop, true);
    window.removeEventListener('pointercancel', stop, true);
    window.removeEventListener('click', onClick, true);
    window.removeEventListener('contextmenu', onMenu, true);
    document.removeEventListener('focusin', onFocus);
  };
}
