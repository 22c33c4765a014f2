/**
 * Opens a data directory safely before anything reads or writes it: takes the directory's lock,
 * checks that the right key and every store file are there, and sets up a new directory.
 *
 * Model: `data-dir.json` (startup/marker.ts) is written first, sealed, in state "initialising";
 * then the key's companions: the account store's layout (store/accounts/, empty), the record files staff.json and inbox.json
 * (empty, listed in the marker: startup/record-files.ts), the register, the audit file and its head
 * at seq 0; the marker switches to "ready" last. A cut-short set-up is resumed. Once ready, every
 * one of those files must exist (a shard file is never "not yet written", so a missing one was
 * deleted) and the key must reproduce the marker's check value. A ready directory whose marker does
 * not list the record files yet (set up before they existed) gets them once, then the list.
 *
 * The marker is not the only witness that a directory is in use. Without it:
 *   - new: no key, no shard files, no record files, no audit file, no audit head (a register
 *     imported before the first start is kept); or only a key beside nothing a start leaves (a
 *     set-up cut short between writing the key and the first marker);
 *   - a directory from before the marker (shards or an audit trail, an unkeyed trail, no head):
 *     adopted once, if it has its key and register; missing shards are created empty, as that
 *     version created them only on first write; the legacy trail is sealed by a keyed head;
 *   - anything that shows this version's format (an audit head, keyed audit entries): the marker
 *     was deleted, and the start is refused, since "missing file" checks hang on the marker;
 *   - anything else (a key without store or trail): refused.
 * Threat: starting on a directory with a lost or wrong key, a deleted marker, register or store,
 * or a damaged file looks like a working kiosk but silently invalidates every issued code or drops
 * accounts; the next write makes the loss permanent. So the start is refused with what to restore,
 * and a refusal changes nothing.
 *
 * Limit: a directory whose marker, key, shards, record files, trail and head are all gone is new;
 * only the backup brings it back.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { hasKeyedEntries } from '../audit/audit-file.js';
import { headPathFor, readHead } from '../audit/audit-head.js';
import { sealTrailEnd, type TrailOrigin } from '../audit/file-audit-trail.js';
import { listSegments } from '../audit/segments.js';
import { deriveAuditKeys } from '../audit/hash-chain.js';
import type { InsuredPerson } from '../core/register/person.js';
import { ACCOUNTS_DIR, CATALOG_FILE, INDEX_DIR, PENDING_DIR, allFolders } from '../store/account-layout.js';
import { DEFAULT_SHARDS, shardFileName } from '../store/account-migrate.js';
import { createAccountLayout } from '../store/account-store.js';
import { fsyncDirectory, writeFileDurably, writeFilesDurably } from '../lib/durable-file.js';
import { DamagedFileError, readJsonFile } from '../store/json-file.js';
import { REGISTER_FILE_NAME, writeRegisterFile } from '../store/register-store.js';
import { DEFAULT_LOCK_TIMING, LOCK_DIR, LOCK_HOLDER_FILE, lockDataDirectory, type LockTiming } from './data-dir-lock.js';
import {
  KEY_BYTES,
  KEY_FILE,
  STORE_DIR,
  dataFileMissing as missing,
  keyMissing,
  keyWrong,
  listDataDir,
  readKey,
  type Listing,
} from './data-files.js';
import { MARKER_FILE, checkMarker, markerFileSchema, sealMarker, type MarkerFields, type MarkerFile, type SealedMarker } from './marker.js';
import { allRecordFiles, createMissingRecordFiles, lacksRecordFiles, missingRecordFile } from './record-files.js';
import { asStartupRefusal, StartupRefusal } from './refusal.js';

export { STORE_DIR } from './data-files.js';
export { MARKER_FILE } from './marker.js';

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
  /** What this start found, for the audit trail: what a missing head or unkeyed entries mean. */
  readonly origin: TrailOrigin;
  /** Runs the rest of the start; on failure the lock is released and an expected failure becomes a refusal. */
  guard<T>(work: () => Promise<T>): Promise<T>;
  release(): Promise<void>;
}

