/** The browser shell's guard: loopback only, per-launch secret, own Host and Origin. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/config/config.js';
import { createDispatcher } from '../../src-main/ipc/dispatcher.js';
import { startBrowserShell, type BrowserShell } from '../../src-main/shell/browser/server.js';
import { makeHarness } from '../fixtures/harness.js';

const rendererDir = mkdtempSync(join(tmpdir(), 'kontokiosk-renderer-'));
let shell: BrowserShell;
const SECRET = 'test-secret-0123456789abcdef';

beforeAll(async () => {
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  const h = makeHarness();
  shell = await startBrowserShell({ dispatcher: createDispatcher(h.core, parseConfig({})), rendererDir, terminal: 't', secret: SECRET });
});
afterAll(async () => {
  await shell.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const url = new URL(shell.origin);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: Number(url.port), path, method: options.method ?? 'GET', headers: { host: url.host, ...options.headers } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const cookie = { cookie: `kontokiosk_launch=${SECRET}` };
const ipc = (channel: string, body: string, headers: Record<string, string> = {}) =>
  send(`/ipc/${channel}`, {
    method: 'POST',
    body,
    headers: { ...cookie, origin: shell.origin, 'content-type': 'application/json', ...headers },
  });

describe('browser shell', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(shell.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('the launch URL sets the secret cookie; a wrong secret is refused', async () => {
    expect((await send('/launch?k=wrong')).status).toBe(403);
    const ok = await send(`/launch?k=${SECRET}`);
    expect(ok.status).toBe(303);
    expect(String(ok.headers['set-cookie'])).toContain('HttpOnly; SameSite=Strict');
  });

  it('refuses pages and calls without the secret', async () => {
    expect((await send('/')).status).toBe(403);
    expect((await send('/', { headers: { cookie: 'kontokiosk_launch=nope' } })).status).toBe(403);
    const call = await send('/ipc/app.info', {
      method: 'POST',
      body: '{}',
      headers: { origin: shell.origin, 'content-type': 'application/json' },
    });
    expect(call.status).toBe(403);
  });

  it('serves the renderer with a strict CSP to the holder of the secret', async () => {
    const page = await send('/', { headers: cookie });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect((await send('/assets/app.js', { headers: cookie })).status).toBe(200);
    expect((await send('/../../etc/passwd', { headers: cookie })).status).toBe(404);
    expect((await send('/%2e%2e/%2e%2e/etc/passwd', { headers: cookie })).status).toBe(404);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin (cross-site calls)', async () => {
    expect((await send('/', { headers: { ...cookie, host: 'evil.example:80' } })).status).toBe(421);
    expect((await ipc('app.info', '{}', { origin: 'http://evil.example' })).status).toBe(403);
    expect((await ipc('app.info', '{}', { origin: '' })).status).toBe(403);
  });

  it('answers calls with typed results; broken JSON and oversized bodies get VALIDATION_FAILED', async () => {
    const info = await ipc('app.info', '{}');
    expect(JSON.parse(info.body)).toMatchObject({ ok: true, value: { brand: { name: 'Kontokiosk' } } });
    expect(JSON.parse((await ipc('app.info', '{nope')).body)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(JSON.parse((await ipc('app.info', JSON.stringify({ x: 'y'.repeat(70_000) }))).body)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(JSON.parse((await ipc('nope', '{}')).body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect((await send('/ipc/app.info', { headers: { ...cookie, origin: shell.origin } })).status).toBe(405);
  });
});
