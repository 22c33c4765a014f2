/**
 * Keys the counter's catalogues must hold because the main process can send them: every error code
 * (the counter's own and the shared ones) and every rule of the staff password. A code added in the
 * core without a German and an English text fails the type check here, not a lookup at the desk.
 * Type-only imports: the renderer never loads main-process code.
 */
import type { ErrorCode, StaffPasswordRule } from '../../../src-main/ipc/responses.js';

export type ErrorKey = `error.${ErrorCode}`;
export type { StaffPasswordRule };
export type RuleKey = `rule.${StaffPasswordRule}`;

/** What de.ts (the source catalogue) must satisfy: all required keys, plus any screen texts. */
export type SourceCatalogue = Readonly<Record<ErrorKey | RuleKey, string> & Record<string, string>>;

export type { KeysWithPlaceholders, PlaceholderMismatch } from '../../i18n/keys.js';
