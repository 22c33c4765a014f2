/** An account's security history from the audit file: newest first, through restarts, with lines of every length. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileAuditTrail } from '../../src-main/audit/file-audit-trail.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('audit history by subject', () => {
  it('returns the subject’s newest events first, also after a restart and for lines with multi-byte text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-history-'));
    dirs.push(dir);
    const path = join(dir, 'audit.jsonl');
    const key = new Uint8Array(32).fill(4);
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 8, minute));
    let trail = await FileAuditTrail.open(path, key, { origin: 'new' });
    for (let i = 0; i < 30; i++) {
      const subject = i % 3 === 0 ? 'erika' : `other-${i}`;
      await trail.append(
        { type: 'LOGIN_FAILURE', actor: 'anonymous', terminal: 'kiosk-1', subject, data: { n: i, note: 'Grüße äöü ß €' } },
        at(i),
      );
    }
    // A record whose data mentions the subject as text is not the subject's.
    await trail.append({ type: 'COUNTER_SEARCH', actor: 'staff:x', terminal: 'c', data: { reason: '"subject":"erika"' } }, at(31));
    expect((await trail.history('erika', 3)).map((e) => e.data?.['n'])).toEqual([27, 24, 21]);
    await trail.close();

    trail = await FileAuditTrail.open(path, key, { origin: 'current' });
    await trail.append({ type: 'LOGIN_SUCCESS', actor: 'anonymous', terminal: 'kiosk-2', subject: 'erika' }, at(40));
    const history = await trail.history('erika', 100);
    expect(history.map((e) => e.type)).toEqual(['LOGIN_SUCCESS', ...Array.from({ length: 10 }, () => 'LOGIN_FAILURE')]);
    expect(history.map((e) => e.data?.['n'])).toEqual([undefined, 27, 24, 21, 18, 15, 12, 9, 6, 3, 0]);
    expect(history[1]).toMatchObject({ subject: 'erika', terminal: 'kiosk-1', data: { note: 'Grüße äöü ß €' } });
    expect(await trail.history('nobody', 10)).toEqual([]);
    await trail.close();
  });
});
