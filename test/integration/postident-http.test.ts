/** The POSTIDENT provider adapter (case API over HTTP) against a local server started by the test. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../src-main/config/config.js';
import { createCore } from '../../src-main/core/index.js';
import { HttpPostidentProvider, PostidentPoller } from '../../src-main/delivery/postident-http.js';
import { WHO, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';

const TOKEN = 'provider-secret-token-0123456789';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let server: Server;
let base = '';
const seen: Seen[] = [];
/** How the fake provider answers the next requests. */
let answer: (req: Seen, res: ServerResponse) => void;
let providerStatus = 'OPEN';
let caseCounter = 0;

const wellBehaved = (req: Seen, res: ServerResponse): void => {
  if (req.method === 'POST' && req.url === '/api/cases') {
    caseCounter += 1;
    const caseId = `PI-${caseCounter}`;
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ caseId, continueUrl: `https://ident.example/continue/${caseId}`, extra: 1 }));
    return;
  }
  if (req.method === 'GET' && /^\/api\/cases\/PI-\d+$/.test(req.url)) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: providerStatus }));
    return;
  }
  res.writeHead(404).end();
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(entry);
      answer(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  answer = wellBehaved;
  providerStatus = 'OPEN';
  seen.length = 0;
  caseCounter = 0;
});

type HttpSettings = NonNullable<Config['postident']['http']>;
const settings = (http: Record<string, unknown> = {}): HttpSettings => {
  const parsed = parseConfig({ postident: { mode: 'http', http: { baseUrl: base, token: TOKEN, timeoutMs: 300, ...http } } }).postident
    .http;
  if (!parsed) throw new Error('no http settings');
  return parsed;
};

async function setup(http: Record<string, unknown> = {}) {
  const h = makeHarness();
  const provider = new HttpPostidentProvider(settings(http));
  const core = createCore({ ...h.core.deps, postident: provider });
  const id = await registeredAndConfirmed(h);
  const poller = new PostidentPoller(provider, (accountId) => core.identity.refreshPostident(accountId), 60_000);
  return { h, provider, core, id, poller };
}

const person = { reference: 'acc-1', firstName: 'Erika', lastName: 'Mustermann', birthDate: '1984-08-12' };

