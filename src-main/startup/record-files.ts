/**
 * The store's record files beside the shards: `store/staff.json` (the staff accounts of the
 * counter), `store/inbox.json` (the messages persons wrote to the insurer) and `store/outbound.json`
 * (mail and SMS waiting for their next try).
 *
 * Model: like a shard, each exists from the set-up on, written empty before the marker says
 * "ready". The sealed marker lists them (`storeFiles`); a directory set up before they existed
 * (a marker without the list, or without one of them) gets the missing ones created empty once,
 * on its first start with this version, and only then the marker sealed anew with the list. A crash
 * in between leaves the old marker, so the next start does the same again. From then on a missing
 * one was deleted.
 *
 * Threat: the stores read a missing file as empty, so a deleted staff.json would silently drop
 * every staff account and a deleted inbox.json the messages persons were told were sent; the next
 * write makes the loss permanent. So the start is refused, naming the file and the backup.
 *
 * Limit: a marker from before the upgrade, put back in place, is sealed with the same key and gets
 * the files created empty again; like any older copy of the directory, only the backup tells.
 */
import { join } from 'node:path';
import { writeFilesDurably } from '../lib/durable-file.js';
import { INBOX_FILE_NAME } from '../store/inbox-store.js';
import { OUTBOUND_FILE_NAME } from '../store/outbound-store.js';
import { STAFF_FILE_NAME } from '../store/staff-store.js';
import { RECORD_FILES, dataFileMissing } from './data-files.js';
import type { StartupRefusal } from './refusal.js';

/** What a new record file holds: no records (the stores' own empty state). */
const EMPTY_RECORD_FILE = JSON.stringify({ records: {} });

const HOLDS: Record<string, { readonly what: string; readonly lost: string }> = {
  [STAFF_FILE_NAME]: { what: 'the staff accounts of the counter', lost: 'every staff account' },
  [INBOX_FILE_NAME]: { what: 'the messages persons wrote to the insurer', lost: 'messages persons were told were sent' },
  [OUTBOUND_FILE_NAME]: { what: 'mail and SMS waiting to be sent', lost: 'messages persons were told are on their way' },
};

/** The record files a marker says the directory has, in RECORD_FILES' order. */
function listed(storeFiles: readonly string[] | undefined): string[] {
  return RECORD_FILES.filter((name) => storeFiles?.includes(name) === true);
}

/** The first record file the marker lists that is not there, as a refusal; undefined when all are. */
export function missingRecordFile(
  storeDir: string,
  dir: string,
  storeFiles: readonly string[] | undefined,
  found: ReadonlySet<string>,
): StartupRefusal | undefined {
  const name = listed(storeFiles).find((n) => !found.has(n));
  if (name === undefined) return undefined;
  const holds = HOLDS[name] ?? { what: 'a store file', lost: 'its records' };
  return dataFileMissing(
    join(storeDir, name),
    dir,
    holds.what,
    ` It exists from the set-up on, so it was removed; starting without it would drop ${holds.lost}.`,
  );
}

/** Whether a marker with these `storeFiles` still has to record some record file. */
export function lacksRecordFiles(storeFiles: readonly string[] | undefined): boolean {
  return listed(storeFiles).length < RECORD_FILES.length;
}

/** The list a marker records once every record file exists: names it already had are kept. */
export function allRecordFiles(storeFiles: readonly string[] | undefined): string[] {
  return [...new Set([...RECORD_FILES, ...(storeFiles ?? [])])];
}

/** Creates the record files that are not there, empty; the ones there are kept as they are. */
export async function createMissingRecordFiles(storeDir: string, found: ReadonlySet<string>): Promise<void> {
  const absent = RECORD_FILES.filter((name) => !found.has(name));
  if (absent.length > 0)
    await writeFilesDurably(
      storeDir,
      absent.map((name) => ({ name, content: EMPTY_RECORD_FILE })),
    );
}
