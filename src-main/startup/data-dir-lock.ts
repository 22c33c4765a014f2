/**
 * One process per data directory. Two processes on one store each keep their own in-memory copy
 * of every shard, so the later write of a shard silently drops the other's confirmed changes.
 *
 * Model: proper-lockfile's lock directory `<data>/.lock` (atomic mkdir, mtime refreshed every
 * second while held; a lock not refreshed for `staleMs` belongs to a dead process and is taken
 * over). Beside it `<data>/.lock-holder.json` names the holder (pid, host), so a refusal can say
 * who holds the directory, and a lock whose holder on this host no longer exists (kill -9, power
 * cut) is taken over at once instead of after `staleMs`.
 *
 * Threats and limits: a holder whose lock was taken over (its event loop stalled past `staleMs`,
 * or two starts raced for a dead holder's lock within milliseconds) learns it on its next refresh
 * and must stop: `onLost` is called. On another host (a shared network folder) only the mtime rule
 * applies, since a pid means nothing there.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { lock } from 'proper-lockfile';
import { z } from 'zod';
import { StartupRefusal } from './refusal.js';

export const LOCK_DIR = '.lock';
export const LOCK_HOLDER_FILE = '.lock-holder.json';

export interface LockTiming {
  /** A lock not refreshed for this long is stale (proper-lockfile's minimum is 2000). */
  readonly staleMs: number;
  /** How long a start waits for an undecidable lock (holder unknown) to become stale. */
  readonly waitMs: number;
}

export const DEFAULT_LOCK_TIMING: LockTiming = { staleMs: 5_000, waitMs: 6_500 };

export interface DataDirLock {
  release(): Promise<void>;
}

const holderSchema = z.object({ pid: z.number().int().positive(), host: z.string(), startedAt: z.string() });
type Holder = z.infer<typeof holderSchema>;

async function readHolder(dir: string): Promise<Holder | undefined> {
  try {
    const parsed = holderSchema.safeParse(JSON.parse(await readFile(join(dir, LOCK_HOLDER_FILE), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function writeHolder(dir: string, holder: Holder): Promise<void> {
  const temp = join(dir, `${LOCK_HOLDER_FILE}.${randomBytes(4).toString('hex')}`);
  await writeFile(temp, JSON.stringify(holder), { mode: 0o600 });
  await rename(temp, join(dir, LOCK_HOLDER_FILE));
}

/** On Linux a killed process whose parent has not reaped it yet (a zombie) still answers kill(pid, 0). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

const sameHolder = (a: Holder | undefined, b: Holder): boolean => a?.pid === b.pid && a.startedAt === b.startedAt && a.host === b.host;

/** Removes the lock of a holder that no longer exists, only if it is still that holder's. */
async function removeDeadHoldersLock(dir: string, dead: Holder): Promise<void> {
  if (!sameHolder(await readHolder(dir), dead)) return;
  await rm(join(dir, LOCK_HOLDER_FILE), { force: true });
  await rmdir(join(dir, LOCK_DIR)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

function lockedRefusal(dir: string, holder: Holder | undefined, timing: LockTiming): StartupRefusal {
  const who = holder
    ? `another Kontokiosk process (pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`})`
    : 'another Kontokiosk process (pid unknown)';
  return new StartupRefusal(
    'DATA_DIR_LOCKED',
    dir,
    `the data directory ${dir} is in use by ${who}. Only one process (Electron shell, browser shell or register import) ` +
      `may use a data directory at a time: stop the other one first. A lock left by a crashed process expires ` +
      `${Math.ceil(timing.staleMs / 1000)} seconds after the crash.`,
  );
}

/** Takes the data directory's lock, or throws a StartupRefusal naming the directory and the holder. */
export async function lockDataDirectory(
  dataDir: string,
  onLost: (error: Error) => void,
  timing: LockTiming = DEFAULT_LOCK_TIMING,
): Promise<DataDirLock> {
  const dir = resolve(dataDir);
  const me: Holder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const deadline = Date.now() + timing.waitMs;
  let release: () => Promise<void>;
  for (;;) {
    try {
      release = await lock(dir, {
        lockfilePath: join(dir, LOCK_DIR),
        realpath: false,
        stale: timing.staleMs,
        update: 1_000,
        onCompromised: onLost,
      });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    }
    const holder = await readHolder(dir);
    if (holder && holder.host === me.host) {
      if (isAlive(holder.pid)) throw lockedRefusal(dir, holder, timing);
      await removeDeadHoldersLock(dir, holder);
      continue;
    }
    if (Date.now() >= deadline) throw lockedRefusal(dir, holder, timing);
    await new Promise((r) => setTimeout(r, 250));
  }
  await writeHolder(dir, me);
  return {
    release: async () => {
      if (sameHolder(await readHolder(dir), me)) await rm(join(dir, LOCK_HOLDER_FILE), { force: true });
      // Already released when the lock was lost: nothing left to give back.
      await release().catch(() => undefined);
    },
  };
}
