/**
 * Start-up on damaged data (R14): a lost or wrong key, a damaged or deleted store file, a deleted
 * register or store directory each stop the start with a message naming the file, never its
 * contents; a new directory is set up (demo register, fresh key) and a good one starts again.
 * Real temp directories, the real composition root.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { openApp } from '../../src-main/app.js';
import type { Account } from '../../src-main/core/account.js';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { StartupRefusal } from '../../src-main/startup/refusal.js';
import { DEFAULT_SHARDS, ShardedAccountStore, shardFileName, shardOf } from '../../src-main/store/account-store.js';
import { LowdbRegisterStore, writeRegisterFile } from '../../src-main/store/register-store.js';

const ASSETS = resolve(import.meta.dirname, '../../assets');
const EMAIL = 'erika.vertraulich@example.org';
const KVNR = 'Z987654321';
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0c2FsdA$c2VjcmV0aGFzaHZhbHVl';

function account(overrides: Partial<Account> = {}): Account {
  return {
    id: 'acc-integrity-1',
    kvnr: KVNR,
    username: 'erika.v',
    usernameKey: 'erika.v',
    language: 'de',
    createdAt: '2026-11-29T10:00:00.000Z',
    password: { hash: HASH, changedAt: '2026-11-29T10:00:00.000Z', history: [] },
    consents: {
      privacy: { version: '2026-01', acceptedAt: '2026-11-29T10:00:00.000Z' },
      participation: { version: '2026-01', acceptedAt: '2026-11-29T10:00:00.000Z' },
    },
    email: { email: EMAIL, resentAt: [] },
    identity: {},
    mailbox: { state: 'PENDING' },
    login: { failures: 0 },
    ...overrides,
  };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
afterEach(() => vi.restoreAllMocks());

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-integrity-'));
  dirs.push(dir);
  return dir;
}

async function start(dir: string): Promise<void> {
  const app = await openApp({ dataDir: dir, assetsDir: ASSETS });
  await app.close();
}

/** A directory that has run once and holds one account. */
async function usedDir(): Promise<{ dir: string; shard: string }> {
  const dir = freshDir();
  await start(dir);
  const store = await ShardedAccountStore.openDirectory(join(dir, 'store'));
  expect(await store.insert(account())).toBe('OK');
  return { dir, shard: join(dir, 'store', shardFileName(shardOf(account().id, DEFAULT_SHARDS))) };
}

/** Starts and expects a refusal; returns it with everything the start printed. */
async function refused(dir: string): Promise<{ error: StartupRefusal; printed: string }> {
  const printed: string[] = [];
  const capture = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (capture(chunk), true));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (capture(chunk), true));
  for (const level of ['error', 'warn', 'log', 'info'] as const) vi.spyOn(console, level).mockImplementation(capture);
  let error: unknown;
  try {
    const app = await openApp({ dataDir: dir, assetsDir: ASSETS });
    await app.close();
  } catch (e) {
    error = e;
  }
  vi.restoreAllMocks();
  expect(error).toBeInstanceOf(StartupRefusal);
  return { error: error as StartupRefusal, printed: printed.join('\n') };
}

function expectNoContent(text: string): void {
  for (const secret of [EMAIL, KVNR, HASH, 'argon2', 'erika.v']) expect(text).not.toContain(secret);
}

describe('a new data directory', () => {
  it('is set up: a fresh 32-byte key (0600), every shard file, the demo register', async () => {
    const dir = freshDir();
    await start(dir);
    const key = join(dir, 'secret.key');
    expect(readFileSync(key)).toHaveLength(32);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'store')).filter((n) => n.startsWith('accounts-'))).toHaveLength(DEFAULT_SHARDS);
    expect(await (await LowdbRegisterStore.openDirectory(join(dir, 'store'))).count()).toBe(DEMO_REGISTER.length);
  });

  it('keeps a register imported before the first start instead of the demo register', async () => {
    const dir = freshDir();
    const only = DEMO_REGISTER.slice(0, 1);
    await writeRegisterFile(join(dir, 'store'), only);
    await start(dir);
    expect(await (await LowdbRegisterStore.openDirectory(join(dir, 'store'))).count()).toBe(1);
  });

  it('a good directory starts again with its key and accounts', async () => {
    const { dir } = await usedDir();
    const key = readFileSync(join(dir, 'secret.key'));
    await start(dir);
    expect(readFileSync(join(dir, 'secret.key'))).toEqual(key);
    expect((await (await ShardedAccountStore.openDirectory(join(dir, 'store'))).findByKvnr(KVNR))?.id).toBe(account().id);
  });
});

