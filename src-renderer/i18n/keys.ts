/**
 * Keys the catalogues must hold because the main process can send them: every error code and
 * every password rule. A code or rule added in the core without a German and an English text
 * fails the type check here instead of crashing a lookup on the kiosk.
 * Type-only imports: the renderer never loads main-process code.
 */
import type { CounterErrorCode, ErrorCode, PasswordRule } from '../../src-main/ipc/responses.js';

/** The kiosk's error keys: every code but those only counter channels answer with. */
export type ErrorKey = `error.${Exclude<ErrorCode, CounterErrorCode>}`;
export type RuleKey = `rule.${PasswordRule}`;
type RequiredKey = ErrorKey | RuleKey;

/** What de.ts (the source catalogue) must satisfy: all required keys, plus any screen texts. */
export type SourceCatalogue = Readonly<Record<RequiredKey, string> & Record<string, string>>;

/** The placeholder names in a text, e.g. 'remaining' in 'Noch {remaining} Versuche.'. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;

/** Keys whose texts name at least one placeholder in catalogue C. */
export type KeysWithPlaceholders<C extends Record<string, string>> = {
  [K in keyof C & string]: [Placeholders<C[K]>] extends [never] ? never : K;
}[keyof C & string];

/** Keys whose placeholders differ between two catalogues (a translation that would show "{x}"). */
export type PlaceholderMismatch<A extends Record<string, string>, B extends Record<keyof A, string>> = {
  [K in keyof A & string]: [Placeholders<A[K]>] extends [Placeholders<B[K]>]
    ? [Placeholders<B[K]>] extends [Placeholders<A[K]>]
      ? never
      : K
    : K;
}[keyof A & string];