interface Paths {
  readonly dir: string;
  readonly store: string;
  readonly key: string;
  readonly marker: string;
  readonly audit: string;
  readonly head: string;
}

const STORE_WHAT = 'the store directory with every account';
const REGISTER_WHAT = 'the register of insured persons';
const REGISTER_EXTRA = ' The register can also be imported again: npm run register:import -- <file.csv> <data directory>.';
const allShards = (): string[] => Array.from({ length: DEFAULT_SHARDS }, (_, i) => shardFileName(i));

/**
 * A set-up directory: every file there (of the record files, those its marker lists), and the
 * store's shard count the one this version uses.
 */
async function checkComplete(p: Paths, found: Listing, storeFiles: readonly string[] | undefined): Promise<void> {
  if (!found.store) throw missing(p.store, p.dir, STORE_WHAT);
  if (!found.register) throw missing(join(p.store, REGISTER_FILE_NAME), p.dir, REGISTER_WHAT, REGISTER_EXTRA);
  if (found.accounts) {
    // Each folder of account files, the indexes and the catalog exist from the set-up on (a listing, no reading).
    const root = join(p.store, ACCOUNTS_DIR);
    const present = new Set(await readdir(root));
    const absent = [...allFolders(), INDEX_DIR, PENDING_DIR, CATALOG_FILE].filter((n) => !present.has(n));
    const first = absent[0];
    if (first !== undefined) {
      const more = absent.length > 1 ? ` (and ${absent.length - 1} more)` : '';
      throw missing(join(root, first), p.dir, 'a part of the account store', ` It exists from the set-up on, so it was removed${more}.`);
    }
    return checkRest(p, found, storeFiles);
  }
  if (found.shards.size === 0) throw missing(join(p.store, ACCOUNTS_DIR), p.dir, 'the account store');
  // A directory of the earlier layout: its shards are migrated when the store opens.
  const absent = allShards().filter((n) => !found.shards.has(n));
  const first = absent[0];
  if (first !== undefined) {
    const more = absent.length > 1 ? ` (and ${absent.length - 1} more shard files)` : '';
    throw missing(
      join(p.store, first),
      p.dir,
      'a shard of the account store',
      ` Every shard file exists from the set-up on, so this one was removed${more}.`,
    );
  }
  checkRest(p, found, storeFiles);
}

function checkRest(p: Paths, found: Listing, storeFiles: readonly string[] | undefined): void {
  const record = missingRecordFile(p.store, p.dir, storeFiles, found.recordFiles);
  if (record) throw record;
  // A missing head is not refused here: the audit trail records it as a conflict (audit:verify exit 9).
  if (!found.audit) throw missing(p.audit, p.dir, 'the audit trail');
}

/** Besides the key: what a directory may hold before its first set-up (an operator's config, an imported register). */
const BEFORE_SET_UP = new Set([KEY_FILE, STORE_DIR, 'config.json', LOCK_DIR, LOCK_HOLDER_FILE]);

async function isNew(p: Paths, found: Listing): Promise<boolean> {
  // Staff accounts hold secrets sealed with the key: a directory with them is never new.
  if (found.marker || found.accounts || found.shards.size > 0 || found.recordFiles.size > 0 || found.audit || found.head) return false;
  if (!found.key) return true;
  // The key is written just before the first marker (which it seals): a key and nothing a start
  // leaves behind (outbox/, the trail, shards) is a set-up cut short there, resumed with that key.
  return (await readdir(p.dir)).every((name) => BEFORE_SET_UP.has(name) || name.includes('.tmp-'));
}

