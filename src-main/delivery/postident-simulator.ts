/**
 * A clearly labelled POSTIDENT simulator: it opens cases like the real provider would and serves a
 * small loopback page on which a tester ends a case with success, decline or abandonment. No real
 * identification takes place. The result goes to the core exactly as a provider callback would.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { PostidentCase, PostidentOutcome, PostidentProvider } from '../core/ports.js';

const OUTCOMES: readonly PostidentOutcome[] = ['SUCCESS', 'DECLINED', 'ABANDONED'];

export class PostidentSimulator implements PostidentProvider {
  readonly label = 'POSTIDENT-Simulator';
  readonly simulated = true;
  private server: Server | undefined;
  private baseUrl = '';
  private readonly cases = new Set<string>();

  constructor(private readonly onResult: (caseId: string, outcome: PostidentOutcome) => Promise<boolean>) {}

  async listen(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req.method ?? 'GET', req.url ?? '/').then(({ status, body }) => {
        res.writeHead(status, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
          'x-frame-options': 'DENY',
        });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('simulator did not bind');
    this.baseUrl = `http://127.0.0.1:${address.port}`;
    return this.baseUrl;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  openCase(): Promise<PostidentCase> {
    if (!this.baseUrl) return Promise.reject(new Error('simulator not running'));
    const caseId = `SIM-${randomBytes(5).toString('hex').toUpperCase()}`;
    this.cases.add(caseId);
    return Promise.resolve({ caseId, continueUrl: `${this.baseUrl}/case/${caseId}` });
  }

  /** Lets tests end a case without the page. */
  complete(caseId: string, outcome: PostidentOutcome): Promise<boolean> {
    return this.onResult(caseId, outcome);
  }

  private async handle(method: string, url: string): Promise<{ status: number; body: string }> {
    const match = /^\/case\/(SIM-[0-9A-F]{10})(\/(SUCCESS|DECLINED|ABANDONED))?$/.exec(url);
    if (!match?.[1]) return { status: 404, body: page('Unbekannter Vorgang / unknown case', '') };
    const caseId = match[1];
    const outcome = match[3] as PostidentOutcome | undefined;
    if (method === 'POST' && outcome) {
      const accepted = await this.onResult(caseId, outcome);
      return {
        status: accepted ? 200 : 409,
        body: page(
          accepted ? `Ergebnis gemeldet: ${outcome}` : 'Dieser Vorgang ist bereits abgeschlossen',
          `<p id="result">${accepted ? 'reported' : 'closed'}</p>`,
        ),
      };
    }
    if (method !== 'GET' || outcome) return { status: 405, body: page('Nicht erlaubt', '') };
    const buttons = OUTCOMES.map(
      (o) => `<form method="post" action="/case/${caseId}/${o}"><button type="submit" name="o" value="${o}">${LABELS[o]}</button></form>`,
    ).join('');
    return { status: 200, body: page(`Vorgang ${caseId}`, `<p>Wie soll dieser Vorgang enden? / How should this case end?</p>${buttons}`) };
  }
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
