/**
 * A confirmed write must survive kill -9 and power loss: write a temp file, fsync it, rename it
 * over the target, fsync the directory. A reader only ever sees the old or the new file whole.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';

const TEMP_MARK = '.tmp-';

export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeFileDurably(path: string, content: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `${basename(path)}${TEMP_MARK}${randomBytes(6).toString('hex')}`);
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
  await fsyncDirectory(dir);
}

/** Temp files left by a writer that died before its rename were never confirmed: remove them. */
export async function removeStaleTempFiles(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(dir)) {
    if (name.includes(TEMP_MARK)) await rm(join(dir, name), { force: true });
  }
}

/** lowdb adapter with the durable write above; compact JSON, since nobody reads these by hand. */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(private readonly path: string) {}

  async read(): Promise<T | null> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  write(data: T): Promise<void> {
    return writeFileDurably(this.path, JSON.stringify(data));
  }
}
