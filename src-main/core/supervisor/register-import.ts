/**
 * The register import from the supervisor's console (R10): the same validation as the CLI, a
 * report with line numbers, and a file without a single valid row (or with the wrong columns, a
 * broken CSV structure) changes nothing. The text arrives decoded: the channel layer refuses bytes
 * that are not UTF-8 before anything is parsed.
 *
 * Threat: a truncated or wrong export replaces the register and shuts out everyone it lacks (no
 * letters, no password reset, no help at the counter). So an import that would remove persons who
 * have an online account, or shrink the register by more than a tenth, is refused with the
 * numbers (problem SHRINKS) until the supervisor confirms exactly that. A register larger than
 * the store holds (the embedded store's ceiling) is refused first (REGISTER_TOO_LARGE), with the
 * ceiling and the way out: the PostgreSQL store.
 */
import { auditEntries, type Actor, type CoreDeps } from '../deps.js';
import { importRegisterCsv } from '../register/csv-import.js';
import { fail, ok, type Result } from '../result.js';

/** Rejected rows listed in the answer; the count covers all of them. */
const MAX_LISTED = 500;

export interface RegisterImportReport {
  readonly accepted: number;
  readonly rejectedCount: number;
  readonly rejected: readonly { readonly line: number; readonly reasons: readonly string[] }[];
}

const MAX_SHRINK = 0.1;

export async function importRegisterFromConsole(
  deps: CoreDeps,
  who: Actor,
  text: string,
  reason: string,
  acceptShrink = false,
): Promise<Result<RegisterImportReport>> {
  const now = deps.clock.now();
  let report: ReturnType<typeof importRegisterCsv>;
  try {
    report = importRegisterCsv(text);
  } catch (error) {
    // csv-parse names the line of a broken structure (an unclosed quote); its message may quote content.
    const line = (error as { lines?: unknown }).lines;
    return fail('CSV_INVALID', { problem: 'STRUCTURE', ...(typeof line === 'number' ? { line } : {}) });
  }
  if ('error' in report) return fail('CSV_INVALID', { problem: 'MISSING_COLUMNS', missing: report.missing });
  const rejected = report.rejected.map((r) => ({ line: r.line, reasons: r.reasons }));
  if (report.accepted.length === 0) {
    return fail('CSV_INVALID', { problem: 'NO_VALID_ROW', rejectedCount: rejected.length, rejected: rejected.slice(0, MAX_LISTED) });
  }
  // Before anything is compared or replaced: a register this large belongs in PostgreSQL.
  const max = deps.register.maxPersons;
  if (max !== undefined && report.accepted.length > max) {
    return fail('REGISTER_TOO_LARGE', { accepted: report.accepted.length, max, use: 'postgres' });
  }
  const current = await deps.register.count();
  const removed = await deps.register.missingFrom(new Set(report.accepted.map((p) => p.kvnr)));
  let removedWithAccount = 0;
  for (const kvnr of removed) if (await deps.accounts.findByKvnr(kvnr)) removedWithAccount += 1;
  const shrinks = removedWithAccount > 0 || report.accepted.length < current * (1 - MAX_SHRINK);
  if (shrinks && !acceptShrink) {
    return fail('CSV_INVALID', {
      problem: 'SHRINKS',
      current,
      accepted: report.accepted.length,
      removed: removed.length,
      removedWithAccount,
      rejectedCount: rejected.length,
    });
  }
  await deps.register.replaceAll(
    report.accepted,
    auditEntries(who, now, {
      type: 'REGISTER_IMPORTED',
      data: {
        accepted: report.accepted.length,
        rejected: rejected.length,
        removed: removed.length,
        removedWithAccount,
        reason,
        via: 'console',
      },
    }),
  );
  return ok({ accepted: report.accepted.length, rejectedCount: rejected.length, rejected: rejected.slice(0, MAX_LISTED) });
}
