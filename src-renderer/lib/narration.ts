/**
 * Reads from the page what speech says: the text of an element as a screen reader would take it,
 * a field's facts, the screen's heading with its instruction and messages. Markers on the screens:
 * `data-speak="instruction"` (read with the heading), `data-speak="quiet"` (never read on its own),
 * `data-private` (personal data: read only after the headphones question), `data-secret` on a field
 * (a password or code: its value is never read).
 * Threat: personal data or a secret read aloud through the kiosk's loudspeaker; this file only
 * reports what is private (`isPrivate`, `isSecret`), state/narrator.ts withholds it.
 */
import { sentences, type FieldFacts } from './speechText.js';

/** What is read when it appears, and with the heading when the screen appears. */
const MESSAGES = '[role="alert"], [role="status"], .notice, [data-speak="instruction"], [data-private]';
export const DIALOG = '[role="dialog"], [role="alertdialog"]';
const SKIPPED = '[data-speak="quiet"], .error-summary';

type TextField = HTMLInputElement | HTMLTextAreaElement;

const hidden = (el: Element): boolean =>
  el.getAttribute('aria-hidden') === 'true' || (el instanceof HTMLElement && el.hidden) || el.getClientRects().length === 0;

/** The text of a node with its blocks (paragraphs, list items, table cells, a button's lines) on lines of their own. */
function lines(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  if (!(node instanceof Element) || hidden(node)) return '';
  if (node instanceof HTMLImageElement) return `\n${node.alt}\n`;
  if (node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement) return '';
  const inner = [...node.childNodes].map(lines).join('');
  const display = getComputedStyle(node).display;
  return display.startsWith('inline') || display === 'contents' ? inner : `\n${inner}\n`;
}

/** The text a person would hear for a node: hidden parts left out, an image by its description, blocks as sentences. */
export const textOf = (node: Node): string => sentences(lines(node).split('\n'));

const byIds = (ids: string | null): string[] =>
  (ids ?? '')
    .split(/\s+/)
    .map((id) => (id ? document.getElementById(id) : null))
    .filter((el): el is HTMLElement => el !== null)
    .map(textOf)
    .filter((text) => text !== '');

/** The name of a control: its label, or what it says. */
export function nameOf(el: HTMLElement): string {
  const labelled = byIds(el.getAttribute('aria-labelledby')).join(' ');
  if (labelled) return labelled;
  const aria = el.getAttribute('aria-label');
  if (aria) return aria;
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) return [...(el.labels ?? [])].map(textOf).join(' ');
  return textOf(el);
}

export const isTextField = (el: EventTarget | null): el is TextField =>
  el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(el.type));

/** Passwords and codes: whatever their type shows (a shown password is still one). */
export const isSecret = (el: TextField): boolean =>
  (el instanceof HTMLInputElement && el.type === 'password') || el.dataset['secret'] !== undefined || el.autocomplete === 'one-time-code';

export const isPrivate = (el: Element): boolean => el.closest('[data-private]') !== null;

export function fieldFacts(el: TextField | HTMLInputElement): FieldFacts {
  const described = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  const errors = described.filter((id) => id.endsWith('-error')).join(' ');
  const hints = described.filter((id) => !id.endsWith('-error')).join(' ');
  const box = el instanceof HTMLInputElement && el.type === 'checkbox';
  return {
    label: nameOf(el),
    kind: box ? 'checkbox' : 'text',
    value: box ? '' : el.value,
    checked: box && el.checked,
    secret: !box && isSecret(el),
    required: el.required,
    errors: byIds(errors),
    hints: byIds(hints),
  };
}

/** The outermost message around or at `el`, or undefined when it is none (or one never read on its own). */
export function messageAt(el: Element): Element | undefined {
  let found: Element | undefined;
  for (let at = el.closest(MESSAGES); at; at = at.parentElement?.closest(MESSAGES) ?? null) found = at;
  return found && !found.closest(SKIPPED) ? found : undefined;
}

/** Every message in `root`, outermost only, in reading order. */
export function messagesIn(root: Element): Element[] {
  const all = [...(root.matches(MESSAGES) ? [root] : []), ...root.querySelectorAll(MESSAGES)];
  return [...new Set(all.map(messageAt).filter((m): m is Element => m !== undefined && !hidden(m)))];
}

/** The parts a dialog opens with: its title and its description. */
export const dialogIntro = (dialog: Element): string[] =>
  [byIds(dialog.getAttribute('aria-labelledby')).join(' '), byIds(dialog.getAttribute('aria-describedby')).join(' ')].filter(Boolean);
