/**
 * The branch key file (store.keyFile): the 32 bytes every terminal of a branch has a copy of.
 *
 * Threats: whoever reads it forges e-mail codes, activation keys, tokens and staff TOTP, opens
 * sealed secrets and, with write access to the database, rewrites the audit chain; whoever may
 * write it swaps it for a key of their own. So it must be readable by Kontokiosk's user (at most
 * also its group) and writable by no one else: a copy every user of the terminal can read is
 * refused, as ssh refuses such a private key. It is read like a data directory's key (no link
 * followed, no pipe or device waited on), and every refusal speaks of the branch key, never of a
 * data directory, and never prints the key.
 */
import { lstat } from 'node:fs/promises';
import { readKey } from '../../startup/data-files.js';
import { StartupRefusal } from '../../startup/refusal.js';

const COPY_ADVICE =
  "Copy the branch's key file from the backup or another terminal of the branch (never make a new one for a branch that has data).";

/** Group write and any access for others: what a key file must not allow. */
const EXPOSED = 0o027;

async function invalid(keyFile: string, error: unknown): Promise<unknown> {
  if (!(error instanceof StartupRefusal)) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') return error;
    return new StartupRefusal(
      'BRANCH_KEY_INVALID',
      keyFile,
      `the branch key file ${keyFile} cannot be read by the user Kontokiosk runs as. Make that user its owner (mode 600).`,
    );
  }
  if (error.code === 'SECRET_KEY_MISSING') {
    return new StartupRefusal('BRANCH_KEY_MISSING', keyFile, `the branch key file ${keyFile} does not exist. ${COPY_ADVICE}`);
  }
  if (error.code === 'DATA_FILE_SYMLINK') {
    return new StartupRefusal(
      'BRANCH_KEY_INVALID',
      keyFile,
      `the branch key file ${keyFile} is a symbolic link. Put the key file itself there (mode 600): a link can be pointed at another file. Nothing was changed.`,
    );
  }
  if (error.code !== 'SECRET_KEY_INVALID') return error;
  const info = await lstat(keyFile).catch(() => undefined);
  const what = info?.isFile() ? `has ${info.size} bytes instead of 32` : 'is not a regular file (a pipe, a device or a folder)';
  return new StartupRefusal('BRANCH_KEY_INVALID', keyFile, `the branch key file ${keyFile} ${what}. ${COPY_ADVICE}`);
}

export async function readBranchKey(keyFile: string): Promise<Uint8Array> {
  let key: Uint8Array;
  try {
    key = await readKey(keyFile, keyFile);
  } catch (error) {
    throw await invalid(keyFile, error);
  }
  // File modes say nothing on Windows; there the folder's access list guards the key.
  if (process.platform !== 'win32') {
    const mode = (await lstat(keyFile)).mode & 0o777;
    if ((mode & EXPOSED) !== 0) {
      throw new StartupRefusal(
        'BRANCH_KEY_EXPOSED',
        keyFile,
        `the branch key file ${keyFile} can be read or changed by other users of this machine (mode ${mode.toString(8)}). ` +
          `Whoever reads it can forge codes and rewrite the audit trail. Make it readable by the Kontokiosk user only: ` +
          `chmod 600 ${keyFile} (or 640 with a group only that user is in). Nothing was changed.`,
      );
    }
  }
  return key;
}