/** No marker, not new: a directory from before the marker is adopted; anything else is refused. */
async function checkAdoptable(p: Paths, found: Listing): Promise<void> {
  if (!found.key) throw keyMissing(p.key, p.dir);
  // Streamed: a trail may be larger than one string. Closed segments exist only in this version.
  if (found.head || (await hasKeyedEntries(p.audit)) || (await listSegments(p.audit)).length > 0) {
    throw new StartupRefusal(
      'DATA_FILE_MISSING',
      p.marker,
      `${MARKER_FILE} is missing but the directory ${p.dir} was set up by this version (it has an audit head or keyed ` +
        `audit entries): restore it (${p.marker}) from the backup of this data directory. Without it, deleted store ` +
        'files could not be told from a new directory. Nothing was changed.',
    );
  }
  if (!found.store) throw missing(p.store, p.dir, STORE_WHAT);
  if (!found.accounts && found.shards.size === 0 && !found.audit) throw missing(p.audit, p.dir, 'the audit trail');
  if (!found.register) throw missing(join(p.store, REGISTER_FILE_NAME), p.dir, REGISTER_WHAT, REGISTER_EXTRA);
}

async function writeMarker(p: Paths, key: Uint8Array, fields: MarkerFields): Promise<void> {
  await writeFileDurably(p.marker, sealMarker(key, fields));
}

/**
 * Writes what a set-up directory must hold between the "initialising" and the "ready" marker.
 * Everything already there is kept (a register imported before the first start, a legacy trail,
 * the files of a cut-short set-up).
 */
async function setUp(
  p: Paths,
  found: Listing,
  setUpAs: 'new' | 'adopted',
  createdAt: string,
  initialRegister: readonly InsuredPerson[],
): Promise<void> {
  if (!found.key) await writeFileDurably(p.key, randomBytes(KEY_BYTES));
  const key = await readKey(p.key, p.dir);
  const fields = { setUp: setUpAs, shards: DEFAULT_SHARDS, createdAt, storeFiles: allRecordFiles(undefined) };
  await writeMarker(p, key, { ...fields, state: 'initialising' });
  await mkdir(p.store, { recursive: true, mode: 0o700 });
  if (found.shards.size > 0 && !found.accounts) {
    // The earlier layout, adopted: completed as that version did, then migrated when the store opens.
    await writeFilesDurably(
      p.store,
      allShards()
        .filter((n) => !found.shards.has(n))
        .map((name) => ({ name, content: JSON.stringify({ accounts: {} }) })),
    );
  } else await createAccountLayout(p.store);
  await createMissingRecordFiles(p.store, found.recordFiles);
  if (!found.register) await writeRegisterFile(p.store, initialRegister);
  if (!found.audit) {
    await (await open(p.audit, 'a', 0o600)).close();
    await fsyncDirectory(p.dir);
  }
  // From here on a directory always has a head: its absence later is a conflict, never "new".
  if (!found.head) await sealTrailEnd(p.audit, key);
  await writeMarker(p, key, { ...fields, state: 'ready' });
}

/** A marker of format 1 had no key check: the key is confirmed by the sealed audit head instead. */
async function upgradeEarlierMarker(p: Paths, found: Listing, marker: MarkerFile & { format: 1 }): Promise<void> {
  await checkComplete(p, found, undefined);
  const key = await readKey(p.key, p.dir);
  const head = await readHead(deriveAuditKeys(key).head, p.head);
  if (head.kind !== 'VALID') {
    throw keyWrong(
      p.key,
      p.dir,
      `the audit head ${p.head} is ${head.kind === 'MISSING' ? 'missing' : 'not sealed with it'}, so it cannot be confirmed`,
    );
  }
  await createMissingRecordFiles(p.store, found.recordFiles);
  await writeMarker(p, key, {
    setUp: 'upgraded',
    state: 'ready',
    shards: marker.shards,
    createdAt: marker.createdAt,
    storeFiles: allRecordFiles(undefined),
  });
}