describe('POSTIDENT provider over HTTP', () => {
  it('opens a case with the bearer token and the person data, and polls its status', async () => {
    const provider = new HttpPostidentProvider(settings());
    expect(await provider.openCase(person)).toEqual({ caseId: 'PI-1', continueUrl: 'https://ident.example/continue/PI-1' });
    const opened = seen.at(-1);
    expect(opened?.method).toBe('POST');
    expect(opened?.url).toBe('/api/cases');
    expect(opened?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(opened?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(opened?.body ?? '')).toEqual(person);
    for (const status of ['OPEN', 'SUCCESS', 'DECLINED', 'ABANDONED']) {
      providerStatus = status;
      expect(await provider.status('PI-1')).toBe(status);
      expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/api/cases/PI-1', headers: { authorization: `Bearer ${TOKEN}` } });
    }
  });

  it('paths, field names and status names follow the configuration', async () => {
    answer = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.method === 'POST') res.end(JSON.stringify({ vorgang: 'X.7:a', link: 'https://ident.example/x' }));
      else res.end(JSON.stringify({ state: providerStatus }));
    };
    const provider = new HttpPostidentProvider(
      settings({
        paths: { openCase: '/v2/ident', caseStatus: '/v2/ident/{caseId}/state' },
        fields: {
          reference: 'ref',
          firstName: 'vorname',
          lastName: 'nachname',
          birthDate: 'geburtsdatum',
          caseId: 'vorgang',
          continueUrl: 'link',
          status: 'state',
        },
        statuses: { OPEN: ['NEW', 'IN_PROGRESS'], SUCCESS: ['COMPLETED'], DECLINED: ['REJECTED'], ABANDONED: ['EXPIRED', 'CANCELLED'] },
      }),
    );
    expect(await provider.openCase(person)).toEqual({ caseId: 'X.7:a', continueUrl: 'https://ident.example/x' });
    expect(seen.at(-1)?.url).toBe('/api/v2/ident');
    expect(JSON.parse(seen.at(-1)?.body ?? '')).toEqual({
      ref: 'acc-1',
      vorname: 'Erika',
      nachname: 'Mustermann',
      geburtsdatum: '1984-08-12',
    });
    const expected = {
      NEW: 'OPEN',
      IN_PROGRESS: 'OPEN',
      COMPLETED: 'SUCCESS',
      REJECTED: 'DECLINED',
      EXPIRED: 'ABANDONED',
      CANCELLED: 'ABANDONED',
    };
    for (const [name, state] of Object.entries(expected)) {
      providerStatus = name;
      expect(await provider.status('X.7:a')).toBe(state);
    }
    expect(seen.at(-1)?.url).toBe('/api/v2/ident/X.7%3Aa/state');
    providerStatus = 'SUCCESS';
    await expect(provider.status('X.7:a')).rejects.toThrow('unknown status');
  });

  it('success reported by the provider activates the account and sends the e-mail, end to end through the core', async () => {
    const { h, core, id, provider, poller } = await setup();
    const started = await core.identity.startPostident(WHO, id);
    expect(started).toEqual({ ok: true, value: { caseId: 'PI-1', continueUrl: 'https://ident.example/continue/PI-1' } });
    expect(JSON.parse(seen.at(-1)?.body ?? '')).toEqual({
      reference: id,
      firstName: 'Erika',
      lastName: 'Mustermann',
      birthDate: '1984-08-12',
    });

    // While the provider says OPEN, asking changes nothing and the poller keeps the case.
    expect(await core.identity.refreshPostident(id)).toEqual({ ok: true, value: { caseId: 'PI-1', state: 'OPEN' } });
    await poller.pollOnce();
    expect(provider.openedCases()).toEqual([['PI-1', id]]);
    expect((await h.accounts.get(id))?.identity.confirmedAt).toBeUndefined();
    const view = await core.view(id);
    expect(view.ok && view.value.step).toBe('POSTIDENT_PENDING');

    providerStatus = 'SUCCESS';
    const mails = h.mails.length;
    await poller.pollOnce();
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/api/cases/PI-1' });
    const account = await h.accounts.get(id);
    expect(account?.identity.method).toBe('POSTIDENT');
    expect(account?.identity.postident?.state).toBe('SUCCESS');
    expect(h.mails.slice(mails).map((m) => m.kind)).toEqual(['IDENTITY_CONFIRMED']);
    expect(h.audit.events().filter((e) => e.type === 'POSTIDENT_RESULT')).toHaveLength(1);
    expect(provider.openedCases()).toEqual([]);
    const after = await core.view(id);
    expect(after.ok && after.value.step).toBe('MAILBOX');
    // A case ends once: asking again neither asks the provider nor mails again.
    const requests = seen.length;
    expect(await core.identity.refreshPostident(id)).toEqual({ ok: true, value: { caseId: 'PI-1', state: 'SUCCESS' } });
    expect(seen.length).toBe(requests);
    expect(h.mails.filter((m) => m.kind === 'IDENTITY_CONFIRMED')).toHaveLength(1);
  });

  it.each(['DECLINED', 'ABANDONED'])('%s from the provider makes the next login offer the letter', async (status) => {
    const { h, core, id } = await setup();
    expect((await core.identity.startPostident(WHO, id)).ok).toBe(true);
    providerStatus = status;
    expect(await core.identity.refreshPostident(id)).toEqual({ ok: true, value: { caseId: 'PI-1', state: status } });
    const view = await core.view(id);
    expect(view.ok && view.value.step).toBe('POSTIDENT_FAILED');
    expect(h.mails.map((m) => m.kind)).not.toContain('IDENTITY_CONFIRMED');
  });

  const failures: [string, (req: Seen, res: ServerResponse) => void][] = [
    ['an error status', (_req, res) => void res.writeHead(500).end('{"error":"boom"}')],
    ['no answer within the timeout', () => undefined],
    ['no JSON', (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>')],
    ['a redirect', (_req, res) => void res.writeHead(302, { location: 'http://evil.example/steal' }).end()],
    [
      'an answer that is too large',
      (_req, res) => void res.writeHead(200).end(JSON.stringify({ caseId: 'PI-9', pad: 'x'.repeat(70_000) })),
    ],
    ['no case id', (_req, res) => void res.writeHead(200).end(JSON.stringify({ continueUrl: 'https://ident.example/c' }))],
    [
      'a case id with markup',
      (_req, res) => void res.writeHead(200).end(JSON.stringify({ caseId: '<b>1</b>', continueUrl: 'https://ident.example/c' })),
    ],
    [
      'a script continue URL',
      (_req, res) => void res.writeHead(200).end(JSON.stringify({ caseId: 'PI-9', continueUrl: 'javascript:alert(1)' })),
    ],
    [
      'a plain-http continue URL',
      (_req, res) => void res.writeHead(200).end(JSON.stringify({ caseId: 'PI-9', continueUrl: 'http://ident.example/c' })),
    ],
  ];

  it.each(failures)('opening a case that meets %s gives POSTIDENT_UNAVAILABLE and changes nothing', async (_name, failing) => {
    const { h, core, id, provider } = await setup();
    answer = failing;
    const audit = h.audit.events().length;
    expect(await core.identity.startPostident(WHO, id)).toEqual({ ok: false, error: { code: 'POSTIDENT_UNAVAILABLE' } });
    const account = await h.accounts.get(id);
    expect(account?.identity.postident).toBeUndefined();
    expect(h.audit.events().length).toBe(audit);
    expect(provider.openedCases()).toEqual([]);
    const view = await core.view(id);
    expect(view.ok && view.value.step).toBe('CHOOSE_IDENTITY');
    // The person can still choose the letter, or try again once the provider is back.
    answer = wellBehaved;
    expect((await core.identity.startPostident(WHO, id)).ok).toBe(true);
  });

  it.each(failures.slice(0, 4))(
    'asking for a status that meets %s gives POSTIDENT_UNAVAILABLE and keeps the case open',
    async (_name, failing) => {
      const { h, core, id, provider, poller } = await setup();
      expect((await core.identity.startPostident(WHO, id)).ok).toBe(true);
      answer = failing;
      expect(await core.identity.refreshPostident(id)).toEqual({
        ok: false,
        error: { code: 'POSTIDENT_UNAVAILABLE', details: { reason: 'PROVIDER_ERROR' } },
      });
      await poller.pollOnce();
      expect(provider.openedCases()).toEqual([['PI-1', id]]);
      const account = await h.accounts.get(id);
      expect(account?.identity.postident?.state).toBe('OPEN');
      expect(account?.identity.confirmedAt).toBeUndefined();
      // The next pass, with the provider back, settles it.
      answer = wellBehaved;
      providerStatus = 'SUCCESS';
      await poller.pollOnce();
      expect((await h.accounts.get(id))?.identity.method).toBe('POSTIDENT');
    },
  );

  it('the token appears in no error and no audit entry', async () => {
    const provider = new HttpPostidentProvider(settings());
    answer = (_req, res) => void res.writeHead(401).end(JSON.stringify({ error: 'bad token', token: TOKEN }));
    const error = await provider.openCase(person).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).not.toContain(TOKEN);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(TOKEN);

    const { h, core, id } = await setup();
    await core.identity.startPostident(WHO, id);
    answer = wellBehaved;
    await core.identity.startPostident(WHO, id);
    expect(JSON.stringify(h.audit.events())).not.toContain(TOKEN);
  });

  it('the poller stops on close and passes never overlap', async () => {
    const { core, id, poller } = await setup();
    expect((await core.identity.startPostident(WHO, id)).ok).toBe(true);
    const before = seen.length;
    const [a, b] = [poller.pollOnce(), poller.pollOnce()];
    expect(a).toBe(b);
    await a;
    expect(seen.length - before).toBe(1);
    poller.start();
    await poller.stop();
  });
});

