/** The browser shell's guard: loopback only, single-use launch URL, launch cookie, own Host and Origin. */
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
const cookie = { cookie: '' };
const extraShells: BrowserShell[] = [];

const freshShell = async () => {
  const started = await startBrowserShell({
    dispatcher: createDispatcher(makeHarness().core, parseConfig({})),
    rendererDir,
    terminal: 't',
    secret: SECRET,
  });
  extraShells.push(started);
  return started;
};

/** The launch cookie as a browser would send it back, from a Set-Cookie header. */
const cookieFrom = (setCookie: string | string[] | undefined) => String(setCookie).split(';')[0] ?? '';
const cookieNameOf = (on: BrowserShell) => `kontokiosk_launch_${new URL(on.origin).port}`;

beforeAll(async () => {
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  const h = makeHarness();
  shell = await startBrowserShell({ dispatcher: createDispatcher(h.core, parseConfig({})), rendererDir, terminal: 't', secret: SECRET });
  const launched = await send(`/launch?k=${SECRET}`);
  cookie.cookie = cookieFrom(launched.headers['set-cookie']);
});
afterAll(async () => {
  await shell.close();
  for (const other of extraShells) await other.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string; on?: BrowserShell } = {}) {
  const url = new URL((options.on ?? shell).origin);
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
    const on = await freshShell();
    expect((await send('/launch?k=wrong', { on })).status).toBe(403);
    const ok = await send(`/launch?k=${SECRET}`, { on });
    expect(ok.status).toBe(303);
    expect(ok.headers['location']).toBe('/');
    expect(String(ok.headers['set-cookie'])).toContain('HttpOnly; SameSite=Strict');
    expect((await send('/', { on, headers: { cookie: cookieFrom(ok.headers['set-cookie']) } })).status).toBe(200);
  });

  it('the launch URL works once: a second use sets no cookie and opens nothing', async () => {
    const on = await freshShell();
    const first = await send(`/launch?k=${SECRET}`, { on });
    expect(first.headers['set-cookie']).toBeDefined();
    const second = await send(`/launch?k=${SECRET}`, { on });
    expect([303, 403]).toContain(second.status);
    expect(second.headers['set-cookie']).toBeUndefined();
    // Whoever replays the URL without the first browser's cookie gets nothing.
    expect((await send('/', { on })).status).toBe(403);
    expect((await send('/', { on, headers: { cookie: `${cookieNameOf(on)}=${SECRET}` } })).status).toBe(403);
    // The browser that launched keeps working.
    expect((await send('/', { on, headers: { cookie: cookieFrom(first.headers['set-cookie']) } })).status).toBe(200);
  });

  it('two shells on one host (a kiosk and a counter) each keep their own launch cookie', async () => {
    const [a, b] = [await freshShell(), await freshShell()];
    const cookieA = cookieFrom((await send(`/launch?k=${SECRET}`, { on: a })).headers['set-cookie']);
    const cookieB = cookieFrom((await send(`/launch?k=${SECRET}`, { on: b })).headers['set-cookie']);
    expect(cookieA.split('=')[0]).toBe(cookieNameOf(a));
    expect(cookieB.split('=')[0]).toBe(cookieNameOf(b));
    // A browser holds both (cookies ignore the port) and sends both to each: each shell reads its own.
    const both = `${cookieA}; ${cookieB}`;
    expect((await send('/', { on: a, headers: { cookie: both } })).status).toBe(200);
    expect((await send('/', { on: b, headers: { cookie: both } })).status).toBe(200);
    expect((await send('/', { on: a, headers: { cookie: cookieB.replace(cookieNameOf(b), cookieNameOf(a)) } })).status).toBe(403);
  });

  it('the launch cookie is a separate random secret, not the launch secret', async () => {
    const [a, b] = [await freshShell(), await freshShell()];
    const valueA = cookieFrom((await send(`/launch?k=${SECRET}`, { on: a })).headers['set-cookie']).split('=')[1] ?? '';
    const valueB = cookieFrom((await send(`/launch?k=${SECRET}`, { on: b })).headers['set-cookie']).split('=')[1] ?? '';
    expect(valueA.length).toBeGreaterThanOrEqual(32);
    expect(valueA).not.toContain(SECRET);
    expect(valueA).not.toBe(valueB);
    expect((await send('/', { on: a, headers: { cookie: `${cookieNameOf(a)}=${SECRET}` } })).status).toBe(403);
  });

  it('refuses pages and calls without the secret', async () => {
    expect((await send('/')).status).toBe(403);
    expect((await send('/', { headers: { cookie: `${cookieNameOf(shell)}=nope` } })).status).toBe(403);
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
    expect((await send('/..%2f..%2fetc%2fpasswd', { headers: cookie })).status).toBe(404);
    expect((await send('/assets%5c..%5c..%5cindex.html', { headers: cookie })).status).toBe(404);
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

  it('takes only application/json, and a JSON null is input (refused), not "no input"', async () => {
    expect((await ipc('app.info', '{}', { 'content-type': 'application/jsonfoo' })).status).toBe(415);
    expect((await ipc('app.info', '{}', { 'content-type': 'text/plain' })).status).toBe(415);
    expect(JSON.parse((await ipc('app.info', '{}', { 'content-type': 'Application/JSON; charset=utf-8' })).body)).toMatchObject({
      ok: true,
    });
    expect(JSON.parse((await ipc('session.logout', 'null')).body)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});
