/**
 * The trail's open reads the end of the file, not the file: a trail whose early part is garbage far
 * larger than a start could read (a sparse file of many GiB, more than one string or Buffer can
 * hold) opens at once, keeps its head and continues the chain.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileAuditTrail } from '../../src-main/audit/file-audit-trail.js';

const root = mkdtempSync(join(tmpdir(), 'kontokiosk-audit-start-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const GiB = 1024 * 1024 * 1024;

/** A trail of 5 entries whose lines are moved behind `hole` bytes: garbage at 0, then nothing (sparse). */
async function trailBehind(name: string, hole: number): Promise<{ path: string; key: Buffer; entries: string }> {
  const path = join(root, `${name}.jsonl`);
  const key = randomBytes(32);
  const trail = await FileAuditTrail.open(path, key, { origin: 'new' });
  for (let i = 0; i < 5; i++) await trail.append({ type: 'LOGOUT', actor: 'a', terminal: 't', subject: `acc-${i}` }, new Date());
  await trail.close();
  const entries = readFileSync(path, 'utf8');
  const fd = openSync(path, 'w');
  writeSync(fd, 'garbage{{{ not json A123456780');
  writeSync(fd, `\n${entries}`, hole);
  closeSync(fd);
  return { path, key, entries };
}

function tail(path: string, bytes: number): string {
  const size = statSync(path).size;
  const buffer = Buffer.alloc(bytes);
  const fd = openSync(path, 'r');
  readSync(fd, buffer, 0, bytes, size - bytes);
  closeSync(fd);
  return buffer.toString('utf8');
}

describe('opening the trail reads only its end', () => {
  it('900 MiB of garbage before the entries (more than one string can hold): opens and continues the chain', async () => {
    const { path, key, entries } = await trailBehind('large', 900 * 1024 * 1024);
    const last = JSON.parse(entries.trim().split('\n').at(-1) ?? '') as { seq: number; hash: string };
    const trail = await FileAuditTrail.open(path, key, { origin: 'current', segmentBytes: GiB });
    await trail.append({ type: 'LOGOUT', actor: 'a', terminal: 't' }, new Date());
    await trail.close();
    const lines = tail(path, entries.length + 1_000)
      .split('\n')
      .filter(Boolean);
    // The head fitted the end (no conflict recorded) and the new entry links to the last one.
    expect(JSON.parse(lines.at(-1) ?? '')).toMatchObject({ seq: 6, prev: last.hash, type: 'LOGOUT' });
    expect(JSON.parse(lines.at(-2) ?? '')).toMatchObject({ seq: 5, hash: last.hash });
    expect(JSON.parse(readFileSync(join(root, 'large.head.json'), 'utf8'))).toMatchObject({ seq: 6 });
  });

  it('16 GiB before the entries: the open takes no longer than for a small file and changes nothing', async () => {
    const { path, key } = await trailBehind('huge', 16 * GiB);
    const size = statSync(path).size;
    const before = tail(path, 4_096);
    const started = performance.now();
    await (await FileAuditTrail.open(path, key, { origin: 'current', segmentBytes: GiB })).close();
    // Reading 16 GiB, even of holes, takes many seconds; the end alone takes milliseconds.
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(statSync(path).size).toBe(size);
    expect(tail(path, 4_096)).toBe(before);
  });
});
