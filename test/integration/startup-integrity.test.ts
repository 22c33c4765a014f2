/**
 * Start-up on damaged data (R14): a lost or wrong key, a damaged or deleted store file, a deleted
 * register or store directory each stop the start with a message naming the file, never its
 * contents; a new directory is set up (demo register, fresh key) and a good one starts again.
 * Real temp directories, the real composition root.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { openApp } from '../../src-main/app.js';
import { FileAuditTrail, verifyAuditFile } from '../../src-main/audit/file-audit-trail.js';
import type { Account } from '../../src-main/core/account.js';
import type { StaffAccount } from '../../src-main/core/staff/staff-account.js';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { openDataDirectory } from '../../src-main/startup/data-dir.js';
import { sealMarker } from '../../src-main/startup/marker.js';
import { asStartupRefusal, StartupRefusal } from '../../src-main/startup/refusal.js';
import { checkAccountStore } from '../../src-main/store/account-check.js';
import { accountPath } from '../../src-main/store/account-layout.js';
import { DEFAULT_SHARDS, ShardedAccountStore, shardFileName } from '../../src-main/store/account-store.js';
import { INBOX_FILE_NAME, LowdbInboxStore } from '../../src-main/store/inbox-store.js';
import { OUTBOUND_FILE_NAME } from '../../src-main/store/outbound-store.js';
import { LowdbRegisterStore, writeRegisterFile } from '../../src-main/store/register-store.js';
import { LowdbStaffStore, STAFF_FILE_NAME } from '../../src-main/store/staff-store.js';

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

/** A directory that has run once and holds one account; `shard` is the account's own file. */
async function usedDir(): Promise<{ dir: string; shard: string }> {
  const dir = freshDir();
  await start(dir);
  const store = await ShardedAccountStore.openDirectory(join(dir, 'store'));
  expect(await store.insert(account())).toBe('OK');
  return { dir, shard: accountPath(join(dir, 'store', 'accounts'), account().id) };
}

/** Every folder of account files there (store/accounts/00 … ff). */
function expectAccountLayout(dir: string): void {
  expect(readdirSync(join(dir, 'store', 'accounts')).filter((n) => /^[0-9a-f]{2}$/.test(n))).toHaveLength(DEFAULT_SHARDS);
}

/**
 * A damaged account file is not read on a start (which reads only what it needs): the full check
 * (npm run store:check) refuses it, and so does every read of that account. Returns the check's
 * refusal with everything printed meanwhile (`readable`: the account itself reads fine, the damage is elsewhere).
 */
async function checkRefused(dir: string, readable = false): Promise<{ error: StartupRefusal; printed: string }> {
  await start(dir);
  const printed: string[] = [];
  const capture = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  for (const level of ['error', 'warn', 'log', 'info'] as const) vi.spyOn(console, level).mockImplementation(capture);
  let error: unknown;
  try {
    await checkAccountStore(join(dir, 'store'));
  } catch (e) {
    error = asStartupRefusal(e);
  }
  vi.restoreAllMocks();
  expect(error).toBeInstanceOf(StartupRefusal);
  const refusal = error as StartupRefusal;
  const store = await ShardedAccountStore.openDirectory(join(dir, 'store'));
  if (!readable) await expect(store.get(account().id)).rejects.toThrow(refusal.path);
  return { error: refusal, printed: printed.join('\n') };
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

function markerOf(dir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, 'data-dir.json'), 'utf8')) as Record<string, unknown>;
}

