/** Runs the account store contract (account-store.contract.ts) against every adapter. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShardedAccountStore } from '../../src-main/store/account-store.js';
import { accountStoreContract } from './account-store.contract.js';

accountStoreContract('lowdb in memory', () => Promise.resolve({ store: ShardedAccountStore.inMemory() }));

accountStoreContract('lowdb files (durable, sharded)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-store-'));
  const open = () => ShardedAccountStore.openDirectory(dir, 8);
  return {
    store: await open(),
    reopen: open,
    second: open,
    // Indexes live in memory per instance: one process per directory (the data-directory lock).
    sharedBacking: false,
    backingContents: () => Promise.resolve(readdirSync(dir).map((file) => readFileSync(join(dir, file), 'utf8'))),
    close: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
});
