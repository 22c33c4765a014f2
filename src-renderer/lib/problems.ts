/**
 * Which fields of a form an answer of the main process is about. A form declares, per field, the
 * input path the contract checks (VALIDATION_FAILED names the failing paths, never the values) and
 * the codes that concern it; an answer that names no field shown stays the one message above the
 * screen. Pure: the form state turns the groups into texts.
 */
import type { AppError } from '../../src-main/ipc/responses.js';

export interface FieldMap {
  /** Input path (its first segment) to field id. */
  readonly paths?: Readonly<Record<string, string>>;
  /** Error code to the field ids it concerns, in the order they appear on screen. */
  readonly codes?: Readonly<Record<string, readonly string[]>>;
}

/** One problem: the fields it concerns (the first is where its link leads), or none for a path no field shows. */
export interface ErrorGroup {
  readonly fields: readonly string[];
  /** For VALIDATION_FAILED: the input path it came from. */
  readonly path?: string;
}

const issuePaths = (error: AppError): string[] => {
  const issues = error.details?.['issues'];
  if (!Array.isArray(issues)) return [];
  return (issues as unknown[]).map((issue) =>
    typeof issue === 'object' && issue !== null && typeof (issue as { path?: unknown }).path === 'string'
      ? (issue as { path: string }).path
      : '',
  );
};

/** The problems an error names among the fields shown; [] when it names none of them. */
export function groupsOf(error: AppError, map: FieldMap, shown: (id: string) => boolean): ErrorGroup[] {
  if (error.code === 'VALIDATION_FAILED') {
    const groups: ErrorGroup[] = [];
    const seen = new Set<string>();
    let unplaced = false;
    for (const path of issuePaths(error)) {
      const field = map.paths?.[path.split('.')[0] ?? ''];
      if (field !== undefined && shown(field)) {
        if (!seen.has(field)) groups.push({ fields: [field], path });
        seen.add(field);
      } else {
        unplaced = true;
      }
    }
    // A path no field shows is still a problem: it is listed without a link, never dropped.
    if (groups.length > 0 && unplaced) groups.push({ fields: [] });
    return groups;
  }
  const fields = (map.codes?.[error.code] ?? []).filter(shown);
  return fields.length > 0 ? [{ fields }] : [];
}
