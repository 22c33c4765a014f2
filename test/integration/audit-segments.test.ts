/**
 * The audit trail in segments: the active file is closed past its size limit and the chain runs on
 * through the next file; a crash at every step of that is finished by the next open without a
 * conflict and without losing an entry; history and the dashboard's window read across segments;
 * the verify command checks every segment in order and names segment and line of a break.
 */
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FileAuditTrail, MemoryAuditTrail, type RotationStep } from '../../src-main/audit/file-audit-trail.js';
import { segmentOf } from '../../src-main/audit/segments.js';
import { verifyAuditFile } from '../../src-main/audit/verify-trail.js';
import type { AuditEvent } from '../../src-main/core/ports.js';

const root = mkdtempSync(join(tmpdir(), 'kontokiosk-segments-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The smallest segment size the trail accepts: a few hundred entries per segment. */
const SEGMENT = 64 * 1024;
let dirs = 0;

function freshDir(): { path: string; key: Buffer } {
  const dir = join(root, `d${++dirs}`);
  mkdirSync(dir);
  const key = randomBytes(32);
  writeFileSync(join(dir, 'secret.key'), key);
  return { path: join(dir, 'audit.jsonl'), key };
}

const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 60_000);
function event(i: number): AuditEvent {
  return {
    type: i % 7 === 0 ? 'REGISTRATION' : 'LOGIN_FAILURE',
    actor: 'anonymous',
    terminal: 'kiosk-1',
    subject: i % 3 === 0 ? 'erika' : `acc-${i}`,
    data: { n: i, note: 'Grüße äöü ß €' },
  };
}

const records = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { seq: number; type: string; prev: string; hash: string; data?: Record<string, unknown> });

async function fill(trail: FileAuditTrail, from: number, count: number, mirror?: MemoryAuditTrail): Promise<void> {
  for (let i = from; i < from + count; i++) {
    await trail.append(event(i), at(i));
    await mirror?.append(event(i), at(i));
  }
}

describe('rotation into segments', () => {
  it('closes the active file past its size as audit/audit-00000N.jsonl and carries the chain on', async () => {
    const { path, key } = freshDir();
    const trail = await FileAuditTrail.open(path, key, { origin: 'new', segmentBytes: SEGMENT });
    await fill(trail, 0, 1_000);
    await trail.close();
    const dir = join(path, '..', 'audit');
    const names = readdirSync(dir).sort();
    const closed = names.filter((n) => n.endsWith('.jsonl'));
    // About 200 entries of this size fit in 64 KiB.
    expect(closed.length).toBeGreaterThanOrEqual(4);
    expect(closed).toEqual(closed.map((_, i) => `audit-00000${i + 1}.jsonl`));
    expect(names.filter((n) => n.endsWith('.index'))).toHaveLength(closed.length);
    // Each segment holds a little over the limit; each next file starts with the record that links to it.
    let previous: { seq: number; hash: string } | undefined;
    for (const file of closed.map((_, i) => segmentOf(path, i + 1).path).concat(path)) {
      if (file !== path) expect(statSync(file).size).toBeGreaterThanOrEqual(SEGMENT);
      const lines = records(file);
      if (previous) {
        expect(lines[0]).toMatchObject({ seq: previous.seq + 1, prev: previous.hash, type: 'AUDIT_SEGMENT_STARTED' });
      }
      const last = lines.at(-1);
      previous = last && { seq: last.seq, hash: last.hash };
    }
    expect(records(path)[0]?.data).toEqual({ segment: closed.length });
    const total = 1_000 + closed.length;
    const head = JSON.parse(readFileSync(join(path, '..', 'audit.head.json'), 'utf8')) as { seq: number };
    expect(head.seq).toBe(total);
    expect(await verifyAuditFile(path)).toMatchObject({
      ok: true,
      code: 'INTACT',
      entries: total,
      segments: closed.length,
      headSeq: total,
    });
  });

  it('history and the dashboard window read across segments exactly as from one file', async () => {
    const { path, key } = freshDir();
    const mirror = new MemoryAuditTrail(key);
    let trail = await FileAuditTrail.open(path, key, { origin: 'new', segmentBytes: SEGMENT });
    await fill(trail, 0, 700, mirror);
    for (const limit of [1, 5, 100, 10_000]) expect(await trail.history('erika', limit)).toEqual(await mirror.history('erika', limit));
    await trail.close();
    // After a restart the active file's places are found again; the segments' come from their indexes.
    trail = await FileAuditTrail.open(path, key, { origin: 'current', segmentBytes: SEGMENT });
    await fill(trail, 700, 300, mirror);
    expect(await trail.history('erika', 10_000)).toEqual(await mirror.history('erika', 10_000));
    expect(await trail.history('acc-5', 10)).toEqual(await mirror.history('acc-5', 10));
    expect(await trail.history('nobody', 10)).toEqual([]);
    for (const since of [0, 350, 699, 990, 2_000]) {
      expect(await trail.eventsSince(at(since), ['REGISTRATION'])).toEqual(await mirror.eventsSince(at(since), ['REGISTRATION']));
    }
    await trail.close();
  });

  it('the window skips segments that end before it: a segment of older entries is not read', async () => {
    const { path, key } = freshDir();
    const trail = await FileAuditTrail.open(path, key, { origin: 'new', segmentBytes: SEGMENT });
    await fill(trail, 0, 1_000);
    const before = await trail.eventsSince(at(900), ['REGISTRATION']);
    // Replace segment 1 by lines of the same size that would count if it were read.
    const first = segmentOf(path, 1).path;
    const size = statSync(first).size;
    const fake = `${JSON.stringify({ type: 'REGISTRATION', at: at(950).toISOString(), actor: 'x', terminal: 'x' })}\n`;
    writeFileSync(first, fake.repeat(Math.floor(size / fake.length)).padEnd(size, ' '));
    expect(await trail.eventsSince(at(900), ['REGISTRATION'])).toEqual(before);
    expect((await trail.eventsSince(at(0), ['REGISTRATION'])).length).toBeGreaterThan(before.length + 100);
    await trail.close();
  });

  it('a missing or edited segment index is built again from the segment', async () => {
    const { path, key } = freshDir();
    const mirror = new MemoryAuditTrail(key);
    let trail = await FileAuditTrail.open(path, key, { origin: 'new', segmentBytes: SEGMENT });
    await fill(trail, 0, 1_000, mirror);
    await trail.close();
    rmSync(segmentOf(path, 1).indexPath);
    // The records of segment 2 zeroed: its buckets' seals no longer match.
    const index = readFileSync(segmentOf(path, 2).indexPath);
    index.fill(0, index.length - 2_000);
    writeFileSync(segmentOf(path, 2).indexPath, index);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    trail = await FileAuditTrail.open(path, key, { origin: 'current', segmentBytes: SEGMENT });
    expect(await trail.history('erika', 10_000)).toEqual(await mirror.history('erika', 10_000));
    expect(errors.mock.calls.map((c) => String(c[0])).join('\n')).toContain('is not sealed with this key');
    errors.mockRestore();
    await trail.close();
    expect(existsSync(segmentOf(path, 1).indexPath)).toBe(true);
  });

  it('rejects a segment size outside its bounds', async () => {
    const { path, key } = freshDir();
    await expect(FileAuditTrail.open(path, key, { origin: 'new', segmentBytes: 1_000 })).rejects.toThrow(RangeError);
  });
});

