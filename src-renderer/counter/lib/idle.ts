/**
 * The counter's idle rule (R10, policy.staff.idleMs): the main process ends a staff session after
 * five minutes without a call, so the screen counts from the last call it made, not from the last
 * key press: a warning 30 seconds before, then logout. Input keeps the session alive by a touch at
 * most every TOUCH_EVERY_MS, so the warning may come up to that much early, never late.
 */
export const IDLE_MS = 5 * 60_000;
export const WARNING_MS = 30_000;
export const TOUCH_EVERY_MS = 15_000;

export type IdleState = { readonly kind: 'ACTIVE' } | { readonly kind: 'WARN'; readonly seconds: number } | { readonly kind: 'END' };

export function idleState(now: number, lastCall: number, limits = { idleMs: IDLE_MS, warningMs: WARNING_MS }): IdleState {
  const idle = now - lastCall;
  if (idle >= limits.idleMs) return { kind: 'END' };
  if (idle < limits.idleMs - limits.warningMs) return { kind: 'ACTIVE' };
  return { kind: 'WARN', seconds: Math.ceil((limits.idleMs - idle) / 1000) };
}

/** Whether input now should tell the main process that someone is still working. */
export function touchDue(now: number, lastCall: number): boolean {
  return now - lastCall >= TOUCH_EVERY_MS;
}