describe('POSTIDENT provider configuration', () => {
  const http = (extra: Record<string, unknown>) => () =>
    parseConfig({ postident: { mode: 'http', http: { token: 't', baseUrl: 'https://ident.example/api', ...extra } } });

  it('plain http is refused unless it stays on 127.0.0.1 or is allowed explicitly', () => {
    expect(http({ baseUrl: 'http://ident.example/api' })).toThrow(/https/);
    expect(http({ baseUrl: 'http://10.0.0.5:8080/api' })).toThrow(/https/);
    expect(http({ baseUrl: 'http://localhost:8080/api' })).toThrow(/https/);
    expect(http({ baseUrl: 'ftp://ident.example/api' })).toThrow();
    expect(http({})().postident.http?.baseUrl).toBe('https://ident.example/api');
    expect(http({ baseUrl: 'http://127.0.0.1:9000/api' })().postident.mode).toBe('http');
    expect(http({ baseUrl: 'http://ident.example/api', allowPlainHttp: true })().postident.http?.allowPlainHttp).toBe(true);
    // The adapter holds the same line if handed settings that bypassed validation.
    expect(() => new HttpPostidentProvider({ ...settings(), baseUrl: 'http://ident.example/api' })).toThrow(/https/);
  });

  it('mode http needs the provider settings; credentials in the URL and ambiguous status names are refused', () => {
    expect(() => parseConfig({ postident: { mode: 'http' } })).toThrow();
    expect(() => parseConfig({ postident: { mode: 'carrier-pigeon' } })).toThrow();
    expect(http({ token: '' })).toThrow();
    expect(http({ baseUrl: 'https://user:pw@ident.example/api' })).toThrow(/credentials/);
    expect(http({ statuses: { OPEN: ['OPEN'], SUCCESS: ['DONE'], DECLINED: ['DONE'] } })).toThrow(/one state/);
    expect(http({ paths: { caseStatus: '/cases' } })).toThrow();
    const defaults = http({})().postident.http;
    expect(defaults?.paths).toEqual({ openCase: '/cases', caseStatus: '/cases/{caseId}' });
    expect(defaults?.timeoutMs).toBe(5_000);
  });

  it('with no configuration the simulator stays the default', () => {
    expect(parseConfig({}).postident).toEqual({ mode: 'simulator', simulatorPort: 0 });
  });
});
