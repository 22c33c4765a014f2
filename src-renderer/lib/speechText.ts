/**
 * What is said about a field, a control and a keystroke, built from plain facts (lib/narration.ts
 * reads them from the page). Threat: a secret read aloud to whoever stands near the kiosk. A secret
 * field's value never enters a text built here: the facts carry it only to tell empty from filled,
 * and a keystroke in it is only "character entered" or "character deleted", never the character.
 */
import type { MessageKey } from '../i18n/de.js';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

export interface FieldFacts {
  readonly label: string;
  readonly kind: 'text' | 'checkbox';
  /** The text typed so far (for a box: ignored). */
  readonly value: string;
  readonly checked: boolean;
  /** Passwords and codes: only "filled in" or "empty" is said. */
  readonly secret: boolean;
  readonly required: boolean;
  /** The messages about the field's problem, then its hints, as the page describes it. */
  readonly errors: readonly string[];
  readonly hints: readonly string[];
}

/** Parts joined into sentences; an empty part is left out. */
export function sentences(parts: readonly (string | undefined)[]): string {
  return parts
    .map((p) => (p ?? '').replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '')
    .map((p) => (/[.!?:…]$/.test(p) ? p : `${p}.`))
    .join(' ');
}

export function fieldSpeech(field: FieldFacts, t: T): string {
  const state =
    field.kind === 'checkbox'
      ? t(field.checked ? 'speech.checked' : 'speech.unchecked')
      : field.value === ''
        ? t('speech.empty')
        : field.secret
          ? t('speech.filled')
          : field.value;
  return sentences([field.label, field.required ? t('common.required') : undefined, state, ...field.errors, ...field.hints]);
}

export function controlSpeech(name: string, state: { readonly pressed?: boolean }, t: T): string {
  return sentences([name, t('speech.roleButton'), state.pressed === true ? t('speech.pressed') : undefined]);
}

/** What one change of a field's text says: the characters typed (never in a secret field), or that one was deleted. */
export function typingSpeech(before: string, after: string, secret: boolean, t: T): string | undefined {
  if (before === after) return undefined;
  if (after.length < before.length) return t('speech.characterDeleted');
  if (secret) return t('speech.characterEntered');
  let start = 0;
  while (start < before.length && before[start] === after[start]) start += 1;
  let end = 0;
  while (end < before.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end += 1;
  const typed = after.slice(start, after.length - end);
  return typed === ' ' ? t('keyboard.space') : typed;
}
