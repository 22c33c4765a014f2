/**
 * Durability (R14): a writer process is killed with SIGKILL at random moments, many times. After
 * every kill the store opens cleanly and holds every registration that was confirmed to the person,
 * and the audit trail's chain is intact.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditFile } from '../../src-main/audit/file-audit-trail.js';
import { ShardedAccountStore } from '../../src-main/store/account-store.js';
import { LowdbRegisterStore } from '../../src-main/store/register-store.js';
import { crashRegister } from '../fixtures/crash-persons.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'kontokiosk-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function runUntilKilled(first: number, killAfterMs: number): Promise<string[]> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/fixtures/crash-writer.ts'), dataDir, String(first)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const confirmed: string[] = [];
    let buffer = '';
    let errors = '';
    child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        else if (line.startsWith('confirmed ')) confirmed.push(line.slice(10));
      }
    });
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer ended without being killed: ${errors}`));
      else resolveRun(confirmed);
    });
  });
}

describe('crash safety of confirmed registrations', () => {
  it('every confirmed registration survives SIGKILL at random moments', async () => {
    const register = await LowdbRegisterStore.openDirectory(join(dataDir, 'store'));
    await register.replaceAll(crashRegister(5_000));
    const confirmed = new Map<string, string>();
    let next = 0;
    const rounds = 12;
    for (let round = 0; round < rounds; round++) {
      const lines = await runUntilKilled(next, 150 + Math.floor(Math.random() * 600));
      for (const line of lines) {
        const [kvnr = '', username = ''] = line.split(' ');
        confirmed.set(kvnr, username);
      }
      // The next writer continues after the last person it may have reached.
      next += lines.length + 1;
      const store = await ShardedAccountStore.openDirectory(join(dataDir, 'store'));
      for (const [kvnr, username] of confirmed) {
        const account = await store.findByKvnr(kvnr);
        expect(account?.username, `round ${round}: ${kvnr}`).toBe(username);
      }
      const audit = await verifyAuditFile(join(dataDir, 'audit.jsonl'));
      expect(audit.ok).toBe(true);
    }
    expect(confirmed.size).toBeGreaterThan(rounds);
  }, 180_000);
});
