/**
 * The hybrid-mail provider route against local servers on 127.0.0.1 (plain http, allowed on
 * loopback only, and https with a certificate of the test's own CA): the request as documented
 * (bearer token, multipart with the PDF and the address, or JSON with the PDF in base64), and
 * each answer as the queue needs it: 2xx accepted, 4xx given up (except 408 and 429), 5xx, no
 * answer in time and no server at all tried again. No message carries the token or the address.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/config/config.js';
import type { Letter } from '../../src-main/core/ports.js';
import { DeliveryFailure } from '../../src-main/delivery/delivery-failure.js';
import { HttpLetterDispatch, type HttpLetterSettings } from '../../src-main/delivery/letter-dispatch-http.js';
import { jobName, type DispatchItem } from '../../src-main/delivery/letter-dispatch.js';
import { renderLetter } from '../../src-main/delivery/letters.js';
import { outboxName } from '../../src-main/delivery/outbox-name.js';

const fonts = resolve(import.meta.dirname, '../../assets/fonts');
const TOKEN = 'tok_live_5f1c0e9a7b3d';
const TO = { name: 'Erika Mustermann', street: 'Heidestraße 17', postalCode: '51147', city: 'Köln' };
const LETTER: Letter = {
  kind: 'ACTIVATION_KEY',
  to: TO,
  date: '2026-11-30',
  username: 'erika.m',
  key: 'SI37-FF96-2013-0808-0903-3876',
  validUntil: '2027-01-29',
  language: 'de',
  accountId: 'acc0unt-Id_1',
};
const PERSONAL = [TOKEN, 'Erika', 'Mustermann', 'Heidestraße', '51147', 'Köln', 'SI37-FF96', 'acc0unt-Id_1'];

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  readonly url: string;
}

type Mode = 'ok' | 'refuse' | 'unauthorized' | 'busy' | 'timeout-status' | 'error' | 'hang' | 'redirect';
let mode: Mode = 'ok';
const received: Received[] = [];
const STATUS: Record<Exclude<Mode, 'hang'>, number> = {
  ok: 202,
  refuse: 422,
  unauthorized: 401,
  busy: 429,
  'timeout-status': 408,
  error: 503,
  redirect: 302,
};

function handler(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks), url: req.url ?? '' });
    if (mode === 'hang') return;
    // A refusal that quotes the letter, as providers do: it must not reach our messages.
    res.writeHead(STATUS[mode], { 'content-type': 'application/json', location: 'https://elsewhere.invalid/' });
    res.end(JSON.stringify({ error: `address ${TO.name}, ${TO.street} rejected` }));
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'kontokiosk-letter-http-'));
let server: Server;
let tlsServer: Server;
let base = '';
let tlsBase = '';
let ca = '';
let item: DispatchItem;

async function listen(s: Server): Promise<number> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

beforeAll(async () => {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(scratch, 'key.pem'),
      '-out',
      join(scratch, 'cert.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'pipe' },
  );
  ca = readFileSync(join(scratch, 'cert.pem'), 'utf8');
  server = createServer(handler);
  tlsServer = createHttpsServer({ key: readFileSync(join(scratch, 'key.pem')), cert: ca }, handler);
  base = `http://127.0.0.1:${await listen(server)}/v1/letters`;
  tlsBase = `https://127.0.0.1:${await listen(tlsServer)}/v1/letters`;
  const at = new Date('2026-11-30T09:15:00Z');
  const pdf = await renderLetter(LETTER, parseConfig({}).brand, fonts, at);
  item = { pdf, kind: LETTER.kind, reference: outboxName(LETTER.kind, 'pdf', at, LETTER.accountId), accountId: 'acc0unt-Id_1', to: TO };
});
afterAll(async () => {
  for (const s of [server, tlsServer]) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
  rmSync(scratch, { recursive: true, force: true });
});

/** Settings as the configuration's defaults give them. */
function provider(overrides: Partial<HttpLetterSettings> = {}): HttpLetterDispatch {
  const route = parseConfig({ letters: { postal: { kind: 'http', url: base, tokenFile: 'token' } } }).letters.postal;
  if (route.kind !== 'http') throw new Error('no http route');
  const { url, timeoutMs, format, fields, extraFields } = route;
  return new HttpLetterDispatch({ url, token: TOKEN, timeoutMs, format, fields, extraFields, ...overrides });
}

async function failureOf(promise: Promise<unknown>): Promise<DeliveryFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DeliveryFailure)) throw new Error(`expected a DeliveryFailure, got ${String(error)}`);
  for (const datum of PERSONAL) expect(error.message).not.toContain(datum);
  return error;
}

