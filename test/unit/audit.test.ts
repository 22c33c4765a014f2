import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileAuditTrail, verifyAuditFile } from '../../src-main/audit/file-audit-trail.js';
import { WHO, erikaInput, makeHarness } from '../fixtures/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function trailWith(n: number, name: string): Promise<string> {
  const path = join(dir, name);
  const trail = await FileAuditTrail.open(path);
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
    const trail = await FileAuditTrail.open(path);
    await trail.append({ type: 'LOGOUT', actor: 'a', terminal: 't' }, new Date());
    await trail.close();
    expect(await verifyAuditFile(path)).toMatchObject({ ok: true, entries: 4, tornTail: false });
  });

  it('holds no passwords, codes, keys or personal data of a registration', async () => {
    const h = makeHarness();
    const r = await h.core.register(WHO, erikaInput());
    if (!r.ok) throw new Error('setup');
    const code = h.lastCode();
    await h.core.confirmEmail(WHO, r.value.accountId, { email: 'erika@example.org', code });
    await h.core.requestActivationLetter(WHO, r.value.accountId);
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