function auditTypes(dir: string): string[] {
  return readFileSync(join(dir, 'audit.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => String((JSON.parse(l) as { type: unknown }).type));
}

/** Lines chained with plain SHA-256 and no version, as written before the chain was keyed. */
function legacyLines(count: number): string {
  let prev = '0'.repeat(64);
  let out = '';
  for (let seq = 1; seq <= count; seq++) {
    const body = JSON.stringify({ seq, at: '2026-11-01T10:00:00.000Z', type: 'LOGOUT', actor: 'a', terminal: 't', prev });
    prev = createHash('sha256').update(prev).update('\n').update(body).digest('hex');
    out += `${body.slice(0, -1)},"hash":"${prev}"}\n`;
  }
  return out;
}

/** Turns a directory of this version into one as the version before the set-up marker left it. */
function makePreMarker(dir: string): void {
  unlinkSync(join(dir, 'data-dir.json'));
  unlinkSync(join(dir, 'audit.head.json'));
  writeFileSync(join(dir, 'audit.jsonl'), legacyLines(2));
}

/** Both record files there, empty unless written since, and listed in the sealed marker. */
function expectRecordFilesListed(dir: string): void {
  for (const name of [STAFF_FILE_NAME, INBOX_FILE_NAME, OUTBOUND_FILE_NAME])
    expect(statSync(join(dir, 'store', name)).isFile(), name).toBe(true);
  expect((markerOf(dir)['storeFiles'] as string[]).sort()).toEqual([INBOX_FILE_NAME, OUTBOUND_FILE_NAME, STAFF_FILE_NAME]);
}

/** A marker sealed exactly as the version before the record files did: no `storeFiles`. */
function previousVersionMarker(key: Uint8Array, fields: { state: string; setUp: string; shards: number; createdAt: string }): string {
  const sub = (label: string) => createHmac('sha256', key).update(label).digest();
  const keyCheck = sub('kontokiosk-key-check-v1').toString('hex');
  const mac = createHmac('sha256', sub('kontokiosk-data-dir-marker-v1'))
    .update(['data-dir', 2, fields.state, fields.setUp, fields.shards, fields.createdAt, keyCheck].join('\n'))
    .digest('hex');
  return JSON.stringify({ format: 2, ...fields, keyCheck, mac });
}

/** Turns a directory of this version into one as the version before staff.json and inbox.json left it. */
function makeBeforeRecordFiles(dir: string): void {
  const marker = markerOf(dir);
  const key = readFileSync(join(dir, 'secret.key'));
  const fields = { state: 'ready', setUp: String(marker['setUp']), shards: DEFAULT_SHARDS, createdAt: String(marker['createdAt']) };
  writeFileSync(join(dir, 'data-dir.json'), previousVersionMarker(key, fields));
  for (const name of [STAFF_FILE_NAME, INBOX_FILE_NAME, OUTBOUND_FILE_NAME]) unlinkSync(join(dir, 'store', name));
}

describe('a new data directory', () => {
  it('is set up: a fresh 32-byte key (0600), every folder of account files, the demo register', async () => {
    const dir = freshDir();
    await start(dir);
    const key = join(dir, 'secret.key');
    expect(readFileSync(key)).toHaveLength(32);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expectAccountLayout(dir);
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
    ['{}', '{}', 'id: expected string'],
    ['an empty file', '', 'the file is empty'],
  ])('an account file holding %s is refused, naming the file and the problem', async (_name, content, problem) => {
    const { dir, shard } = await usedDir();
    writeFileSync(shard, content);
    const { error } = await checkRefused(dir);
    expect(error.code).toBe('DATA_FILE_DAMAGED');
    expect(error.message).toContain(shard);
    expect(error.message).toContain(problem);
    expect(error.message).toContain('Restore it from the backup');
    // Nothing was written over the evidence.
    expect(readFileSync(shard, 'utf8')).toBe(content);
  });

  it('a truncated account file is refused without printing any of its content', async () => {
    const { dir, shard } = await usedDir();
    const text = readFileSync(shard, 'utf8');
    for (const cut of [text.indexOf(EMAIL) + 5, text.indexOf(HASH) + 10, text.length - 3]) {
      writeFileSync(shard, text.slice(0, cut));
      const { error, printed } = await checkRefused(dir);
      expect(error.message).toContain(shard);
      expect(error.message).toMatch(/JSON ends early|JSON syntax error at position \d+/);
      expectNoContent(error.message);
      expectNoContent(printed);
      expectNoContent(String(error.stack));
    }
    // Corrupt in the middle, not only at the end: V8's own message would quote the text here.
    writeFileSync(shard, text.replace(`"${EMAIL}"`, `"${EMAIL}" x`));
    const { error, printed } = await checkRefused(dir);
    expect(error.message).toMatch(/JSON syntax error at position \d+ \(line 1, column \d+\)/);
    expectNoContent(error.message + printed);
  });

  it('an account file with a wrong-typed field is refused with the schema path, not the value', async () => {
    const { dir, shard } = await usedDir();
    const entry = JSON.parse(readFileSync(shard, 'utf8')) as Record<string, unknown>;
    entry['login'] = { failures: '3' };
    entry['kvnr'] = 12345;
    writeFileSync(shard, JSON.stringify(entry));
    const { error, printed } = await checkRefused(dir);
    expect(error.message).toContain(shard);
    expect(error.message).toContain('kvnr: expected string');
    expect(error.message).toContain('login.failures: expected number');
    expect(error.message).not.toContain(account().id);
    expectNoContent(error.message + printed);
  });

  it('an account whose id differs from its file name, or a second account for one KVNR, is refused', async () => {
    const { dir, shard } = await usedDir();
    const original = readFileSync(shard, 'utf8');
    writeFileSync(shard, original.replace(`"id":"${account().id}"`, '"id":"acc-other"'));
    expect((await checkRefused(dir)).error.message).toContain('the id differs from the file name');

    writeFileSync(shard, original);
    const twin = account({ id: 'acc-twin', username: 'twin', usernameKey: 'twin' });
    writeFileSync(accountPath(join(dir, 'store', 'accounts'), twin.id), JSON.stringify(twin));
    const { error } = await checkRefused(dir, true);
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

  it('a deleted folder of account files is refused (every folder exists from the set-up on)', async () => {
    const { dir, shard } = await usedDir();
    rmSync(join(shard, '..'), { recursive: true });
    const { error } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_MISSING');
    expect(error.message).toContain(join(shard, '..'));
  });

  it('a deleted account file is refused by the full check and by a lookup, naming it', async () => {
    const { dir, shard } = await usedDir();
    unlinkSync(shard);
    const { error } = await checkRefused(dir, true);
    expect(error.code).toBe('DATA_FILE_DAMAGED');
    expect(error.message).toContain(shard);
    expect(error.message).toContain('the account file is missing while the index names it');
    await expect((await ShardedAccountStore.openDirectory(join(dir, 'store'))).findByKvnr(KVNR)).rejects.toThrow(/whose file is missing/);
  });

  it('a deleted audit trail is refused', async () => {
    const { dir } = await usedDir();
    unlinkSync(join(dir, 'audit.jsonl'));
    const { error } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_MISSING');
    expect(error.message).toContain(join(dir, 'audit.jsonl'));
  });

  it('a directory from before the set-up marker is adopted: missing shards created, migrated, marker written', async () => {
    const { dir } = await usedDir();
    // That version had neither the marker nor the audit head, and chained the trail without the key,
    // and kept the accounts in shards, creating a shard only on its first write.
    makePreMarker(dir);
    rmSync(join(dir, 'store', 'accounts'), { recursive: true });
    writeFileSync(join(dir, 'store', shardFileName(7)), JSON.stringify({ accounts: { [account().id]: account() } }));
    await start(dir);
    expect(existsSync(join(dir, 'data-dir.json'))).toBe(true);
    expect(readdirSync(join(dir, 'store')).filter((n) => n.startsWith('accounts-'))).toEqual([]);
    expectAccountLayout(dir);
    expect((await (await ShardedAccountStore.openDirectory(join(dir, 'store'))).findByKvnr(KVNR))?.id).toBe(account().id);
    // Sealed with the key at adoption: the key check, the head over the legacy lines, AUDIT_CHAIN_KEYED.
    expect(markerOf(dir)).toMatchObject({
      format: 2,
      state: 'ready',
      setUp: 'adopted',
      keyCheck: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
    });
    expect(await verifyAuditFile(join(dir, 'audit.jsonl'))).toMatchObject({ ok: true, code: 'INTACT', legacyEntries: 2 });
    expect(auditTypes(dir)).toEqual(['LOGOUT', 'LOGOUT', 'AUDIT_CHAIN_KEYED']);
    expectRecordFilesListed(dir);
  });
});

describe('the record files staff.json and inbox.json', () => {
  const ROOT = resolve(import.meta.dirname, '../..');
  const STAFF: StaffAccount = {
    id: 'staff-integrity-1',
    username: 'anna.schmidt',
    usernameKey: 'anna.schmidt',
    role: 'supervisor',
    createdAt: '2026-11-30T08:00:00.000Z',
    createdBy: 'cli',
    password: { hash: HASH, changedAt: '2026-11-30T08:00:00.000Z', mustChange: true },
    login: { failures: 0 },
    epoch: 0,
  };
  const HOLDS: Record<string, string> = {
    [STAFF_FILE_NAME]: 'the staff accounts of the counter',
    [INBOX_FILE_NAME]: 'the messages persons wrote to the insurer',
  };

  /** Runs one of the npm scripts' CLIs as the operator would, without a test's config override. */
  function cli(script: string, args: string[]): { status: number | null; out: string } {
    const env = { ...process.env };
    delete env['KONTOKIOSK_CONFIG'];
    delete env['KONTOKIOSK_DATA_DIR'];
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main/cli', script), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env,
      timeout: 30_000,
    });
    return { status: run.status, out: `${run.stdout}${run.stderr}` };
  }

  it('a directory of the version before the outbound queue gets store/outbound.json once; from then on its loss is refused', async () => {
    const { dir } = await usedDir();
    const marker = markerOf(dir);
    const key = readFileSync(join(dir, 'secret.key'));
    const fields = {
      state: 'ready' as const,
      setUp: marker['setUp'] as 'new',
      shards: DEFAULT_SHARDS,
      createdAt: String(marker['createdAt']),
    };
    writeFileSync(join(dir, 'data-dir.json'), sealMarker(key, { ...fields, storeFiles: [STAFF_FILE_NAME, INBOX_FILE_NAME] }));
    unlinkSync(join(dir, 'store', OUTBOUND_FILE_NAME));
    await start(dir);
    expect(readFileSync(join(dir, 'store', OUTBOUND_FILE_NAME), 'utf8')).toBe('{"records":{}}');
    expectRecordFilesListed(dir);
    unlinkSync(join(dir, 'store', OUTBOUND_FILE_NAME));
    const { error } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_MISSING');
    expect(error.path).toBe(join(dir, 'store', OUTBOUND_FILE_NAME));
    expect(error.message).toContain('mail and SMS waiting to be sent');
  });

  it('a new directory has both, empty, listed in the sealed marker', async () => {
    const dir = freshDir();
    await start(dir);
    for (const name of [STAFF_FILE_NAME, INBOX_FILE_NAME]) {
      expect(readFileSync(join(dir, 'store', name), 'utf8')).toBe('{"records":{}}');
      expect(statSync(join(dir, 'store', name)).mode & 0o777).toBe(0o600);
    }
    expectRecordFilesListed(dir);
    expect(await (await LowdbStaffStore.openDirectory(join(dir, 'store'))).list()).toEqual([]);
    expect(await (await LowdbInboxStore.openDirectory(join(dir, 'store'))).list(10)).toEqual([]);
  });

  it('a directory set up by the previous version gets them once: missing ones empty, existing ones kept', async () => {
    const { dir } = await usedDir();
    makeBeforeRecordFiles(dir);
    // That version wrote staff.json on its first staff account, and inbox.json only on a first message.
    expect(await (await LowdbStaffStore.openDirectory(join(dir, 'store'))).insert(STAFF)).toBe('OK');
    const before = markerOf(dir);
    expect(before).not.toHaveProperty('storeFiles');
    await start(dir);
    expectRecordFilesListed(dir);
    const after = markerOf(dir);
    expect(after).toMatchObject({ format: 2, state: 'ready', setUp: before['setUp'], createdAt: before['createdAt'] });
    expect((await (await LowdbStaffStore.openDirectory(join(dir, 'store'))).get(STAFF.id))?.username).toBe(STAFF.username);
    expect(readFileSync(join(dir, 'store', INBOX_FILE_NAME), 'utf8')).toBe('{"records":{}}');
    expect((await (await ShardedAccountStore.openDirectory(join(dir, 'store'))).findByKvnr(KVNR))?.id).toBe(account().id);
    // Once: the next start leaves the marker as it is, and from now on a missing file is refused.
    await start(dir);
    expect(markerOf(dir)).toEqual(after);
    unlinkSync(join(dir, 'store', INBOX_FILE_NAME));
    const { error } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_MISSING');
    expect(error.path).toBe(join(dir, 'store', INBOX_FILE_NAME));
  });

  it.each([STAFF_FILE_NAME, INBOX_FILE_NAME])('a deleted %s is refused, naming it and what it held, not recreated empty', async (name) => {
    const { dir } = await usedDir();
    const path = join(dir, 'store', name);
    const marker = readFileSync(join(dir, 'data-dir.json'), 'utf8');
    unlinkSync(path);
    const { error, printed } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_MISSING');
    expect(error.path).toBe(path);
    expect(error.message).toContain(`${path} (${HOLDS[name]}) is missing`);
    expect(error.message).toContain('Restore it from the backup of this data directory.');
    expectNoContent(error.message + printed);
    expect(existsSync(path)).toBe(false);
    expect(readFileSync(join(dir, 'data-dir.json'), 'utf8')).toBe(marker);
  });

  it.each([STAFF_FILE_NAME, INBOX_FILE_NAME])('a damaged %s is refused by the store, naming it', async (name) => {
    const { dir } = await usedDir();
    const path = join(dir, 'store', name);
    writeFileSync(path, JSON.stringify({ records: { a: { id: 'b' } } }));
    const { error } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_DAMAGED');
    expect(error.message).toContain(path);
    expect(readFileSync(path, 'utf8')).toBe(JSON.stringify({ records: { a: { id: 'b' } } }));
  });

  it('the list cannot be cut from the sealed marker to get a deleted staff.json recreated', async () => {
    const { dir } = await usedDir();
    const marker = markerOf(dir);
    delete marker['storeFiles'];
    writeFileSync(join(dir, 'data-dir.json'), JSON.stringify(marker));
    unlinkSync(join(dir, 'store', STAFF_FILE_NAME));
    const { error } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_DAMAGED');
    expect(error.message).toContain('not sealed');
    expect(existsSync(join(dir, 'store', STAFF_FILE_NAME))).toBe(false);
  });

  it('a staff.json without marker and key is not taken for a new directory', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'store'));
    writeFileSync(join(dir, 'store', STAFF_FILE_NAME), JSON.stringify({ records: { [STAFF.id]: STAFF } }));
    const { error } = await refused(dir);
    expect(error.code).toBe('SECRET_KEY_MISSING');
    expect(readdirSync(dir)).toEqual(['store']);
  });

  it('staff:add works on a previous-version directory and stops with exit 2 once its staff.json is deleted', async () => {
    const { dir } = await usedDir();
    makeBeforeRecordFiles(dir);
    const added = cli('staff-add.ts', ['--role', 'supervisor', '--username', 'anna.schmidt', '--data-dir', dir]);
    expect(added.out).toContain('created supervisor "anna.schmidt"');
    expect(added.status).toBe(0);
    expectRecordFilesListed(dir);
    expect(await (await LowdbStaffStore.openDirectory(join(dir, 'store'))).list()).toHaveLength(1);

    const path = join(dir, 'store', STAFF_FILE_NAME);
    unlinkSync(path);
    const refusedRun = cli('staff-add.ts', ['--role', 'supervisor', '--username', 'bernd.meier', '--data-dir', dir]);
    expect(refusedRun.status).toBe(2);
    expect(refusedRun.out).toContain(`Kontokiosk will not start: ${path} (the staff accounts of the counter) is missing`);
    expect(refusedRun.out).not.toMatch(/\n\s+at /);
    expect(existsSync(path)).toBe(false);
  }, 60_000);

  it('register:import works before the first start and on a previous-version directory', async () => {
    const csv = join(freshDir(), 'register.csv');
    writeFileSync(
      csv,
      [
        'kvnr;first_name;last_name;birth_date;street;postal_code;city;insurance_start;insurance_end;card_number;receipts',
        'A123456780;Erika;Mustermann;12.08.1984;Heidestraße 17;51147;Köln;01.01.2004;;80276883110000012345;',
      ].join('\n'),
    );
    const fresh = freshDir();
    expect(cli('register-import.ts', [csv, fresh]).status).toBe(0);
    await start(fresh);
    expectRecordFilesListed(fresh);
    expect(await (await LowdbRegisterStore.openDirectory(join(fresh, 'store'))).count()).toBe(1);

    const { dir } = await usedDir();
    makeBeforeRecordFiles(dir);
    const imported = cli('register-import.ts', [csv, dir]);
    expect(imported.out).toContain('imported 1 persons');
    expect(imported.status).toBe(0);
    expectRecordFilesListed(dir);
    expect(await (await LowdbRegisterStore.openDirectory(join(dir, 'store'))).count()).toBe(1);
    await start(dir);
  }, 60_000);
});

