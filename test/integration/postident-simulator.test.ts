/** The POSTIDENT simulator's page: own Host, own Origin, form token, unguessable case ids. */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/index.js';
import { PostidentSimulator, SIMULATOR_CASE_ID } from '../../src-main/delivery/postident-simulator.js';
import { WHO, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';

// Each test has its own harness; the simulator reports to the current one's core.
let current: Core | undefined;
const simulator = new PostidentSimulator(async (caseId, outcome) =>
  current ? (await current.identity.postidentResult(caseId, outcome)).ok : false,
);
let origin = '';
let host = '';

beforeAll(async () => {
  origin = await simulator.listen();
  host = new URL(origin).host;
});
afterAll(() => simulator.close());

interface Sent {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

function send(path: string, options: Sent = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: Number(new URL(origin).port),
        path,
        method: options.method ?? 'GET',
        headers: { host, ...options.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const tokenOf = (page: { body: string }) => /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';

async function openCase() {
  const h = makeHarness();
  current = createCore({ ...h.core.deps, postident: simulator });
  const id = await registeredAndConfirmed(h);
  const started = await current.identity.startPostident(WHO, id);
  if (!started.ok) throw new Error(started.error.code);
  const page = await send(`/case/${started.value.caseId}`);
  return { h, id, caseId: started.value.caseId, page, token: tokenOf(page) };
}

const form = (token: string) => ({
  method: 'POST',
  headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ csrf: token, o: 'SUCCESS' }).toString(),
});

async function stillOpen({ h, id }: Awaited<ReturnType<typeof openCase>>): Promise<void> {
  const account = await h.accounts.get(id);
  expect(account?.identity.postident?.state).toBe('OPEN');
  expect(account?.identity.confirmedAt).toBeUndefined();
  expect(h.mails.map((m) => m.kind)).not.toContain('IDENTITY_CONFIRMED');
  expect(h.audit.events().map((e) => e.type)).not.toContain('POSTIDENT_RESULT');
}

describe('POSTIDENT simulator', () => {
  it('case ids carry 128 random bits and name their page', async () => {
    const ids = await Promise.all(Array.from({ length: 50 }, () => simulator.openCase()));
    for (const { caseId, continueUrl } of ids) {
      expect(caseId).toMatch(SIMULATOR_CASE_ID);
      expect(caseId).toMatch(/^SIM-[0-9A-F]{32}$/);
      expect(continueUrl).toBe(`${origin}/case/${caseId}`);
    }
    expect(new Set(ids.map((c) => c.caseId)).size).toBe(50);
  });

  it('the page carries a form token in every form and the simulator banner', async () => {
    const { page, token } = await openCase();
    expect(page.status).toBe(200);
    expect(page.body).toContain('SIMULATOR');
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(page.body.match(/name="csrf"/g)).toHaveLength(3);
  });

  it('a foreign Host is refused, for the page and for an outcome, and nothing changes', async () => {
    const opened = await openCase();
    const { caseId, token } = opened;
    expect((await send(`/case/${caseId}`, { headers: { host: 'evil.example' } })).status).toBe(421);
    const post = form(token);
    const refused = await send(`/case/${caseId}/SUCCESS`, { ...post, headers: { ...post.headers, host: 'evil.example' } });
    expect(refused.status).toBe(421);
    expect(refused.body).not.toContain('reported');
    await stillOpen(opened);
  });

  it('an outcome from a foreign or missing Origin is refused and nothing changes', async () => {
    const opened = await openCase();
    const { caseId, token } = opened;
    const post = form(token);
    for (const foreign of ['http://evil.example', 'null', `http://localhost:${new URL(origin).port}`]) {
      expect((await send(`/case/${caseId}/SUCCESS`, { ...post, headers: { ...post.headers, origin: foreign } })).status).toBe(403);
    }
    const { origin: _dropped, ...withoutOrigin } = post.headers;
    expect((await send(`/case/${caseId}/SUCCESS`, { ...post, headers: withoutOrigin })).status).toBe(403);
    await stillOpen(opened);
  });

  it('an outcome without the right form token is refused and nothing changes', async () => {
    const opened = await openCase();
    const { caseId, token } = opened;
    const other = tokenOf(await send(`/case/${(await simulator.openCase()).caseId}`));
    expect(other).not.toBe(token);
    const wrong = token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    for (const body of ['o=SUCCESS', `csrf=&o=SUCCESS`, `csrf=${wrong}&o=SUCCESS`, `csrf=${other}&o=SUCCESS`, `csrf=${token}x`]) {
      expect((await send(`/case/${caseId}/SUCCESS`, { ...form(token), body })).status).toBe(403);
    }
    await stillOpen(opened);
  });

  it('only small url-encoded forms are read', async () => {
    const opened = await openCase();
    const { caseId, token } = opened;
    const post = form(token);
    const json = await send(`/case/${caseId}/SUCCESS`, {
      ...post,
      headers: { ...post.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ csrf: token }),
    });
    expect(json.status).toBe(415);
    const big = await send(`/case/${caseId}/SUCCESS`, { ...post, body: `${post.body}&pad=${'x'.repeat(8_000)}` });
    expect(big.status).toBe(413);
    await stillOpen(opened);
  });

  it('unknown paths, old short ids and other methods are refused', async () => {
    const { caseId, token } = await openCase();
    expect((await send('/case/SIM-0123456789')).status).toBe(404);
    expect((await send(`/case/${caseId.toLowerCase()}`)).status).toBe(404);
    expect((await send(`/case/${caseId}/SUCCESS`)).status).toBe(405);
    expect((await send(`/case/${caseId}`, form(token))).status).toBe(405);
  });

  it('the page form from its own origin with its token ends the case once', async () => {
    const { h, id, caseId, token } = await openCase();
    const mails = h.mails.length;
    const done = await send(`/case/${caseId}/SUCCESS`, form(token));
    expect(done.status).toBe(200);
    expect(done.body).toContain('<p id="result">reported</p>');
    const account = await h.accounts.get(id);
    expect(account?.identity.method).toBe('POSTIDENT');
    expect(account?.identity.postident?.state).toBe('SUCCESS');
    expect(h.mails.slice(mails).map((m) => m.kind)).toEqual(['IDENTITY_CONFIRMED']);
    const again = await send(`/case/${caseId}/DECLINED`, form(token));
    expect(again.status).toBe(409);
    expect((await h.accounts.get(id))?.identity.postident?.state).toBe('SUCCESS');
  });
});
