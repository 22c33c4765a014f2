/**
 * What both shells need to serve the built renderer: its content security policy, the content
 * types of its files, and the check that a requested path stays inside the renderer directory.
 * Threat: a crafted path (`..`, encoded slashes, backslashes, NUL) reaching files outside it.
 */
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

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

export function contentType(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The absolute file for a URL path below the renderer directory, or undefined when the path is
 * malformed or would leave the directory. `/` means index.html.
 */
export function rendererFile(rendererDir: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const wanted = decoded === '/' ? 'index.html' : decoded.slice(1);
  const root = resolve(rendererDir);
  const file = resolve(root, wanted);
  const inside = relative(root, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return undefined;
  return file;
}
