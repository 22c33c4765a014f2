/**
 * The `app://` protocol: the Electron shell's only source of pages. `app://kontokiosk/…` serves the
 * built renderer, `app://documents/<token>` serves a PDF that is being printed.
 *
 * Why not file://: every file:// page shares one origin with the whole disk, so a navigation or a
 * link to any local file would be "our" page. Here the origin is ours alone, the scheme is
 * registered standard and secure (relative URLs, web storage and a real origin work as on https),
 * and the handler answers only for files below the renderer directory.
 * Threats: path traversal (`..`, encoded slashes, backslashes) out of the renderer directory,
 * other hosts under the scheme, and printed documents fetched again after their print job.
 */
import { protocol } from 'electron';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CONTENT_SECURITY_POLICY, contentType, rendererFile } from '../assets.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'kontokiosk';
export const DOCUMENTS_HOST = 'documents';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Our page: the renderer's entry document on our own host, nothing else. */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return (
    u !== undefined &&
    u.protocol === `${APP_SCHEME}:` &&
    u.hostname === APP_HOST &&
    u.port === '' &&
    u.username === '' &&
    u.password === '' &&
    (u.pathname === '/' || u.pathname === '/index.html')
  );
}

/**
 * PDFs handed to a print window, held in memory. A token is minted here (the renderer never sees
 * it) and lives for one print job: the print window may fetch it while the job runs, nobody
 * afterwards, and closing the job overwrites the bytes.
 */
export class PrintJobs {
  private readonly documents = new Map<string, Uint8Array>();

  open(bytes: Uint8Array): { url: string; close: () => void } {
    const token = randomBytes(24).toString('base64url');
    this.documents.set(token, bytes);
    return {
      url: `${APP_SCHEME}://${DOCUMENTS_HOST}/${token}`,
      close: () => {
        this.documents.delete(token);
        bytes.fill(0);
      },
    };
  }

  document(token: string): Uint8Array | undefined {
    return this.documents.get(token);
  }
}

const COMMON = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };

const refuse = (status: number) => new Response(null, { status, headers: COMMON });

async function fileResponse(path: string, headers: Record<string, string>): Promise<Response> {
  try {
    return new Response(new Uint8Array(await readFile(path)), { status: 200, headers: { ...COMMON, ...headers } });
  } catch {
    return refuse(404);
  }
}

/** A copy, so that closing the print job can overwrite the original while the response lives on. */
const pdfResponse = (bytes: Uint8Array) =>
  new Response(new Uint8Array(bytes), { status: 200, headers: { ...COMMON, 'content-type': 'application/pdf' } });

export function appProtocolHandler(options: { readonly rendererDir: string; readonly printJobs: PrintJobs }) {
  return async (request: Request): Promise<Response> => {
    if (request.method !== 'GET') return refuse(405);
    const url = parse(request.url);
    if (!url || url.protocol !== `${APP_SCHEME}:` || url.port !== '' || url.username !== '' || url.password !== '') return refuse(400);
    if (url.hostname === APP_HOST) {
      const file = rendererFile(options.rendererDir, url.pathname);
      if (!file) return refuse(404);
      return fileResponse(file, { 'content-type': contentType(file), 'content-security-policy': CONTENT_SECURITY_POLICY });
    }
    if (url.hostname === DOCUMENTS_HOST) {
      const bytes = options.printJobs.document(url.pathname.slice(1));
      if (!bytes) return refuse(404);
      // No CSP here: the built-in PDF viewer renders the document, and a page policy would block it.
      return pdfResponse(bytes);
    }
    return refuse(404);
  };
}

export function serveAppProtocol(handler: (request: Request) => Promise<Response>): void {
  protocol.handle(APP_SCHEME, handler);
}
