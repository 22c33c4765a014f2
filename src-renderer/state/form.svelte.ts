/**
 * The problems of one form, shown all at once: what the renderer can see itself at submit (empty
 * required fields, unticked boxes, slips the screen names) and what the main process answered
 * about its fields. Fields register themselves through the context, so the summary follows the
 * form as it is drawn. An answer about no field shown is left to the message above the screen.
 * Texts are kept as functions, so a change of language redraws them.
 */
import { getContext, setContext, untrack } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import type { AppError } from '../../src-main/ipc/responses.js';
import { i18n } from '../i18n/i18n.svelte.js';
import { errorRules, errorText } from '../lib/errorText.js';
import { groupsOf, type FieldMap } from '../lib/problems.js';
import { app } from './app.svelte.js';

export interface Problem {
  /** Where the link leads and under which field the message stands; undefined: listed only. */
  readonly field: string | undefined;
  /** Further fields the problem marks invalid (their description points at the message). */
  readonly also: readonly string[];
  readonly code: string;
  readonly text: () => string;
  readonly rules: () => readonly { rule: string; text: string }[];
}

interface FieldEntry {
  readonly label: () => string;
  /** How the problem of an empty field is named: REQUIRED, or e.g. CONSENT_REQUIRED for a consent box. */
  readonly code: string;
  /** The message when the field is left empty (or unticked), else undefined. */
  readonly missing: () => string | undefined;
}

const noRules = (): readonly { rule: string; text: string }[] => [];

/** A slip the screen finds itself, e.g. a date it cannot read; `code` names it for tests and styling. */
export const slip = (field: string, code: string, text: () => string): Problem => ({ field, also: [], code, text, rules: noRules });

const byPosition = (a: Problem, b: Problem): number => {
  const x = a.field ? document.getElementById(a.field) : null;
  const y = b.field ? document.getElementById(b.field) : null;
  if (!x || !y) return x ? -1 : y ? 1 : 0;
  return x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
};

export class FormCheck {
  readonly #fields = new SvelteMap<string, FieldEntry>();
  readonly #map: () => FieldMap;
  #local = $state.raw<readonly Problem[]>([]);
  /** Bumped on every failed submit: the summary takes focus again even if it lists the same. */
  attempt = $state(0);

  readonly problems: readonly Problem[] = $derived.by(() => {
    const error = app.error;
    return [...this.#local, ...(error ? this.#fromMain(error) : [])];
  });

  constructor(map: () => FieldMap = () => ({})) {
    this.#map = map;
    $effect(() => app.claim((error) => this.#fromMain(error).length > 0));
    // A new answer about this form's fields is a failed submit like any other.
    $effect(() => {
      const error = app.error;
      if (error && untrack(() => this.#fromMain(error).length > 0)) untrack(() => (this.attempt += 1));
    });
  }

  #fromMain(error: AppError): Problem[] {
    return groupsOf(error, this.#map(), (id) => this.#fields.has(id)).map(({ fields, path }) => {
      const [field, ...also] = fields;
      const label = field ? this.#fields.get(field)?.label : undefined;
      const text = path !== undefined && label ? () => i18n.t('form.check', { label: label() }) : () => errorText(error);
      return { field, also, code: error.code, text, rules: () => errorRules(error) };
    });
  }

  /** Called by a field while it is drawn; returns its removal. */
  register(id: string, entry: FieldEntry): () => void {
    this.#fields.set(id, entry);
    return () => this.#fields.delete(id);
  }

  /**
   * The checks the renderer can make before asking the main process. `slips` are the screen's own
   * findings; a field already named as empty gets no second one. False: the summary lists them all.
   */
  check(slips: readonly (Problem | false | undefined)[] = []): boolean {
    const found: Problem[] = [];
    for (const [id, entry] of this.#fields) {
      const message = entry.missing();
      if (message !== undefined) found.push(slip(id, entry.code, () => entry.missing() ?? message));
    }
    for (const extra of slips) if (extra && !found.some((p) => p.field === extra.field)) found.push(extra);
    this.#local = found.sort(byPosition);
    if (found.length === 0) return true;
    // The last answer belongs to the previous attempt; this one stopped before asking.
    app.error = undefined;
    app.slip = undefined;
    this.attempt += 1;
    return false;
  }

  /** The problem whose message stands under this field. */
  messageFor(id: string): Problem | undefined {
    return this.problems.find((p) => p.field === id);
  }

  invalid(id: string): boolean {
    return this.problems.some((p) => p.field === id || p.also.includes(id));
  }

  /** The id of the message that describes the field's problem, if it has one. */
  describedBy(id: string): string | undefined {
    const problem = this.problems.find((p) => p.field === id || p.also.includes(id));
    return problem?.field ? `${problem.field}-error` : undefined;
  }
}

const KEY = Symbol('form-check');

export const setFormCheck = (form: FormCheck): FormCheck => setContext(KEY, form);
export const getFormCheck = (): FormCheck | undefined => getContext<FormCheck | undefined>(KEY);