describe('the set-up marker is not the only witness', () => {
  it('a deleted marker and a deleted shard: refused, the shard not recreated empty', async () => {
    const { dir, shard } = await usedDir();
    unlinkSync(join(dir, 'data-dir.json'));
    unlinkSync(shard);
    const { error } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_MISSING');
    expect(error.path).toBe(join(dir, 'data-dir.json'));
    expect(error.message).toContain('data-dir.json is missing but the directory');
    expect(error.message).toContain('was set up by this version');
    expect(error.message).toContain('restore it');
    expect(existsSync(shard)).toBe(false);
    expect(existsSync(join(dir, 'data-dir.json'))).toBe(false);
  });

  it('only secret.key and outbox/ left: refused, not set up again with the demo register', async () => {
    const { dir } = await usedDir();
    for (const name of ['data-dir.json', 'store', 'audit.jsonl', 'audit.head.json']) rmSync(join(dir, name), { recursive: true });
    const key = readFileSync(join(dir, 'secret.key'));
    const { error } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_MISSING');
    expect(readdirSync(dir).sort()).toEqual(['outbox', 'secret.key']);
    expect(readFileSync(join(dir, 'secret.key'))).toEqual(key);
  });

  it('without marker and head, keyed audit entries alone show this version: refused', async () => {
    const { dir } = await usedDir();
    const trail = await FileAuditTrail.open(join(dir, 'audit.jsonl'), readFileSync(join(dir, 'secret.key')), { origin: 'current' });
    await trail.append({ type: 'LOGOUT', actor: 'a', terminal: 't' }, new Date());
    await trail.close();
    unlinkSync(join(dir, 'data-dir.json'));
    unlinkSync(join(dir, 'audit.head.json'));
    const { error } = await refused(dir);
    expect(error.path).toBe(join(dir, 'data-dir.json'));
    expect(existsSync(join(dir, 'audit.head.json'))).toBe(false);
  });

  it('the marker is sealed with the key: an unsealed "initialising" marker cannot get a deleted shard recreated', async () => {
    const { dir, shard } = await usedDir();
    const marker = markerOf(dir);
    writeFileSync(join(dir, 'data-dir.json'), JSON.stringify({ ...marker, state: 'initialising' }));
    unlinkSync(shard);
    const { error } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_DAMAGED');
    expect(error.message).toContain(join(dir, 'data-dir.json'));
    expect(error.message).toContain('not sealed');
    expect(existsSync(shard)).toBe(false);
  });

  it('a set-up cut short (sealed "initialising" marker) is resumed, not taken for a deleted marker', async () => {
    const dir = freshDir();
    const key = randomBytes(32);
    writeFileSync(join(dir, 'secret.key'), key, { mode: 0o600 });
    const createdAt = new Date().toISOString();
    writeFileSync(join(dir, 'data-dir.json'), sealMarker(key, { state: 'initialising', setUp: 'new', shards: DEFAULT_SHARDS, createdAt }));
    mkdirSync(join(dir, 'store'));
    mkdirSync(join(dir, 'store', 'accounts'));
    await start(dir);
    expect(markerOf(dir)).toMatchObject({ format: 2, state: 'ready', setUp: 'new', createdAt });
    expectAccountLayout(dir);
    expectRecordFilesListed(dir);
    expect(await (await LowdbRegisterStore.openDirectory(join(dir, 'store'))).count()).toBe(DEMO_REGISTER.length);
    expect(await verifyAuditFile(join(dir, 'audit.jsonl'))).toMatchObject({ ok: true, code: 'INTACT' });
  });

  it('a set-up cut short between the key and the first marker keeps that key', async () => {
    const dir = freshDir();
    const key = randomBytes(32);
    writeFileSync(join(dir, 'secret.key'), key, { mode: 0o600 });
    writeFileSync(join(dir, 'config.json'), '{}');
    await start(dir);
    expect(readFileSync(join(dir, 'secret.key'))).toEqual(key);
    expect(markerOf(dir)).toMatchObject({ state: 'ready', setUp: 'new' });
  });

  it('a new directory is marked ready, sealed, with a key check and an audit head at seq 0 before the trail opens', async () => {
    const dir = freshDir();
    const opened = await openDataDirectory({ dataDir: dir, auditFile: join(dir, 'audit.jsonl'), initialRegister: DEMO_REGISTER });
    await opened.release();
    expect(opened.origin).toBe('new');
    expect(markerOf(dir)).toMatchObject({ format: 2, state: 'ready', setUp: 'new', shards: DEFAULT_SHARDS });
    expect(JSON.parse(readFileSync(join(dir, 'audit.head.json'), 'utf8'))).toMatchObject({ v: 1, seq: 0 });
  });

  it('a marker of the earlier format (no seal) is upgraded once its key is confirmed by the audit head', async () => {
    const { dir } = await usedDir();
    writeFileSync(join(dir, 'data-dir.json'), JSON.stringify({ format: 1, shards: DEFAULT_SHARDS, createdAt: '2026-11-29T10:00:00.000Z' }));
    await start(dir);
    expect(markerOf(dir)).toMatchObject({ format: 2, state: 'ready', setUp: 'upgraded', createdAt: '2026-11-29T10:00:00.000Z' });
    expect((markerOf(dir)['storeFiles'] as string[]).sort()).toEqual([INBOX_FILE_NAME, OUTBOUND_FILE_NAME, STAFF_FILE_NAME]);
    // With another key the earlier marker is not upgraded.
    writeFileSync(join(dir, 'data-dir.json'), JSON.stringify({ format: 1, shards: DEFAULT_SHARDS, createdAt: '2026-11-29T10:00:00.000Z' }));
    writeFileSync(join(dir, 'secret.key'), randomBytes(32));
    expect((await refused(dir)).error.code).toBe('SECRET_KEY_WRONG');
  });
});

