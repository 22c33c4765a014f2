/**
 * What a data directory holds, looked at without following links, and its key read safely.
 *
 * Threats: `store/` (or a shard, the register, a record file, the key, the audit trail or its
 * head) as a symbolic link lets two data directories, each with its own lock, write one store, and
 * the later write of a shard drops the other's confirmed changes; so links are refused. A key file that is a
 * device or a pipe (/dev/zero, a FIFO) would hang the start or fill the memory; so the key must be
 * a regular file, opened without blocking and read at most one byte past its size.
 */
import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ACCOUNTS_DIR, LAYOUT_FILE } from '../store/account-layout.js';
import { INBOX_FILE_NAME } from '../store/inbox-store.js';
import { OUTBOUND_FILE_NAME } from '../store/outbound-store.js';
import { REGISTER_FILE_NAME } from '../store/register-store.js';
import { STAFF_FILE_NAME } from '../store/staff-store.js';
import { RESTORE_ADVICE, StartupRefusal } from './refusal.js';

export const KEY_FILE = 'secret.key';
export const KEY_BYTES = 32;
export const STORE_DIR = 'store';
/** The store's record files beside the shards and the register (startup/record-files.ts). */
export const RECORD_FILES: readonly string[] = [STAFF_FILE_NAME, INBOX_FILE_NAME, OUTBOUND_FILE_NAME];

export interface Listing {
  readonly marker: boolean;
  readonly key: boolean;
  readonly store: boolean;
  readonly register: boolean;
  /** The account store (store/accounts/ with its layout file). */
  readonly accounts: boolean;
  /** Shard files of the earlier account store layout, migrated when the store opens. */
  readonly shards: ReadonlySet<string>;
  /** Which of RECORD_FILES are there. */
  readonly recordFiles: ReadonlySet<string>;
  readonly audit: boolean;
  readonly head: boolean;
}

type Kind = 'absent' | 'file' | 'dir' | 'symlink' | 'other';

function kindOf(info: { isSymbolicLink(): boolean; isFile(): boolean; isDirectory(): boolean }): Kind {
  if (info.isSymbolicLink()) return 'symlink';
  return info.isFile() ? 'file' : info.isDirectory() ? 'dir' : 'other';
}

async function lkind(path: string): Promise<Kind> {
  try {
    return kindOf(await lstat(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
}

function symlinkRefusal(path: string): StartupRefusal {
  return new StartupRefusal(
    'DATA_FILE_SYMLINK',
    path,
    `${path} is a symbolic link. Every file of a data directory must be a plain file inside it (store/ a plain ` +
      'folder): a link could let two data directories, each with its own lock, write one store. Replace the link with ' +
      'the file or folder itself. Nothing was changed.',
  );
}

/** Present (true), absent (false), or a refusal when it is a link or not the expected type. */
function present(path: string, kind: Kind, want: 'file' | 'dir'): boolean {
  if (kind === 'absent') return false;
  if (kind === 'symlink') throw symlinkRefusal(path);
  if (kind !== want) {
    const what = kind === 'dir' ? 'a directory' : kind === 'file' ? 'a file' : 'neither a file nor a directory';
    throw new StartupRefusal(
      'DATA_FILE_UNREADABLE',
      path,
      `cannot read ${path}: it is ${what}, where a ${want === 'file' ? 'plain file' : 'folder'} belongs. Nothing was changed.`,
    );
  }
  return true;
}

const SHARD_NAME = /^accounts-\d{4}\.json$/;

export async function listDataDir(dir: string, files: { marker: string; audit: string; head: string }): Promise<Listing> {
  const storeDir = join(dir, STORE_DIR);
  const store = present(storeDir, await lkind(storeDir), 'dir');
  let register = false;
  let accounts = false;
  const shards = new Set<string>();
  const recordFiles = new Set<string>();
  if (store) {
    for (const entry of await readdir(storeDir, { withFileTypes: true })) {
      if (entry.name === ACCOUNTS_DIR) {
        const layout = join(storeDir, ACCOUNTS_DIR, LAYOUT_FILE);
        accounts = present(join(storeDir, entry.name), kindOf(entry), 'dir') && present(layout, await lkind(layout), 'file');
        continue;
      }
      const isShard = SHARD_NAME.test(entry.name);
      const isRecordFile = RECORD_FILES.includes(entry.name);
      if (!isShard && !isRecordFile && entry.name !== REGISTER_FILE_NAME) continue;
      if (!present(join(storeDir, entry.name), kindOf(entry), 'file')) continue;
      if (isShard) shards.add(entry.name);
      else if (isRecordFile) recordFiles.add(entry.name);
      else register = true;
    }
  }
  const check = async (path: string) => present(path, await lkind(path), 'file');
  return {
    marker: await check(files.marker),
    key: await check(join(dir, KEY_FILE)),
    store,
    register,
    accounts,
    shards,
    recordFiles,
    audit: await check(files.audit),
    head: await check(files.head),
  };
}

/** A file a set-up directory always has is gone: what it held and that the backup brings it back. */
export function dataFileMissing(path: string, dir: string, what: string, extra = ''): StartupRefusal {
  return new StartupRefusal(
    'DATA_FILE_MISSING',
    path,
    `${path} (${what}) is missing, but the data directory ${dir} already holds data. ${RESTORE_ADVICE}${extra}`,
  );
}

function keyAdvice(): string {
  return (
    `${KEY_FILE} is a file of exactly ${KEY_BYTES} bytes beside the store. Restore it from the backup of this data directory; ` +
    'do not create a new one: every issued code, key and session would stop working.'
  );
}

export function keyMissing(keyPath: string, dir: string): StartupRefusal {
  return new StartupRefusal(
    'SECRET_KEY_MISSING',
    keyPath,
    `the key file ${keyPath} is missing, but the data directory ${dir} already holds data. ${keyAdvice()}`,
  );
}

export function keyWrong(keyPath: string, dir: string, why: string): StartupRefusal {
  return new StartupRefusal(
    'SECRET_KEY_WRONG',
    keyPath,
    `the key file ${keyPath} is not the key the data directory ${dir} was set up with (${why}); perhaps a copy of ` +
      `another terminal's key. ${keyAdvice()}`,
  );
}

export async function readKey(keyPath: string, dir: string): Promise<Uint8Array> {
  let handle;
  try {
    // No following of links, no waiting for a writer at a pipe.
    handle = await open(keyPath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw keyMissing(keyPath, dir);
    if (code === 'ELOOP') throw symlinkRefusal(keyPath);
    throw error;
  }
  try {
    if (!(await handle.stat()).isFile()) {
      throw new StartupRefusal('SECRET_KEY_INVALID', keyPath, `the key file ${keyPath} is not a regular file. ${keyAdvice()}`);
    }
    const buffer = Buffer.alloc(KEY_BYTES + 1);
    let bytesRead = 0;
    for (let n = -1; n !== 0 && bytesRead < buffer.length; bytesRead += n) {
      n = (await handle.read(buffer, bytesRead, buffer.length - bytesRead, bytesRead)).bytesRead;
    }
    if (bytesRead !== KEY_BYTES) {
      const size = bytesRead > KEY_BYTES ? `more than ${KEY_BYTES}` : String(bytesRead);
      throw new StartupRefusal(
        'SECRET_KEY_INVALID',
        keyPath,
        `the key file ${keyPath} has ${size} bytes instead of ${KEY_BYTES}. ${keyAdvice()}`,
      );
    }
    return Buffer.from(buffer.subarray(0, KEY_BYTES));
  } finally {
    await handle.close();
  }
}
