/**
 * POSTIDENT through an identification provider's case API. Assumed shape (every path, field name
 * and status name is mapped in the configuration): POST <baseUrl>/cases with the account reference
 * and the person's name and birth date answers {caseId, continueUrl}; GET <baseUrl>/cases/<id>
 * answers {status: OPEN | SUCCESS | DECLINED | ABANDONED}. The provider does not call back: a
 * poller asks for the cases this process opened, and the core asks when the person checks.
 *
 * Threats: the bearer token sent in clear or to another host (https required; redirects refused;
 * the token appears in no log or error message); a provider that hangs (every call has a timeout);
 * a malformed or hostile answer (size cap; the case id and continue URL are checked before they
 * reach the QR code, the coupon and the store). Any failure throws, so the core changes nothing.
 */
import type { Config } from '../config/config.js';
import type { Result } from '../core/result.js';
import type { PostidentCase, PostidentProvider, PostidentStatus } from '../core/ports.js';

export type HttpPostidentSettings = NonNullable<Config['postident']['http']>;

const MAX_ANSWER = 64 * 1024;
/** Fits the coupon's box and a URL path; no markup, no spaces. */
const CASE_ID = /^[A-Za-z0-9._:-]{1,48}$/;
const MAX_CONTINUE_URL = 1024;
const STATES: readonly PostidentStatus[] = ['OPEN', 'SUCCESS', 'DECLINED', 'ABANDONED'];

const isLoopback = (url: URL): boolean => url.hostname === '127.0.0.1' || url.hostname === '[::1]';

export class HttpPostidentProvider implements PostidentProvider {
  readonly simulated = false;
  readonly label: string;
  private readonly base: string;
  /** Cases this process opened and has not yet seen end: case id -> account reference. */
  private readonly opened = new Map<string, string>();

  constructor(private readonly settings: HttpPostidentSettings) {
    const url = new URL(settings.baseUrl);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (isLoopback(url) || settings.allowPlainHttp))) {
      throw new Error('The POSTIDENT provider must be reached over https');
    }
    this.base = settings.baseUrl.replace(/\/+$/, '');
    this.label = settings.label;
  }

  async openCase(request: {
    readonly reference: string;
    readonly firstName: string;
    readonly lastName: string;
    readonly birthDate: string;
  }): Promise<PostidentCase> {
    const f = this.settings.fields;
    const answer = await this.call('POST', this.settings.paths.openCase, {
      [f.reference]: request.reference,
      [f.firstName]: request.firstName,
      [f.lastName]: request.lastName,
      [f.birthDate]: request.birthDate,
    });
    const caseId = answer[f.caseId];
    const continueUrl = answer[f.continueUrl];
    if (typeof caseId !== 'string' || !CASE_ID.test(caseId)) throw new Error('POSTIDENT provider answered without a usable case id');
    if (typeof continueUrl !== 'string' || !this.usableContinueUrl(continueUrl)) {
      throw new Error('POSTIDENT provider answered without a usable continue URL');
    }
    this.opened.set(caseId, request.reference);
    return { caseId, continueUrl };
  }

  async status(caseId: string): Promise<PostidentStatus> {
    const path = this.settings.paths.caseStatus.replace('{caseId}', encodeURIComponent(caseId));
    const raw = (await this.call('GET', path))[this.settings.fields.status];
    const state = STATES.find((s) => typeof raw === 'string' && this.settings.statuses[s].includes(raw));
    if (!state) throw new Error('POSTIDENT provider answered an unknown status');
    return state;
  }

  /** The cases to poll: opened by this process, not yet known to have ended. */
  openedCases(): [caseId: string, reference: string][] {
    return [...this.opened];
  }

  forget(caseId: string): void {
    this.opened.delete(caseId);
  }

  private usableContinueUrl(text: string): boolean {
    if (text.length > MAX_CONTINUE_URL || !URL.canParse(text)) return false;
    const url = new URL(text);
    if (url.username || url.password) return false;
    // The person's phone opens it: https, or a test provider on this machine.
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url));
  }

  private async call(method: 'GET' | 'POST', path: string, body?: Record<string, string>): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.settings.token}`, accept: 'application/json' };
    const init: RequestInit = { method, headers, redirect: 'error', signal: AbortSignal.timeout(this.settings.timeoutMs) };
    if (body) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(this.base + path, init);
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`POSTIDENT provider answered ${response.status}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readCapped(response));
    } catch {
      throw new Error('POSTIDENT provider answered no usable JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('POSTIDENT provider answered no object');
    return parsed as Record<string, unknown>;
  }
}

async function readCapped(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_ANSWER) {
      await reader.cancel();
      throw new Error('too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Asks, every interval, how the cases this process opened stand, and hands each to the core's
 * refresh (which applies a final answer). Passes never overlap; a failing provider is asked again
 * next time. Cases opened by an earlier run are refreshed when their person checks the status.
 */
export class PostidentPoller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly provider: HttpPostidentProvider,
    private readonly refresh: (accountId: string) => Promise<Result<{ caseId: string; state: string }>>,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.pollOnce(), this.intervalMs);
    this.timer.unref();
  }

  pollOnce(): Promise<void> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async pass(): Promise<void> {
    for (const [caseId, accountId] of this.provider.openedCases()) {
      try {
        const result = await this.refresh(accountId);
        const settled = result.ok
          ? result.value.caseId !== caseId || result.value.state !== 'OPEN'
          : result.error.code !== 'POSTIDENT_UNAVAILABLE';
        if (settled) this.provider.forget(caseId);
      } catch (error) {
        console.error('[postident] status poll failed', error);
      }
    }
  }
}
