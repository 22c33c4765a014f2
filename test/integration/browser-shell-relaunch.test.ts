/**
 * What a relaunched kiosk window needs from the browser shell and from Chromium's process: a
 * re-armed launch URL that works once, kills every earlier URL and, on its first use, the cookie
 * of the window before; and a Chromium whose exit and error output reach the log (the launch
 * secret masked) and whose environment holds nothing of the app's.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src-main/config/config.js';
import { createDispatcher } from '../../src-main/ipc/dispatcher.js';
import { openChromium } from '../../src-main/shell/browser/chromium.js';
import { startBrowserShell, type BrowserShell } from '../../src-main/shell/browser/server.js';
import { makeHarness } from '../fixtures/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-relaunch-'));
const rendererDir = join(dir, 'renderer');
mkdirSync(rendererDir);
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
const shells: BrowserShell[] = [];
afterAll(async () => {
  for (const shell of shells) await shell.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(shell: BrowserShell, path: string, cookie?: string) {
  const url = new URL(shell.origin);
  return new Promise<{ status: number; cookie: string | undefined }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: Number(url.port), path, headers: { host: url.host, ...(cookie ? { cookie } : {}) } },
      (res) => {
        res.resume();
        const set = res.headers['set-cookie']?.[0]?.split(';')[0];
        res.on('end', () => resolve({ status: res.statusCode ?? 0, cookie: set }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

describe('re-arming the launch URL for a new window', () => {
  it('a re-armed URL works once, earlier URLs open nothing, and only the newest window keeps working', async () => {
    let launches = 0;
    const shell = await startBrowserShell({
      dispatcher: createDispatcher(makeHarness().core, parseConfig({})),
      rendererDir,
      terminal: 't',
      onLaunch: () => (launches += 1),
    });
    shells.push(shell);
    const first = await get(shell, pathOf(shell.launchUrl));
    expect(first.status).toBe(303);
    expect(launches).toBe(1);
    const second = shell.rearm();
    expect(second).not.toBe(shell.launchUrl);
    // The window before keeps working until the new URL is used.
    expect((await get(shell, '/', first.cookie)).status).toBe(200);
    // The first URL, seen once, opens nothing now.
    expect(await get(shell, pathOf(shell.launchUrl))).toEqual({ status: 403, cookie: undefined });
    const relaunched = await get(shell, pathOf(second));
    expect(relaunched.status).toBe(303);
    expect(relaunched.cookie).toBeDefined();
    expect(relaunched.cookie).not.toBe(first.cookie);
    expect(launches).toBe(2);
    expect((await get(shell, '/', relaunched.cookie)).status).toBe(200);
    expect((await get(shell, '/', first.cookie)).status).toBe(403);
    // Used once: a replay sets no cookie and counts as no launch.
    expect((await get(shell, pathOf(second))).cookie).toBeUndefined();
    expect(launches).toBe(2);
    // A URL re-armed but never used dies with the next re-arm.
    const unused = shell.rearm();
    shell.rearm();
    expect((await get(shell, pathOf(unused))).status).toBe(403);
  });
});

describe('Chromium’s output and environment', () => {
  it('logs its error output with a prefix and the launch secret masked, and its exit code', async () => {
    const executable = join(dir, 'fake-chromium');
    const envFile = join(dir, 'env');
    writeFileSync(executable, `#!/bin/sh\nenv > '${envFile}'\necho "cannot open $1" >&2\necho "starting" \nexit 3\n`);
    chmodSync(executable, 0o700);
    vi.stubEnv('KONTOKIOSK_TEST_DATABASE_PASSWORD', 'hunter2');
    const lines: string[] = [];
    try {
      const window = openChromium({
        executable,
        url: 'http://127.0.0.1:1/launch?k=very-secret',
        kiosk: true,
        profileParent: dir,
        log: (line) => lines.push(line),
      });
      expect(await window.exited).toEqual({ code: 3, signal: null });
    } finally {
      vi.unstubAllEnvs();
    }
    await vi.waitFor(() => expect(lines).toContain('[chromium] exited with code 3'));
    expect(lines).toContain('[chromium] cannot open --app=http://127.0.0.1:1/launch?k=…');
    expect(lines).toContain('[chromium] starting');
    expect(lines.join('\n')).not.toContain('very-secret');
    // Nothing of the app's environment but what a window needs.
    const env = readFileSync(envFile, 'utf8');
    expect(env).not.toContain('hunter2');
    expect(env).toMatch(/^PATH=/m);
  });
});
