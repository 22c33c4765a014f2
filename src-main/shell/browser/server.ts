/**
 * The browser shell: a loopback HTTP host that serves the same renderer and the same dispatcher as
 * the Electron shell, for Chromium and the end-to-end tests. It listens on 127.0.0.1 only and
 * refuses any request that lacks its per-launch cookie, names a foreign Host, or (for calls) comes
 * from a foreign Origin.
 *
 * Threats: another local user or a web page in another browser reaching the loopback port. The
 * launch URL carries a one-time secret: its first use sets a cookie with a different random value
 * and every later use sets nothing, so a launch URL seen later (shell history, process list) opens
 * nothing. A kiosk's watchdog (and the hand-off to a separate window process) re-arms the shell
 * for each new window: a fresh secret replaces the old one, whose URL then opens nothing either,
 * and its first use sets a fresh cookie, so only the newest window keeps working. Re-arming is a
 * function of the process, not an address anyone could call. A call whose body cannot be read or parsed is answered VALIDATION_FAILED and never
 * reaches the dispatcher: rejected input must not run anything, not even a channel without input.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Dispatcher } from '../../ipc/dispatcher.js';
import { CONTENT_SECURITY_POLICY, contentType, rendererFile } from '../assets.js';

export const SESSION_HEADER = 'x-kontokiosk-session';
/**
 * Cookies are shared by every port of a host: a kiosk and a counter served side by side on
 * 127.0.0.1 would overwrite each other's launch cookie, so its name carries the port.
 */
const launchCookie = (port: number) => `kontokiosk_launch_${port}`;
/** Largest call body the renderer may send. */
export const MAX_BODY = 64 * 1024;
/** A larger body is read and discarded up to this size (so the caller gets an answer), beyond it the connection is cut. */
const DRAIN_LIMIT = 1024 * 1024;

export interface BrowserShell {
  readonly origin: string;
  /** Works once: its first use sets the launch cookie and forwards to the app. */
  readonly launchUrl: string;
  /** A fresh one-time launch URL for a new window; every earlier launch URL opens nothing from now on. */
  rearm(): string;
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

type Body =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'unreadable' }
  | { readonly kind: 'gone' };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a call body of at most MAX_BODY bytes. A larger one is drained without keeping it, up to
 * DRAIN_LIMIT; a body announced or found larger than that ends the request ('gone' or 'too-large'
 * without reading, answered with the connection closed).
 */
function readBody(req: IncomingMessage): Promise<Body> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > DRAIN_LIMIT) {
      resolve({ kind: 'too-large' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT) {
        req.destroy();
        return;
      }
      if (size <= MAX_BODY) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => {
      if (size > MAX_BODY) return resolve({ kind: 'too-large' });
      try {
        resolve({ kind: 'text', text: utf8.decode(Buffer.concat(chunks)) });
      } catch {
        resolve({ kind: 'unreadable' });
      }
    });
    req.on('error', () => resolve({ kind: 'gone' }));
    req.on('close', () => resolve({ kind: 'gone' }));
  });
}

const REJECTED = (code: 'invalid_json' | 'too_large') =>
  JSON.stringify({ ok: false, error: { code: 'VALIDATION_FAILED', details: { issues: [{ path: '', code }] } } });

export async function startBrowserShell(options: {
  readonly dispatcher: Dispatcher;
  readonly rendererDir: string;
  readonly terminal: string;
  readonly port?: number;
  /** The launch URL's one-time secret (tests fix it; otherwise random). */
  readonly secret?: string;
  /** Told when a launch URL is used for the first time (the hand-off then re-arms). */
  readonly onLaunch?: () => void;
}): Promise<BrowserShell> {
  let launchSecret = options.secret ?? randomBytes(24).toString('base64url');
  let cookieSecret = randomBytes(32).toString('base64url');
  let launched = false;
  let rearmed = false;
  let origin = '';
  let host = '';
  let cookieName = '';

  const call = async (req: IncomingMessage, res: ServerResponse, channelPart: string): Promise<void> => {
    if (req.method !== 'POST') return send(res, 405, 'Method not allowed');
    if (req.headers.origin !== origin) return send(res, 403, 'Forbidden');
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (mediaType !== 'application/json') return send(res, 415, 'Unsupported media type');
    const json = { 'content-type': 'application/json' };
    const body = await readBody(req);
    if (body.kind === 'gone') return;
    if (body.kind === 'too-large') return send(res, 200, REJECTED('too_large'), { ...json, connection: 'close' });
    let payload: unknown;
    try {
      if (body.kind !== 'text') throw new SyntaxError('not UTF-8');
      payload = JSON.parse(body.text);
    } catch {
      return send(res, 200, REJECTED('invalid_json'), json);
    }
    let channel: string;
    try {
      channel = decodeURIComponent(channelPart);
    } catch {
      channel = '';
    }
    const tokenHeader = req.headers[SESSION_HEADER];
    const outcome = await options.dispatcher.dispatch(channel, payload, {
      sessionToken: typeof tokenHeader === 'string' && tokenHeader !== '' ? tokenHeader : undefined,
      terminal: options.terminal,
    });
    const headers: Record<string, string> = { ...json };
    if (outcome.session !== undefined) headers[SESSION_HEADER] = outcome.session ?? '';
    return send(res, 200, JSON.stringify(outcome.result), headers);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.headers.host !== host) return send(res, 421, 'Misdirected request');
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/launch' && req.method === 'GET') {
      if (!sameSecret(url.searchParams.get('k') ?? undefined, launchSecret)) return send(res, 403, 'Forbidden');
      // Used before: forward without a cookie. The window that launched keeps working; anyone else meets 403.
      if (launched) return send(res, 303, '', { location: '/' });
      launched = true;
      // A new window after a re-arm: the cookie of any window before it stops working.
      if (rearmed) cookieSecret = randomBytes(32).toString('base64url');
      options.onLaunch?.();
      return send(res, 303, '', {
        location: '/',
        'set-cookie': `${cookieName}=${cookieSecret}; HttpOnly; SameSite=Strict; Path=/`,
      });
    }
    if (!sameSecret(cookieValue(req, cookieName), cookieSecret)) return send(res, 403, 'Forbidden');

    if (url.pathname.startsWith('/ipc/')) return call(req, res, url.pathname.slice('/ipc/'.length));

    if (req.method !== 'GET') return send(res, 405, 'Method not allowed');
    if (url.pathname.startsWith('/documents/')) {
      const document = options.dispatcher.takeDocument(url.pathname.slice('/documents/'.length));
      if (!document) return send(res, 404, 'Not found');
      const { bytes } = document;
      return send(res, 200, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
        'content-type': 'application/pdf',
        'content-disposition': 'attachment; filename="Kontokiosk-Dokument.pdf"',
      });
    }
    const file = rendererFile(options.rendererDir, url.pathname);
    if (!file) return send(res, 404, 'Not found');
    try {
      const content = await readFile(file);
      return send(res, 200, content, { 'content-type': contentType(file) });
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
  cookieName = launchCookie(address.port);
  origin = `http://${host}`;
  return {
    origin,
    launchUrl: `${origin}/launch?k=${launchSecret}`,
    rearm: () => {
      launchSecret = randomBytes(24).toString('base64url');
      launched = false;
      rearmed = true;
      return `${origin}/launch?k=${launchSecret}`;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