describe('the key is the one the directory was set up with', () => {
  it('another 32-byte key is refused with restore advice; the original starts again', async () => {
    const { dir } = await usedDir();
    const key = readFileSync(join(dir, 'secret.key'));
    const audit = readFileSync(join(dir, 'audit.jsonl'));
    writeFileSync(join(dir, 'secret.key'), randomBytes(32));
    const { error } = await refused(dir);
    expect(error.code).toBe('SECRET_KEY_WRONG');
    expect(error.message).toContain(join(dir, 'secret.key'));
    expect(error.message).toContain('Restore it from the backup of this data directory');
    // Nothing written with the wrong key.
    expect(readFileSync(join(dir, 'audit.jsonl'))).toEqual(audit);
    writeFileSync(join(dir, 'secret.key'), key);
    await start(dir);
  });
});

describe('the audit trail on a start', () => {
  it('a garbled last line is refused by line number, without the line, and left as it is', async () => {
    for (const garbage of ['garbage{{{ not json A123456780', 'null', '{"seq":"1"}']) {
      const { dir } = await usedDir();
      const audit = join(dir, 'audit.jsonl');
      writeFileSync(audit, `${readFileSync(audit, 'utf8')}${garbage}\n`);
      const before = readFileSync(audit, 'utf8');
      const { error, printed } = await refused(dir);
      expect(error.code).toBe('DATA_FILE_DAMAGED');
      expect(error.message).toContain(audit);
      expect(error.message).toMatch(/line \d+, the last entry, is not a valid audit entry/);
      expect(error.message + printed + String(error.stack)).not.toContain('A123456780');
      expect(error.message + printed).not.toContain('garbage');
      expect(readFileSync(audit, 'utf8')).toBe(before);
    }
  });
});

