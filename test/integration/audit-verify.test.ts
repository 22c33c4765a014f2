/**
 * The verify command as an operator runs it: a child process against real data directories, each
 * way a trail can be damaged reported with its own message and exit code.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src-main/app.js';
import { FileAuditTrail } from '../../src-main/audit/file-audit-trail.js';

const ROOT = resolve(import.meta.dirname, '../..');
const root = mkdtempSync(join(tmpdir(), 'kontokiosk-audit-verify-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function verify(target: string): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src-main/cli/audit-verify.ts'), target],
      { cwd: ROOT },
      (error, stdout, stderr) => {
        done({ code: typeof error?.code === 'number' ? error.code : 0, out: `${stdout}${stderr}` });
      },
    );
  });
}

let dirs = 0;
/** A data directory as the app leaves it: store folder, secret.key, audit.jsonl and its head. */
async function dataDir(entries: number): Promise<{ dir: string; audit: string; head: string; key: Buffer }> {
  const dir = join(root, `data-${++dirs}`);
  mkdirSync(join(dir, 'store'), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(join(dir, 'secret.key'), key);
  const audit = join(dir, 'audit.jsonl');
  const trail = await FileAuditTrail.open(audit, key, { origin: 'new' });
  for (let i = 0; i < entries; i++) {
    await trail.append({ type: 'LOGIN_FAILURE', actor: 'a', terminal: 't', subject: `acc-${i}` }, new Date(Date.UTC(2026, 10, 29, 10, i)));
  }
  await trail.close();
  return { dir, audit, head: join(dir, 'audit.head.json'), key };
}

const linesOf = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean);
const writeLines = (path: string, lines: readonly string[]) => writeFileSync(path, lines.map((l) => `${l}\n`).join(''));

describe('npm run audit:verify', () => {
  it('reports an intact trail with exit 0, given the data directory or the audit file', async () => {
    const { dir, audit } = await dataDir(40);
    expect(await verify(dir)).toEqual({ code: 0, out: `audit trail intact: 40 entries in ${audit}\n` });
    expect(await verify(audit)).toMatchObject({ code: 0, out: expect.stringContaining('audit trail intact: 40 entries') as unknown });
  });

  it('reports a missing audit file in a data directory', async () => {
    const { dir, audit } = await dataDir(5);
    rmSync(audit);
    expect(await verify(dir)).toEqual({ code: 5, out: expect.stringContaining(`audit trail missing: ${audit}`) as unknown });
    expect((await verify(audit)).code).toBe(5);
  });

  it('reports a path that is neither a data directory nor an audit file', async () => {
    const nowhere = join(root, 'no-such-dir');
    expect(await verify(nowhere)).toEqual({ code: 6, out: `no audit trail at ${nowhere}\n` });
    const empty = join(root, 'empty-dir');
    mkdirSync(empty);
    expect(await verify(empty)).toEqual({ code: 6, out: `no audit trail at ${join(empty, 'audit.jsonl')}\n` });
  });

  it('reports the last 25 lines deleted', async () => {
    const { dir, audit } = await dataDir(40);
    writeLines(audit, linesOf(audit).slice(0, 15));
    const result = await verify(dir);
    expect(result.code).toBe(3);
    expect(result.out).toContain('25 entries missing at the end');
  });

  it('rejects a line edited and the chain recomputed with plain SHA-256', async () => {
    const { dir, audit } = await dataDir(12);
    let prev = '';
    const lines = linesOf(audit).map((line, i) => {
      const { hash, ...record } = JSON.parse(line) as Record<string, unknown>;
      if (i < 6) {
        prev = String(hash);
        return line;
      }
      const body = JSON.stringify({ ...record, ...(i === 6 ? { subject: 'acc-X' } : {}), prev });
      prev = createHash('sha256').update(prev).update('\n').update(body).digest('hex');
      return `${body.slice(0, -1)},"hash":"${prev}"}`;
    });
    writeLines(audit, lines);
    const result = await verify(dir);
    expect(result.code).toBe(2);
    expect(result.out).toContain('audit trail BROKEN at line 7: content does not match its hash (keyed hash mismatch');
  });

  it('reports a line edited without recomputing the chain at that line', async () => {
    const { dir, audit } = await dataDir(12);
    const lines = linesOf(audit);
    lines[8] = (lines[8] ?? '').replace('acc-8', 'acc-X');
    writeLines(audit, lines);
    const result = await verify(dir);
    expect(result.code).toBe(2);
    expect(result.out).toContain('audit trail BROKEN at line 9');
  });

  it('reports a tampered or missing head file', async () => {
    const { dir, head } = await dataDir(10);
    const original = readFileSync(head, 'utf8');
    writeFileSync(head, original.replace('"seq":10', '"seq":5'));
    expect(await verify(dir)).toEqual({ code: 4, out: expect.stringContaining('audit head file invalid') as unknown });
    rmSync(head);
    expect(await verify(dir)).toEqual({ code: 4, out: expect.stringContaining('audit head file missing') as unknown });
  });

  it('reports a missing key', async () => {
    const { dir } = await dataDir(3);
    rmSync(join(dir, 'secret.key'));
    expect(await verify(dir)).toEqual({ code: 7, out: expect.stringContaining(`key missing: ${join(dir, 'secret.key')}`) as unknown });
  });

  it('a trail reopened after a crash (torn last line) continues the keyed chain and verifies', async () => {
    const { dir, audit, key } = await dataDir(6);
    appendFileSync(audit, '{"v":2,"seq":7,"at":"2026');
    const torn = await verify(dir);
    expect(torn.code).toBe(0);
    expect(torn.out).toContain('an unfinished last line');
    const trail = await FileAuditTrail.open(audit, key, { origin: 'current' });
    await trail.append({ type: 'LOGOUT', actor: 'a', terminal: 't' }, new Date());
    await trail.close();
    expect(await verify(dir)).toEqual({ code: 0, out: `audit trail intact: 7 entries in ${audit}\n` });
  });

  it('after a start on a truncated trail, the finding recorded in the chain keeps failing', async () => {
    const { dir, audit, key } = await dataDir(30);
    writeLines(audit, linesOf(audit).slice(0, 20));
    const trail = await FileAuditTrail.open(audit, key, { origin: 'current' });
    await trail.close();
    const result = await verify(dir);
    expect(result.code).toBe(9);
    expect(result.out).toContain('line 21');
    expect(result.out).toContain('entries missing at the end');
  });

  it('a key that is not exactly 32 bytes is reported as unusable (exit 7), never used', async () => {
    const { dir, key } = await dataDir(3);
    writeFileSync(join(dir, 'secret.key'), Buffer.concat([key, Buffer.from([0])]));
    const longer = await verify(dir);
    expect(longer.code).toBe(7);
    expect(longer.out).toContain(`key unusable: ${join(dir, 'secret.key')} has more than 32 bytes instead of exactly 32`);
    writeFileSync(join(dir, 'secret.key'), key.subarray(0, 31));
    expect(await verify(dir)).toEqual({ code: 7, out: expect.stringContaining('has 31 bytes instead of exactly 32') as unknown });
  });
});

