/**
 * A known username with a wrong password and an unknown username must cost the same time, so the
 * answer time does not tell which usernames exist. Measured on the real composition: argon2 at
 * production parameters, the durable store, the audit file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src-main/app.js';
import { parseConfig } from '../../src-main/config/config.js';
import { erikaInput } from '../fixtures/harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'kontokiosk-timing-'));
let app: App | undefined;
afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

describe('login timing', () => {
  it('known and unknown usernames take the same time within 10 % over many tries', async () => {
    // 42 failures from one terminal: the terminal pause (20) is raised so that every try is measured.
    app = await openApp({
      dataDir,
      assetsDir: resolve(import.meta.dirname, '../../assets'),
      config: parseConfig({ policy: { terminal: { maxFailedLogins: 1_000 } } }),
    });
    const who = { actor: 'timing-test', terminal: 't' };
    expect((await app.core.registration.register(who, erikaInput())).ok).toBe(true);
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 24; i++) {
      // Three wrong passwords, then the right one, so the account never locks.
      const password = i % 4 === 3 ? 'Heide*Blume7' : `Wrong*Pass${i}`;
      let start = performance.now();
      const result = await app.core.login.withPassword(who, { username: 'erika.m', password });
      if (!result.ok) known.push(performance.now() - start);
      start = performance.now();
      const other = await app.core.login.withPassword(who, { username: `nobody.${i}`, password });
      expect(other.ok).toBe(false);
      unknown.push(performance.now() - start);
    }
    const a = median(known);
    const b = median(unknown);
    expect(known.length).toBe(18);
    expect(Math.abs(a - b) / Math.max(a, b)).toBeLessThan(0.1);
    expect(Math.min(a, b)).toBeGreaterThanOrEqual(app.config.policy.login.failureFloorMs - 1);
  }, 60_000);
});