describe('the key', () => {
  it('missing beside an existing store: refused, not replaced', async () => {
    const { dir } = await usedDir();
    unlinkSync(join(dir, 'secret.key'));
    const { error } = await refused(dir);
    expect(error.code).toBe('SECRET_KEY_MISSING');
    expect(error.message).toContain(join(dir, 'secret.key'));
    expect(error.message).toContain('32 bytes');
    expect(error.message.toLowerCase()).toContain(
      'restore it from the backup of this data directory; do not create a new one: every issued code, key and session would stop working',
    );
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
  });

  it('of the wrong length: refused; once restored the directory starts', async () => {
    const { dir } = await usedDir();
    const key = readFileSync(join(dir, 'secret.key'));
    writeFileSync(join(dir, 'secret.key'), key.subarray(0, 16));
    const { error } = await refused(dir);
    expect(error.code).toBe('SECRET_KEY_INVALID');
    expect(error.message).toContain(join(dir, 'secret.key'));
    expect(error.message).toContain('16 bytes instead of 32');
    writeFileSync(join(dir, 'secret.key'), key);
    await start(dir);
  });

  it('missing in a directory from before the set-up marker (store and audit, no marker): refused', async () => {
    const { dir } = await usedDir();
    unlinkSync(join(dir, 'data-dir.json'));
    unlinkSync(join(dir, 'secret.key'));
    expect((await refused(dir)).error.code).toBe('SECRET_KEY_MISSING');
  });
});

