/**
 * The browser shell: a loopback HTTP host that serves the same renderer and the same dispatcher as
 * the Electron shell, for Chromium and the end-to-end tests. It listens on 127.0.0.1 only and
 * refuses any request that lacks its per-launch secret (a cookie set by the launch URL), names a
 * foreign Host, or (for calls) comes from a foreign Origin.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { Dispatcher } from '../../ipc/dispatcher.js';

export const SESSION_HEADER = 'x-kontokiosk-session';
const COOKIE = 'kontokiosk_launch';
const MAX_BODY = 64 * 1024;

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
};

export interface BrowserShell {
  readonly origin: string;
  /** Open this once: it sets the launch cookie and forwards to the app. */
  readonly launchUrl: string;
  close(): Promise<void>;
}

function sameSecret(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    ...headers,
  });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startBrowserShell(options: {
  readonly dispatcher: Dispatcher;
  readonly rendererDir: string;
  readonly terminal: string;
  readonly port?: number;
  readonly secret?: string;
}): Promise<BrowserShell> {
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  let origin = '';
  let host = '';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.headers.host !== host) return send(res, 421, 'Misdirected request');
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/launch' && req.method === 'GET') {
      if (!sameSecret(url.searchParams.get('k') ?? undefined, secret)) return send(res, 403, 'Forbidden');
      return send(res, 303, '', {
        location: '/',
        'set-cookie': `${COOKIE}=${secret}; HttpOnly; SameSite=Strict; Path=/`,
      });
    }
    if (!sameSecret(cookieValue(req, COOKIE), secret)) return send(res, 403, 'Forbidden');

    if (url.pathname.startsWith('/ipc/')) {
      if (req.method !== 'POST') return send(res, 405, 'Method not allowed');
      if (req.headers.origin !== origin) return send(res, 403, 'Forbidden');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'Unsupported media type');
      const body = await readBody(req);
      let payload: unknown;
      try {
        payload = body === undefined ? Symbol('too large') : JSON.parse(body);
      } catch {
        payload = Symbol('not json');
      }
      const tokenHeader = req.headers[SESSION_HEADER];
      const outcome = await options.dispatcher.dispatch(
        decodeURIComponent(url.pathname.slice(5)),
        typeof payload === 'symbol' ? undefined : payload,
        {
          sessionToken: typeof tokenHeader === 'string' && tokenHeader !== '' ? tokenHeader : undefined,
          terminal: options.terminal,
        },
      );
      const result =
        typeof payload === 'symbol'
          ? { ok: false, error: { code: 'VALIDATION_FAILED', details: { issues: [{ path: '', code: 'invalid_json' }] } } }
          : outcome.result;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (outcome.session !== undefined && typeof payload !== 'symbol') headers[SESSION_HEADER] = outcome.session ?? '';
      return send(res, 200, JSON.stringify(result), headers);
    }

    if (req.method !== 'GET') return send(res, 405, 'Method not allowed');
    if (url.pathname.startsWith('/documents/')) {
      const path = options.dispatcher.takeDocument(url.pathname.slice('/documents/'.length));
      if (!path) return send(res, 404, 'Not found');
      return send(res, 200, await readFile(path), {
        'content-type': 'application/pdf',
        'content-disposition': 'attachment; filename="Kontokiosk-Dokument.pdf"',
      });
    }
    const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = normalize(join(options.rendererDir, relative));
    if (!file.startsWith(options.rendererDir + sep)) return send(res, 404, 'Not found');
    try {
      const content = await readFile(file);
      return send(res, 200, content, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    } catch {
      return send(res, 404, 'Not found');
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('[browser-shell]', error);
      if (!res.headersSent) send(res, 500, 'Internal error');
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('browser shell did not bind');
  host = `127.0.0.1:${address.port}`;
  origin = `http://${host}`;
  return {
    origin,
    launchUrl: `${origin}/launch?k=${secret}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