/**
 * A ready directory set up before a record file existed: the missing ones are created empty, then
 * the marker, sealed anew, lists them (a crash in between leaves the old marker: done again).
 */
async function addRecordFiles(p: Paths, found: Listing, key: Uint8Array, marker: SealedMarker): Promise<void> {
  if (!lacksRecordFiles(marker.storeFiles)) return;
  await createMissingRecordFiles(p.store, found.recordFiles);
  await writeMarker(p, key, {
    setUp: marker.setUp,
    state: marker.state,
    shards: marker.shards,
    createdAt: marker.createdAt,
    storeFiles: allRecordFiles(marker.storeFiles),
  });
}

async function openMarked(p: Paths, found: Listing, initialRegister: readonly InsuredPerson[]): Promise<TrailOrigin> {
  const marker = await readJsonFile<MarkerFile>(p.marker, { schema: markerFileSchema });
  if (!marker) throw missing(p.marker, p.dir, 'the set-up marker');
  if (marker.shards !== DEFAULT_SHARDS) {
    throw new DamagedFileError(p.marker, `the store was set up with ${marker.shards} shards, this version uses ${DEFAULT_SHARDS}`);
  }
  if (!found.key) throw keyMissing(p.key, p.dir);
  if (marker.format === 1) {
    await upgradeEarlierMarker(p, found, marker);
    return 'current';
  }
  const key = await readKey(p.key, p.dir);
  const verdict = checkMarker(key, marker);
  if (verdict === 'KEY_WRONG') throw keyWrong(p.key, p.dir, `it does not match the check value in ${MARKER_FILE}`);
  if (verdict === 'UNSEALED')
    throw new DamagedFileError(p.marker, "it is not sealed with this directory's key (edited, or written without the key)");
  if (marker.state === 'initialising') {
    // Resumed; an adoption had its register when it began, so a missing one now was deleted.
    if (marker.setUp !== 'new' && !found.register) throw missing(join(p.store, REGISTER_FILE_NAME), p.dir, REGISTER_WHAT, REGISTER_EXTRA);
    const setUpAs = marker.setUp === 'new' ? 'new' : 'adopted';
    await setUp(p, found, setUpAs, marker.createdAt, initialRegister);
    return setUpAs;
  }
  await checkComplete(p, found, marker.storeFiles);
  await addRecordFiles(p, found, key, marker);
  return 'current';
}

function exitOnLockLost(error: Error): void {
  process.stderr.write(`Kontokiosk stops: another process took over the lock of its data directory (${error.message}).\n`);
  process.exit(3);
}

export async function openDataDirectory(options: DataDirOptions): Promise<OpenDataDir> {
  const dir = resolve(options.dataDir);
  const audit = resolve(options.auditFile);
  const p: Paths = {
    dir,
    store: join(dir, STORE_DIR),
    key: join(dir, KEY_FILE),
    marker: join(dir, MARKER_FILE),
    audit,
    head: headPathFor(audit),
  };
  const lock = await (async () => {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return lockDataDirectory(dir, options.onLockLost ?? exitOnLockLost, options.lockTiming ?? DEFAULT_LOCK_TIMING);
  })().catch((error: unknown) => {
    throw asStartupRefusal(error);
  });
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      await lock.release();
      throw asStartupRefusal(error);
    }
  };
  return guard(async () => {
    const found = await listDataDir(dir, p);
    let origin: TrailOrigin;
    if (found.marker) origin = await openMarked(p, found, options.initialRegister);
    else if (await isNew(p, found)) {
      await setUp(p, found, 'new', new Date().toISOString(), options.initialRegister);
      origin = 'new';
    } else {
      await checkAdoptable(p, found);
      await setUp(p, found, 'adopted', new Date().toISOString(), options.initialRegister);
      origin = 'adopted';
    }
    const key = await readKey(p.key, dir);
    return { key, origin, guard, release: () => lock.release() };
  });
}