describe('files that cannot be used', () => {
  it.each([
    ['secret.key', 'a directory'],
    ['store/accounts/layout.json', 'a directory'],
    ['store/register.json', 'a directory'],
    ['store/staff.json', 'a directory'],
    ['store/inbox.json', 'a directory'],
    ['audit.jsonl', 'a directory'],
    ['audit.head.json', 'a directory'],
    ['data-dir.json', 'a directory'],
  ])('%s as %s: refused, naming it', async (name) => {
    const { dir } = await usedDir();
    const path = join(dir, name);
    rmSync(path);
    mkdirSync(path);
    const { error } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_UNREADABLE');
    expect(error.message).toContain(`cannot read ${path}: it is a directory`);
  });

  it('a symbolic link loop or a file in the way anywhere on the start-up path is refused, not a stack trace', async () => {
    const cases: [string, (dir: string) => void, string][] = [
      ['config.json', (d) => symlinkSync(join(d, 'config.json'), join(d, 'config.json')), 'symbolic link loop'],
      [
        'outbox/mail',
        (d) => (rmSync(join(d, 'outbox', 'mail'), { recursive: true }), writeFileSync(join(d, 'outbox', 'mail'), '')),
        'not a directory',
      ],
      [
        'outbox/letters',
        (d) => (rmSync(join(d, 'outbox'), { recursive: true }), symlinkSync(join(d, 'outbox'), join(d, 'outbox'))),
        'symbolic link loop',
      ],
      ['store', (d) => (rmSync(join(d, 'store'), { recursive: true }), writeFileSync(join(d, 'store'), '')), 'it is a file'],
    ];
    for (const [name, damage, problem] of cases) {
      const { dir } = await usedDir();
      damage(dir);
      const { error } = await refused(dir);
      expect(error.code, name).toBe('DATA_FILE_UNREADABLE');
      expect(error.message, name).toContain(problem);
    }
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable catalog of the account store (permissions) is refused', async () => {
    const { dir } = await usedDir();
    const shard = join(dir, 'store', 'accounts', 'catalog.json');
    execFileSync('chmod', ['000', shard]);
    const { error } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_UNREADABLE');
    expect(error.message).toContain(`cannot read ${shard}: permission denied`);
  });

  it.each([
    'store',
    'store/accounts',
    'store/register.json',
    'store/staff.json',
    'store/inbox.json',
    'secret.key',
    'audit.jsonl',
    'audit.head.json',
  ])('%s as a symbolic link is refused (two data directories must never share one store)', async (name) => {
    const { dir } = await usedDir();
    const path = join(dir, name);
    const elsewhere = join(freshDir(), 'target');
    execFileSync('mv', [path, elsewhere]);
    symlinkSync(elsewhere, path);
    const { error } = await refused(dir);
    expect(error.code).toBe('DATA_FILE_SYMLINK');
    expect(error.message).toContain(`${path} is a symbolic link`);
  });

  it('secret.key as a FIFO or a link to /dev/zero is refused at once instead of hanging', async () => {
    const { dir } = await usedDir();
    const key = join(dir, 'secret.key');
    unlinkSync(key);
    execFileSync('mkfifo', [key]);
    expect((await refused(dir)).error.message).toContain(key);
    unlinkSync(key);
    symlinkSync('/dev/zero', key);
    expect((await refused(dir)).error.code).toBe('DATA_FILE_SYMLINK');
  }, 10_000);
});

