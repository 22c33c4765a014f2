/**
 * The file outbox: letters (PDF), mails (.eml) and SMS (.txt) wait here for print and mail staff.
 * They carry personal data (addresses, codes, keys), so they must not outlive their purpose:
 * - an account's undelivered items go when the account is deleted (purgeFor, by the pseudonymous
 *   account id in the file name);
 * - the outbox is the hand-over point, so an item older than the retention period counts as
 *   delivered and is removed (a daily sweep with the app's clock; the age is the time in the name).
 * Only names this outbox wrote are touched: a file staff put there stays. Temp files of writes that
 * died before their rename carry the same name and go by the same rules.
 */
import type { Dirent } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock, Outbox } from '../core/ports.js';
import { fsyncDirectory } from '../lib/durable-file.js';
import { parseOutboxName, type OutboxItemName } from './outbox-name.js';

const DAY_MS = 86_400_000;

export class FileOutbox implements Outbox {
  constructor(private readonly dirs: readonly string[]) {}

  purgeFor(accountId: string): Promise<number> {
    return this.remove((item) => item.accountId === accountId);
  }

  /**
   * Removes the items of accounts deleted elsewhere. On a branch database an account may be
   * deleted at another terminal, whose purge cannot reach this terminal's disk: this sweep does.
   * `deleted` is asked once per account id found here and must answer true only on proof of the
   * deletion, never on mere absence: a wrong or empty database, or one that lags behind, would
   * otherwise take every letter waiting here with it. An error stops the sweep; nothing goes.
   */
  async purgeOrphans(deleted: (accountId: string) => Promise<boolean>): Promise<number> {
    const owners = new Set<string>();
    await this.remove((item) => {
      if (item.accountId) owners.add(item.accountId);
      return false;
    });
    const gone = new Set<string>();
    for (const id of owners) if (await deleted(id)) gone.add(id);
    return gone.size === 0 ? 0 : this.remove((item) => item.accountId !== undefined && gone.has(item.accountId));
  }

  /**
   * Removes items written before the cutoff. Membership certificates of earlier versions, which
   * were never letters to post, go at once.
   */
  removeOlderThan(cutoff: Date): Promise<number> {
    return this.remove((item) => item.at.getTime() < cutoff.getTime() || item.kind === 'MEMBERSHIP_CERTIFICATE');
  }

  private async remove(matches: (item: OutboxItemName) => boolean): Promise<number> {
    let removed = 0;
    for (const dir of this.dirs) {
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      let changed = false;
      // Only regular files: a folder or link that happens to carry such a name is not an item.
      for (const name of entries.filter((entry) => entry.isFile()).map((entry) => entry.name)) {
        const item = parseOutboxName(name);
        if (!item || !matches(item)) continue;
        await rm(join(dir, name), { force: true });
        changed = true;
        if (!name.includes('.tmp-')) removed += 1;
      }
      // The removal must survive a power loss like the write did.
      if (changed) await fsyncDirectory(dir);
    }
    return removed;
  }
}

export interface OutboxRetention {
  /** Removes what is older than the retention period now; returns how many items went. */
  sweep(): Promise<number>;
  stop(): void;
}

/**
 * Sweeps once a day for age; with `orphans` (a store shared with other terminals) also every few
 * minutes for items of accounts deleted elsewhere. The first sweep is the caller's (at start), so
 * it can be awaited.
 */
export function scheduleOutboxRetention(
  outbox: FileOutbox,
  clock: Clock,
  retentionDays: number,
  orphans?: { readonly deleted: (accountId: string) => Promise<boolean>; readonly everyMs: number },
): OutboxRetention {
  const byAge = () => outbox.removeOlderThan(new Date(clock.now().getTime() - retentionDays * DAY_MS));
  const sweep = async () => (await byAge()) + (orphans ? await outbox.purgeOrphans(orphans.deleted) : 0);
  const report = (error: unknown) =>
    // The code only: a path would name the account the item belongs to.
    console.error('[outbox] sweep failed:', (error as NodeJS.ErrnoException).code ?? (error as Error).name ?? 'unknown error');
  const timers = [setInterval(() => void byAge().catch(report), DAY_MS)];
  if (orphans) timers.push(setInterval(() => void outbox.purgeOrphans(orphans.deleted).catch(report), orphans.everyMs));
  for (const timer of timers) timer.unref();
  return { sweep, stop: () => timers.forEach((timer) => clearInterval(timer)) };
}
