/**
 * A clearly labelled POSTIDENT simulator: it opens cases like the real provider would and serves a
 * small loopback page on which a tester ends a case with success, decline or abandonment. No real
 * identification takes place. The result goes to the core exactly as a provider callback would.
 *
 * Threats: ending a case activates an account, so a stranger must not be able to do it. Another
 * web page in the tester's browser may post to this port (CSRF) or reach it under a name it
 * controls (DNS rebinding); a guessed case id would name someone else's case. Hence: case ids carry
 * 128 random bits; every request must name this server's own Host; every POST must come from this
 * server's own Origin, as a small url-encoded form, with the page's token (an HMAC of the case id
 * under a per-launch key, so no state is kept and cases opened before a restart can still end).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { PostidentCase, PostidentOutcome, PostidentProvider } from '../core/ports.js';

const OUTCOMES: readonly PostidentOutcome[] = ['SUCCESS', 'DECLINED', 'ABANDONED'];
const ROUTE = /^\/case\/(SIM-[0-9A-F]{32})(?:\/(SUCCESS|DECLINED|ABANDONED))?$/;
const MAX_FORM = 4 * 1024;
const TOKEN_FIELD = 'csrf';

/** `SIM-` and 32 hex digits: 128 bits from the CSPRNG. */
export const SIMULATOR_CASE_ID = /^SIM-[0-9A-F]{32}$/;

export class PostidentSimulator implements PostidentProvider {
  readonly label = 'POSTIDENT-Simulator';
  readonly simulated = true;
  private server: Server | undefined;
  private host = '';
  private origin = '';
  private readonly formKey = randomBytes(32);

  constructor(private readonly onResult: (caseId: string, outcome: PostidentOutcome) => Promise<boolean>) {}

  async listen(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req)
        .then(({ status, body, headers }) => reply(res, status, body, headers))
        .catch((error: unknown) => {
          console.error('[postident-simulator]', error);
          if (!res.headersSent) reply(res, 500, page('Interner Fehler / internal error', ''));
        });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('simulator did not bind');
    this.host = `127.0.0.1:${address.port}`;
    this.origin = `http://${this.host}`;
    return this.origin;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  openCase(): Promise<PostidentCase> {
    if (!this.origin) return Promise.reject(new Error('simulator not running'));
    const caseId = `SIM-${randomBytes(16).toString('hex').toUpperCase()}`;
    return Promise.resolve({ caseId, continueUrl: `${this.origin}/case/${caseId}` });
  }

  /** Lets tests end a case without the page. */
  complete(caseId: string, outcome: PostidentOutcome): Promise<boolean> {
    return this.onResult(caseId, outcome);
  }

  private formToken(caseId: string): string {
    return createHmac('sha256', this.formKey).update(caseId).digest('base64url');
  }

  private async handle(req: IncomingMessage): Promise<Answer> {
    if (!this.host || req.headers.host !== this.host) return { status: 421, body: page('Falscher Host / misdirected request', '') };
    const match = ROUTE.exec(new URL(req.url ?? '/', this.origin).pathname);
    if (!match?.[1]) return { status: 404, body: page('Unbekannter Vorgang / unknown case', '') };
    const caseId = match[1];
    const outcome = match[2] as PostidentOutcome | undefined;
    if (req.method === 'GET' && !outcome) return { status: 200, body: this.casePage(caseId) };
    if (req.method !== 'POST' || !outcome)
      return { status: 405, body: page('Nicht erlaubt / not allowed', ''), headers: { allow: 'GET, POST' } };

    if (req.headers.origin !== this.origin) return { status: 403, body: page('Fremde Herkunft / foreign origin', '') };
    if ((req.headers['content-type'] ?? '').split(';')[0]?.trim() !== 'application/x-www-form-urlencoded') {
      return { status: 415, body: page('Falsches Format / unsupported media type', '') };
    }
    const body = await readForm(req);
    if (body === undefined) return { status: 413, body: page('Zu groß / too large', '') };
    if (!sameToken(new URLSearchParams(body).get(TOKEN_FIELD), this.formToken(caseId))) {
      return {
        status: 403,
        body: page('Formular abgelaufen / form expired', '<p>Bitte die Seite neu laden. / Please reload the page.</p>'),
      };
    }
    const accepted = await this.onResult(caseId, outcome);
    return {
      status: accepted ? 200 : 409,
      body: page(
        accepted ? `Ergebnis gemeldet: ${outcome}` : 'Dieser Vorgang ist bereits abgeschlossen',
        `<p id="result">${accepted ? 'reported' : 'closed'}</p>`,
      ),
    };
  }

  private casePage(caseId: string): string {
    const token = this.formToken(caseId);
    const buttons = OUTCOMES.map(
      (o) =>
        `<form method="post" action="/case/${caseId}/${o}"><input type="hidden" name="${TOKEN_FIELD}" value="${token}">` +
        `<button type="submit" name="o" value="${o}">${LABELS[o]}</button></form>`,
    ).join('');
    return page(`Vorgang ${caseId}`, `<p>Wie soll dieser Vorgang enden? / How should this case end?</p>${buttons}`);
  }
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

function reply(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    // Not no-referrer: that would make the browser send `Origin: null` with the page's own forms.
    'referrer-policy': 'same-origin',
    ...headers,
  });
  res.end(body);
}

async function readForm(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sameToken(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const LABELS: Record<PostidentOutcome, string> = {
  SUCCESS: 'Identifizierung erfolgreich / success',
  DECLINED: 'Abgelehnt / declined',
  ABANDONED: 'Abgebrochen / abandoned',
};

function page(title: string, content: string): string {
  return `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>POSTIDENT-SIMULATOR</title>
<style>body{font-family:sans-serif;margin:2rem;max-width:40rem}.banner{background:#8a1c00;color:#fff;padding:1rem;font-weight:bold}
button{font-size:1.2rem;margin:.5rem 0;padding:.8rem 1.2rem;min-width:20rem}</style></head><body>
<div class="banner" role="alert">SIMULATOR – keine echte Identifizierung durch die Deutsche Post. Nur für Test und Schulung.<br>SIMULATOR – no real identification. For testing and training only.</div>
<h1>${title}</h1>${content}</body></html>`;
}
