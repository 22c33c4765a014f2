/**
 * A confirmed write must survive kill -9 and power loss: write a temp file, fsync it, rename it
 * over the target, fsync the directory. A reader only ever sees the old or the new file whole.
 * Shared by the store, the audit trail, the outbox and start-up; it knows no file format.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const TEMP_MARK = '.tmp-';

export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeAndRename(path: string, content: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `${basename(path)}${TEMP_MARK}${randomBytes(6).toString('hex')}`);
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function writeFileDurably(path: string, content: string | Uint8Array): Promise<void> {
  await writeAndRename(path, content);
  await fsyncDirectory(dirname(path));
}

/** Many files of one directory (a new store): each synced and renamed, the directory synced once. */
export async function writeFilesDurably(dir: string, files: readonly { name: string; content: string | Uint8Array }[]): Promise<void> {
  const batch = 64;
  for (let i = 0; i < files.length; i += batch) {
    await Promise.all(files.slice(i, i + batch).map((f) => writeAndRename(join(dir, f.name), f.content)));
  }
  await fsyncDirectory(dir);
}

/** Temp files left by a writer that died before its rename were never confirmed: remove them. */
export async function removeStaleTempFiles(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(dir)) {
    if (name.includes(TEMP_MARK)) await rm(join(dir, name), { force: true });
  }
}
