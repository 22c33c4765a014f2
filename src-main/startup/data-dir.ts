/**
 * Opens a data directory safely before anything reads or writes it: takes the directory's lock,
 * checks that the key and every store file are there, and initialises a new directory.
 *
 * Model: a data directory is "initialised" once `data-dir.json` exists; it is written last when a
 * directory is set up, after the key, all shard files (empty), the register and the audit file.
 * From then on every one of those files must exist: a shard file is never "not yet written", so
 * a missing one was deleted. Without `data-dir.json`:
 *   - nothing of the store, no audit file: a new directory (perhaps with a register imported
 *     before the first start, or an initialisation cut short): set it up, keeping what is there;
 *   - shards or an audit file: a directory from before `data-dir.json`, adopted once: it must
 *     have its key and register; missing shards are created empty, as that version created them
 *     only on first write.
 * Threat: starting on a directory with a lost key, a deleted register or store, or a damaged file
 * looks like a working kiosk but silently invalidates every issued code or drops accounts; the
 * next write makes the loss permanent. So the start is refused with what to restore.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { InsuredPerson } from '../core/register/person.js';
import { DEFAULT_SHARDS, EMPTY_SHARD, shardFileName } from '../store/account-store.js';
import { fsyncDirectory, writeFileDurably, writeFilesDurably } from '../store/durable-file.js';
import { DamagedFileError, readJsonFile } from '../store/json-file.js';
import { REGISTER_FILE_NAME, writeRegisterFile } from '../store/register-store.js';
import { DEFAULT_LOCK_TIMING, lockDataDirectory, type LockTiming } from './data-dir-lock.js';
import { damagedFileRefusal, RESTORE_ADVICE, StartupRefusal } from './refusal.js';

export const KEY_FILE = 'secret.key';
export const KEY_BYTES = 32;
export const STORE_DIR = 'store';
export const MARKER_FILE = 'data-dir.json';

const markerSchema = z.object({ format: z.literal(1), shards: z.number().int().positive(), createdAt: z.string() });

export interface DataDirOptions {
  readonly dataDir: string;
  readonly auditFile: string;
  /** The register a new directory starts with (the demo register). */
  readonly initialRegister: readonly InsuredPerson[];
  /** Called when another process took the lock over while this one runs: this one must stop. */
  readonly onLockLost?: (error: Error) => void;
  readonly lockTiming?: LockTiming;
}