/** The request as a multipart parser reads it. */
async function form(r: Received): Promise<FormData> {
  return new Request('http://parser.invalid/', {
    method: 'POST',
    headers: { 'content-type': r.headers['content-type'] ?? '' },
    body: new Uint8Array(r.body),
  }).formData();
}

describe('the hybrid-mail provider (http)', () => {
  it('posts the PDF and the address as multipart with the bearer token and the job name', async () => {
    mode = 'ok';
    await provider({ extraFields: { product: 'standard' } }).dispatch(item);
    const r = received.at(-1);
    if (!r) throw new Error('nothing received');
    expect(r.url).toBe('/v1/letters');
    expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(r.headers['idempotency-key']).toBe(jobName(item.reference));
    expect(r.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const data = await form(r);
    const file = data.get('file');
    if (!(file instanceof Blob)) throw new Error('no file part');
    expect(file.type).toBe('application/pdf');
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.equals(Buffer.from(item.pdf))).toBe(true);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(JSON.parse(String(data.get('address')))).toEqual(TO);
    expect(data.get('reference')).toBe(jobName(item.reference));
    expect(data.get('product')).toBe('standard');
    // The provider learns the letter, not the account it belongs to.
    expect(r.body.toString('latin1')).not.toContain('acc0unt-Id_1');
  });

  it('or one JSON object with the PDF in base64, under the configured field names', async () => {
    mode = 'ok';
    await provider({ format: 'json', fields: { file: 'document', address: 'recipient', reference: 'customerRef' } }).dispatch(item);
    const r = received.at(-1);
    expect(r?.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = JSON.parse(r?.body.toString('utf8') ?? '{}') as Record<string, unknown>;
    expect(body['recipient']).toEqual(TO);
    expect(body['customerRef']).toBe(jobName(item.reference));
    expect(Buffer.from(String(body['document']), 'base64').equals(Buffer.from(item.pdf))).toBe(true);
  });

  it('4xx is given up (401/403 as a refused token), 408 and 429 and 5xx are tried again, a redirect is not followed', async () => {
    const cases: [Mode, string, boolean][] = [
      ['refuse', 'PROVIDER_REFUSED', true],
      ['unauthorized', 'PROVIDER_UNAUTHORIZED', true],
      ['busy', 'PROVIDER_BUSY', false],
      ['timeout-status', 'PROVIDER_BUSY', false],
      ['error', 'PROVIDER_ERROR', false],
      ['redirect', 'PROVIDER_UNEXPECTED_ANSWER', true],
    ];
    for (const [m, code, permanent] of cases) {
      mode = m;
      const before = received.length;
      expect(await failureOf(provider().dispatch(item))).toMatchObject({ code, permanent });
      expect(received.length).toBe(before + 1);
    }
  });

  it('no answer within the time-out and no server at all are tried again', async () => {
    mode = 'hang';
    expect(await failureOf(provider({ timeoutMs: 300 }).dispatch(item))).toMatchObject({ code: 'PROVIDER_TIMEOUT', permanent: false });
    const closed = createServer();
    const port = await listen(closed);
    await new Promise<void>((r) => closed.close(() => r()));
    const nobody = provider({ url: `http://127.0.0.1:${port}/v1/letters` });
    expect(await failureOf(nobody.dispatch(item))).toMatchObject({ code: 'PROVIDER_UNREACHABLE', permanent: false });
    expect(await nobody.probe()).toEqual({ ok: false, detail: 'the letter provider could not be reached (ECONNREFUSED)' });
  });

  it('over https: sent when the certificate verifies, refused (and tried again) when it does not', async () => {
    mode = 'ok';
    const trusted = provider({ url: tlsBase, ca });
    await trusted.dispatch(item);
    expect(received.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(await trusted.probe()).toEqual({ ok: true, detail: "the letter provider's host answers, its certificate verified" });
    const before = received.length;
    const untrusted = provider({ url: tlsBase });
    expect(await failureOf(untrusted.dispatch(item))).toMatchObject({ code: 'PROVIDER_TLS_FAILED', permanent: false });
    expect(received.length).toBe(before);
    expect(await untrusted.probe()).toMatchObject({ ok: false });
  });

  it('the health check connects without sending a request', async () => {
    const before = received.length;
    expect(await provider().probe()).toEqual({ ok: true, detail: "the letter provider's host answers" });
    expect(received.length).toBe(before);
  });
});
