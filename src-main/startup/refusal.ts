/**
 * Why Kontokiosk will not start on a data directory. A refusal is the expected outcome of a lost
 * or wrong key, a damaged, unreadable or linked file, a bad configuration or a second instance:
 * the shells print its message (no stack trace) and exit with status 2. Messages name files and
 * problems, never file contents, so they are safe for logs.
 */
import { InvalidConfigError } from '../config/config.js';
import { DamagedFileError } from '../store/json-file.js';

export type StartupRefusalCode =
  | 'DATA_DIR_LOCKED'
  | 'SECRET_KEY_MISSING'
  | 'SECRET_KEY_INVALID'
  | 'SECRET_KEY_WRONG'
  | 'DATA_FILE_MISSING'
  | 'DATA_FILE_DAMAGED'
  | 'DATA_FILE_UNREADABLE'
  | 'DATA_FILE_SYMLINK'
  | 'CONFIG_INVALID'
  | 'CONSENT_TEXT_MISSING'
  | 'CONSENT_TEXT_INVALID'
  | 'BRANCH_KEY_MISSING'
  | 'BRANCH_KEY_INVALID'
  | 'BRANCH_KEY_EXPOSED'
  | 'DATABASE_UNREACHABLE'
  | 'DATABASE_SCHEMA_NEWER'
  | 'LETTER_TOKEN_MISSING'
  | 'LETTER_TOKEN_INVALID'
  | 'LETTER_TOKEN_EXPOSED'
  | 'LETTER_CA_INVALID'
  | 'SMTP_CA_UNREADABLE';

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

function damagedFileRefusal(error: DamagedFileError): StartupRefusal {
  return new StartupRefusal(
    'DATA_FILE_DAMAGED',
    error.file,
    `the file ${error.file} is damaged: ${error.problem}. ${RESTORE_ADVICE} The file was left unchanged.`,
  );
}

const FS_PROBLEMS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory, not a file',
  ELOOP: 'a symbolic link loop, or a symbolic link where a file belongs',
  ENOTDIR: 'a part of its path is not a directory',
  EEXIST: 'it exists but is not a directory',
};

const READING = new Set(['open', 'read', 'scandir', 'stat', 'lstat', 'fstat', 'readlink', 'access']);

/** A file the start-up cannot read or write (permissions, wrong type, link loop): the error's path and kind only. */
function fileSystemRefusal(error: unknown): StartupRefusal | undefined {
  const { code, path, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  if (typeof path !== 'string' || code === undefined) return undefined;
  const problem = FS_PROBLEMS[code];
  if (problem === undefined || (code === 'EEXIST' && syscall !== 'mkdir')) return undefined;
  const verb = syscall === undefined || READING.has(syscall) ? 'read' : 'write';
  return new StartupRefusal(
    'DATA_FILE_UNREADABLE',
    path,
    `cannot ${verb} ${path}: ${problem}. Everything in the data directory must be a plain file or folder owned by ` +
      'the user Kontokiosk runs as. Nothing was changed.',
  );
}

function configRefusal(error: InvalidConfigError): StartupRefusal {
  return new StartupRefusal(
    'CONFIG_INVALID',
    error.file,
    `the configuration file ${error.file} is not valid: ${error.problem}. Correct it (see README: configuration); nothing was changed.`,
  );
}

/** Expected start-up failures become refusals; anything else stays a bug and is returned unchanged. */
export function asStartupRefusal(error: unknown): unknown {
  if (error instanceof StartupRefusal) return error;
  if (error instanceof DamagedFileError) return damagedFileRefusal(error);
  if (error instanceof InvalidConfigError) return configRefusal(error);
  return fileSystemRefusal(error) ?? error;
}

/**
 * For the shells: print a refusal cleanly (and `show` it, e.g. in a dialog where no console is
 * seen) and exit with status 2; any other error is rethrown unchanged.
 */
export function exitOnStartupRefusal(error: unknown, show?: (message: string) => void): never {
  const refusal = asStartupRefusal(error);
  if (refusal instanceof StartupRefusal) {
    process.stderr.write(`${refusal.message}\n`);
    show?.(refusal.message);
    return process.exit(2);
  }
  throw error;
}
