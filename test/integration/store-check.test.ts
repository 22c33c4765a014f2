/**
 * npm run store:check: the full scan a start no longer does. Intact: exit 0. A damaged account
 * file: exit 2, naming it, never its content. An index that disagrees with the account files:
 * exit 3, and --repair rebuilds it from them, after which the account is found again.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src-main/app.js';
import { accountPath, indexFileName, indexShardOf } from '../../src-main/store/account-layout.js';
import { ShardedAccountStore } from '../../src-main/store/account-store.js';
import { sampleAccount } from '../contract/account-store.contract.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function usedDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-check-'));
  dirs.push(dir);
  const app = await openApp({ dataDir: dir, assetsDir: join(ROOT, 'assets') });
  await app.close();
  const store = await ShardedAccountStore.openDirectory(join(dir, 'store'));
  for (let i = 1; i <= 3; i++) expect(await store.insert(sampleAccount(i))).toBe('OK');
  return dir;
}

function check(dir: string, ...args: string[]): { status: number | null; out: string } {
  const env = { ...process.env };
  delete env['KONTOKIOSK_CONFIG'];
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main/cli/store-check.ts'), dir, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
    timeout: 30_000,
  });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

describe('npm run store:check', () => {
  it('passes an intact store and refuses a damaged account file by name, not content', async () => {
    const dir = await usedDir();
    const intact = check(dir);
    expect(intact.out).toContain('checked 3 accounts');
    expect(intact.status).toBe(0);
    const file = accountPath(join(dir, 'store', 'accounts'), 'acc-2');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 40));
    const damaged = check(dir);
    expect(damaged.status).toBe(2);
    expect(damaged.out).toContain(file);
    expect(damaged.out).not.toContain('user2@example.org');
  }, 60_000);

  it('finds an index that disagrees, and --repair rebuilds it from the account files', async () => {
    const dir = await usedDir();
    const shard = join(dir, 'store', 'accounts', 'index', indexFileName('username', indexShardOf('user.1', 256)));
    const entries = (JSON.parse(readFileSync(shard, 'utf8')) as { entries: Record<string, string> }).entries;
    writeFileSync(shard, JSON.stringify({ entries: { ...entries, 'user.1': 'acc-3' } }));
    await expect((await ShardedAccountStore.openDirectory(join(dir, 'store'))).findByUsernameKey('user.1')).rejects.toThrow(shard);
    const found = check(dir);
    expect(found.status).toBe(3);
    expect(found.out).toContain(`disagrees: ${shard}`);
    const repaired = check(dir, '--repair');
    expect(repaired.out).toContain(`rebuilt: ${shard}`);
    expect(repaired.status).toBe(0);
    expect((await (await ShardedAccountStore.openDirectory(join(dir, 'store'))).findByUsernameKey('user.1'))?.id).toBe('acc-1');
    expect(check(dir).status).toBe(0);
  }, 60_000);
});
