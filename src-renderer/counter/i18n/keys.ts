/**
 * Keys the counter's catalogues must hold because the main process can send them: every error code
 * (the counter's own and the shared ones), every rule of the staff password, every audit event type
 * the security history shows and every refusal of a register file. A code added in the core without
 * a German and an English text fails the type check here, not a lookup at the desk.
 * Type-only imports: the renderer never loads main-process code.
 */
import type { AuditEventType, ErrorCode, StaffPasswordRule } from '../../../src-main/ipc/responses.js';

export type ErrorKey = `error.${ErrorCode}`;
export type { StaffPasswordRule };
export type RuleKey = `rule.${StaffPasswordRule}`;
type EventKey = `event.${AuditEventType}`;

/** Why the main process refused a register file (CSV_INVALID details.problem, see ipc/register-upload.ts and the core's import). */
export const IMPORT_PROBLEMS = [
  'MISSING_COLUMNS',
  'STRUCTURE',
  'NO_VALID_ROW',
  'SHRINKS',
  'ENCODING',
  'SIZE',
  'SEQUENCE',
  'INCOMPLETE',
] as const;
export type ImportProblem = (typeof IMPORT_PROBLEMS)[number];
type ImportProblemKey = `import.problem.${ImportProblem}`;

/** What de.ts (the source catalogue) must satisfy: all required keys, plus any screen texts. */
export type SourceCatalogue = Readonly<Record<ErrorKey | RuleKey | EventKey | ImportProblemKey, string> & Record<string, string>>;

export type { KeysWithPlaceholders, PlaceholderMismatch } from '../../i18n/keys.js';