describe('a damaged config.json', () => {
  const TOKEN = 'SECRET-BEARER-TOKEN-123';
  const PASSWORD = 'SMTP-PASSWORD-456';

  function withoutConfigOverride(): NodeJS.ProcessEnv {
    const env = { ...process.env };
    delete env['KONTOKIOSK_CONFIG'];
    return env;
  }

  function startShell(dir: string): Promise<{ code: number | null; out: string }> {
    const root = resolve(import.meta.dirname, '../..');
    return new Promise((done) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', join(root, 'src-main/shell/browser/cli.ts'), '--data-dir', dir, '--no-open'],
        { cwd: root, timeout: 30_000, env: withoutConfigOverride() },
        (error, stdout, stderr) =>
          done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, out: `${stdout}${stderr}` }),
      );
    });
  }

  it('a truncated config.json stops the browser shell with exit 2, naming the position, never the token', async () => {
    const { dir } = await usedDir();
    writeFileSync(join(dir, 'config.json'), `{"postident":{"mode":"http","http":{"baseUrl":"https://p.example","token":"${TOKEN}\n`);
    const { code, out } = await startShell(dir);
    expect(out).not.toContain(TOKEN);
    expect(out).toContain(join(dir, 'config.json'));
    expect(out).toContain('not valid');
    expect(code).toBe(2);
  }, 40_000);

  it('a config.json that breaks the schema is refused by path, never with the values', async () => {
    const { dir } = await usedDir();
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        postident: { mode: TOKEN, http: { baseUrl: `https://p.example/?${TOKEN}`, token: 7 } },
        mail: { smtp: { host: 'smtp.example', password: PASSWORD, port: PASSWORD } },
        [TOKEN]: PASSWORD,
      }),
    );
    const { error, printed } = await refused(dir);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(join(dir, 'config.json'));
    expect(error.message).toMatch(/postident\.mode|mail\.smtp\.port|unexpected fields/);
    for (const secret of [TOKEN, PASSWORD]) expect(error.message + printed + String(error.stack)).not.toContain(secret);
    // Not mistaken for a damaged data file.
    expect(error.message).not.toContain('Restore it from the backup');
  });
});
