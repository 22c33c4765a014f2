/**
 * One check of a kiosk screen's layout and touch targets, evaluated in the page: no horizontal
 * scroll; every visible control inside the viewport's width, not cut off by an ancestor that hides
 * overflow, its words not spilling out of it, and overlapping no other control; with a density
 * given, every control at least 9 mm on both sides and at least 2 mm from every other. Controls
 * under an open modal dialog or in an inert part do not count (nobody can reach them); a tick box
 * counts as its label, which is what a finger taps.
 */
import type { Page } from '@playwright/test';

export interface LayoutCheck {
  /** CSS pixels per millimetre: also checks the 9 mm targets and the 2 mm gaps at this density. */
  readonly pixelsPerMm?: number;
  /** Only the controls inside this element (the on-screen keyboard, which lies over the page). */
  readonly within?: string;
}

/** What is wrong on the current screen, one line each; empty when nothing is. */
export function layoutProblems(page: Page, check: LayoutCheck = {}): Promise<string[]> {
  return page.evaluate(inPage, {
    targetPx: check.pixelsPerMm ? 9 * check.pixelsPerMm : 0,
    gapPx: check.pixelsPerMm ? 2 * check.pixelsPerMm : 0,
    within: check.within ?? '',
  });
}

function inPage({ targetPx, gapPx, within }: { targetPx: number; gapPx: number; within: string }): string[] {
  const EPS = 0.5;
  const CONTROLS =
    'button, a[href], input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="link"], [role="checkbox"], [role="radio"], [role="switch"]';
  const problems: string[] = [];
  const scroller = document.scrollingElement ?? document.documentElement;
  if (!within && scroller.scrollWidth > scroller.clientWidth) {
    problems.push(`horizontal scroll: ${scroller.scrollWidth} > ${scroller.clientWidth}`);
  }
  const viewport = scroller.clientWidth;
  const label = (el: Element): string => {
    const text = (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${text ? ` "${text}"` : ''}`;
  };
  const scope = within ? document.querySelector(within) : (document.querySelector('[aria-modal="true"]') ?? document.body);
  if (!scope) return [`nothing matches ${within}`];

  const targets: { el: Element; box: DOMRect }[] = [];
  for (const control of scope.querySelectorAll(CONTROLS)) {
    if (control.closest('[inert]') || !control.checkVisibility({ visibilityProperty: true })) continue;
    const tickBox = control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio');
    const el = (tickBox && control.closest('label')) || control;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    // Moved off screen on purpose until it takes focus (the skip link).
    if (box.right <= 0 && document.activeElement !== control) continue;
    if (targets.some((t) => t.el === el)) continue;
    targets.push({ el, box });
  }

  for (const { el, box } of targets) {
    const name = label(el);
    if (box.left < -EPS || box.right > viewport + EPS)
      problems.push(`${name} cut off by the screen's edge (${box.left}…${box.right} of ${viewport})`);
    if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement)) {
      if (el.scrollWidth > el.clientWidth + 1) problems.push(`${name}: its content spills out (${el.scrollWidth} > ${el.clientWidth})`);
    }
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      const outer = up.getBoundingClientRect();
      const hides = (v: string) => v === 'hidden' || v === 'clip';
      const clippedX = hides(style.overflowX) && (box.left < outer.left - EPS || box.right > outer.right + EPS);
      const clippedY = hides(style.overflowY) && (box.top < outer.top - EPS || box.bottom > outer.bottom + EPS);
      if (clippedX || clippedY) problems.push(`${name} cut off by ${label(up)} (overflow hidden)`);
    }
    if (targetPx > 0 && (box.width < targetPx - EPS || box.height < targetPx - EPS)) {
      problems.push(`${name} is ${box.width.toFixed(1)}×${box.height.toFixed(1)} px, under ${targetPx.toFixed(1)} px`);
    }
  }

  for (let i = 0; i < targets.length; i += 1) {
    for (let j = i + 1; j < targets.length; j += 1) {
      const a = targets[i];
      const b = targets[j];
      if (!a || !b || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const dx = Math.max(b.box.left - a.box.right, a.box.left - b.box.right);
      const dy = Math.max(b.box.top - a.box.bottom, a.box.top - b.box.bottom);
      if (dx < -EPS && dy < -EPS) problems.push(`${label(a.el)} overlaps ${label(b.el)}`);
      else if (gapPx > 0 && Math.hypot(Math.max(0, dx), Math.max(0, dy)) < gapPx - EPS) {
        problems.push(
          `${label(a.el)} and ${label(b.el)} only ${Math.hypot(Math.max(0, dx), Math.max(0, dy)).toFixed(1)} px apart, under ${gapPx.toFixed(1)} px`,
        );
      }
    }
  }
  return problems;
}
