/**
 * Why Kontokiosk will not start on a data directory. A refusal is the expected outcome of a lost
 * key, a damaged file or a second instance: the shells print its message (no stack trace) and
 * exit non-zero. Messages name files and problems, never file contents, so they are safe for logs.
 */
import { DamagedFileError } from '../store/json-file.js';

export type StartupRefusalCode =
  'DATA_DIR_LOCKED' | 'SECRET_KEY_MISSING' | 'SECRET_KEY_INVALID' | 'DATA_FILE_MISSING' | 'DATA_FILE_DAMAGED';

export class StartupRefusal extends Error {
  constructor(
    readonly code: StartupRefusalCode,
    /** The file or directory the operator has to look at. */
    readonly path: string,
    /** What is wrong and what to do, without the "will not start" lead (for tools other than the app). */
    readonly reason: string,
  ) {
    super(`Kontokiosk will not start: ${reason}`);
    this.name = 'StartupRefusal';
  }
}

export const RESTORE_ADVICE = 'Restore it from the backup of this data directory.';

export function damagedFileRefusal(error: DamagedFileError): StartupRefusal {
  return new StartupRefusal(
    'DATA_FILE_DAMAGED',
    error.file,
    `the file ${error.file} is damaged: ${error.problem}. ${RESTORE_ADVICE} The file was left unchanged.`,
  );
}

/** A damaged store file found while opening the stores becomes a refusal; anything else stays a bug. */
export function asStartupRefusal(error: unknown): unknown {
  return error instanceof DamagedFileError ? damagedFileRefusal(error) : error;
}

/**
 * For the shells: print a refusal cleanly (and `show` it, e.g. in a dialog where no console is
 * seen) and exit with status 2; any other error is rethrown unchanged.
 */
export function exitOnStartupRefusal(error: unknown, show?: (message: string) => void): never {
  if (error instanceof StartupRefusal) {
    process.stderr.write(`${error.message}\n`);
    show?.(error.message);
    return process.exit(2);
  }
  throw error;
}
