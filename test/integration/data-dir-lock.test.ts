/**
 * One process per data directory (R14): a second app or a register import on a directory in use
 * is refused with a message naming the directory and the holder's pid; a lock left by a process
 * killed with SIGKILL does not block the next start; a lock taken over from under its holder is
 * reported to the holder.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openApp } from '../../src-main/app.js';
import { LOCK_DIR, lockDataDirectory } from '../../src-main/startup/data-dir-lock.js';
import { StartupRefusal } from '../../src-main/startup/refusal.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ASSETS = join(ROOT, 'assets');
const CSV = [
  'kvnr;first_name;last_name;birth_date;street;postal_code;city;insurance_start;insurance_end;card_number;receipts',
  'A123456780;Erika;Mustermann;12.08.1984;Heidestraße 17;51147;Köln;01.01.2004;;80276883110000012345;',
].join('\n');

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
afterEach(() => children.splice(0).forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL')));

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-lock-'));
  dirs.push(dir);
  return dir;
}

async function refusalOf(dir: string): Promise<StartupRefusal> {
  const error = await openApp({ dataDir: dir, assetsDir: ASSETS }).then(
    async (app) => (await app.close(), undefined),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StartupRefusal);
  return error as StartupRefusal;
}

/** A child that opens the app on `dir` and keeps it open; resolves with its pid once it holds the lock. */
function holder(dir: string): Promise<{ child: ChildProcess; pid: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/fixtures/hold-data-dir.ts'), dir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolveReady, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const pid = /ready (\d+)/.exec(out)?.[1];
      if (pid) resolveReady({ child, pid: Number(pid) });
    });
    child.on('exit', () => reject(new Error(`holder ended: ${err}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    child.on('exit', () => done());
    child.kill('SIGKILL');
  });
}

describe('one process per data directory', () => {
  it('a second openApp in the same process is refused until the first closes', async () => {
    const dir = freshDir();
    const first = await openApp({ dataDir: dir, assetsDir: ASSETS });
    const error = await refusalOf(dir);
    expect(error.code).toBe('DATA_DIR_LOCKED');
    expect(error.message).toContain(dir);
    expect(error.message).toContain(`pid ${process.pid}`);
    await first.close();
    await (await openApp({ dataDir: dir, assetsDir: ASSETS })).close();
  });

  it('an app and a register import beside a running app are refused; after SIGKILL of the holder the next start succeeds', async () => {
    const dir = freshDir();
    const { child, pid } = await holder(dir);

    const error = await refusalOf(dir);
    expect(error.code).toBe('DATA_DIR_LOCKED');
    expect(error.message).toContain(dir);
    expect(error.message).toContain(`pid ${pid}`);

    const csv = join(freshDir(), 'register.csv');
    writeFileSync(csv, CSV);
    const importRun = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli/register-import.ts', csv, dir], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(importRun.status).toBe(2);
    expect(importRun.stderr).toContain(`the data directory ${dir} is in use by another Kontokiosk process (pid ${pid})`);
    expect(importRun.stderr).not.toMatch(/\n\s+at /);

    await killed(child);
    // The dead holder's lock is taken over at once (its pid is gone), not after the stale period.
    const started = Date.now();
    const app = await openApp({ dataDir: dir, assetsDir: ASSETS });
    expect(Date.now() - started).toBeLessThan(4_000);
    await app.close();

    const again = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli/register-import.ts', csv, dir], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(again.status).toBe(0);
    // A staff action: recorded in the keyed trail, which still verifies.
    const imported = readFileSync(join(dir, 'audit.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"REGISTER_IMPORTED"'));
    expect(imported).toHaveLength(1);
    expect(JSON.parse(imported[0] ?? '{}')).toMatchObject({ actor: expect.stringMatching(/^staff:/), data: { accepted: 1, rejected: 0 } });
    const verify = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli/audit-verify.ts', dir], { cwd: ROOT, encoding: 'utf8' });
    expect(verify.status).toBe(0);
  }, 60_000);

  it('a lock of unknown holder is refused while fresh and taken over once stale', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, LOCK_DIR));
    const timing = { staleMs: 2_000, waitMs: 300 };
    const error = await lockDataDirectory(dir, () => undefined, timing).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StartupRefusal);
    expect((error as StartupRefusal).message).toContain('pid unknown');

    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, LOCK_DIR), old, old);
    const lock = await lockDataDirectory(dir, () => undefined, timing);
    await lock.release();
  });

  it('a holder whose lock is taken from under it is told to stop', async () => {
    const dir = freshDir();
    let lost: (e: Error) => void = () => undefined;
    const told = new Promise<Error>((r) => (lost = r));
    const lock = await lockDataDirectory(dir, (e) => lost(e), { staleMs: 2_000, waitMs: 0 });
    rmSync(join(dir, LOCK_DIR), { recursive: true });
    expect((await told).message).toBeTruthy();
    await lock.release();
  });
});