export interface OpenDataDir {
  readonly key: Uint8Array;
  /** Runs the rest of the start; on failure the lock is released and a damaged file becomes a refusal. */
  guard<T>(work: () => Promise<T>): Promise<T>;
  release(): Promise<void>;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function keyAdvice(): string {
  return (
    `${KEY_FILE} is a file of exactly ${KEY_BYTES} bytes beside the store. Restore it from the backup of this data directory; ` +
    'do not create a new one: every issued code, key and session would stop working.'
  );
}

async function readKey(keyPath: string, dir: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(keyPath, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new StartupRefusal(
      'SECRET_KEY_MISSING',
      keyPath,
      `the key file ${keyPath} is missing, but the data directory ${dir} already holds data. ${keyAdvice()}`,
    );
  }
  try {
    const key = await handle.readFile();
    if (key.length !== KEY_BYTES) {
      throw new StartupRefusal(
        'SECRET_KEY_INVALID',
        keyPath,
        `the key file ${keyPath} has ${key.length} bytes instead of ${KEY_BYTES}. ${keyAdvice()}`,
      );
    }
    return key;
  } finally {
    await handle.close();
  }
}

function missing(path: string, dir: string, what: string, extra = ''): StartupRefusal {
  return new StartupRefusal(
    'DATA_FILE_MISSING',
    path,
    `${path} (${what}) is missing, but the data directory ${dir} already holds data. ${RESTORE_ADVICE}${extra}`,
  );
}

interface Listing {
  readonly marker: boolean;
  readonly key: boolean;
  readonly store: boolean;
  readonly register: boolean;
  readonly shards: ReadonlySet<string>;
  readonly audit: boolean;
}

async function list(dir: string, auditFile: string): Promise<Listing> {
  const storeDir = join(dir, STORE_DIR);
  const store = await exists(storeDir);
  const names = store ? await readdir(storeDir) : [];
  return {
    marker: await exists(join(dir, MARKER_FILE)),
    key: await exists(join(dir, KEY_FILE)),
    store,
    register: names.includes(REGISTER_FILE_NAME),
    shards: new Set(names.filter((n) => /^accounts-\d{4}\.json$/.test(n))),
    audit: await exists(auditFile),
  };
}

const STORE_WHAT = 'the store directory with every account';
const REGISTER_WHAT = 'the register of insured persons';
const REGISTER_EXTRA = ' The register can also be imported again: npm run register:import -- <file.csv> <data directory>.';

/** Refuses a directory that holds data but lacks a file it needs, or whose key is not usable. */
async function check(dir: string, auditFile: string, found: Listing): Promise<void> {
  const storeDir = join(dir, STORE_DIR);
  if (found.marker) {
    const marker = await readJsonFile<z.infer<typeof markerSchema>>(join(dir, MARKER_FILE), { schema: markerSchema });
    if (marker && marker.shards !== DEFAULT_SHARDS) {
      throw new DamagedFileError(
        join(dir, MARKER_FILE),
        `the store was set up with ${marker.shards} shards, this version uses ${DEFAULT_SHARDS}`,
      );
    }
    await readKey(join(dir, KEY_FILE), dir);
    if (!found.store) throw missing(storeDir, dir, STORE_WHAT);
    if (!found.register) throw missing(join(storeDir, REGISTER_FILE_NAME), dir, REGISTER_WHAT, REGISTER_EXTRA);
    const absent = Array.from({ length: DEFAULT_SHARDS }, (_, i) => shardFileName(i)).filter((n) => !found.shards.has(n));
    const first = absent[0];
    if (first !== undefined) {
      const more = absent.length > 1 ? ` (and ${absent.length - 1} more shard files)` : '';
      throw missing(
        join(storeDir, first),
        dir,
        'a shard of the account store',
        ` Every shard file exists from the set-up on, so this one was removed${more}.`,
      );
    }
    if (!found.audit) throw missing(auditFile, dir, 'the audit trail');
    return;
  }
  if (found.shards.size > 0 || found.audit) {
    await readKey(join(dir, KEY_FILE), dir);
    if (found.audit && !found.store) throw missing(storeDir, dir, STORE_WHAT);
    if (found.audit && !found.register) throw missing(join(storeDir, REGISTER_FILE_NAME), dir, REGISTER_WHAT, REGISTER_EXTRA);
  } else if (found.key) {
    await readKey(join(dir, KEY_FILE), dir);
  }
}

/** Writes what a set-up directory must hold, then the marker that says it is complete. */
async function initialise(dir: string, auditFile: string, found: Listing, initialRegister: readonly InsuredPerson[]): Promise<void> {
  const storeDir = join(dir, STORE_DIR);
  if (!found.key) await writeFileDurably(join(dir, KEY_FILE), randomBytes(KEY_BYTES));
  await mkdir(storeDir, { recursive: true, mode: 0o700 });
  const shards = Array.from({ length: DEFAULT_SHARDS }, (_, i) => shardFileName(i)).filter((n) => !found.shards.has(n));
  await writeFilesDurably(
    storeDir,
    shards.map((name) => ({ name, content: EMPTY_SHARD })),
  );
  if (!found.register) await writeRegisterFile(storeDir, initialRegister);
  if (!found.audit) {
    await (await open(auditFile, 'a', 0o600)).close();
    await fsyncDirectory(dir);
  }
  const marker: z.infer<typeof markerSchema> = { format: 1, shards: DEFAULT_SHARDS, createdAt: new Date().toISOString() };
  await writeFileDurably(join(dir, MARKER_FILE), JSON.stringify(marker));
}

function exitOnLockLost(error: Error): void {
  process.stderr.write(`Kontokiosk stops: another process took over the lock of its data directory (${error.message}).\n`);
  process.exit(3);
}

export async function openDataDirectory(options: DataDirOptions): Promise<OpenDataDir> {
  const dir = resolve(options.dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const lock = await lockDataDirectory(dir, options.onLockLost ?? exitOnLockLost, options.lockTiming ?? DEFAULT_LOCK_TIMING);
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      await lock.release();
      throw error instanceof DamagedFileError ? damagedFileRefusal(error) : error;
    }
  };
  return guard(async () => {
    const found = await list(dir, options.auditFile);
    await check(dir, options.auditFile, found);
    if (!found.marker) await initialise(dir, options.auditFile, found, options.initialRegister);
    const key = await readKey(join(dir, KEY_FILE), dir);
    return { key, guard, release: () => lock.release() };
  });
}
