import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileAuditTrail, TEST_AUDIT_KEY, verifyAuditFile } from '../../src-main/audit/file-audit-trail.js';
import { deriveAuditKeys, verifyLines } from '../../src-main/audit/hash-chain.js';
import { WHO, erikaInput, makeHarness } from '../fixtures/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// verifyAuditFile reads the key beside the trail, as in a data directory.
const key = randomBytes(32);
writeFileSync(join(dir, 'secret.key'), key);

async function trailWith(n: number, name: string): Promise<string> {
  const path = join(dir, name);
  const trail = await FileAuditTrail.open(path, key, { origin: 'new' });
  for (let i = 0; i < n; i++) {
    await trail.append({ type: 'LOGIN_FAILURE', actor: 'a', terminal: 't', subject: `acc-${i}` }, new Date(Date.UTC(2026, 10, 29, 10, i)));
  }
  await trail.close();
  return path;
}

describe('audit trail (R13)', () => {
  it('an untouched chain verifies', async () => {
    const path = await trailWith(5, 'ok.jsonl');
    expect(await verifyAuditFile(path)).toMatchObject({ ok: true, entries: 5 });
  });

  it('reports the first broken link when a line is changed', async () => {
    const path = await trailWith(5, 'changed.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[2] = (lines[2] ?? '').replace('acc-2', 'acc-X');
    writeFileSync(path, lines.join('\n'));
    expect(await verifyAuditFile(path)).toMatchObject({ ok: false, brokenAtLine: 3, reason: 'content does not match its hash' });
  });

  it('reports a removed line', async () => {
    const path = await trailWith(5, 'removed.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.splice(1, 1);
    writeFileSync(path, lines.join('\n'));
    expect(await verifyAuditFile(path)).toMatchObject({ ok: false, brokenAtLine: 2 });
  });

  it('drops a torn last line on open and continues the chain', async () => {
    const path = await trailWith(3, 'torn.jsonl');
    appendFileSync(path, '{"seq":4,"at":"2026');
    expect(await verifyAuditFile(path)).toMatchObject({ ok: true, entries: 3, tornTail: true });
    const trail = await FileAuditTrail.open(path, key, { origin: 'current' });
    await trail.append({ type: 'LOGOUT', actor: 'a', terminal: 't' }, new Date());
    await trail.close();
    expect(await verifyAuditFile(path)).toMatchObject({ ok: true, entries: 4, tornTail: false });
  });

  it('holds no passwords, codes, keys or personal data of a registration', async () => {
    const h = makeHarness();
    const r = await h.core.registration.register(WHO, erikaInput());
    if (!r.ok) throw new Error('setup');
    const code = h.lastCode();
    await h.core.email.confirm(WHO, r.value.accountId, { email: 'erika@example.org', code });
    await h.core.identity.requestLetter(WHO, r.value.accountId);
    const letter = h.letters.at(-1);
    const all = h.audit.lines.join('\n');
    for (const secret of [
      'Heide*Blume7',
      code,
      letter?.kind === 'ACTIVATION_KEY' ? letter.key : 'x',
      'A123456780',
      'erika@example.org',
      'Mustermann',
      'erika.m',
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});

/** Rewrites the lines from `from` on with `edit` and re-links them with plain SHA-256 (no key). */
function recomputePlain(path: string, edit: (record: Record<string, unknown>, seq: number) => Record<string, unknown>, from = 1): void {
  let prev = '0'.repeat(64);
  const out = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((line, i) => {
      const { hash: old, ...record } = JSON.parse(line) as Record<string, unknown>;
      if (i + 1 < from) {
        prev = String(old);
        return `${line}\n`;
      }
      const body = JSON.stringify({ ...edit(record, i + 1), prev });
      prev = createHash('sha256').update(prev).update('\n').update(body).digest('hex');
      return `${body.slice(0, -1)},"hash":"${prev}"}\n`;
    });
  writeFileSync(path, out.join(''));
}

function headOf(path: string): { seq: number; hash: string } {
  return JSON.parse(readFileSync(path.replace(/\.jsonl$/, '.head.json'), 'utf8')) as { seq: number; hash: string };
}

describe('keyed audit chain and its head', () => {
  it('a line edited and the chain recomputed with plain SHA-256 fails at that line', async () => {
    const path = await trailWith(6, 'recomputed.jsonl');
    recomputePlain(path, (r, seq) => (seq === 4 ? { ...r, subject: 'acc-X' } : r), 4);
    expect(await verifyAuditFile(path)).toMatchObject({ ok: false, code: 'CHAIN_BROKEN', brokenAtLine: 4, keyed: true });
    // Recomputed from the start, not even the first line carries a valid keyed hash.
    recomputePlain(path, (r) => r);
    expect(await verifyAuditFile(path)).toMatchObject({ ok: false, code: 'CHAIN_BROKEN', brokenAtLine: 1, keyed: true });
  });

  it('a trail does not verify with another key', async () => {
    const path = await trailWith(3, 'otherkey.jsonl');
    expect(await verifyAuditFile(path, { key: randomBytes(32) })).toMatchObject({ ok: false, code: 'CHAIN_BROKEN', brokenAtLine: 1 });
  });

  it('downgrading the chain to unkeyed lines is not accepted, with or without the head', async () => {
    const path = await trailWith(4, 'downgrade.jsonl');
    recomputePlain(path, ({ v: _v, ...r }) => r);
    expect(await verifyAuditFile(path)).toMatchObject({ ok: false, code: 'HEAD_MISMATCH', headSeq: 4 });
    rmSync(path.replace(/\.jsonl$/, '.head.json'));
    expect(await verifyAuditFile(path)).toMatchObject({ ok: false, code: 'UNKEYED_CHAIN', entries: 4 });
  });

  it('the head names only entries that were fsynced', async () => {
    const path = join(dir, 'group.jsonl');
    const trail = await FileAuditTrail.open(path, key, { origin: 'new', syncDelayMs: 60_000 });
    expect(headOf(path).seq).toBe(0);
    await trail.append({ type: 'LOGOUT', actor: 'a', terminal: 't' }, new Date());
    await trail.append({ type: 'LOGOUT', actor: 'a', terminal: 't' }, new Date());
    // Written to the file, not yet synced: the head must not claim them.
    expect(headOf(path).seq).toBe(0);
    await trail.flush();
    expect(headOf(path).seq).toBe(2);
    await trail.close();
    expect(await verifyAuditFile(path)).toMatchObject({ ok: true, code: 'INTACT', entries: 2, headSeq: 2 });
  });

  it('a head behind the file (crash before the head write) is fine and is brought up to date', async () => {
    const path = await trailWith(3, 'behind.jsonl');
    const headPath = path.replace(/\.jsonl$/, '.head.json');
    const oldHead = readFileSync(headPath);
    const trail = await FileAuditTrail.open(path, key, { origin: 'current' });
    await trail.append({ type: 'LOGOUT', actor: 'a', terminal: 't' }, new Date());
    await trail.close();
    writeFileSync(headPath, oldHead);
    expect(await verifyAuditFile(path)).toMatchObject({ ok: true, entries: 4, headSeq: 3 });
    const reopened = await FileAuditTrail.open(path, key, { origin: 'current' });
    await reopened.close();
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(4);
    expect(await verifyAuditFile(path)).toMatchObject({ ok: true, entries: 4, headSeq: 4 });
  });

  it('entries removed at the end are reported, and a start keeps that evidence in the chain', async () => {
    const path = await trailWith(10, 'truncated.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    writeFileSync(
      path,
      lines
        .slice(0, 7)
        .map((l) => `${l}\n`)
        .join(''),
    );
    expect(await verifyAuditFile(path)).toMatchObject({ ok: false, code: 'ENTRIES_MISSING', missing: 3, headSeq: 10, entries: 7 });
    const trail = await FileAuditTrail.open(path, key, { origin: 'current' });
    await trail.append({ type: 'LOGOUT', actor: 'a', terminal: 't' }, new Date());
    await trail.close();
    expect(await verifyAuditFile(path)).toMatchObject({
      ok: false,
      code: 'ALTERED_BEFORE_START',
      line: 8,
      finding: 'ENTRIES_MISSING',
      headSeq: 10,
      fileEntries: 7,
    });
  });

  it('a legacy (unkeyed) trail is reported as such, then sealed by the first keyed entry on open', async () => {
    const path = await trailWith(4, 'legacy.jsonl');
    rmSync(path.replace(/\.jsonl$/, '.head.json'));
    recomputePlain(path, ({ v: _v, ...r }) => r);
    expect(await verifyAuditFile(path)).toMatchObject({ ok: false, code: 'UNKEYED_CHAIN', entries: 4 });
    const trail = await FileAuditTrail.open(path, key, { origin: 'adopted' });
    await trail.append({ type: 'LOGOUT', actor: 'a', terminal: 't' }, new Date());
    await trail.close();
    const records = readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records[4]).toMatchObject({ v: 2, seq: 5, type: 'AUDIT_CHAIN_KEYED', data: { legacyEntries: 4 } });
    expect(await verifyAuditFile(path)).toMatchObject({ ok: true, entries: 6, legacyEntries: 4 });
    // Recomputing the legacy part after an edit no longer matches the keyed link after it.
    const keyed = readFileSync(path, 'utf8').split('\n').filter(Boolean).slice(4);
    recomputePlain(path, ({ v: _v, ...r }, seq) => (seq === 2 ? { ...r, subject: 'acc-X' } : r));
    const legacy = readFileSync(path, 'utf8').split('\n').filter(Boolean).slice(0, 4);
    writeFileSync(path, [...legacy, ...keyed].map((l) => `${l}\n`).join(''));
    expect(await verifyAuditFile(path)).toMatchObject({
      ok: false,
      code: 'CHAIN_BROKEN',
      brokenAtLine: 5,
      reason: 'link to previous entry broken',
    });
  });

  it('an unkeyed line after keyed ones breaks the chain', async () => {
    const path = await trailWith(3, 'mixed.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    const { hash: _h, v: _v, ...last } = JSON.parse(lines[2] ?? '') as Record<string, unknown>;
    const body = JSON.stringify(last);
    const hash = createHash('sha256').update(String(last['prev'])).update('\n').update(body).digest('hex');
    writeFileSync(path, [...lines.slice(0, 2), `${body.slice(0, -1)},"hash":"${hash}"}`].map((l) => `${l}\n`).join(''));
    expect(await verifyAuditFile(path)).toMatchObject({ ok: false, brokenAtLine: 3, reason: 'unkeyed entry after keyed entries' });
  });

  it('the in-memory trail seals with the fixed test key', async () => {
    const h = makeHarness();
    await h.core.registration.register(WHO, erikaInput());
    expect(h.audit.lines.length).toBeGreaterThan(0);
    expect(verifyLines(deriveAuditKeys(TEST_AUDIT_KEY).chain, h.audit.lines)).toMatchObject({ ok: true, legacyEntries: 0 });
    expect(verifyLines(deriveAuditKeys(randomBytes(32)).chain, h.audit.lines)).toMatchObject({ ok: false, brokenAtLine: 1 });
  });

  it('what a missing head means is decided by the directory, not guessed by the trail', async () => {
    // In a directory set up by this version an empty trail without its head was wiped: a conflict.
    const wiped = join(dir, 'wiped.jsonl');
    writeFileSync(wiped, '');
    await (await FileAuditTrail.open(wiped, key, { origin: 'current' })).close();
    expect(await verifyAuditFile(wiped)).toMatchObject({
      ok: false,
      code: 'ALTERED_BEFORE_START',
      finding: 'HEAD_MISSING',
      fileEntries: 0,
    });
    // A legacy trail is sealed with AUDIT_CHAIN_KEYED only when a directory is adopted.
    const path = await trailWith(3, 'not-adopted.jsonl');
    rmSync(path.replace(/\.jsonl$/, '.head.json'));
    recomputePlain(path, ({ v: _v, ...r }) => r);
    await (await FileAuditTrail.open(path, key, { origin: 'current' })).close();
    const types = readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types).toEqual(['LOGIN_FAILURE', 'LOGIN_FAILURE', 'LOGIN_FAILURE', 'AUDIT_HEAD_CONFLICT']);
    expect(await verifyAuditFile(path)).toMatchObject({ ok: false, code: 'ALTERED_BEFORE_START', finding: 'HEAD_MISSING' });
  });

  it('a last line that is no entry stops the open by line number and changes nothing', async () => {
    for (const garbage of ['garbage{{{ not json A123456780', 'null', '[1,2]', '{"seq":2,"hash":"x"}']) {
      const path = await trailWith(2, `garbled-${garbage.length}.jsonl`);
      const text = `${readFileSync(path, 'utf8')}${garbage}\n{"seq":4,"at":"20`;
      writeFileSync(path, text);
      const error = await FileAuditTrail.open(path, key, { origin: 'current' }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toBe(
        `${path}: line 3, the last entry, is not a valid audit entry (npm run audit:verify shows where the chain breaks)`,
      );
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
  });
});