describe('damaged store files', () => {
  it.each([
    ['null', 'null', '(top level): expected object'],
    ['{}', '{}', 'accounts: expected record'],
    ['an empty file', '', 'the file is empty'],
  ])('a shard holding %s is refused, naming the file and the problem', async (_name, content, problem) => {
    const { dir, shard } = await usedDir();
    writeFileSync(shard, content);
    const { error } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_DAMAGED');
    expect(error.message).toContain(shard);
    expect(error.message).toContain(problem);
    expect(error.message).toContain('Restore it from the backup');
    // Nothing was written over the evidence.
    expect(readFileSync(shard, 'utf8')).toBe(content);
  });

  it('a truncated shard is refused without printing any of its content', async () => {
    const { dir, shard } = await usedDir();
    const text = readFileSync(shard, 'utf8');
    for (const cut of [text.indexOf(EMAIL) + 5, text.indexOf(HASH) + 10, text.length - 3]) {
      writeFileSync(shard, text.slice(0, cut));
      const { error, printed } = await refused(dir);
      expect(error.message).toContain(shard);
      expect(error.message).toMatch(/JSON ends early|JSON syntax error at position \d+/);
      expectNoContent(error.message);
      expectNoContent(printed);
      expectNoContent(String(error.stack));
    }
    // Corrupt in the middle, not only at the end: V8's own message would quote the text here.
    writeFileSync(shard, text.replace(`"${EMAIL}"`, `"${EMAIL}" x`));
    const { error, printed } = await refused(dir);
    expect(error.message).toMatch(/JSON syntax error at position \d+ \(line 1, column \d+\)/);
    expectNoContent(error.message + printed);
  });

  it('a shard with a wrong-typed field is refused with the schema path, not the value', async () => {
    const { dir, shard } = await usedDir();
    const data = JSON.parse(readFileSync(shard, 'utf8')) as { accounts: Record<string, Record<string, unknown>> };
    const entry = data.accounts[account().id] as Record<string, unknown>;
    entry['login'] = { failures: '3' };
    entry['kvnr'] = 12345;
    writeFileSync(shard, JSON.stringify(data));
    const { error, printed } = await refused(dir);
    expect(error.message).toContain(shard);
    expect(error.message).toContain('accounts[#1].kvnr: expected string');
    expect(error.message).toContain('accounts[#1].login.failures: expected number');
    expect(error.message).not.toContain(account().id);
    expectNoContent(error.message + printed);
  });

  it('an account whose id differs from its entry key, or a second account for one KVNR, is refused', async () => {
    const { dir, shard } = await usedDir();
    const original = readFileSync(shard, 'utf8');
    writeFileSync(shard, original.replace(`"id":"${account().id}"`, '"id":"acc-other"'));
    expect((await refused(dir)).error.message).toContain('accounts[#1].id: the id differs from the entry key');

    writeFileSync(shard, original);
    const twin = account({ id: 'acc-twin', username: 'twin', usernameKey: 'twin' });
    const twinShard = join(dir, 'store', shardFileName(shardOf(twin.id, DEFAULT_SHARDS)));
    const twinData = JSON.parse(readFileSync(twinShard, 'utf8')) as { accounts: Record<string, Account> };
    twinData.accounts[twin.id] = twin;
    writeFileSync(twinShard, JSON.stringify(twinData));
    const { error } = await refused(dir);
    expect(error.message).toContain('kvnr is also used by another account');
    expectNoContent(error.message);
  });

  it('a damaged register.json is refused, naming it', async () => {
    const { dir } = await usedDir();
    const register = join(dir, 'store', 'register.json');
    writeFileSync(register, JSON.stringify({ persons: [{ kvnr: KVNR, firstName: 'Erika' }] }));
    const { error } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_DAMAGED');
    expect(error.message).toContain(register);
    expect(error.message).toContain('persons[0].lastName: expected string');
    expectNoContent(error.message);
  });
});

describe('deleted files of a directory that holds data', () => {
  it('a deleted register.json is refused, not replaced by the demo register', async () => {
    const { dir } = await usedDir();
    const register = join(dir, 'store', 'register.json');
    unlinkSync(register);
    const { error } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_MISSING');
    expect(error.message).toContain(register);
    expect(existsSync(register)).toBe(false);
  });

  it('a deleted store directory is refused, not started empty', async () => {
    const { dir } = await usedDir();
    rmSync(join(dir, 'store'), { recursive: true });
    const { error } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_MISSING');
    expect(error.message).toContain(join(dir, 'store'));
    expect(existsSync(join(dir, 'store'))).toBe(false);
  });

  it('a deleted shard file is refused (every shard exists from the set-up on)', async () => {
    const { dir, shard } = await usedDir();
    unlinkSync(shard);
    const { error } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_MISSING');
    expect(error.message).toContain(shard);
  });

  it('a deleted audit trail is refused', async () => {
    const { dir } = await usedDir();
    unlinkSync(join(dir, 'audit.jsonl'));
    const { error } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_MISSING');
    expect(error.message).toContain(join(dir, 'audit.jsonl'));
  });

  it('a directory from before the set-up marker is adopted: missing shards created, marker written', async () => {
    const { dir, shard } = await usedDir();
    unlinkSync(join(dir, 'data-dir.json'));
    const untouched = readdirSync(join(dir, 'store')).filter((n) => n.startsWith('accounts-') && join(dir, 'store', n) !== shard);
    for (const name of untouched.slice(0, 100)) unlinkSync(join(dir, 'store', name));
    await start(dir);
    expect(existsSync(join(dir, 'data-dir.json'))).toBe(true);
    expect(readdirSync(join(dir, 'store')).filter((n) => n.startsWith('accounts-'))).toHaveLength(DEFAULT_SHARDS);
    expect((await (await ShardedAccountStore.openDirectory(join(dir, 'store'))).findByKvnr(KVNR))?.id).toBe(account().id);
  });
});