describe('a crash at each step of a rotation', () => {
  const steps: RotationStep[] = ['PLACE_SEGMENT', 'START_NEXT_FILE', 'REOPEN'];

  /** Appends until the rotation stops at `step`; returns how many appends were confirmed. */
  async function crashAt(step: RotationStep, path: string, key: Buffer): Promise<number> {
    let armed = true;
    const trail = await FileAuditTrail.open(path, key, {
      origin: 'new',
      segmentBytes: SEGMENT,
      beforeRotationStep: (s) => {
        if (armed && s === step) {
          armed = false;
          throw new Error('crash');
        }
      },
    });
    let confirmed = 0;
    for (;;) {
      const appended = await trail.append(event(confirmed), at(confirmed)).then(
        () => true,
        () => false,
      );
      if (!appended) break;
      confirmed += 1;
    }
    // Nothing more is written by a trail whose rotation stopped half-way.
    await expect(trail.append(event(0), at(0))).rejects.toThrow('failed rotation');
    await trail.close();
    return confirmed;
  }

  it.each(steps.flatMap((step) => [[step, 'link'] as const, [step, 'copy'] as const]))(
    'before %s (segment placed as a %s): the next open finishes it, no conflict, no entry lost',
    async (step, placed) => {
      const { path, key } = freshDir();
      const confirmed = await crashAt(step, path, key);
      const segment = segmentOf(path, 1).path;
      expect(existsSync(segment)).toBe(step !== 'PLACE_SEGMENT');
      if (placed === 'copy' && existsSync(segment)) {
        // A file system without hard links: the segment is a copy, not the active file's inode.
        copyFileSync(segment, `${segment}.copy`);
        renameSync(`${segment}.copy`, segment);
      }
      const trail = await FileAuditTrail.open(path, key, { origin: 'current', segmentBytes: SEGMENT });
      await fill(trail, confirmed, 300);
      await trail.close();
      const check = await verifyAuditFile(path);
      expect(check).toMatchObject({ ok: true, code: 'INTACT' });
      // Every confirmed event is there once, in order, and nothing else but the segment records.
      const all = [
        ...readdirSync(join(path, '..', 'audit'))
          .filter((n) => n.endsWith('.jsonl'))
          .sort()
          .map((n) => join(path, '..', 'audit', n)),
        path,
      ].flatMap(records);
      const events = all.filter((r) => r.type !== 'AUDIT_SEGMENT_STARTED');
      expect(events.map((r) => r.data?.['n'])).toEqual(Array.from({ length: confirmed + 300 }, (_, i) => i));
      expect(all.map((r) => r.seq)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
      expect(all.filter((r) => r.type === 'AUDIT_HEAD_CONFLICT')).toEqual([]);
    },
  );

  it('a segment copy that died before its rename is removed, and a rotation cut short is not done twice', async () => {
    const { path, key } = freshDir();
    await crashAt('START_NEXT_FILE', path, key);
    const stale = `${segmentOf(path, 2).path}.tmp-0123456789ab`;
    writeFileSync(stale, 'partial copy');
    const trail = await FileAuditTrail.open(path, key, { origin: 'current', segmentBytes: SEGMENT });
    expect(existsSync(stale)).toBe(false);
    expect(records(path)[0]).toMatchObject({ type: 'AUDIT_SEGMENT_STARTED', data: { segment: 1 } });
    await trail.close();
    expect(readdirSync(join(path, '..', 'audit')).filter((n) => n.endsWith('.jsonl'))).toEqual(['audit-000001.jsonl']);
  });
});

describe('verify across segments', () => {
  async function rotated(): Promise<{ path: string; key: Buffer }> {
    const { path, key } = freshDir();
    const trail = await FileAuditTrail.open(path, key, { origin: 'new', segmentBytes: SEGMENT });
    await fill(trail, 0, 1_000);
    await trail.close();
    return { path, key };
  }

  it('names the segment and the line within it where the chain breaks', async () => {
    const { path } = await rotated();
    const second = segmentOf(path, 2).path;
    const lines = readFileSync(second, 'utf8').split('\n');
    lines[41] = (lines[41] ?? '').replace('"note":"Grüße', '"note":"Gruse');
    writeFileSync(second, lines.join('\n'));
    expect(await verifyAuditFile(path)).toMatchObject({
      ok: false,
      code: 'CHAIN_BROKEN',
      file: second,
      brokenAtLine: 42,
      reason: 'content does not match its hash',
    });
  });

  it('a segment removed between others breaks the chain at the first line of the next file', async () => {
    const { path } = await rotated();
    rmSync(segmentOf(path, 2).path);
    expect(await verifyAuditFile(path)).toMatchObject({ ok: false, code: 'CHAIN_BROKEN', file: segmentOf(path, 3).path, brokenAtLine: 1 });
  });

  it('the oldest segments archived: the rest verifies and says from which entry on', async () => {
    const { path } = await rotated();
    const firstOfSecond = records(segmentOf(path, 2).path)[0]?.seq ?? 0;
    const segments = readdirSync(join(path, '..', 'audit')).filter((n) => n.endsWith('.jsonl')).length;
    rmSync(segmentOf(path, 1).path);
    expect(await verifyAuditFile(path)).toMatchObject({
      ok: true,
      code: 'INTACT',
      segments: segments - 1,
      archivedEntries: firstOfSecond - 1,
      entries: 1_000 + segments - (firstOfSecond - 1),
    });
    // The first line present is still checked against its own seal.
    const second = segmentOf(path, 2).path;
    const text = readFileSync(second, 'utf8');
    writeFileSync(second, text.replace('"type":"AUDIT_SEGMENT_STARTED"', '"type":"AUDIT_SEGMENT_STARTEX"'));
    expect(await verifyAuditFile(path)).toMatchObject({ ok: false, code: 'CHAIN_BROKEN', file: second, brokenAtLine: 1 });
    // Lines cut from the start of a segment are no segment boundary.
    writeFileSync(second, text.split('\n').slice(1).join('\n'));
    expect(await verifyAuditFile(path)).toMatchObject({ ok: false, code: 'CHAIN_BROKEN', file: second, brokenAtLine: 1 });
    // Every closed segment archived: the active file begins at its boundary.
    for (let n = 2; n <= segments; n++) rmSync(segmentOf(path, n).path);
    expect(await verifyAuditFile(path)).toMatchObject({
      ok: true,
      code: 'INTACT',
      segments: 0,
      archivedEntries: (records(path)[0]?.seq ?? 0) - 1,
    });
  });

  it('entries removed at the end of the active file after a rotation are reported and recorded on start', async () => {
    const { path, key } = await rotated();
    const active = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    writeFileSync(
      path,
      active
        .slice(0, 3)
        .map((l) => `${l}\n`)
        .join(''),
    );
    expect(await verifyAuditFile(path)).toMatchObject({ ok: false, code: 'ENTRIES_MISSING', missing: active.length - 3 });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await (await FileAuditTrail.open(path, key, { origin: 'current', segmentBytes: SEGMENT })).close();
    errors.mockRestore();
    expect(await verifyAuditFile(path)).toMatchObject({
      ok: false,
      code: 'ALTERED_BEFORE_START',
      file: path,
      line: 4,
      finding: 'ENTRIES_MISSING',
    });
  });
});

describe('the segment folder', () => {
  it('as a symbolic link is refused before anything is written', async () => {
    const { path, key } = freshDir();
    const elsewhere = join(root, `elsewhere-${++dirs}`);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(path, '..', 'audit'));
    await expect(FileAuditTrail.open(path, key, { origin: 'new' })).rejects.toThrow('is a symbolic link');
    expect(existsSync(path)).toBe(false);
  });
});
