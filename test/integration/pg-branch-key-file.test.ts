/**
 * The branch key file is the branch's master secret (codes, TOTP seeds, sealed secrets, the audit
 * chain's seal): a terminal refuses to start with a copy other users of the machine can read or
 * change, and a link, a pipe or a file of the wrong size is refused with a message about the
 * branch key (not about a data directory), without waiting and without printing the key. The key
 * is read before the database is asked anything, so these need no database.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp } from '../../src-main/app.js';
import { parseConfig } from '../../src-main/config/config.js';

const ASSETS = resolve(import.meta.dirname, '../../assets');
// Nothing listens on port 1: a key that passes gets as far as the database and no further.
const URL = 'postgres://kiosk:Geheim-123@127.0.0.1:1/branch';

describe.skipIf(process.platform === 'win32')('the branch key file at start', () => {
  let root: string;
  const key = randomBytes(32);
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kontokiosk-branchkey-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const start = (keyFile: string, dir = 'terminal') =>
    openApp({
      dataDir: join(root, dir),
      assetsDir: ASSETS,
      config: parseConfig({ store: { kind: 'postgres', url: URL, keyFile, connectionTimeoutMs: 500 } }),
    });
  const keyWithMode = (mode: number) => {
    const path = join(root, `branch-${mode.toString(8)}.key`);
    writeFileSync(path, key);
    chmodSync(path, mode);
    return path;
  };

  it('is refused when every user of the machine may read it, or its group may change it', async () => {
    for (const mode of [0o644, 0o604, 0o660, 0o666]) {
      const path = keyWithMode(mode);
      const refused = start(path, `t-${mode.toString(8)}`);
      await expect(refused).rejects.toMatchObject({ code: 'BRANCH_KEY_EXPOSED', message: expect.stringContaining(`chmod 600 ${path}`) });
      await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining(key.toString('hex')) });
    }
  });

  it('readable by its owner (and at most its group) it is taken, and the start goes on to the database', async () => {
    for (const mode of [0o600, 0o400, 0o640]) {
      await expect(start(keyWithMode(mode), `t-${mode.toString(8)}`)).rejects.toMatchObject({ code: 'DATABASE_UNREACHABLE' });
    }
  });

  it('a link, a pipe or a file of another size is refused as a branch key, with no word of a data directory', async () => {
    const target = keyWithMode(0o600);
    const link = join(root, 'link.key');
    symlinkSync(target, link);
    const fifo = join(root, 'fifo.key');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    const short = join(root, 'short.key');
    writeFileSync(short, key.subarray(0, 16), { mode: 0o600 });
    for (const [path, says] of [
      [link, 'is a symbolic link'],
      [fifo, 'is not a regular file'],
      [short, 'has 16 bytes instead of 32'],
    ] as const) {
      const refused = start(path, `t-${says.length}`);
      await expect(refused).rejects.toMatchObject({ code: 'BRANCH_KEY_INVALID', message: expect.stringContaining(says) });
      await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining('data directory') });
    }
  });
});