describe('a trail wiped or replaced without the key, then the app started', () => {
  const ASSETS = join(ROOT, 'assets');

  /** A data directory the app set up, with a few keyed entries. */
  async function appDir(): Promise<{ dir: string; audit: string; head: string }> {
    const dir = join(root, `app-${++dirs}`);
    await (await openApp({ dataDir: dir, assetsDir: ASSETS })).close();
    const audit = join(dir, 'audit.jsonl');
    const trail = await FileAuditTrail.open(audit, readFileSync(join(dir, 'secret.key')), { origin: 'current' });
    for (let i = 0; i < 3; i++) await trail.append({ type: 'LOGOUT', actor: 'a', terminal: 't' }, new Date());
    await trail.close();
    return { dir, audit, head: join(dir, 'audit.head.json') };
  }

  async function startApp(dir: string): Promise<void> {
    await (await openApp({ dataDir: dir, assetsDir: ASSETS })).close();
  }

  it('emptied and its head removed: the start records the conflict, verify exits 9', async () => {
    const { dir, audit, head } = await appDir();
    writeFileSync(audit, '');
    rmSync(head);
    await startApp(dir);
    const result = await verify(dir);
    expect(result.code).toBe(9);
    expect(result.out).toContain('the head file missing');
    expect(result.out).toContain('the file held 0');
  });

  it('replaced by an unkeyed chain with the head removed: recorded as a conflict, never sealed with AUDIT_CHAIN_KEYED', async () => {
    const { dir, audit, head } = await appDir();
    let prev = '0'.repeat(64);
    writeLines(
      audit,
      [1, 2].map((seq) => {
        const body = JSON.stringify({ seq, at: '2026-11-29T10:00:00.000Z', type: 'LOGOUT', actor: 'a', terminal: 't', prev });
        prev = createHash('sha256').update(prev).update('\n').update(body).digest('hex');
        return `${body.slice(0, -1)},"hash":"${prev}"}`;
      }),
    );
    rmSync(head);
    await startApp(dir);
    expect(linesOf(audit).map((l) => (JSON.parse(l) as { type: string }).type)).not.toContain('AUDIT_CHAIN_KEYED');
    expect((await verify(dir)).code).toBe(9);
  });

  it('replaced by an unkeyed chain beside a head at seq 0: the unkeyed entries after the head are a conflict', async () => {
    const dir = join(root, `app-${++dirs}`);
    await startApp(dir);
    const audit = join(dir, 'audit.jsonl');
    let prev = '0'.repeat(64);
    writeLines(
      audit,
      [1, 2].map((seq) => {
        const body = JSON.stringify({ seq, at: '2026-11-29T10:00:00.000Z', type: 'LOGOUT', actor: 'a', terminal: 't', prev });
        prev = createHash('sha256').update(prev).update('\n').update(body).digest('hex');
        return `${body.slice(0, -1)},"hash":"${prev}"}`;
      }),
    );
    await startApp(dir);
    const result = await verify(dir);
    expect(result.code).toBe(9);
    expect(result.out).toContain('entries after the head that are not sealed with the key');
  });
});
